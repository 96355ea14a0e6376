/**
 * An order profile: where orders come from (CRM lists or an uploaded billing report), where they
 * go (Exact Online sales orders or concept invoices, or an Exact Globe XML file), how lines are
 * grouped into orders, and the saved mapping of customers and products. Stored as JSON, so it is
 * checked with zod whenever it is read or saved.
 */
import { z } from 'zod';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'is not a GUID');

/** Source customer (report customer id, or CRM company id) → the Exact account chosen once. */
export const customerMappingSchema = z.object({
  accountId: guid,
  /** Exact's account code, trimmed; Exact Globe's debtor code is the same code. */
  accountCode: z.string().min(1),
  accountName: z.string(),
});

/** Source product (SKU, or CRM product) → the Exact item chosen once, with an optional price override. */
export const productMappingSchema = z.object({
  itemId: guid,
  itemCode: z.string().min(1),
  itemDescription: z.string(),
  /** When set, used instead of the source's unit price. */
  unitPrice: z.number().finite().nullable(),
  /** When set, used instead of the item's own sales VAT code. */
  vatCode: z.string().min(1).nullable(),
});

export const orderMappingSchema = z.object({
  customers: z.record(customerMappingSchema),
  products: z.record(productMappingSchema),
});

export const orderSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('billingReport') }),
  z.object({ kind: z.literal('crmLists'), ordersList: z.string().min(1), linesList: z.string().min(1) }),
]);

export const orderTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exactOnline'), document: z.enum(['salesOrder', 'salesInvoice']), journal: z.string().min(1).nullable() }),
  z.object({ kind: z.literal('exactGlobe') }),
]);

export const orderProfileSchema = z.object({
  id: z.string().min(1),
  title: z.string().trim().min(1, 'needs a name'),
  division: z.number().int().positive(),
  source: orderSourceSchema,
  target: orderTargetSchema,
  /** One order per customer per billing period, or one per source order (CRM orders). */
  grouping: z.enum(['perCustomerPerPeriod', 'perSourceOrder']),
  /**
   * Starts every order's reference (`YourRef`), so two profiles never claim each other's orders
   * and a re-run of the same period finds its own.
   */
  referencePrefix: z.string().trim().min(1).max(8).regex(/^[A-Za-z0-9-]+$/, 'holds only letters, digits and -'),
  defaults: z.object({
    vatCode: z.string().min(1).nullable(),
    paymentCondition: z.string().min(1).nullable(),
  }),
  mapping: orderMappingSchema,
});

export type OrderProfile = z.infer<typeof orderProfileSchema>;
export type OrderMapping = z.infer<typeof orderMappingSchema>;
export type CustomerMapping = z.infer<typeof customerMappingSchema>;
export type ProductMapping = z.infer<typeof productMappingSchema>;

/** The mapping with one customer or product chosen ("map now"): a new value, the old one untouched. */
export function withCustomer(mapping: OrderMapping, sourceCustomer: string, choice: CustomerMapping): OrderMapping {
  return { ...mapping, customers: { ...mapping.customers, [sourceCustomer]: customerMappingSchema.parse(choice) } };
}

export function withProduct(mapping: OrderMapping, sku: string, choice: ProductMapping): OrderMapping {
  return { ...mapping, products: { ...mapping.products, [sku]: productMappingSchema.parse(choice) } };
}
