/**
 * The status-back ports: what Exact's incremental reads give (orders, invoices, receivables and
 * the cursor after them), and the CRM's Sales Orders as the refresh reads and writes them. Kept
 * apart from ports.ts, which the send side owns.
 */
import type { PAYMENT_STATUSES, EXACT_ORDER_STATUSES, INVOICE_STATUSES } from '../crm/orderSchema';

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type ExactOrderStatus = (typeof EXACT_ORDER_STATUSES)[number];
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Where the last refresh stopped: sync Timestamps (Int64 as text) and the receivables' last `Modified` (ISO). */
export interface OrderStatusCursor {
  orders: string;
  invoices: string;
  receivablesModified: string | null;
  /** sync/Deleted (sales invoices and sales orders deleted in Exact, e.g. a concept invoice or a run undone). */
  deleted: string;
}

export interface StatusOrder {
  orderId: string;
  orderNumber: number;
  yourRef: string;
  /** Exact's `Status`: 12 open, 20 partly delivered, 21 complete, 45 cancelled. */
  status: number;
  invoiceStatus: number | null;
}

export interface StatusInvoice {
  invoiceId: string;
  /** Null until Exact processes the invoice. */
  invoiceNumber: number | null;
  /** 10 draft, 20 open, 50 processed. */
  status: number | null;
  /** 8020 invoice, 8021 credit note, … */
  type: number | null;
  /** ISO date-time (UTC midnight). */
  dueDate: string | null;
  /** Including VAT, the division's currency. */
  amount: number | null;
  yourRef: string;
  /** The sales orders its lines bill. */
  orderIds: string[];
}

export interface StatusReceivable {
  id: string;
  /** The invoice's InvoiceID (Exact's `TransactionEntryID`). */
  invoiceId: string | null;
  invoiceNumber: number | null;
  /** This entry's amount: the still-open part while not fully paid. */
  amount: number;
  fullyPaid: boolean;
  lastPaymentDate: string | null;
  dueDate: string | null;
}

export interface OrderStatusChanges {
  orders: StatusOrder[];
  invoices: StatusInvoice[];
  receivables: StatusReceivable[];
  /** InvoiceIDs Exact deleted. */
  deletedInvoices: string[];
  /** OrderIDs Exact deleted (an undone run, an order deleted by hand). */
  deletedOrders: string[];
  cursor: OrderStatusCursor;
  /** Exact API calls the read cost. */
  calls: number;
  /** Every stream was read; false when the read stopped early (afterStream said so) and the cursor moved only for the streams read. */
  complete: boolean;
}

/** How far a refresh is: which of Exact's reads, and the rows it has given so far; then the writes. */
export type OrderStatusProgress =
  | { stage: 'orders' | 'invoices' | 'receivables' | 'deleted'; rows: number; calls: number }
  | { stage: 'writing'; done: number; total: number };

export interface OrderStatusReader {
  /**
   * What changed in the division since `cursor`; `now` (ISO) starts the receivables' cursor when Exact gives no `Modified`.
   * `afterStream` hears each stream's changes (orders, invoices, receivables, deletions) with the cursor after it, so it can
   * be kept at once; answering false stops the read before the next stream.
   */
  read(
    division: number, cursor: OrderStatusCursor, now: string, onProgress?: (progress: OrderStatusProgress) => void,
    afterStream?: (changes: OrderStatusChanges) => Promise<boolean>,
  ): Promise<OrderStatusChanges>;
}

/** The status columns of a CRM Sales Order (the list's internal names); dates as `yyyy-MM-dd`. */
export interface OrderStatusFields {
  ExactOrderId: string | null;
  ExactOrderNumber: number | null;
  ExactOrderStatus: ExactOrderStatus | null;
  InvoiceNumber: number | null;
  InvoiceStatus: InvoiceStatus | null;
  InvoiceDueDate: string | null;
  InvoiceAmount: number | null;
  OpenAmount: number | null;
  PaymentStatus: PaymentStatus | null;
  LastPaymentDate: string | null;
}

/** A CRM Sales Order that is in Exact (it has an Exact order id or reference). */
export interface CrmStatusOrder {
  itemId: number;
  title: string;
  exactReference: string | null;
  division: number | null;
  fields: OrderStatusFields;
}

export interface OrderStatusPatch {
  itemId: number;
  title: string;
  /** `ExactDivision` is set once, on a CRM order that had none, by the division that knows its order. */
  fields: Partial<OrderStatusFields> & { StatusCheckedAt: string; ExactDivision?: number };
}

export type StatusWriteResult = { itemId: number; ok: true } | { itemId: number; ok: false; reason: string };

export interface CrmOrderStatusList {
  /** The Sales Orders that are in Exact: those of the division, and those without a division. */
  read(division: number): Promise<CrmStatusOrder[]>;
  write(patches: OrderStatusPatch[]): Promise<StatusWriteResult[]>;
}
