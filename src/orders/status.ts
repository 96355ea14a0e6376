/**
 * From what Exact said to what a CRM Sales Order shows. Pure: the refresh folds each read into
 * a saved state (the orders, invoices and receivables that belong to CRM orders), and every CRM
 * order's status columns are derived from that state, its own columns and today. So a write that
 * failed is simply derived again next time, and "Overdue" arrives on the day it becomes true
 * without anything changing in Exact.
 */
import { isBefore, parseISO } from 'date-fns';
import { z } from 'zod';
import type {
  CrmStatusOrder, ExactOrderStatus, InvoiceStatus, OrderStatusChanges, OrderStatusCursor, OrderStatusFields, OrderStatusPatch, PaymentStatus,
  StatusInvoice, StatusOrder, StatusReceivable,
} from './statusPorts';

const orderSchema = z.object({ orderId: z.string(), orderNumber: z.number(), yourRef: z.string(), status: z.number(), invoiceStatus: z.number().nullable() });
const invoiceSchema = z.object({
  invoiceId: z.string(), invoiceNumber: z.number().nullable(), status: z.number().nullable(), type: z.number().nullable(),
  dueDate: z.string().nullable(), amount: z.number().nullable(), yourRef: z.string(), orderIds: z.array(z.string()),
});
const receivableSchema = z.object({
  id: z.string(), invoiceId: z.string().nullable(), invoiceNumber: z.number().nullable(), amount: z.number(), fullyPaid: z.boolean(),
  lastPaymentDate: z.string().nullable(), dueDate: z.string().nullable(),
});

/** What the refresh keeps per division between runs (a JSON document, checked when read). */
export const orderStatusStateSchema = z.object({
  cursor: z.object({ orders: z.string(), invoices: z.string(), receivablesModified: z.string().nullable(), deleted: z.string() }),
  /** Exact orders that belong to a CRM order, by OrderID. */
  orders: z.record(orderSchema),
  /** Their invoices, by InvoiceID. */
  invoices: z.record(invoiceSchema),
  /** Receivables of those invoices, by InvoiceID, then receivable ID. */
  receivables: z.record(z.record(receivableSchema)),
});
export type OrderStatusState = z.infer<typeof orderStatusStateSchema>;

export const emptyState = (cursor: OrderStatusCursor): OrderStatusState => ({ cursor, orders: {}, invoices: {}, receivables: {} });

const exactOrderStatuses: Record<number, ExactOrderStatus> = { 12: 'Open', 20: 'Partly delivered', 21: 'Complete', 45: 'Cancelled' };
const invoiceStatuses: Record<number, InvoiceStatus> = { 10: 'Draft', 20: 'Open', 50: 'Processed' };

const round2 = (n: number): number => Math.round(n * 100) / 100;
/** `yyyy-MM-dd` of an ISO date-time: Exact's dates are UTC midnight. */
export const dateOnly = (iso: string | null): string | null => (iso ? iso.slice(0, 10) : null);

/**
 * Folds one read into the state: orders and invoices are kept when they belong to a CRM order
 * (by order id, or by reference = the order's YourRef), receivables when their invoice is kept.
 */
export function foldChanges(state: OrderStatusState, changes: OrderStatusChanges, crm: CrmStatusOrder[]): OrderStatusState {
  const orderIds = new Set(crm.map((o) => o.fields.ExactOrderId).filter((id): id is string => !!id));
  const references = new Set(crm.map((o) => o.exactReference).filter((ref): ref is string => !!ref));
  const orders: Record<string, StatusOrder> = { ...state.orders };
  for (const order of changes.orders) {
    if (orderIds.has(order.orderId) || references.has(order.yourRef) || orders[order.orderId]) orders[order.orderId] = order;
  }
  const known = new Set(Object.keys(orders));
  const invoices: Record<string, StatusInvoice> = { ...state.invoices };
  for (const invoice of changes.invoices) {
    const previous = invoices[invoice.invoiceId];
    // A header change alone still belongs to the orders its lines named before.
    const merged = previous ? { ...invoice, orderIds: [...new Set([...previous.orderIds, ...invoice.orderIds])] } : invoice;
    if (previous || merged.orderIds.some((id) => known.has(id) || orderIds.has(id)) || references.has(merged.yourRef)) invoices[invoice.invoiceId] = merged;
  }
  // Gone in Exact (a concept invoice deleted): its order no longer shows it.
  for (const id of changes.deletedInvoices) delete invoices[id];
  const byNumber = new Map(Object.values(invoices).filter((i) => i.invoiceNumber !== null).map((i) => [i.invoiceNumber, i.invoiceId]));
  const receivables: Record<string, Record<string, StatusReceivable>> = { ...state.receivables };
  for (const id of changes.deletedInvoices) delete receivables[id];
  for (const receivable of changes.receivables) {
    const invoiceId = receivable.invoiceId && invoices[receivable.invoiceId] ? receivable.invoiceId : byNumber.get(receivable.invoiceNumber);
    if (!invoiceId) continue;
    receivables[invoiceId] = { ...receivables[invoiceId], [receivable.id]: receivable };
  }
  return { cursor: changes.cursor, orders, invoices, receivables };
}

/** Paid, partly paid, overdue, unpaid or not invoiced, from the columns themselves and today (`yyyy-MM-dd`). */
export function paymentStatusOf(fields: Pick<OrderStatusFields, 'InvoiceNumber' | 'InvoiceAmount' | 'OpenAmount' | 'InvoiceDueDate'>, today: string): PaymentStatus {
  if (fields.InvoiceNumber === null) return 'Not invoiced';
  const open = fields.OpenAmount ?? fields.InvoiceAmount ?? 0;
  if (Math.abs(open) < 0.005) return 'Paid';
  if (fields.InvoiceDueDate && isBefore(parseISO(fields.InvoiceDueDate), parseISO(today))) return 'Overdue';
  if (fields.InvoiceAmount !== null && Math.abs(open) < Math.abs(fields.InvoiceAmount) - 0.005) return 'Partly paid';
  return 'Unpaid';
}

interface StateIndex {
  ordersById: Map<string, StatusOrder>;
  ordersByRef: Map<string, StatusOrder>;
  invoicesByOrder: Map<string, StatusInvoice[]>;
  invoicesByRef: Map<string, StatusInvoice[]>;
}

const indexes = new WeakMap<OrderStatusState, StateIndex>();

/** Lookups by order id and reference, built once per state: a refresh derives thousands of orders from one state. */
function indexOf(state: OrderStatusState): StateIndex {
  let index = indexes.get(state);
  if (!index) {
    const push = (map: Map<string, StatusInvoice[]>, key: string, invoice: StatusInvoice): void => {
      const list = map.get(key);
      if (list) list.push(invoice);
      else map.set(key, [invoice]);
    };
    const built: StateIndex = { ordersById: new Map(), ordersByRef: new Map(), invoicesByOrder: new Map(), invoicesByRef: new Map() };
    for (const order of Object.values(state.orders)) {
      built.ordersById.set(order.orderId, order);
      if (order.yourRef) built.ordersByRef.set(order.yourRef, order);
    }
    for (const invoice of Object.values(state.invoices)) {
      for (const orderId of invoice.orderIds) push(built.invoicesByOrder, orderId, invoice);
      if (invoice.yourRef) push(built.invoicesByRef, invoice.yourRef, invoice);
    }
    indexes.set(state, built);
    index = built;
  }
  return index;
}

/** The columns a CRM order should show, from the state where it knows the order, else from its own columns. */
export function deriveStatus(order: CrmStatusOrder, state: OrderStatusState, today: string): OrderStatusFields {
  const index = indexOf(state);
  const exact = (order.fields.ExactOrderId ? index.ordersById.get(order.fields.ExactOrderId) : undefined)
    ?? (order.exactReference ? index.ordersByRef.get(order.exactReference) : undefined);
  const next: OrderStatusFields = { ...order.fields };
  if (exact) {
    next.ExactOrderId = exact.orderId;
    next.ExactOrderNumber = exact.orderNumber;
    next.ExactOrderStatus = exactOrderStatuses[exact.status] ?? next.ExactOrderStatus;
  }
  const orderId = next.ExactOrderId;
  // Credit notes are left out: they do not make an order's invoice paid.
  const linked = new Set([...(orderId ? index.invoicesByOrder.get(orderId) ?? [] : []), ...(order.exactReference ? index.invoicesByRef.get(order.exactReference) ?? [] : [])]);
  const invoices = [...linked]
    .filter((i) => i.type !== 8021 && i.type !== 8024)
    .sort((a, b) => (a.invoiceNumber ?? 0) - (b.invoiceNumber ?? 0));
  if (invoices.length) {
    const latest = invoices[invoices.length - 1];
    const booked = invoices.filter((i) => i.invoiceNumber !== null);
    next.InvoiceStatus = latest.status === null ? next.InvoiceStatus : invoiceStatuses[latest.status] ?? next.InvoiceStatus;
    next.InvoiceNumber = booked.length ? booked[booked.length - 1].invoiceNumber : null;
    next.InvoiceAmount = booked.length ? round2(booked.reduce((sum, i) => sum + (i.amount ?? 0), 0)) : null;
    const entries = booked.flatMap((i) => Object.values(state.receivables[i.invoiceId] ?? {}));
    // An invoice whose receivable has not been seen yet is open for its whole amount.
    const open = booked.reduce((sum, i) => {
      const own = Object.values(state.receivables[i.invoiceId] ?? {});
      return sum + (own.length ? own.filter((r) => !r.fullyPaid).reduce((s, r) => s + r.amount, 0) : i.amount ?? 0);
    }, 0);
    next.OpenAmount = booked.length ? round2(open) : null;
    const stillOpen = booked.filter((i) => {
      const own = Object.values(state.receivables[i.invoiceId] ?? {});
      return !own.length || own.some((r) => !r.fullyPaid);
    });
    // The due date that matters: the earliest invoice still open, else the last one.
    const dueOf = (i: StatusInvoice | undefined): string | null =>
      // An invoice without a due date of its own: its receivable's (Exact computes both from the payment condition).
      i ? i.dueDate ?? Object.values(state.receivables[i.invoiceId] ?? {}).find((r) => r.dueDate !== null)?.dueDate ?? null : null;
    next.InvoiceDueDate = dateOnly(dueOf(stillOpen[0] ?? booked[booked.length - 1]));
    const payments = entries.map((r) => r.lastPaymentDate).filter((d): d is string => d !== null).sort();
    next.LastPaymentDate = dateOnly(payments.length ? payments[payments.length - 1] : null);
  } else if (exact) {
    // The state holds every live invoice of an order it knows (it reads from the first row version):
    // none left, as after a concept invoice was deleted, means nothing to show.
    Object.assign(next, { InvoiceNumber: null, InvoiceStatus: null, InvoiceDueDate: null, InvoiceAmount: null, OpenAmount: null, LastPaymentDate: null });
  }
  next.PaymentStatus = paymentStatusOf(next, today);
  return next;
}

const sameValue = (a: unknown, b: unknown): boolean => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 0.005 : a === b);

/** Only what differs from what the CRM order shows; nothing when it already shows it. */
export function statusPatch(order: CrmStatusOrder, next: OrderStatusFields, checkedAt: string): OrderStatusPatch | undefined {
  const changed = (Object.keys(next) as Array<keyof OrderStatusFields>).filter((key) => !sameValue(order.fields[key], next[key]));
  if (!changed.length) return undefined;
  return { itemId: order.itemId, title: order.title, fields: { ...Object.fromEntries(changed.map((key) => [key, next[key]])), StatusCheckedAt: checkedAt } };
}
