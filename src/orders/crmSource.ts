/**
 * CRM sales orders as an order source: the `Sales Orders` and `Sales Order Lines` items (as
 * SharePoint's REST answers them, the customer's company expanded) become the plan's source
 * lines, one source order per CRM order. Each item is checked with zod; a bad one is reported
 * with its list, item id and column, and the good ones are kept (a bad line holds back its whole
 * order, which is never sent with a line missing). After a send, `writeBacksFor` says what to
 * write on each CRM order: only what is not there yet, so a resumed run writes nothing twice.
 */
import { z } from 'zod';
import type { OrderSourceLine } from './plan';
import type { OrderRun } from './ports';

/** The CRM's own status that makes an order go to Exact, and the one it gets when it is there. */
export const READY_FOR_EXACT = 'Ready for Exact';
export const IN_EXACT = 'In Exact';

export interface CrmOrderProblem {
  list: string;
  itemId: number | null;
  /** The CRM order the item is or belongs to: its id and its title (`VO-1005`), when known. */
  orderId: number | null;
  order: string | null;
  column: string;
  code: CrmProblemCode;
  message: string;
}

/** A CRM order as read, with what Exact already wrote back on it. */
export interface CrmOrder {
  id: number;
  title: string;
  customerName: string;
  /** `YYYY-MM-DD` */
  orderDate: string;
  status: string | null;
  exactReference: string | null;
  exactOrderId: string | null;
  exactOrderNumber: number | null;
  division: number | null;
}

export interface CrmOrders {
  orders: CrmOrder[];
  lines: OrderSourceLine[];
  problems: CrmOrderProblem[];
  /** SharePoint requests the read took. */
  requests: number;
}

/** What goes onto a CRM order once Exact has it. */
export interface CrmOrderWriteBack {
  itemId: number;
  exactReference: string;
  exactOrderId: string;
  exactOrderNumber: number;
  division: number;
}

export type CrmWriteBackResult = { itemId: number; ok: true } | { itemId: number; ok: false; reason: string };

/** A CRM order to put back to `Ready for Exact`, only while it still shows this (deleted) Exact order. */
export interface CrmReopen { itemId: number; exactOrderId: string }
export type CrmReopenResult = { itemId: number; ok: true; reopened: boolean } | { itemId: number; ok: false; reason: string };

export interface CrmListsSource { ordersList: string; linesList: string }

/** The lists the connector provisions (src/crm/orderSchema.ts's ORDER_LISTS; a unit test keeps them equal). */
export const DEFAULT_CRM_ORDER_LISTS: CrmListsSource = { ordersList: 'Sales Orders', linesList: 'Sales Order Lines' };

/**
 * A second CRM-source profile on the same lists would read the same `Ready for Exact` orders (the
 * read does not look at divisions) under another prefix or in another division, so its lookup could
 * not find the first one's Exact orders: one CRM order, two Exact orders, the second write-back
 * overwriting the first. There is one such profile per pair of lists, whatever its division.
 */
export class CrmProfileExistsError extends Error {
  /** `division`: the existing profile's. */
  public constructor(public readonly existingTitle: string, public readonly division: number) {
    super(`Order profile ${existingTitle} (division ${division}) already sends the CRM's sales orders; use that profile.`);
    this.name = 'CrmProfileExistsError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The port the OrdersService reads CRM orders through (src/crm implements it with PnPjs). */
export interface CrmOrderSource {
  /** The orders with status `Ready for Exact` and their lines, raw; `toSourceLines` checks them. */
  read(source: CrmListsSource): Promise<{ orders: unknown[]; lines: unknown[]; requests: number }>;
  /** One update per order; each succeeds or fails on its own. */
  writeBack(source: CrmListsSource, updates: CrmOrderWriteBack[]): Promise<CrmWriteBackResult[]>;
  /**
   * Just before a send: the ids and versions (ETag, else Modified) of the orders `Ready for Exact` now
   * (one request), and of the lines of those of `orderIds` still ready; `orderVersions` compares them with the read.
   */
  versions(source: CrmListsSource, orderIds: number[]): Promise<{ orders: unknown[]; lines: unknown[] }>;
  /**
   * After an undo: each order that still shows the deleted Exact order (`exactOrderId`) is `Ready for
   * Exact` again, without it; one that shows another (sent again since) or is gone is left alone (`reopened: false`).
   */
  reopen(source: CrmListsSource, orders: CrmReopen[]): Promise<CrmReopenResult[]>;
}

/** The CRM order a reference was made for (`CRM-17` → 17): CRM ids are numbers, so the reference is never hashed. */
export function crmOrderIdOf(prefix: string, reference: string): number | null {
  const rest = reference.startsWith(`${prefix}-`) ? reference.slice(prefix.length + 1) : '';
  return /^\d+$/.test(rest) ? Number(rest) : null;
}

/** Each problem in English (the run log, tests) and as a code the screens put in the reader's language. */
export const crmProblemMessages = {
  noCustomer: 'has no customer (Company)',
  noDate: 'has no order date',
  notDate: 'is not a date',
  noOrder: 'has no sales order',
  empty: 'is empty',
  notNumber: 'is not a number',
  zero: 'is 0',
  discountRange: 'is not between 0 and 100',
  noItem: 'has neither an item code nor a CRM product',
  heldBack: 'is held back until its bad lines are fixed',
  noLines: 'has no lines',
} as const;
export type CrmProblemCode = keyof typeof crmProblemMessages | 'invalid';
const M = crmProblemMessages;
const codeOf = (message: string): CrmProblemCode => (Object.keys(M) as Array<keyof typeof M>).find((code) => M[code] === message) ?? 'invalid';

const text = z.string().nullish().transform((v) => (v && v.trim() ? v.trim() : null));
const optionalNumber = z.number().finite().nullish().transform((v) => v ?? null);

/** SharePoint answers an empty number column with null: that is "empty", not "not a number". */
const requiredNumber = z.preprocess((v) => (v === null ? undefined : v), z.number({ required_error: M.empty, invalid_type_error: M.notNumber }).finite());

const companySchema = z.object({
  Id: z.number({ required_error: M.noCustomer }).int(),
  Title: text,
  ExactId: text,
  KvkNumber: text,
  VatNumber: text,
  ExactDivision: optionalNumber,
}, { required_error: M.noCustomer, invalid_type_error: M.noCustomer });

const orderSchema = z.object({
  Id: z.number().int(),
  Title: text,
  Company: companySchema,
  OrderDate: z.string({ required_error: M.noDate, invalid_type_error: M.noDate }).regex(/^\d{4}-\d{2}-\d{2}/, M.notDate),
  OrderDescription: text,
  CustomerReference: text,
  OrderStatus: text,
  ExactReference: text,
  ExactOrderId: text,
  ExactOrderNumber: optionalNumber,
  ExactDivision: optionalNumber,
});

const lineSchema = z.object({
  Id: z.number().int(),
  Title: text,
  SalesOrderId: z.number({ required_error: M.noOrder, invalid_type_error: M.noOrder }).int(),
  ItemCode: text,
  Product: text,
  Quantity: requiredNumber.refine((n) => n !== 0, M.zero),
  UnitPrice: requiredNumber,
  VatCode: text,
  DiscountPercent: z.number().finite().min(0, M.discountRange).max(100, M.discountRange).nullish().transform((v) => v ?? 0),
}).refine((line) => line.ItemCode !== null || line.Product !== null, { message: M.noItem, path: ['ItemCode'] });

const numberOr = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function problemsOf(input: { list: string; raw: unknown; error: z.ZodError; orderId: number | null; order: string | null }): CrmOrderProblem[] {
  const itemId = numberOr((input.raw as { Id?: unknown } | null)?.Id);
  return input.error.issues.map((issue) => ({ list: input.list, itemId, orderId: input.orderId, order: input.order, column: String(issue.path[0] ?? '-'), code: codeOf(issue.message), message: issue.message }));
}

/**
 * The orders' lines as source lines. `division` is the profile's: a company linked in another
 * division gives no account link (it is mapped like any unlinked customer). Orders and lines that
 * fail their check are problems; an order with a bad line, or without lines, is not planned.
 */
export function toSourceLines(input: { source: CrmListsSource; division: number; orders: unknown[]; lines: unknown[]; requests?: number }): CrmOrders {
  const problems: CrmOrderProblem[] = [];
  const orders = new Map<number, z.infer<typeof orderSchema>>();
  for (const raw of input.orders) {
    const parsed = orderSchema.safeParse(raw);
    if (parsed.success) {
      orders.set(parsed.data.Id, parsed.data);
      continue;
    }
    const item = raw as { Id?: unknown; Title?: unknown } | null;
    const id = numberOr(item?.Id);
    problems.push(...problemsOf({ list: input.source.ordersList, raw, error: parsed.error, orderId: id, order: typeof item?.Title === 'string' ? item.Title : null }));
  }
  const linesOf = new Map<number, Array<z.infer<typeof lineSchema>>>();
  const spoiled = new Set<number>();
  for (const raw of input.lines) {
    const parsed = lineSchema.safeParse(raw);
    if (parsed.success) {
      linesOf.set(parsed.data.SalesOrderId, [...(linesOf.get(parsed.data.SalesOrderId) ?? []), parsed.data]);
      continue;
    }
    const orderId = numberOr((raw as { SalesOrderId?: unknown } | null)?.SalesOrderId);
    problems.push(...problemsOf({ list: input.source.linesList, raw, error: parsed.error, orderId, order: orderId === null ? null : orders.get(orderId)?.Title ?? null }));
    if (orderId !== null) spoiled.add(orderId);
  }
  const lines: OrderSourceLine[] = [];
  for (const order of orders.values()) {
    const own = linesOf.get(order.Id) ?? [];
    if (spoiled.has(order.Id)) {
      problems.push({ list: input.source.ordersList, itemId: order.Id, orderId: order.Id, order: order.Title, column: 'Lines', code: 'heldBack', message: M.heldBack });
      continue;
    }
    if (own.length === 0) {
      problems.push({ list: input.source.ordersList, itemId: order.Id, orderId: order.Id, order: order.Title, column: 'Lines', code: 'noLines', message: M.noLines });
      continue;
    }
    const company = order.Company;
    const orderDate = order.OrderDate.slice(0, 10);
    for (const line of own.sort((a, b) => a.Id - b.Id)) {
      lines.push({
        line: line.Id,
        customerId: String(company.Id),
        customerName: company.Title ?? `#${company.Id}`,
        kvk: company.KvkNumber,
        vatNumber: company.VatNumber,
        exactAccountId: company.ExactId && company.ExactDivision === input.division ? company.ExactId : null,
        sourceOrder: String(order.Id),
        sku: line.ItemCode ?? line.Product ?? '',
        description: line.Title ?? '',
        quantity: line.Quantity,
        unitPrice: line.UnitPrice,
        period: orderDate.slice(0, 7),
        vatCode: line.VatCode,
        discount: line.DiscountPercent,
        orderDate,
        orderDescription: [order.Title, order.OrderDescription ?? order.CustomerReference].filter(Boolean).join(' ') || null,
      });
    }
  }
  const crmOrders: CrmOrder[] = [...orders.values()].map((o) => ({
    id: o.Id, title: o.Title ?? '', customerName: o.Company.Title ?? '', orderDate: o.OrderDate.slice(0, 10), status: o.OrderStatus, exactReference: o.ExactReference,
    exactOrderId: o.ExactOrderId, exactOrderNumber: o.ExactOrderNumber, division: o.ExactDivision,
  }));
  return { orders: crmOrders, lines, problems, requests: input.requests ?? 0 };
}

const versioned = z.object({ Id: z.number().int(), 'odata.etag': z.string().nullish(), Modified: z.string().nullish() });
const versionedLine = versioned.extend({ SalesOrderId: z.number().int() });
const versionOf = (item: z.infer<typeof versioned>): string => item['odata.etag'] ?? item.Modified ?? '';

/**
 * Each order's version: its own ETag (else Modified) and its lines' ids and versions, so an order
 * edited, or a line edited, added or removed, after the read gives another version.
 */
export function orderVersions(input: { orders: unknown[]; lines: unknown[] }): Map<number, string> {
  const lines = new Map<number, string[]>();
  for (const raw of input.lines) {
    const line = versionedLine.safeParse(raw);
    if (line.success) lines.set(line.data.SalesOrderId, [...(lines.get(line.data.SalesOrderId) ?? []), `${line.data.Id}@${versionOf(line.data)}`]);
  }
  const versions = new Map<number, string>();
  for (const raw of input.orders) {
    const order = versioned.safeParse(raw);
    if (order.success) versions.set(order.data.Id, [versionOf(order.data), ...(lines.get(order.data.Id) ?? []).sort()].join('|'));
  }
  return versions;
}

/**
 * What to write on the CRM orders after a run: every order Exact now has (created or linked)
 * whose CRM item does not show it yet. `referenceOf` gives the reference a CRM order is sent with.
 */
export function writeBacksFor(input: { run: OrderRun; orders: CrmOrder[]; referenceOf: (orderId: number) => string }): CrmOrderWriteBack[] {
  const byReference = new Map(input.orders.map((order) => [input.referenceOf(order.id), order]));
  const updates: CrmOrderWriteBack[] = [];
  for (const entry of input.run.entries) {
    if ((entry.outcome !== 'created' && entry.outcome !== 'linked') || !entry.orderId || entry.orderNumber === null) continue;
    const order = byReference.get(entry.reference);
    if (!order) continue;
    const done = order.status === IN_EXACT && order.exactReference === entry.reference && order.exactOrderId?.toLowerCase() === entry.orderId.toLowerCase()
      && order.exactOrderNumber === entry.orderNumber && order.division === input.run.division;
    if (!done) updates.push({ itemId: order.id, exactReference: entry.reference, exactOrderId: entry.orderId, exactOrderNumber: entry.orderNumber, division: input.run.division });
  }
  return updates;
}
