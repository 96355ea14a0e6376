/**
 * What an order plan needs from a division, in bulk: accounts (`bulk/CRM/Accounts`, 1,000 a
 * page), sales items (`bulk/Logistics/Items`) and VAT codes that are not blocked (`vat/VATCodes`,
 * a few dozen). Three to a handful of calls for a whole billing report, never one per line.
 */
import { z } from 'zod';
import type { DivisionCatalog } from '../orders/plan';
import type { SalesJournal } from '../orders/ports';
import type { ExactConnection } from './connection';
import { toRelativePath } from './transport';

const page = z.object({ d: z.union([z.object({ results: z.array(z.unknown()), __next: z.string().optional() }), z.array(z.unknown())]) });

async function readPages<T>(connection: ExactConnection, path: string, schema: z.ZodType<T>): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await connection.send('GET', next);
    const d = page.parse(response.data).d;
    out.push(...(Array.isArray(d) ? d : d.results).map((row) => schema.parse(row)));
    const link = Array.isArray(d) ? undefined : d.__next;
    next = link ? toRelativePath(link) : undefined;
  }
  return out;
}

const text = z.string().nullable();
const accountRow = z.object({ ID: z.string(), Code: text, Name: text, ChamberOfCommerce: text, VATNumber: text });
const itemRow = z.object({ ID: z.string(), Code: z.string(), Description: text, SalesVatCode: text, StandardSalesPrice: z.number().nullable(), IsSalesItem: z.boolean().nullable() });
const vatRow = z.object({ Code: z.string(), Description: text, Percentage: z.number().nullable(), IsBlocked: z.boolean().nullable() });

export async function readDivisionCatalog(connection: ExactConnection, division: number): Promise<DivisionCatalog> {
  const q = (select: string, filter?: string): string => `?$select=${select}${filter ? `&$filter=${encodeURIComponent(filter)}` : ''}`;
  const accounts = await readPages(connection, `${division}/bulk/CRM/Accounts${q('ID,Code,Name,ChamberOfCommerce,VATNumber')}`, accountRow);
  const items = await readPages(connection, `${division}/bulk/Logistics/Items${q('ID,Code,Description,SalesVatCode,StandardSalesPrice,IsSalesItem')}`, itemRow);
  const vatCodes = await readPages(connection, `${division}/vat/VATCodes${q('Code,Description,Percentage,IsBlocked')}`, vatRow);
  return {
    accounts: accounts.map((a) => ({ id: a.ID.toLowerCase(), code: (a.Code ?? '').trim(), name: a.Name ?? '', kvk: a.ChamberOfCommerce, vatNumber: a.VATNumber })),
    items: items.filter((i) => i.IsSalesItem !== false).map((i) => ({ id: i.ID.toLowerCase(), code: i.Code.trim(), description: i.Description ?? '', salesVatCode: i.SalesVatCode?.trim() || null, salesPrice: i.StandardSalesPrice })),
    vatCodes: vatCodes.filter((v) => v.IsBlocked !== true).map((v) => ({ code: v.Code.trim(), description: v.Description ?? '', percentage: v.Percentage ?? 0 })),
  };
}

const journalRow = z.object({ Code: z.string(), Description: text, Type: z.number().int() });

/** The division's sales journals (Type 20), for the concept-invoice profile's choice; one call. */
export async function readSalesJournals(connection: ExactConnection, division: number): Promise<SalesJournal[]> {
  const rows = await readPages(connection, `${division}/financial/Journals?$select=Code,Description,Type&$filter=${encodeURIComponent('Type eq 20')}`, journalRow);
  return rows.filter((j) => j.Type === 20).map((j) => ({ code: j.Code.trim(), description: j.Description ?? '' })).sort((a, b) => a.code.localeCompare(b.code, undefined, { numeric: true }));
}
