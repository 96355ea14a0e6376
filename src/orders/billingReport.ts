/**
 * A distributor's monthly billing report (JSON or CSV) read into lines, each checked with zod.
 * Every problem names its line (the CSV line, or the JSON array position counted from 1) and
 * the column, and a bad line never hides the good ones: the caller gets both.
 */
import Papa from 'papaparse';
import { z } from 'zod';

/** One billed product for one customer in one period, as the report states it. */
export interface BillingLine {
  /** Line in the file (CSV: with the header as line 1; JSON: position in the array, from 1). */
  line: number;
  customerId: string;
  customerName: string;
  /** Chamber of Commerce (KvK) and VAT number when the report carries them: they find the Exact account. */
  kvk: string | null;
  vatNumber: string | null;
  sku: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** Billing period, `YYYY-MM`. */
  period: string;
}

export interface ReportProblem {
  line: number;
  column: string;
  message: string;
}

export interface ParsedReport {
  lines: BillingLine[];
  problems: ReportProblem[];
  format: 'json' | 'csv';
}

/** Accepts `12.50`, `12,50` and `1.234,50` (Dutch spreadsheets) as numbers. */
function toNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().replace(/\s/g, '');
  if (text === '') return undefined;
  const normalised = /,\d{1,4}$/.test(text) ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  const n = Number(normalised);
  return Number.isFinite(n) ? n : value;
}

const text = z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v), z.string({ required_error: 'is missing' }).min(1, 'is empty'));
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null), z.string().nullable());

const lineSchema = z.object({
  customerId: text,
  customerName: text,
  kvk: optionalText,
  vatNumber: optionalText,
  sku: text,
  description: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v ?? ''), z.string()),
  quantity: z.preprocess(toNumber, z.number({ required_error: 'is missing', invalid_type_error: 'is not a number' }).finite().refine((n) => n !== 0, 'is zero')),
  unitPrice: z.preprocess(toNumber, z.number({ required_error: 'is missing', invalid_type_error: 'is not a number' }).finite()),
  period: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ required_error: 'is missing' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'is not a period like 2026-11')),
});

/** Column names distributors use, lower-cased, to the line's own names. */
const aliases: Record<string, keyof z.infer<typeof lineSchema>> = {
  customerid: 'customerId', customer_id: 'customerId', klantnummer: 'customerId', endcustomerid: 'customerId',
  customername: 'customerName', customer_name: 'customerName', klantnaam: 'customerName', endcustomername: 'customerName',
  kvk: 'kvk', chamberofcommerce: 'kvk', kvknummer: 'kvk',
  vatnumber: 'vatNumber', vat: 'vatNumber', btwnummer: 'vatNumber',
  sku: 'sku', partnumber: 'sku', artikelcode: 'sku',
  description: 'description', omschrijving: 'description', productname: 'description',
  quantity: 'quantity', qty: 'quantity', aantal: 'quantity',
  unitprice: 'unitPrice', unit_price: 'unitPrice', price: 'unitPrice', prijs: 'unitPrice',
  period: 'period', billingperiod: 'period', periode: 'period',
};

function canonical(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const key = aliases[name.trim().toLowerCase().replace(/[\s-]/g, '')];
    if (key) out[key] = value;
  }
  return out;
}

function check(rows: Array<{ line: number; raw: Record<string, unknown> }>, format: 'json' | 'csv', problems: ReportProblem[]): ParsedReport {
  const lines: BillingLine[] = [];
  for (const { line, raw } of rows) {
    const parsed = lineSchema.safeParse(canonical(raw));
    if (parsed.success) {
      lines.push({ line, ...parsed.data });
    } else {
      for (const issue of parsed.error.issues) {
        problems.push({ line, column: String(issue.path[0] ?? ''), message: issue.message });
      }
    }
  }
  return { lines, problems, format };
}

const jsonReportSchema = z.union([
  z.array(z.record(z.unknown())),
  z.object({ lines: z.array(z.record(z.unknown())) }).passthrough(),
]);

/** Reads a report; `fileName` decides JSON or CSV when its extension says so, else the content does. */
export function parseBillingReport(content: string, fileName = ''): ParsedReport {
  const body = content.replace(/^\uFEFF/, '');
  const isJson = /\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && /^\s*[[{]/.test(body));
  if (isJson) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return { lines: [], format: 'json', problems: [{ line: 0, column: '', message: `The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
    }
    const shape = jsonReportSchema.safeParse(json);
    if (!shape.success) {
      return { lines: [], format: 'json', problems: [{ line: 0, column: '', message: 'The file holds no list of lines (an array, or an object with "lines").' }] };
    }
    const rows = Array.isArray(shape.data) ? shape.data : shape.data.lines;
    return check(rows.map((raw, index) => ({ line: index + 1, raw })), 'json', []);
  }
  // Empty lines are kept while parsing so that row n is file line n + 2 (line 1 is the header).
  const result = Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: false, transformHeader: (h) => h.trim() });
  const blankRow = (raw: Record<string, string> | undefined): boolean => !raw || Object.values(raw).every((v) => v === undefined || v === null || String(v).trim() === '');
  const problems: ReportProblem[] = result.errors
    .filter((e) => e.row === undefined || !blankRow(result.data[e.row]))
    .map((e) => ({ line: (e.row ?? -1) + 2, column: '', message: e.message }));
  const rows = result.data.map((raw, index) => ({ line: index + 2, raw })).filter((row) => !blankRow(row.raw));
  return check(rows, 'csv', problems);
}
