/**
 * The order engine's `SalesInvoiceTarget` over Exact's `salesinvoice/SalesInvoices`: concept
 * sales invoices (Type 8020) with their lines inline, in the profile's sales journal; lookups by
 * `YourRef` in batched `or` filters (which also satisfy mandatory filtering), DELETE. Exact's
 * refusals and lost answers become the same errors as for sales orders (salesOrders.ts).
 *
 * `Status` is not sent: Exact's model marks it read-only and gives a new invoice status 20 "Open"
 * (see src/orders/documents.ts for the sources); Exact numbers it when it is processed.
 */
import { z } from 'zod';
import type { ExactInvoice, InvoiceDraft, SalesInvoiceTarget } from '../orders/ports';
import type { ExactConnection } from './connection';
import { literal } from './query';
import { readSalesJournals } from './orderCatalog';
import { chunks, postDocument, readRows, refusedOrThrow } from './salesOrders';

const invoiceSchema = z.object({
  InvoiceID: z.string(),
  InvoiceNumber: z.number().int().nullable(),
  YourRef: z.string().nullable(),
  Status: z.number().int(),
  StatusDescription: z.string().nullable(),
  InvoiceTo: z.string().nullable().optional(),
  InvoiceToName: z.string().nullable().optional(),
  OrderedBy: z.string().nullable().optional(),
  OrderedByName: z.string().nullable().optional(),
});

const select = 'InvoiceID,InvoiceNumber,YourRef,Status,StatusDescription,InvoiceTo,InvoiceToName,OrderedBy,OrderedByName';

function toInvoice(raw: unknown): ExactInvoice {
  const row = invoiceSchema.parse(raw);
  return {
    invoiceId: row.InvoiceID.toLowerCase(),
    invoiceNumber: row.InvoiceNumber,
    yourRef: (row.YourRef ?? '').trim(),
    status: row.Status,
    statusText: row.StatusDescription ?? String(row.Status),
    invoiceTo: row.InvoiceTo?.toLowerCase() ?? null,
    orderedBy: row.OrderedBy?.toLowerCase() ?? null,
    customerName: row.InvoiceToName ?? row.OrderedByName ?? null,
  };
}

export function createSalesInvoiceTarget(connection: ExactConnection): SalesInvoiceTarget {
  const readEach = async (division: number, clauses: string[]): Promise<ExactInvoice[]> => {
    const found: ExactInvoice[] = [];
    for (const filter of chunks(clauses)) {
      found.push(...(await readRows(connection, `${division}/salesinvoice/SalesInvoices?$filter=${encodeURIComponent(filter)}&$select=${select}`)).map(toInvoice));
    }
    return found;
  };
  return {
    async findByReference(division, refs) {
      const unique = [...new Set(refs)];
      const wanted = new Set(unique);
      return (await readEach(division, unique.map((ref) => `YourRef eq ${literal.string(ref)}`))).filter((invoice) => wanted.has(invoice.yourRef));
    },
    get: (division, invoiceIds) => readEach(division, invoiceIds.map((id) => `InvoiceID eq ${literal.guid(id)}`)),
    async create(division, draft: InvoiceDraft) {
      const body = {
        Type: 8020,
        Journal: draft.journal,
        OrderedBy: draft.accountId,
        InvoiceTo: draft.accountId,
        YourRef: draft.yourRef,
        Description: draft.description,
        InvoiceDate: `${draft.orderDate}T00:00:00`,
        ...(draft.paymentCondition ? { PaymentCondition: draft.paymentCondition } : {}),
        SalesInvoiceLines: draft.lines.map((line) => ({ Item: line.itemId, Description: line.description, Quantity: line.quantity, UnitPrice: line.unitPrice, VATCode: line.vatCode })),
      };
      return toInvoice(await postDocument(connection, `${division}/salesinvoice/SalesInvoices`, body, `invoice ${draft.yourRef}`));
    },
    salesJournals: (division) => readSalesJournals(connection, division),
    async delete(division, invoiceId) {
      try {
        await connection.send('DELETE', `${division}/salesinvoice/SalesInvoices(${literal.guid(invoiceId)})`);
      } catch (error) {
        refusedOrThrow(error);
      }
    },
  };
}
