/**
 * Invoicing and payments of the sales orders the API created, as Exact's back office does them:
 * invoicing an order delivers and invoices it in full (the order's status moves to complete, so
 * sync/SalesOrder/SalesOrderHeaders hears of it), creates a processed sales invoice (number
 * assigned, due date from the payment condition) with lines that carry the order, and a
 * receivable. A payment shrinks the open receivable; a part payment splits it (Exact gives the
 * received part its own entry), a full one matches it, so it leaves read/financial/ReceivablesList.
 * Paying never touches the invoice itself: Exact's SalesInvoice has no paid field.
 */
import { ODataError } from './errors';
import { rng } from './random';
import { day, paymentDays, type Row } from './seed';
import { ordersOf } from './salesOrders';
import type { DivisionChanges, DivisionData } from './store';

const round2 = (n: number): number => Math.round(n * 100) / 100;

type InvoicingChanges = NonNullable<DivisionChanges['invoicing']>;

/**
 * Numbers of invoices made here: above the seeded ones (year × 1,000,000 + up to 200,000) and below
 * the concept invoices the API posts and the control processes (26,900,001 and 26,950,001 on).
 */
const invoiceNumberOffset = 700_000;
/** HID of open items of invoiced orders in ReceivablesList: above the seeded ones. */
const hidBase = 9_000_000;

export interface InvoiceOptions {
  /** Epoch ms (UTC midnight is what Exact stores for a date); today when absent. */
  invoiceDate?: number;
}

export interface PaymentOptions {
  /** What was received; the rest of the open amount when absent. */
  amount?: number;
  /** Epoch ms; today when absent. */
  paidOn?: number;
}

class Invoicing {
  public readonly receivables = new Map<string, Row>();

  public constructor(private readonly data: DivisionData) {
    for (const [id, row] of Object.entries(data.savedInvoicing?.receivables ?? {})) this.receivables.set(id, { ...row });
  }

  public snapshot(): InvoicingChanges {
    return { receivables: Object.fromEntries(this.receivables) };
  }

  private today(): number {
    return Math.floor(this.data.now() / day) * day;
  }

  private putReceivable(row: Row): Row {
    row.Modified = this.data.now();
    this.receivables.set(String(row.ID), row);
    this.data.notifyChanged();
    return row;
  }

  private nextInvoiceNumber(invoiceDate: number): number {
    const base = (new Date(invoiceDate).getUTCFullYear() % 100) * 1_000_000 + invoiceNumberOffset;
    const used = [...ordersOf(this.data).invoices.values()].map((row) => Number(row.InvoiceNumber ?? 0)).filter((n) => n > base && n < base + 100_000);
    return Math.max(base, ...used) + 1;
  }

  public invoiceOrder(orderId: string, options: InvoiceOptions): { invoice: Row; receivable: Row } {
    const book = ordersOf(this.data);
    const order = book.orders.get(orderId);
    if (!order) throw new ODataError(404, `SalesOrder with key '${orderId}' not found.`);
    if (Number(order.InvoiceStatus) === 21) {
      throw new ODataError(500, `Verkooporder ${String(order.OrderNumber)} is al volledig gefactureerd.`);
    }
    const account = this.data.accounts.get(String(order.OrderedBy).toLowerCase());
    const invoiceDate = options.invoiceDate ?? this.today();
    const conditionCode = String(order.PaymentCondition ?? account?.PaymentConditionSales ?? '30').trim();
    const condition = this.data.orderCatalog().paymentCondition(conditionCode);
    const days = condition ? Number(condition.PaymentDays ?? 0) : paymentDays(conditionCode);
    const dueDate = invoiceDate + days * day;
    const invoiceNumber = this.nextInvoiceNumber(invoiceDate);
    const r = rng(`${this.data.info.code}:invoicing:${orderId}:${this.data.nextTimestamp()}`);
    const invoiceId = r.guid();
    const now = this.data.now();
    const orderLines = book.linesOf(orderId);
    orderLines.forEach((line, index) => {
      const vat = round2(Number(line.AmountFC) * Number(line.VATPercentage));
      book.put('invoiceLines', {
        ID: r.guid(), InvoiceID: invoiceId, LineNumber: index + 1, Item: line.Item, ItemCode: line.ItemCode, ItemDescription: line.ItemDescription,
        Description: line.Description, Quantity: line.Quantity, UnitPrice: line.UnitPrice, NetPrice: line.NetPrice, Discount: line.Discount,
        UnitCode: line.UnitCode, AmountFC: line.AmountFC, AmountDC: line.AmountDC, VATCode: line.VATCode, VATPercentage: line.VATPercentage,
        VATAmountFC: vat, VATAmountDC: vat, GLAccount: null, Division: this.data.info.code,
        SalesOrder: orderId, SalesOrderLine: line.ID, SalesOrderNumber: order.OrderNumber,
      }, 'ID');
    });
    const total = Number(order.AmountDC ?? 0);
    const net = Number(order.AmountFCExclVat ?? 0);
    const invoice = book.put('invoices', {
      InvoiceID: invoiceId, InvoiceNumber: invoiceNumber, InvoiceTo: order.InvoiceTo ?? order.OrderedBy, InvoiceToName: order.OrderedByName,
      OrderedBy: order.OrderedBy, OrderedByName: order.OrderedByName, InvoiceDate: invoiceDate, OrderDate: order.OrderDate, DueDate: dueDate,
      Currency: order.Currency ?? 'EUR', AmountDC: total, AmountFC: total, AmountFCExclVat: net, AmountDiscount: 0,
      VATAmountDC: round2(total - net), VATAmountFC: round2(total - net),
      // Processed (printed): only then does Exact assign the number and book the receivable.
      Status: 50, StatusDescription: 'Verwerkt', Type: 8020, TypeDescription: 'Verkoopfactuur', Journal: '70',
      Description: order.Description, YourRef: order.YourRef, PaymentCondition: conditionCode, PaymentReference: String(invoiceNumber),
      OrderNumber: order.OrderNumber, Created: now, Division: this.data.info.code,
    }, 'InvoiceID');
    book.fulfil(orderId);
    const receivable = this.putReceivable({
      ID: r.guid(), EntryID: r.guid(), Account: order.OrderedBy, AccountCode: account?.Code ?? null, AccountName: order.OrderedByName,
      AmountDC: total, AmountFC: total, TransactionAmountDC: total, Currency: order.Currency ?? 'EUR', Description: order.Description,
      DueDate: dueDate, EntryDate: invoiceDate, EntryNumber: invoiceNumber, InvoiceDate: invoiceDate, InvoiceNumber: invoiceNumber,
      IsFullyPaid: false, LastPaymentDate: null, PaymentMethod: 'B', Status: 20, YourRef: order.YourRef,
      TransactionEntryID: invoiceId, Division: this.data.info.code, Created: now,
    });
    return { invoice, receivable };
  }

  /** The invoice by InvoiceID or by number (what a bank statement names). */
  private invoice(which: string | number): Row {
    const invoices = [...ordersOf(this.data).invoices.values()];
    const found = typeof which === 'number'
      ? invoices.find((row) => row.InvoiceNumber === which)
      : invoices.find((row) => String(row.InvoiceID).toLowerCase() === which.toLowerCase());
    if (!found) throw new ODataError(404, `SalesInvoice ${String(which)} not found.`);
    return found;
  }

  /**
   * A processed invoice that was not made here (a concept posted through the API, processed by the
   * control) gets its receivable on its first payment: Exact books one when an invoice is processed.
   */
  private ensureReceivable(invoice: Row): void {
    if (Number(invoice.Status) !== 50 || [...this.receivables.values()].some((row) => row.TransactionEntryID === invoice.InvoiceID)) return;
    const invoiceDate = Number(invoice.InvoiceDate ?? this.today());
    const condition = this.data.orderCatalog().paymentCondition(String(invoice.PaymentCondition ?? '30').trim());
    const dueDate = typeof invoice.DueDate === 'number' ? invoice.DueDate : invoiceDate + (condition ? Number(condition.PaymentDays ?? 0) : paymentDays(invoice.PaymentCondition ?? null)) * day;
    const account = this.data.accounts.get(String(invoice.OrderedBy).toLowerCase());
    const r = rng(`${this.data.info.code}:receivable:${String(invoice.InvoiceID)}`);
    this.putReceivable({
      ID: r.guid(), EntryID: r.guid(), Account: invoice.OrderedBy, AccountCode: account?.Code ?? null, AccountName: invoice.OrderedByName ?? account?.Name ?? null,
      AmountDC: invoice.AmountDC, AmountFC: invoice.AmountFC, TransactionAmountDC: invoice.AmountDC, Currency: invoice.Currency ?? 'EUR', Description: invoice.Description,
      DueDate: dueDate, EntryDate: invoiceDate, EntryNumber: invoice.InvoiceNumber, InvoiceDate: invoiceDate, InvoiceNumber: invoice.InvoiceNumber,
      IsFullyPaid: false, LastPaymentDate: null, PaymentMethod: 'B', Status: 20, YourRef: invoice.YourRef,
      TransactionEntryID: invoice.InvoiceID, Division: this.data.info.code, Created: this.data.now(),
    });
  }

  public registerPayment(which: string | number, options: PaymentOptions): Row[] {
    const invoice = this.invoice(which);
    this.ensureReceivable(invoice);
    const open = [...this.receivables.values()].find((row) => row.TransactionEntryID === invoice.InvoiceID && row.IsFullyPaid !== true);
    if (!open) throw new ODataError(500, `Factuur ${String(invoice.InvoiceNumber)} heeft geen openstaande post.`);
    const openAmount = Number(open.AmountDC);
    const amount = round2(options.amount ?? openAmount);
    if (!(amount > 0) || amount > openAmount + 0.005) {
      throw new ODataError(500, `Betaling van ${amount.toFixed(2)} past niet bij de openstaande post van ${openAmount.toFixed(2)} (factuur ${String(invoice.InvoiceNumber)}).`);
    }
    const paidOn = options.paidOn ?? this.today();
    if (amount >= openAmount - 0.005) {
      return [this.putReceivable({ ...open, IsFullyPaid: true, Status: 50, LastPaymentDate: paidOn, EndDate: paidOn })];
    }
    // A part payment: the received part becomes its own matched entry, the rest stays open.
    const r = rng(`${this.data.info.code}:payment:${String(open.ID)}:${this.data.nextTimestamp()}`);
    const received = this.putReceivable({ ...open, ID: r.guid(), EntryID: r.guid(), AmountDC: amount, AmountFC: amount, IsFullyPaid: true, Status: 50, LastPaymentDate: paidOn, EndDate: paidOn });
    const rest = round2(openAmount - amount);
    return [received, this.putReceivable({ ...open, AmountDC: rest, AmountFC: rest, LastPaymentDate: paidOn })];
  }

  /** read/financial/ReceivablesList rows: what is still open, with the open part as `Amount`. */
  public openItems(): Row[] {
    // At most one open entry per invoice (a part payment splits off the received part), so the number keys it.
    return [...this.receivables.values()].filter((row) => row.IsFullyPaid !== true).map((row) => ({
      HID: hidBase + (Number(row.InvoiceNumber ?? 0) % 1_000_000), AccountId: row.Account, AccountCode: row.AccountCode, AccountName: row.AccountName,
      Amount: row.AmountDC, AmountInTransit: 0, CurrencyCode: row.Currency, Description: row.Description, DueDate: row.DueDate,
      EntryNumber: row.EntryNumber, Id: row.ID, InvoiceDate: row.InvoiceDate, InvoiceNumber: row.InvoiceNumber, JournalCode: '70',
      JournalDescription: 'Verkoopboek', YourRef: row.YourRef,
    }));
  }
}

const registry = new WeakMap<DivisionData, Invoicing>();

function invoicingOf(data: DivisionData): Invoicing {
  let invoicing = registry.get(data);
  if (!invoicing) {
    const created = new Invoicing(data);
    data.invoicingSnapshot = () => created.snapshot();
    registry.set(data, created);
    invoicing = created;
  }
  return invoicing;
}

export const invoiceSalesOrder = (data: DivisionData, orderId: string, options: InvoiceOptions = {}): { invoice: Row; receivable: Row } =>
  invoicingOf(data).invoiceOrder(orderId.toLowerCase(), options);

export const registerPayment = (data: DivisionData, invoice: string | number, options: PaymentOptions = {}): Row[] => invoicingOf(data).registerPayment(invoice, options);

/** cashflow/Receivables (and bulk) rows of invoiced orders, paid or not. */
export const invoicedReceivables = (data: DivisionData): Row[] => [...invoicingOf(data).receivables.values()];

export const invoicedOpenItems = (data: DivisionData): Row[] => invoicingOf(data).openItems();

/**
 * sync/SalesInvoice/SalesInvoices: headers (`LineNumber` 0) and lines (1 and up, carrying the
 * header's fields and the order they bill) in one stream, as Exact serves it. The seeded history
 * has no line row versions, so it appears with its headers only.
 */
export function salesInvoiceSyncRows(seededHeaders: Row[], data: DivisionData): Row[] {
  const book = ordersOf(data);
  const headers = [...seededHeaders, ...book.invoices.values()].map((row) => ({ ...row, ID: row.InvoiceID, LineNumber: 0 }));
  const byId = new Map([...book.invoices.values()].map((row) => [String(row.InvoiceID), row]));
  const lines = [...book.invoiceLines.values()].flatMap((line) => {
    const header = byId.get(String(line.InvoiceID));
    return header ? [{ ...header, ...line, Modified: header.Modified }] : [];
  });
  return [...headers, ...lines];
}
