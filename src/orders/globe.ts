/**
 * The same plan as an Exact Globe eExact XML file: `Orders/Order type="V"` per planned order,
 * `OrderedBy/Debtor code`, `OrderLine` with `Item code`, `Quantity`, `Price` (Currency, Value,
 * VAT). Written with fast-xml-parser's builder (escaping is the builder's job), elements in the
 * XSD's sequence order, which is what makes it validate; `validateGlobeXml` (globeValidate.ts,
 * Node: the gateway and tests) checks it against eExact-Schema.xsd before the file is offered.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { netUnitPrice, readyOrders, type OrderPlan, type PlannedOrder, type RateTotal } from './plan';

const money = (n: number): string => n.toFixed(2);
/** Quantities keep up to 4 decimals, without trailing zeros. */
const quantity = (n: number): string => String(Math.round(n * 10_000) / 10_000);
/**
 * A discounted line's price is its net unit price (netUnitPrice, as the plan and Exact Online have
 * it), so Globe's line amount is the plan's. The XSD has `Discount/Percentage`, but it does not say
 * whether Globe reads 10 or 0.1 there, and a wrong guess is a line 100 times off.
 */
const price = (unitPrice: number, discount: number): string => money(netUnitPrice(unitPrice, discount));

function orderNode(order: PlannedOrder, currency: string): Record<string, unknown> {
  const debtor = { '@_code': order.account.code };
  return {
    '@_type': 'V',
    // Sequence of groupOIHeader: Description, YourRef, Date, Currency, OrderedBy, DeliverTo, InvoiceTo, PaymentCondition.
    Description: order.description,
    YourRef: order.reference,
    Date: order.orderDate,
    Currency: { '@_code': currency },
    OrderedBy: { Debtor: debtor, Date: order.orderDate },
    DeliverTo: { Debtor: debtor },
    InvoiceTo: { Debtor: debtor },
    ...(order.paymentCondition ? { PaymentCondition: { '@_code': order.paymentCondition } } : {}),
    OrderLine: order.lines.map((line, index) => ({
      '@_lineNo': String(index + 1),
      Description: line.description,
      Item: { '@_code': line.itemCode },
      Quantity: quantity(line.quantity),
      Price: { '@_type': 'S', Currency: { '@_code': currency }, Value: price(line.unitPrice, line.discount), VAT: { '@_code': line.vatCode } },
    })),
  };
}

export function buildGlobeXml(plan: OrderPlan, options: { currency?: string } = {}): string {
  const currency = options.currency ?? 'EUR';
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true });
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    eExact: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:noNamespaceSchemaLocation': 'eExact-Schema.xsd',
      Orders: { Order: readyOrders(plan).map((order) => orderNode(order, currency)) },
    },
  };
  return builder.build(document) as string;
}

export interface GlobeSummary {
  orders: number;
  customers: number;
  lines: number;
  net: number;
  gross: number;
  rates: RateTotal[];
  /** Orders not in the file because a blocker holds them back. */
  heldBack: number;
}

/** What Globe will create when the file is imported (XML ➔ Logistic import ➔ Sales orders). */
export function globeSummary(plan: OrderPlan): GlobeSummary {
  const orders = readyOrders(plan);
  const rates = new Map<string, RateTotal>();
  for (const rate of orders.flatMap((o) => o.totals)) {
    const sum = rates.get(rate.vatCode) ?? { ...rate, net: 0, vat: 0, gross: 0 };
    sum.net = Math.round((sum.net + rate.net) * 100) / 100;
    sum.vat = Math.round((sum.vat + rate.vat) * 100) / 100;
    sum.gross = Math.round((sum.net + sum.vat) * 100) / 100;
    rates.set(rate.vatCode, sum);
  }
  return {
    orders: orders.length,
    customers: new Set(orders.map((o) => o.account.id)).size,
    lines: orders.reduce((n, o) => n + o.lines.length, 0),
    net: Math.round(orders.reduce((n, o) => n + o.net, 0) * 100) / 100,
    gross: Math.round(orders.reduce((n, o) => n + o.gross, 0) * 100) / 100,
    rates: [...rates.values()].sort((a, b) => b.percentage - a.percentage),
    heldBack: plan.heldBack.length,
  };
}

export interface GlobeValidation { valid: boolean; errors: Array<{ line: number | null; message: string }> }
