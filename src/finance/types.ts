/**
 * What the number rules read, in Exact's terms but without Exact's wire format: one
 * `InvoiceFact` per row of `cashflow/Receivables` (an invoice or credit note, paid or not) and one
 * `OpenItem` per row of `read/financial/ReceivablesList` (what is still open of it). Dates are
 * ISO strings as the Exact client gives them.
 */
export interface InvoiceFact {
  invoiceNumber: number;
  /** The financial entry the invoice was booked as: `documents/Documents` finds its PDF by it. */
  entryId?: string;
  description?: string;
  invoiceDate: string;
  dueDate: string;
  /** The invoice's own currency. */
  currency: string;
  /** Incl. VAT in the invoice currency; negative for a credit note. */
  amountFC: number;
  /** The same in the division's currency. */
  amountDC: number;
  isFullyPaid: boolean;
  lastPaymentDate?: string;
}

export interface OpenItem {
  invoiceNumber: number;
  /** The still-open part, in `currency`. */
  amount: number;
  currency: string;
  invoiceDate: string;
  dueDate: string;
  description?: string;
}

export type InvoiceStatus =
  | { kind: 'open' }
  | { kind: 'partly-paid' }
  | { kind: 'overdue'; days: number; partlyPaid: boolean }
  | { kind: 'paid'; on?: string }
  | { kind: 'credit-note'; open: boolean };

export interface InvoiceRow {
  invoiceNumber: number;
  entryId?: string;
  description?: string;
  invoiceDate: string;
  dueDate: string;
  currency: string;
  amountFC: number;
  amountDC: number;
  openFC: number;
  openDC: number;
  status: InvoiceStatus;
}

export type AgingBucketName = 'notDue' | 'days1to30' | 'days31to60' | 'days61to90' | 'over90';

export const agingBucketNames: readonly AgingBucketName[] = ['notDue', 'days1to30', 'days31to60', 'days61to90', 'over90'];

export interface CustomerFinance {
  /** The division's currency: every total below is in it. */
  currency: string;
  openBalance: number;
  overdueAmount: number;
  overdueCount: number;
  /** `CreditLineSales`; undefined when the customer has no limit (0 in Exact). */
  creditLimit?: number;
  /** Share of the limit the open balance takes (1 = at the limit). */
  creditUsed?: number;
  lastPaymentDate?: string;
  aging: Record<AgingBucketName, number>;
  /** Invoiced incl. VAT (invoices minus credit notes) by invoice date. */
  revenue: { current: { label: string; amount: number }; previous: { label: string; amount: number } };
  /** Newest first. */
  invoices: InvoiceRow[];
}
