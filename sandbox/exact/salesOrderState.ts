/**
 * What a division's saved state holds of its sales orders, and what the order rules look up in
 * its master data. Apart from salesOrders.ts so that the store can persist orders without
 * importing the rules (which import the body parser, the query layer and, through it, the store).
 */
import { z } from 'zod';
import type { Row } from './seed';

/** What the order rules look up in the division's master data (logistics/Items, vat/VATCodes, …). */
export interface OrderCatalog {
  item(id: string): Row | undefined;
  vatCode(code: string): Row | undefined;
  paymentCondition(code: string): Row | undefined;
  journal(code: string): Row | undefined;
}

const valueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rowsSchema = z.record(z.record(valueSchema).nullable());
export const orderBookChangesSchema = z.object({
  orders: rowsSchema,
  lines: rowsSchema,
  invoices: rowsSchema,
  invoiceLines: rowsSchema,
  nextOrderNumber: z.number(),
  /** Absent in state saved before invoices could be processed. */
  nextInvoiceNumber: z.number().optional(),
});
export type OrderBookChanges = z.infer<typeof orderBookChangesSchema>;

