/**
 * One division's sales orders and the concept sales invoices posted through the API, with
 * Exact's rules: `OrderedBy` mandatory and unchangeable, lines mandatory, unknown item, VAT code
 * or payment condition refused (500, Dutch texts joined by `\r\n`), order numbers assigned, and
 * DELETE only while the order is open (status 12) with nothing delivered or invoiced.
 */
import { ODataError } from './errors';
import type { Endpoint } from './endpoint';
import { rng } from './random';
import type { DivisionInfo, Row } from './seed';
import type { Value } from './odata';
import { parseBody } from './writes';
import type { OrderBookChanges, OrderCatalog } from './salesOrderState';
import type { DivisionData } from './store';

export interface OrderBookHooks {
  now(): number;
  nextTimestamp(): number;
  account(id: string): Row | undefined;
  catalog(): OrderCatalog;
  /** A row went: sync/Deleted hears of it with this EntityType. */
  deleted(entityType: number, id: string): void;
  changed(): void;
}

type Table = 'orders' | 'lines' | 'invoices' | 'invoiceLines';

/** `EntityType` of sync/Deleted. */
const entityTypes: Record<Table, number> = { orders: 32, lines: 33, invoices: 13, invoiceLines: 13 };

const statusText: Record<number, string> = { 12: 'Open', 20: 'Gedeeltelijk', 21: 'Volledig', 45: 'Geannuleerd' };

const round2 = (n: number): number => Math.round(n * 100) / 100;
const blank = (value: Value | undefined): boolean => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
const invalidBody = (): ODataError => new ODataError(400, 'Error processing request stream. The request should be a valid top-level resource object.');

/** Splits an inline collection (`"SalesOrderLines": [ … ]`) off the header before the header is parsed. */
function splitBody(text: string, linesName: string): { header: string; lines: unknown[] | undefined } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidBody();
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidBody();
  }
  const { [linesName]: lines, ...header } = json as Record<string, unknown>;
  if (lines !== undefined && lines !== null && !Array.isArray(lines)) {
    // Exact wants the lines as a JSON array, not an object with `results`.
    throw invalidBody();
  }
  return { header: JSON.stringify(header), lines: lines ?? undefined };
}

export class SalesOrderBook {
  public readonly orders = new Map<string, Row>();
  public readonly lines = new Map<string, Row>();
  public readonly invoices = new Map<string, Row>();
  public readonly invoiceLines = new Map<string, Row>();
  private nextOrderNumber: number;
  private readonly changes: OrderBookChanges;

  public constructor(private readonly info: DivisionInfo, saved: OrderBookChanges | undefined, private readonly hooks: OrderBookHooks) {
    this.nextOrderNumber = info.country === 'NL' ? 26_0001 : 26_5001;
    this.changes = saved ?? { orders: {}, lines: {}, invoices: {}, invoiceLines: {}, nextOrderNumber: this.nextOrderNumber };
    for (const table of ['orders', 'lines', 'invoices', 'invoiceLines'] as const) {
      for (const [id, row] of Object.entries(this.changes[table])) {
        if (row) this[table].set(id, { ...row });
      }
    }
    this.nextOrderNumber = Math.max(this.nextOrderNumber, this.changes.nextOrderNumber);
  }

  public snapshot(): OrderBookChanges {
    return { ...this.changes, nextOrderNumber: this.nextOrderNumber };
  }

  /** Stores a row as an edit in Exact would (new Timestamp and Modified); invoicing.ts books through it too. */
  public put(table: Table, row: Row, key: string): Row {
    row.Timestamp = this.hooks.nextTimestamp();
    row.Modified = this.hooks.now();
    this[table].set(row[key] as string, row);
    this.changes[table][row[key] as string] = row;
    this.hooks.changed();
    return row;
  }

  private drop(table: Table, id: string): void {
    this[table].delete(id);
    this.changes[table][id] = null;
    this.hooks.deleted(entityTypes[table], id);
  }

  private newId(kind: string): string {
    return rng(`${this.info.code}:${kind}:${this.hooks.nextTimestamp()}:${this.hooks.now()}`).guid();
  }

  /** Header checks shared by orders and invoices; returns the ordering account. */
  private customer(header: Row, problems: string[]): Row | undefined {
    if (blank(header.OrderedBy)) {
      problems.push('Verplicht: Besteld door');
      return undefined;
    }
    const account = this.hooks.account(String(header.OrderedBy));
    if (!account) problems.push('Ongeldige referentie: Besteld door');
    if (!blank(header.PaymentCondition) && !this.hooks.catalog().paymentCondition(String(header.PaymentCondition).trim())) {
      problems.push(`Ongeldige referentie: Betalingsconditie (${String(header.PaymentCondition)})`);
    }
    return account;
  }

  /** Prices and VAT one line from the item and VAT code, or adds Exact's complaint. */
  private priceLine(line: Row, account: Row | undefined, problems: string[], index: number): void {
    const catalog = this.hooks.catalog();
    const where = `regel ${index + 1}`;
    if (blank(line.Item)) {
      problems.push(`Verplicht: Artikel (${where})`);
      return;
    }
    const item = catalog.item(String(line.Item));
    if (!item) {
      problems.push(`Ongeldige referentie: Artikel (${where})`);
      return;
    }
    const vatText = !blank(line.VATCode) ? String(line.VATCode) : !blank(item.SalesVatCode) ? String(item.SalesVatCode) : String(account?.SalesVATCode ?? '');
    const vat = vatText.trim() ? catalog.vatCode(vatText.trim()) : undefined;
    if (!vat) {
      problems.push(`Ongeldige referentie: Btw-code (${where}: ${vatText.trim() || 'leeg'})`);
      return;
    }
    if (line.Quantity === null || line.Quantity === undefined) line.Quantity = 1;
    const unitPrice = typeof line.UnitPrice === 'number' ? line.UnitPrice : Number(item.StandardSalesPrice ?? 0);
    const discount = typeof line.Discount === 'number' ? line.Discount : 0;
    const netPrice = typeof line.NetPrice === 'number' ? line.NetPrice : round2(unitPrice * (1 - discount));
    const percentage = Number(vat.Percentage ?? 0);
    const amount = round2(Number(line.Quantity) * netPrice);
    Object.assign(line, {
      Item: item.ID,
      ItemCode: item.Code,
      ItemDescription: item.Description,
      Description: blank(line.Description) ? item.Description : line.Description,
      UnitPrice: unitPrice,
      NetPrice: netPrice,
      Discount: discount,
      UnitCode: item.Unit ?? null,
      AmountFC: amount,
      AmountDC: amount,
      VATCode: String(vat.Code).trim(),
      VATPercentage: percentage,
    });
  }

  private parseWithLines(text: string, header: Endpoint, lineEndpoint: Endpoint, linesName: string): { head: Row; lines: Row[]; account: Row | undefined } {
    const split = splitBody(text, linesName);
    const head = parseBody(header, split.header);
    const lines = (split.lines ?? []).map((line) => {
      if (typeof line !== 'object' || line === null || Array.isArray(line)) throw invalidBody();
      return parseBody(lineEndpoint, JSON.stringify(line));
    });
    const problems: string[] = [];
    const account = this.customer(head, problems);
    if (!lines.length) problems.push(linesName === 'SalesOrderLines' ? 'Verplicht: Verkooporderregels' : 'Verplicht: Factuurregels');
    lines.forEach((line, index) => this.priceLine(line, account, problems, index));
    if (problems.length) {
      throw new ODataError(500, problems.join('\r\n'));
    }
    return { head, lines, account };
  }

  public createOrder(text: string, header: Endpoint, lineEndpoint: Endpoint): Row {
    const { head, lines, account } = this.parseWithLines(text, header, lineEndpoint, 'SalesOrderLines');
    const now = this.hooks.now();
    const orderId = this.newId('order');
    const orderNumber = this.nextOrderNumber++;
    const totals = { net: 0, vat: 0 };
    lines.forEach((line, index) => {
      const vatAmount = round2(Number(line.AmountFC) * Number(line.VATPercentage));
      totals.net += Number(line.AmountFC);
      totals.vat += vatAmount;
      const row: Row = Object.fromEntries(Object.keys(lineEndpoint.fields).map((name) => [name, null]));
      Object.assign(row, line, {
        ID: this.newId('orderline'), OrderID: orderId, OrderNumber: orderNumber, LineNumber: index + 1,
        VATAmount: vatAmount, QuantityDelivered: 0, QuantityInvoiced: 0, Division: this.info.code,
      });
      this.put('lines', row, 'ID');
    });
    const net = round2(totals.net);
    const total = round2(net + totals.vat);
    const row: Row = Object.fromEntries(Object.keys(header.fields).map((name) => [name, null]));
    Object.assign(row, head, {
      OrderID: orderId, OrderNumber: orderNumber, OrderDate: head.OrderDate ?? now,
      OrderedByName: account?.Name ?? null,
      InvoiceTo: head.InvoiceTo ?? head.OrderedBy, DeliverTo: head.DeliverTo ?? head.OrderedBy,
      Currency: head.Currency ?? 'EUR', AmountFCExclVat: net, AmountFC: total, AmountDC: total, AmountDiscount: 0,
      PaymentCondition: head.PaymentCondition ?? account?.PaymentConditionSales ?? null,
      Status: 12, StatusDescription: statusText[12], DeliveryStatus: 12, DeliveryStatusDescription: statusText[12],
      InvoiceStatus: 12, InvoiceStatusDescription: statusText[12], Created: now, Division: this.info.code,
    });
    return this.put('orders', row, 'OrderID');
  }

  public updateOrder(id: string, text: string, header: Endpoint): Row {
    const current = this.orders.get(id);
    if (!current) throw new ODataError(404, `SalesOrder with key '${id}' not found.`);
    const split = splitBody(text, 'SalesOrderLines');
    if (split.lines) {
      throw new ODataError(400, 'Error processing request stream. Lines of an existing order are changed through salesorder/SalesOrderLines.');
    }
    const changes = parseBody(header, split.header);
    if ('OrderedBy' in changes && String(changes.OrderedBy) !== String(current.OrderedBy)) {
      throw new ODataError(500, 'Besteld door kan niet worden gewijzigd.');
    }
    for (const name of ['OrderID', 'OrderNumber', 'Status', 'DeliveryStatus', 'InvoiceStatus', 'AmountDC', 'AmountFC', 'AmountFCExclVat']) {
      delete changes[name];
    }
    return this.put('orders', { ...current, ...changes }, 'OrderID');
  }

  public linesOf(orderId: string): Row[] {
    return [...this.lines.values()].filter((line) => line.OrderID === orderId).sort((a, b) => Number(a.LineNumber) - Number(b.LineNumber));
  }

  public deleteOrder(id: string): void {
    const current = this.orders.get(id);
    if (!current) throw new ODataError(404, `SalesOrder with key '${id}' not found.`);
    const lines = this.linesOf(id);
    const moved = lines.some((line) => Number(line.QuantityDelivered) !== 0 || Number(line.QuantityInvoiced) !== 0);
    if (current.Status !== 12 || moved) {
      throw new ODataError(500, `Verwijderen is niet toegestaan: verkooporder ${String(current.OrderNumber)} is niet meer open (${String(current.StatusDescription)}); er is al geleverd of gefactureerd.`);
    }
    for (const line of lines) this.drop('lines', line.ID as string);
    this.drop('orders', id);
  }

  /** Test and sandbox control: the order is delivered and invoiced in full, as Exact's fulfilment would. */
  public fulfil(id: string): Row {
    const current = this.orders.get(id);
    if (!current) throw new ODataError(404, `SalesOrder with key '${id}' not found.`);
    for (const line of this.linesOf(id)) {
      this.put('lines', { ...line, QuantityDelivered: line.Quantity, QuantityInvoiced: line.Quantity }, 'ID');
    }
    return this.put('orders', { ...current, Status: 21, StatusDescription: statusText[21], DeliveryStatus: 21, DeliveryStatusDescription: statusText[21], InvoiceStatus: 21, InvoiceStatusDescription: statusText[21] }, 'OrderID');
  }

  /** Concept (not yet processed) sales invoice: status 20 as an API-created one comes back, no number yet. */
  public createInvoice(text: string, header: Endpoint, lineEndpoint: Endpoint): Row {
    const { head, lines, account } = this.parseWithLines(text, header, lineEndpoint, 'SalesInvoiceLines');
    const now = this.hooks.now();
    const invoiceId = this.newId('invoice');
    let net = 0;
    let vat = 0;
    lines.forEach((line, index) => {
      const vatAmount = round2(Number(line.AmountFC) * Number(line.VATPercentage));
      net += Number(line.AmountFC);
      vat += vatAmount;
      const row: Row = Object.fromEntries(Object.keys(lineEndpoint.fields).map((name) => [name, null]));
      Object.assign(row, line, { ID: this.newId('invoiceline'), InvoiceID: invoiceId, LineNumber: index + 1, VATAmountFC: vatAmount, VATAmountDC: vatAmount, Division: this.info.code });
      this.put('invoiceLines', row, 'ID');
    });
    net = round2(net);
    const total = round2(net + vat);
    const row: Row = Object.fromEntries(Object.keys(header.fields).map((name) => [name, null]));
    Object.assign(row, head, {
      InvoiceID: invoiceId, InvoiceNumber: null, InvoiceTo: head.InvoiceTo ?? head.OrderedBy, InvoiceToName: account?.Name ?? null,
      OrderedByName: account?.Name ?? null, InvoiceDate: head.InvoiceDate ?? now, Currency: head.Currency ?? 'EUR',
      AmountFCExclVat: net, AmountFC: total, AmountDC: total, VATAmountFC: round2(vat), VATAmountDC: round2(vat), AmountDiscount: 0,
      Status: 20, StatusDescription: 'Open', Type: head.Type ?? 8020, TypeDescription: 'Verkoopfactuur', Journal: head.Journal ?? '70',
      PaymentCondition: head.PaymentCondition ?? account?.PaymentConditionSales ?? null, Created: now, Division: this.info.code,
    });
    return this.put('invoices', row, 'InvoiceID');
  }
}

const books = new WeakMap<DivisionData, SalesOrderBook>();

/** The division's order book, built on first use from what was saved; the store saves it from then on. */
export function ordersOf(data: DivisionData): SalesOrderBook {
  let book = books.get(data);
  if (!book) {
    book = new SalesOrderBook(data.info, data.savedOrders, {
      now: () => data.now(),
      nextTimestamp: () => data.nextTimestamp(),
      account: (id) => data.accounts.get(id.toLowerCase()),
      catalog: () => data.orderCatalog(),
      deleted: (entityType, id) => data.recordDeletion(entityType, id),
      changed: () => data.notifyChanged(),
    });
    const created = book;
    data.ordersSnapshot = () => created.snapshot();
    books.set(data, book);
  }
  return book;
}
