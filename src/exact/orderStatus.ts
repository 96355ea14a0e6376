/**
 * What Exact says about the orders the connector sent, read incrementally: the sales order
 * headers and the sales invoices from their sync endpoints (`Timestamp gt {cursor}L`, the highest
 * Timestamp kept), and the receivables from `bulk/Cashflow/Receivables` (no sync endpoint exists
 * for them, so they are read by `Modified`, from the last change seen), and the sales invoices
 * and orders Exact deleted from `sync/Deleted`. Every row is checked with
 * zod; a row Exact sends in a shape we do not know fails the read with the endpoint named.
 */
import { subMinutes } from 'date-fns';
import { z } from 'zod';
import type { OrderStatusChanges, OrderStatusCursor, OrderStatusProgress, OrderStatusReader, StatusInvoice } from '../orders/statusPorts';
import type { ExactConnection } from './connection';
import { literal } from './query';
import { parseExactDate } from './values';

const int64 = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => String(v));
const guid = z.string().transform((v) => v.toLowerCase());
const exactDate = z.string().nullable().transform((v, ctx) => {
  if (v === null) return null;
  const iso = parseExactDate(v);
  if (iso === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${v}" is not an Exact date` });
    return z.NEVER;
  }
  return iso;
});
const text = z.string().nullable().transform((v) => (v ?? '').trim());

const orderRow = z.object({
  Timestamp: int64,
  OrderID: guid,
  OrderNumber: z.number().int(),
  YourRef: text,
  Status: z.number().int(),
  InvoiceStatus: z.number().int().nullable(),
});
const invoiceRow = z.object({
  Timestamp: int64,
  InvoiceID: guid,
  LineNumber: z.number().int(),
  InvoiceNumber: z.number().int().nullable(),
  Status: z.number().int().nullable(),
  Type: z.number().int().nullable(),
  DueDate: exactDate,
  AmountDC: z.number().nullable(),
  YourRef: text,
  SalesOrder: guid.nullable(),
});
const receivableRow = z.object({
  ID: guid,
  TransactionEntryID: guid.nullable(),
  InvoiceNumber: z.number().int().nullable(),
  AmountDC: z.number(),
  IsFullyPaid: z.boolean().nullable(),
  LastPaymentDate: exactDate,
  DueDate: exactDate,
  Modified: exactDate,
});
const deletedRow = z.object({ Timestamp: int64, EntityKey: guid, EntityType: z.number().int() });
const collection = z.object({ d: z.union([z.object({ results: z.array(z.unknown()), __next: z.string().optional() }), z.array(z.unknown())]) });

const orderSelect = 'Timestamp,OrderID,OrderNumber,YourRef,Status,InvoiceStatus';
const invoiceSelect = 'Timestamp,InvoiceID,LineNumber,InvoiceNumber,Status,Type,DueDate,AmountDC,YourRef,SalesOrder';
const receivableSelect = 'ID,TransactionEntryID,InvoiceNumber,AmountDC,IsFullyPaid,LastPaymentDate,DueDate,Modified';

/** The start of a first read: Exact's sync demo starts at `1L` (row versions are far above). */
export const firstCursor: OrderStatusCursor = { orders: '1', invoices: '1', receivablesModified: null, deleted: '1' };
/** sync/Deleted's EntityTypes of SalesInvoices and SalesOrderHeaders (reference §7.3). */
const salesInvoiceEntityType = 13;
const salesOrderEntityType = 32;

const maxOf = (a: string, b: string): string => (BigInt(a) >= BigInt(b) ? a : b);

/** One stream of headers (LineNumber 0) and lines; the lines name the order they bill. */
function invoicesOf(rows: Array<z.infer<typeof invoiceRow>>): StatusInvoice[] {
  const invoices = new Map<string, StatusInvoice>();
  for (const row of rows) {
    const invoice = invoices.get(row.InvoiceID) ?? { invoiceId: row.InvoiceID, invoiceNumber: null, status: null, type: null, dueDate: null, amount: null, yourRef: '', orderIds: [] };
    if (row.LineNumber === 0) {
      Object.assign(invoice, { invoiceNumber: row.InvoiceNumber, status: row.Status, type: row.Type, dueDate: row.DueDate, amount: row.AmountDC, yourRef: row.YourRef });
    } else if (row.SalesOrder && !invoice.orderIds.includes(row.SalesOrder)) {
      invoice.orderIds.push(row.SalesOrder);
    }
    invoices.set(row.InvoiceID, invoice);
  }
  return [...invoices.values()];
}

export function createOrderStatusReader(connection: ExactConnection): OrderStatusReader {
  let calls = 0;
  let report: ((progress: OrderStatusProgress) => void) | undefined;
  async function readAll<T>(path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, endpoint: string, stage: 'orders' | 'invoices' | 'receivables' | 'deleted'): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      calls += 1;
      const response = await connection.send('GET', next);
      const body = collection.parse(response.data).d;
      const rows = Array.isArray(body) ? body : body.results;
      rows.forEach((raw, index) => {
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(`Exact sent a row of ${endpoint} that cannot be read (row ${out.length + index + 1}, field ${issue.path.join('.') || '?'}: ${issue.message}).`);
        }
        out.push(parsed.data);
      });
      report?.({ stage, rows: out.length, calls });
      const link = Array.isArray(body) ? undefined : body.__next;
      next = link ? link.slice(link.indexOf('/api/v1/') + '/api/v1/'.length) : undefined;
    }
    return out;
  }

  return {
    async read(division, cursor, now, onProgress, afterStream) {
      calls = 0;
      report = onProgress;
      const total: OrderStatusChanges = { orders: [], invoices: [], receivables: [], deletedInvoices: [], deletedOrders: [], cursor: { ...cursor }, calls: 0, complete: false };
      // Each stream has its own cursor: what one read is kept (afterStream) even when a later one is not made.
      const streams: Array<() => Promise<Partial<OrderStatusChanges>>> = [
        async () => {
          const rows = await readAll(`${division}/sync/SalesOrder/SalesOrderHeaders?$select=${orderSelect}&$filter=${encodeURIComponent(`Timestamp gt ${literal.int64(cursor.orders)}`)}`, orderRow, 'sync/SalesOrder/SalesOrderHeaders', 'orders');
          total.cursor.orders = rows.reduce((max, row) => maxOf(max, row.Timestamp), cursor.orders);
          return { orders: rows.map((row) => ({ orderId: row.OrderID, orderNumber: row.OrderNumber, yourRef: row.YourRef, status: row.Status, invoiceStatus: row.InvoiceStatus })) };
        },
        async () => {
          const rows = await readAll(`${division}/sync/SalesInvoice/SalesInvoices?$select=${invoiceSelect}&$filter=${encodeURIComponent(`Timestamp gt ${literal.int64(cursor.invoices)}`)}`, invoiceRow, 'sync/SalesInvoice/SalesInvoices', 'invoices');
          total.cursor.invoices = rows.reduce((max, row) => maxOf(max, row.Timestamp), cursor.invoices);
          return { invoices: invoicesOf(rows) };
        },
        async () => {
          const since = cursor.receivablesModified ? `&$filter=${encodeURIComponent(`Modified ge ${literal.datetime(cursor.receivablesModified)}`)}` : '';
          const rows = await readAll(`${division}/bulk/Cashflow/Receivables?$select=${receivableSelect}${since}`, receivableRow, 'bulk/Cashflow/Receivables', 'receivables');
          const modified = rows.map((row) => row.Modified).filter((m): m is string => m !== null).sort();
          // Without a `Modified` to go by, from a little before this read (Exact's clock may differ from ours).
          total.cursor.receivablesModified = modified.length ? modified[modified.length - 1] : cursor.receivablesModified ?? subMinutes(new Date(now), 10).toISOString();
          return {
            receivables: rows.map((row) => ({
              id: row.ID, invoiceId: row.TransactionEntryID, invoiceNumber: row.InvoiceNumber, amount: row.AmountDC,
              fullyPaid: row.IsFullyPaid === true, lastPaymentDate: row.LastPaymentDate, dueDate: row.DueDate,
            })),
          };
        },
        async () => {
          const rows = await readAll(`${division}/sync/Deleted?$select=Timestamp,EntityKey,EntityType&$filter=${encodeURIComponent(`Timestamp gt ${literal.int64(cursor.deleted)} and (EntityType eq ${salesInvoiceEntityType} or EntityType eq ${salesOrderEntityType})`)}`, deletedRow, 'sync/Deleted', 'deleted');
          total.cursor.deleted = rows.reduce((max, row) => maxOf(max, row.Timestamp), cursor.deleted);
          return {
            deletedInvoices: rows.filter((row) => row.EntityType === salesInvoiceEntityType).map((row) => row.EntityKey),
            deletedOrders: rows.filter((row) => row.EntityType === salesOrderEntityType).map((row) => row.EntityKey),
          };
        },
      ];
      for (let i = 0; i < streams.length; i++) {
        const part = await streams[i]();
        Object.assign(total, {
          orders: [...total.orders, ...(part.orders ?? [])], invoices: [...total.invoices, ...(part.invoices ?? [])], receivables: [...total.receivables, ...(part.receivables ?? [])],
          deletedInvoices: [...total.deletedInvoices, ...(part.deletedInvoices ?? [])], deletedOrders: [...total.deletedOrders, ...(part.deletedOrders ?? [])], calls,
        });
        const complete = i === streams.length - 1;
        const goOn = afterStream
          ? await afterStream({ orders: [], invoices: [], receivables: [], deletedInvoices: [], deletedOrders: [], ...part, cursor: { ...total.cursor }, calls, complete })
          : true;
        if (complete) total.complete = true;
        else if (!goOn) break;
      }
      return total;
    },
  };
}
