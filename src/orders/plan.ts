/**
 * ONE plan for both targets: the source lines grouped into orders (per customer per period, or
 * per source order), each customer resolved to an Exact account and each product to an item,
 * priced and VAT-coded, with totals per VAT rate. What cannot be resolved is a blocker, listed
 * once per customer or product (with the lines it holds back), never a failure after sending.
 */
import type { OrderMapping, OrderProfile } from './profile';

/** One line as any source gives it: a billing report line, or a CRM order line. */
export interface OrderSourceLine {
  /** Where the line came from, for messages (`line 14`, `Sales Order Lines #7`). */
  line: number;
  customerId: string;
  customerName: string;
  kvk: string | null;
  vatNumber: string | null;
  /** The CRM company's own link to its Exact account, when the source is the CRM. */
  exactAccountId?: string | null;
  /** The source order's key, for `perSourceOrder` grouping. */
  sourceOrder?: string | null;
  sku: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** `YYYY-MM` */
  period: string;
  /** A VAT code the source line itself names. */
  vatCode?: string | null;
  /** Discount in percent (10 = 10 %) off quantity × unit price; absent or 0 for none. */
  discount?: number | null;
  /** The source order's own date (`YYYY-MM-DD`); without it, the last day of the period. */
  orderDate?: string | null;
  /** The source order's own description; without it, customer and period. */
  orderDescription?: string | null;
}

export interface ExactAccountRef { id: string; code: string; name: string; kvk: string | null; vatNumber: string | null }
export interface ExactItemRef { id: string; code: string; description: string; salesVatCode: string | null; salesPrice: number | null }
/** `percentage` as Exact gives it: a fraction, 0.21 for 21 %. */
export interface ExactVatCodeRef { code: string; description: string; percentage: number }

export interface DivisionCatalog {
  accounts: ExactAccountRef[];
  items: ExactItemRef[];
  vatCodes: ExactVatCodeRef[];
}

export interface PlannedLine {
  sourceLine: number;
  itemId: string;
  itemCode: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** Percent off quantity × unit price (10 = 10 %). */
  discount: number;
  vatCode: string;
  vatPercentage: number;
  net: number;
  vat: number;
}

export interface RateTotal { vatCode: string; percentage: number; net: number; vat: number; gross: number }

export interface PlannedOrder {
  /** The source key Exact keeps in `YourRef`: how a re-run finds the order again. */
  reference: string;
  description: string;
  customerId: string;
  customerName: string;
  account: { id: string; code: string; name: string };
  /** How the account was found. */
  accountVia: 'link' | 'mapping' | 'code' | 'kvk' | 'vat';
  period: string;
  /** ISO date of the order: the last day of the period. */
  orderDate: string;
  paymentCondition: string | null;
  lines: PlannedLine[];
  /** Source lines in this order, mapped or not (a held-back order shows what it is waiting with). */
  sourceLines: number;
  /** The source lines of this order waiting for a product mapping or a VAT code (not in `lines`). */
  unplannedLines: number[];
  totals: RateTotal[];
  net: number;
  gross: number;
}

export interface CustomerBlocker { customerId: string; customerName: string; kvk: string | null; vatNumber: string | null; lines: number[]; reason: 'unmapped' | 'ambiguous' }
export interface ProductBlocker { sku: string; description: string; lines: number[]; reason: 'unmapped' | 'unknownVat'; vatCode?: string }

export interface OrderPlan {
  orders: PlannedOrder[];
  blockedCustomers: CustomerBlocker[];
  blockedProducts: ProductBlocker[];
  /** Orders held back by a blocker, by reference. */
  heldBack: string[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const digits = (value: string | null | undefined): string => (value ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** Exact's YourRef holds 30 characters; longer customer ids are replaced by a short stable hash. */
const yourRefLength = 30;

function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).toUpperCase();
}

export function orderReference(prefix: string, group: string, part: string): string {
  const full = `${prefix}-${group}-${part}`;
  return full.length <= yourRefLength ? full : `${prefix}-${group}-${shortHash(part)}`;
}

/**
 * One source order's reference: `PREFIX-<order key>` (`CRM-1042`), stable for as long as the
 * source keeps its key; a key too long for YourRef becomes a short hash of itself, so it stays
 * unique per order and the same on every run.
 */
export function sourceOrderReference(prefix: string, sourceOrder: string): string {
  const full = `${prefix}-${sourceOrder.trim()}`;
  return full.length <= yourRefLength ? full : `${prefix}-H${shortHash(sourceOrder.trim())}`;
}

/**
 * A discounted line's net price per unit, in cents, as the Exact stand-in sets the line's `NetPrice`
 * (unit price less the discount, rounded); the line amount is quantity × that price. Whether Exact
 * itself keeps more decimals there only a real administration shows; Online, Globe and the preview
 * use this one rule, so they agree with each other.
 */
export function netUnitPrice(unitPrice: number, discount: number): number {
  return discount ? round2(unitPrice * (1 - discount / 100)) : unitPrice;
}

/** A line's net: quantity × the net unit price, in cents. */
export function lineNet(quantity: number, unitPrice: number, discount: number): number {
  return round2(quantity * netUnitPrice(unitPrice, discount));
}

function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

type AccountMatch = { account: ExactAccountRef; via: PlannedOrder['accountVia'] } | { ambiguous: true } | undefined;

function findAccount(line: OrderSourceLine, mapping: OrderMapping, accounts: ExactAccountRef[]): AccountMatch {
  const byId = (id: string): ExactAccountRef | undefined => accounts.find((a) => a.id.toLowerCase() === id.toLowerCase());
  if (line.exactAccountId) {
    const linked = byId(line.exactAccountId);
    if (linked) return { account: linked, via: 'link' };
  }
  const mapped = mapping.customers[line.customerId];
  if (mapped) {
    // A mapped account that no longer exists in Exact is a blocker again, not a silent failure.
    const account = byId(mapped.accountId);
    return account ? { account, via: 'mapping' } : undefined;
  }
  const candidates: Array<[PlannedOrder['accountVia'], (a: ExactAccountRef) => boolean]> = [
    ['code', (a) => a.code.trim() === line.customerId.trim()],
    ['kvk', (a) => digits(line.kvk) !== '' && digits(a.kvk) === digits(line.kvk)],
    ['vat', (a) => digits(line.vatNumber) !== '' && digits(a.vatNumber) === digits(line.vatNumber)],
  ];
  for (const [via, test] of candidates) {
    const found = accounts.filter(test);
    if (found.length === 1) return { account: found[0], via };
    if (found.length > 1) return { ambiguous: true };
  }
  return undefined;
}

export interface PlanInput {
  profile: Pick<OrderProfile, 'grouping' | 'referencePrefix' | 'defaults' | 'mapping'>;
  lines: OrderSourceLine[];
  catalog: DivisionCatalog;
}

export function planOrders({ profile, lines, catalog }: PlanInput): OrderPlan {
  const customers = new Map<string, CustomerBlocker>();
  const products = new Map<string, ProductBlocker>();
  const groups = new Map<string, { order: PlannedOrder; blocked: boolean }>();
  const itemsByCode = new Map(catalog.items.map((item) => [item.code.trim().toUpperCase(), item]));
  const itemsById = new Map(catalog.items.map((item) => [item.id.toLowerCase(), item]));
  const vatByCode = new Map(catalog.vatCodes.map((vat) => [vat.code.trim().toUpperCase(), vat]));

  for (const line of lines) {
    const reference = profile.grouping === 'perSourceOrder' && line.sourceOrder
      ? sourceOrderReference(profile.referencePrefix, line.sourceOrder)
      : orderReference(profile.referencePrefix, line.period, line.customerId);
    const match = findAccount(line, profile.mapping, catalog.accounts);
    let blocked = false;
    if (!match || 'ambiguous' in match) {
      const known = customers.get(line.customerId) ?? { customerId: line.customerId, customerName: line.customerName, kvk: line.kvk, vatNumber: line.vatNumber, lines: [], reason: match ? 'ambiguous' : 'unmapped' };
      known.lines.push(line.line);
      customers.set(line.customerId, known);
      blocked = true;
    }
    const mappedProduct = profile.mapping.products[line.sku];
    const item = mappedProduct ? itemsById.get(mappedProduct.itemId.toLowerCase()) : itemsByCode.get(line.sku.trim().toUpperCase());
    const vatCode = (mappedProduct?.vatCode ?? line.vatCode ?? item?.salesVatCode ?? profile.defaults.vatCode ?? '').trim();
    const vat = vatByCode.get(vatCode.toUpperCase());
    if (!item || !vat) {
      const known = products.get(line.sku) ?? { sku: line.sku, description: line.description, lines: [], reason: item ? 'unknownVat' : 'unmapped', ...(item ? { vatCode } : {}) };
      known.lines.push(line.line);
      products.set(line.sku, known);
      blocked = true;
    }
    let entry = groups.get(reference);
    if (!entry) {
      const account = match && !('ambiguous' in match) ? match : undefined;
      entry = {
        blocked: false,
        order: {
          reference,
          description: (line.orderDescription?.trim() || `${line.customerName} ${line.period}`).slice(0, 60),
          customerId: line.customerId,
          customerName: line.customerName,
          account: account ? { id: account.account.id, code: account.account.code.trim(), name: account.account.name } : { id: '', code: '', name: '' },
          accountVia: account?.via ?? 'mapping',
          period: line.period,
          orderDate: line.orderDate ?? lastDayOf(line.period),
          paymentCondition: profile.defaults.paymentCondition,
          lines: [],
          sourceLines: 0,
          unplannedLines: [],
          totals: [],
          net: 0,
          gross: 0,
        },
      };
      groups.set(reference, entry);
    }
    entry.blocked ||= blocked;
    entry.order.sourceLines += 1;
    if (!item || !vat) entry.order.unplannedLines.push(line.line);
    if (item && vat) {
      const unitPrice = mappedProduct?.unitPrice ?? line.unitPrice;
      const discount = line.discount ?? 0;
      const net = lineNet(line.quantity, unitPrice, discount);
      entry.order.lines.push({
        sourceLine: line.line, itemId: item.id, itemCode: item.code.trim(), description: line.description || item.description,
        quantity: line.quantity, unitPrice, discount, vatCode: vat.code.trim(), vatPercentage: vat.percentage, net, vat: round2(net * vat.percentage),
      });
    }
  }

  const orders: PlannedOrder[] = [];
  const heldBack: string[] = [];
  for (const { order, blocked } of groups.values()) {
    const rates = new Map<string, RateTotal>();
    for (const line of order.lines) {
      const rate = rates.get(line.vatCode) ?? { vatCode: line.vatCode, percentage: line.vatPercentage, net: 0, vat: 0, gross: 0 };
      rate.net = round2(rate.net + line.net);
      rate.vat = round2(rate.vat + line.vat);
      rate.gross = round2(rate.net + rate.vat);
      rates.set(line.vatCode, rate);
    }
    order.totals = [...rates.values()].sort((a, b) => b.percentage - a.percentage);
    order.net = round2(order.totals.reduce((sum, r) => sum + r.net, 0));
    order.gross = round2(order.totals.reduce((sum, r) => sum + r.gross, 0));
    (blocked ? heldBack : []).push(order.reference);
    orders.push(order);
  }
  return { orders, blockedCustomers: [...customers.values()], blockedProducts: [...products.values()], heldBack };
}

/** The orders that can be sent: every one not held back by a blocker. */
export function readyOrders(plan: OrderPlan): PlannedOrder[] {
  const held = new Set(plan.heldBack);
  return plan.orders.filter((order) => !held.has(order.reference));
}
