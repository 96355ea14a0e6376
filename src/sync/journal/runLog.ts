import type { FieldValue } from '../ports';
import type { RunEntry } from './records';
import { reasonParts, type ReasonWords } from './reasons';

/** CSV of a run log for Excel: RFC 4180 quoting, CRLF, a BOM, and `;` for Dutch Excel. */

export interface CsvOptions {
  separator?: ',' | ';';
  /** Excel needs the BOM to read UTF-8 (é, ë, ü in Dutch and Belgian names). */
  bom?: boolean;
  /** The reader's words for the Reason column; English when absent. */
  reasonWords?: ReasonWords;
}

const HEADER = ['Action', 'Outcome', 'Exact key', 'Name', 'Item id', 'Field', 'Before', 'After', 'Reason'];

/** Both list separators Excel uses: `,` (English), `;` (Dutch and Belgian regional settings). */
const SEPARATORS = /[,;]/;

/** A cell text Excel would run as a formula: =, +, -, @, tab or CR first (a plain negative number is a number). */
const startsFormula = (text: string): boolean => /^[=+\-@\t\r]/.test(text) && !/^-\d+([.,]\d+)?$/.test(text);

/**
 * Names and values come from Exact and the CRM, and the file may be opened by an Excel that splits
 * it on the other separator than the one it was written with (a Dutch Excel reads `,` files with
 * `;`). So a formula starter is defused with ' at the start of the value and after either
 * separator inside it, and a value with either separator, a quote or a line break is quoted.
 * (papaparse's `unparse` defuses only the start and quotes only its own delimiter.)
 */
function defuseFormulas(value: string): string {
  return value
    .split(/(?=[,;])/)
    .map((part, i) => {
      const separator = i > 0 ? part.charAt(0) : '';
      const text = i > 0 ? part.slice(1) : part;
      return startsFormula(text) ? `${separator}'${text}` : part;
    })
    .join('');
}

export function csvField(raw: string, separator: string): string {
  const value = defuseFormulas(raw);
  if (value.indexOf('"') >= 0 || value.indexOf(separator) >= 0 || SEPARATORS.test(value) || /[\r\n]/.test(value)) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

function show(value: FieldValue): string {
  return value === null ? '' : String(value);
}

/** One row per changed field; entries without changes (skips, errors) get one row with the reason. */
export function runLogToCsv(entries: RunEntry[], options: CsvOptions = {}): string {
  const separator = options.separator ?? ',';
  const rows: string[][] = [HEADER];
  for (const e of entries) {
    const head = [e.action, e.outcome, e.exactKey, e.label, e.itemId === null ? '' : String(e.itemId)];
    const said = reasonParts(e, options.reasonWords).join('; ');
    const reason = e.message ? `${said} (${e.message})` : said;
    if (e.changes.length === 0) {
      rows.push([...head, e.problems.map((p) => p.field).join(', '), '', '', reason]);
      continue;
    }
    for (const c of e.changes) rows.push([...head, c.field, show(c.before), show(c.after), reason]);
  }
  const body = rows.map((row) => row.map((v) => csvField(v, separator)).join(separator)).join('\r\n') + '\r\n';
  return (options.bom === false ? '' : '\ufeff') + body;
}
