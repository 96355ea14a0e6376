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
  /** Exact orders that carry a reference (YourRef) or belong to a CRM order, by OrderID. */
  orders: z.record(orderSchema),
  /** Their invoices, by InvoiceID. */
  invoices: z.record(invoiceSchema),
  /** Receivables of those invoices, by InvoiceID, then receivable ID. */
  receivables: z.record(z.record(receivableSchema)),
  /** OrderIDs of kept orders Exact deleted: a CRM order still naming one is moved to its re-sent order or cleared. */
  deletedOrders: z.array(z.string()).default([]),
});
export type OrderStatusState = z.infer<typeof orderStatusStateSchema>;

export const emptyState = (cursor: OrderStatusCursor): OrderStatusState => ({ cursor, orders: {}, invoices: {}, receivables: {}, deletedOrders: [] });

const exactOrderStatuses: Record<number, ExactOrderStatus> = { 12: 'Open', 20: 'Partly delivered', 21: 'Complete', 45: 'Cancelled' };
const invoiceStatuses: Record<number, InvoiceStatus> = { 10: 'Draft', 20: 'Open', 50: 'Processed' };
/** Exact's invoice status of a booked invoice: only a processed one was sent to the customer and has a receivable. */
const PROCESSED = 50;
const isCreditNote = (invoice: StatusInvoice): boolean => invoice.type === 8021 || invoice.type === 8024;

const round2 = (n: number): number => Math.round(n * 100) / 100;
/** `yyyy-MM-dd` of an ISO date-time: Exact's dates are UTC midnight. */
export const dateOnly = (iso: string | null): string | null => (iso ? iso.slice(0, 10) : null);

/**
 * Folds one read into the state. Every order with a reference (YourRef) is kept, not only those a
 * CRM order names today: the cursor moves past it, and a CRM order linked later (a late write-back,
 * a reference typed in) must still find it. Invoices are kept when they bill a kept order or carry
 * a kept reference, receivables when their invoice is kept.
 */
export function foldChanges(state: OrderStatusState, changes: OrderStatusChanges, crm: CrmStatusOrder[]): OrderStatusState {
  const orderIds = new Set(crm.map((o) => o.fields.ExactOrderId).filter((id): id is string => !!id));
  const references = new Set(crm.map((o) => o.exactReference).filter((ref): ref is string => !!ref));
  const orders: Record<string, StatusOrder> = { ...state.orders };
  for (const order of changes.orders) {
    if (order.yourRef || orderIds.has(order.orderId) || orders[order.orderId]) orders[order.orderId] = order;
  }
  const deletedOrders = new Set(state.deletedOrders);
  for (const id of changes.deletedOrders) {
    if (orders[id] || orderIds.has(id)) deletedOrders.add(id);
    delete orders[id];
  }
  const known = new Set(Object.keys(orders));
  const keptReferences = new Set([...references, ...Object.values(orders).map((o) => o.yourRef).filter((ref) => ref !== '')]);
  const invoices: Record<string, StatusInvoice> = { ...state.invoices };
  for (const invoice of changes.invoices) {
    const previous = invoices[invoice.invoiceId];
    // A header change alone still belongs to the orders its lines named before.
    const merged = previous ? { ...invoice, orderIds: [...new Set([...previous.orderIds, ...invoice.orderIds])] } : invoice;
    if (previous || merged.orderIds.some((id) => known.has(id) || orderIds.has(id)) || keptReferences.has(merged.yourRef)) invoices[invoice.invoiceId] = merged;
  }
  // Gone in Exact (a concept invoice deleted): its order no longer shows it.
  for (const id of changes.deletedInvoices) delete invoices[id];
  const byNumber = new Map(Object.values(invoices).filter((i) => i.invoiceNumber !== null).map((i) => [i.invoiceNumber, i.invoiceId]));
  const receivables: Record<string, Record<string, StatusReceivable>> = { ...state.receivables };
  for (const id of changes.deletedInvoices) delete receivables[id];
  for (const receivable of changes.receivables) {
    // By the invoice's id when Exact gives one; the number (unique only per journal) only when it does not.
    const invoiceId = receivable.invoiceId !== null ? (invoices[receivable.invoiceId] ? receivable.invoiceId : undefined) : byNumber.get(receivable.invoiceNumber);
    if (!invoiceId) continue;
    receivables[invoiceId] = { ...receivables[invoiceId], [receivable.id]: receivable };
  }
  return { cursor: changes.cursor, orders, invoices, receivables, deletedOrders: [...deletedOrders] };
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

/**
 * Whether this division's state knows the CRM order (its order id, a deletion of it, or its reference). A CRM order
 * without a division is only refreshed by the division that knows it, or every division's refresh would take it.
 */
export function knowsOrder(order: CrmStatusOrder, state: OrderStatusState): boolean {
  const index = indexOf(state);
  const id = order.fields.ExactOrderId;
  return (!!id && (index.ordersById.has(id) || state.deletedOrders.includes(id))) || (!!order.exactReference && index.ordersByRef.has(order.exactReference));
}

const noInvoice = { InvoiceNumber: null, InvoiceStatus: null, InvoiceDueDate: null, InvoiceAmount: null, OpenAmount: null, LastPaymentDate: null } as const;

/** The columns a CRM order should show, from the state where it knows the order, else from its own columns. */
export function deriveStatus(order: CrmStatusOrder, state: OrderStatusState, today: string): OrderStatusFields {
  const index = indexOf(state);
  const ownId = order.fields.ExactOrderId;
  const byId = ownId ? index.ordersById.get(ownId) : undefined;
  // Deleted in Exact (a run undone): the order re-sent under the same reference, if any, takes its place.
  const gone = !!ownId && !byId && state.deletedOrders.includes(ownId);
  const byRef = !byId && order.exactReference ? index.ordersByRef.get(order.exactReference) : undefined;
  const exact = byId ?? byRef;
  const next: OrderStatusFields = { ...order.fields };
  if (exact) {
    next.ExactOrderId = exact.orderId;
    next.ExactOrderNumber = exact.orderNumber;
    next.ExactOrderStatus = exactOrderStatuses[exact.status] ?? next.ExactOrderStatus;
  } else if (gone) {
    Object.assign(next, { ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null }, noInvoice);
    next.PaymentStatus = paymentStatusOf(next, today);
    return next;
  }
  const orderId = next.ExactOrderId;
  // An order the state knows by its id takes by reference only invoices that bill no order (a credit note made from
  // its invoice, an invoice typed in): those of another order with the same reference (re-sent) are that order's.
  const linked = new Set([
    ...(orderId ? index.invoicesByOrder.get(orderId) ?? [] : []),
    ...(order.exactReference ? (index.invoicesByRef.get(order.exactReference) ?? []).filter((i) => !byId || i.orderIds.length === 0) : []),
  ]);
  const sorted = [...linked].sort((a, b) => (a.invoiceNumber ?? 0) - (b.invoiceNumber ?? 0));
  const invoices = sorted.filter((i) => !isCreditNote(i));
  const receivablesOf = (i: StatusInvoice): StatusReceivable[] => Object.values(state.receivables[i.invoiceId] ?? {});
  // A credit note counts against the order whatever sign Exact gives it.
  const signed = (i: StatusInvoice, amount: number): number => (isCreditNote(i) ? -Math.abs(amount) : amount);
  if (invoices.length) {
    const latest = invoices[invoices.length - 1];
    // Only a processed invoice was sent to the customer: a numbered concept is not owed.
    const booked = invoices.filter((i) => i.status === PROCESSED && i.invoiceNumber !== null);
    const credits = sorted.filter((i) => isCreditNote(i) && i.status === PROCESSED);
    const counted = [...booked, ...credits];
    next.InvoiceStatus = latest.status === null ? next.InvoiceStatus : invoiceStatuses[latest.status] ?? next.InvoiceStatus;
    next.InvoiceNumber = booked.length ? booked[booked.length - 1].invoiceNumber : null;
    next.InvoiceAmount = booked.length ? round2(counted.reduce((sum, i) => sum + signed(i, i.amount ?? 0), 0)) : null;
    // An invoice whose receivable has not been seen yet is open for its whole amount.
    const open = counted.reduce((sum, i) => {
      const own = receivablesOf(i);
      return sum + signed(i, own.length ? own.filter((r) => !r.fullyPaid).reduce((s, r) => s + r.amount, 0) : i.amount ?? 0);
    }, 0);
    next.OpenAmount = booked.length ? round2(open) : null;
    const stillOpen = booked.filter((i) => {
      const own = receivablesOf(i);
      return !own.length || own.some((r) => !r.fullyPaid);
    });
    // The due date that matters: the earliest open instalment of the earliest invoice still open, else the invoice's own
    // (Exact computes both from the payment condition), else any of its receivables'.
    const dueOf = (i: StatusInvoice | undefined): string | null => {
      if (!i) return null;
      const openDue = receivablesOf(i).filter((r) => !r.fullyPaid && r.dueDate !== null).map((r) => r.dueDate as string).sort();
      return openDue[0] ?? i.dueDate ?? receivablesOf(i).find((r) => r.dueDate !== null)?.dueDate ?? null;
    };
    next.InvoiceDueDate = dateOnly(dueOf(stillOpen[0] ?? booked[booked.length - 1]));
    const payments = counted.flatMap(receivablesOf).map((r) => r.lastPaymentDate).filter((d): d is string => d !== null).sort();
    next.LastPaymentDate = dateOnly(payments.length ? payments[payments.length - 1] : null);
    // Credited in full: nothing is owed, and nothing was ever to be paid (the payment column has no "credited" choice).
    if (booked.length && credits.length && Math.abs(next.InvoiceAmount ?? 0) < 0.005) {
      next.PaymentStatus = 'Not invoiced';
      return next;
    }
  } else if (exact) {
    // The state holds every live invoice of an order it knows (it reads from the first row version):
    // none left, as after a concept invoice was deleted, means nothing to show.
    Object.assign(next, noInvoice);
  }
  next.PaymentStatus = paymentStatusOf(next, today);
  return next;
}

const sameValue = (a: unknown, b: unknown): boolean => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 0.005 : a === b);

/** Only what differs from what the CRM order shows; nothing when it already shows it. A CRM order without a division gets `division`. */
export function statusPatch(order: CrmStatusOrder, next: OrderStatusFields, checkedAt: string, division?: number): OrderStatusPatch | undefined {
  const changed = (Object.keys(next) as Array<keyof OrderStatusFields>).filter((key) => !sameValue(order.fields[key], next[key]));
  const claim = order.division === null && division !== undefined ? { ExactDivision: division } : {};
  if (!changed.length && !('ExactDivision' in claim)) return undefined;
  return { itemId: order.itemId, title: order.title, fields: { ...Object.fromEntries(changed.map((key) => [key, next[key]])), ...claim, StatusCheckedAt: checkedAt } };
}
