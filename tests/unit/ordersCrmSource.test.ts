import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGlobeXml } from '../../src/orders/globe';
import { validateGlobeXml } from '../../src/orders/globeValidate';
import { crmOrderIdOf, DEFAULT_CRM_ORDER_LISTS, IN_EXACT, orderVersions, toSourceLines, writeBacksFor, type CrmOrder } from '../../src/orders/crmSource';
import { planOrders, sourceOrderReference } from '../../src/orders/plan';
import type { OrderRun } from '../../src/orders/ports';

const company = { Id: 7, Title: 'Kok Schilderwerken V.O.F.', ExactId: '054b78b7-1606-41cf-a5fa-564130898e20', KvkNumber: '12345678', VatNumber: null, ExactDivision: 2950001 };
const order = (id: number, extra: Record<string, unknown> = {}) => ({ Id: id, Title: `VO-${id}`, Company: company, OrderDate: '2026-11-24T00:00:00Z', OrderStatus: 'Ready for Exact', ...extra });
const line = (id: number, orderId: number, extra: Record<string, unknown> = {}) => ({ Id: id, Title: 'Laptop', SalesOrderId: orderId, ItemCode: 'LT-00001', Quantity: 2, UnitPrice: 1349, ...extra });
const read = (orders: unknown[], lines: unknown[], division = 2950001) => toSourceLines({ source: DEFAULT_CRM_ORDER_LISTS, division, orders, lines });

describe('CRM sales orders as source lines', () => {
  it('keeps the company link only in the profile\'s division, and the order\'s own date and words', () => {
    const here = read([order(1, { CustomerReference: 'PO 4471' })], [line(10, 1, { DiscountPercent: 5 })]);
    expect(here.problems).toEqual([]);
    expect(here.lines[0]).toMatchObject({ sourceOrder: '1', customerId: '7', exactAccountId: company.ExactId, orderDate: '2026-11-24', period: '2026-11', discount: 5, orderDescription: 'VO-1 PO 4471', sku: 'LT-00001' });
    expect(read([order(1)], [line(10, 1)], 2950002).lines[0].exactAccountId).toBeNull();
  });

  it('names each bad line by list, item, order and column, and holds its whole order back', () => {
    const result = read([order(1), order(2), order(3)], [
      line(10, 1, { Quantity: null }),
      line(11, 1),
      line(12, 2, { ItemCode: null, Product: null }),
      line(13, 2, { Quantity: 'twee' }),
      line(14, 2, { DiscountPercent: 120 }),
    ]);
    expect(result.lines).toEqual([]);
    expect(result.problems).toEqual(expect.arrayContaining([
      { list: 'Sales Order Lines', itemId: 10, orderId: 1, order: 'VO-1', column: 'Quantity', code: 'empty', message: 'is empty' },
      { list: 'Sales Order Lines', itemId: 12, orderId: 2, order: 'VO-2', column: 'ItemCode', code: 'noItem', message: 'has neither an item code nor a CRM product' },
      { list: 'Sales Order Lines', itemId: 13, orderId: 2, order: 'VO-2', column: 'Quantity', code: 'notNumber', message: 'is not a number' },
      { list: 'Sales Order Lines', itemId: 14, orderId: 2, order: 'VO-2', column: 'DiscountPercent', code: 'discountRange', message: 'is not between 0 and 100' },
      { list: 'Sales Orders', itemId: 1, orderId: 1, order: 'VO-1', column: 'Lines', code: 'heldBack', message: 'is held back until its bad lines are fixed' },
      { list: 'Sales Orders', itemId: 3, orderId: 3, order: 'VO-3', column: 'Lines', code: 'noLines', message: 'has no lines' },
    ]));
  });

  it('an order without a customer or date is a problem, not a crash', () => {
    const result = read([order(1, { Company: null }), order(2, { OrderDate: null })], [line(10, 1), line(11, 2)]);
    expect(result.problems.map((p) => [p.orderId, p.column, p.code])).toEqual([[1, 'Company', 'noCustomer'], [2, 'OrderDate', 'noDate']]);
    expect(result.lines).toEqual([]);
  });

  it('plans one order per CRM order with a stable reference, even for one customer on one day', () => {
    const { lines } = read([order(1), order(2)], [line(10, 1), line(11, 2, { Quantity: 1 })]);
    const account = { id: company.ExactId, code: '20001', name: company.Title, kvk: null, vatNumber: null };
    const item = { id: '11111111-1111-4111-8111-111111111111', code: 'LT-00001', description: 'Laptop', salesVatCode: '2', salesPrice: 1349 };
    const plan = planOrders({
      profile: { grouping: 'perSourceOrder', referencePrefix: 'CRM', defaults: { vatCode: null, paymentCondition: null }, mapping: { customers: {}, products: {} } },
      lines,
      catalog: { accounts: [account], items: [item], vatCodes: [{ code: '2', description: '21%', percentage: 0.21 }] },
    });
    expect(plan.orders.map((o) => [o.reference, o.net])).toEqual([['CRM-1', 2698], ['CRM-2', 1349]]);
  });

  it('the same plan as a Globe file: a discounted line at its net price, valid against the XSD', async () => {
    const { lines } = read([order(1)], [line(10, 1, { DiscountPercent: 5, Quantity: 3 })]);
    const account = { id: company.ExactId, code: '20001', name: company.Title, kvk: null, vatNumber: null };
    const item = { id: '11111111-1111-4111-8111-111111111111', code: 'LT-00001', description: 'Laptop', salesVatCode: '2', salesPrice: 1349 };
    const plan = planOrders({
      profile: { grouping: 'perSourceOrder', referencePrefix: 'CRM', defaults: { vatCode: null, paymentCondition: null }, mapping: { customers: {}, products: {} } },
      lines,
      catalog: { accounts: [account], items: [item], vatCodes: [{ code: '2', description: '21%', percentage: 0.21 }] },
    });
    expect(plan.orders[0].net).toBe(3844.65);
    const xml = buildGlobeXml(plan);
    expect(xml).toContain('<Value>1281.55</Value>');
    const xsd = readFileSync(join(__dirname, '../../src/orders/eExact-Schema.xsd'), 'utf8');
    await expect(validateGlobeXml(xml, xsd)).resolves.toMatchObject({ valid: true });
  });
});

describe('references of CRM orders', () => {
  it('are the prefix and the CRM id, stable, and lead back to the CRM order', () => {
    expect(sourceOrderReference('CRM', 'x'.repeat(40))).toMatch(/^CRM-H[0-9A-Z]+$/);
    expect(sourceOrderReference('CRM', 'x'.repeat(40))).toBe(sourceOrderReference('CRM', 'x'.repeat(40)));
    expect([crmOrderIdOf('CRM', sourceOrderReference('CRM', '17')), crmOrderIdOf('A-B', 'A-B-9'), crmOrderIdOf('CRM', 'VK-17'), crmOrderIdOf('CRM', 'CRM-H1X')]).toEqual([17, 9, null, null]);
  });
});

describe('what a run writes back onto CRM orders', () => {
  const run = (entries: Array<Partial<OrderRun['entries'][number]>>): OrderRun => ({
    id: 'r', profileId: 'p', division: 2950001, user: 'u', startedAt: '', finishedAt: null, status: 'finished', undo: [],
    entries: entries.map((e) => ({ reference: '', customerName: '', accountCode: '', outcome: 'created', orderId: null, orderNumber: null, lines: 1, net: 0, gross: 0, reasons: [], ...e })),
  });
  const crm = (id: number, extra: Partial<CrmOrder> = {}): CrmOrder => ({ id, title: `VO-${id}`, customerName: 'Kok', orderDate: '2026-11-24', status: 'Ready for Exact', exactReference: null, exactOrderId: null, exactOrderNumber: null, division: null, ...extra });
  const referenceOf = (id: number) => `CRM-${id}`;

  it('writes created and linked orders, not failed or held-back ones, and nothing an order already shows', () => {
    const updates = writeBacksFor({
      run: run([
        { reference: 'CRM-1', outcome: 'created', orderId: 'A', orderNumber: 101 },
        { reference: 'CRM-2', outcome: 'linked', orderId: 'B', orderNumber: 102 },
        { reference: 'CRM-3', outcome: 'failed' },
        { reference: 'CRM-4', outcome: 'blocked' },
        { reference: 'CRM-5', outcome: 'linked', orderId: 'e', orderNumber: 105 },
      ]),
      orders: [crm(1), crm(2), crm(3), crm(4), crm(5, { status: IN_EXACT, exactReference: 'CRM-5', exactOrderId: 'E', exactOrderNumber: 105, division: 2950001 })],
      referenceOf,
    });
    expect(updates).toEqual([
      { itemId: 1, exactReference: 'CRM-1', exactOrderId: 'A', exactOrderNumber: 101, division: 2950001 },
      { itemId: 2, exactReference: 'CRM-2', exactOrderId: 'B', exactOrderNumber: 102, division: 2950001 },
    ]);
  });
});

describe('versions of CRM orders (what a send compares with the read)', () => {
  const v = (o: Record<string, unknown>) => ({ Id: 1, Modified: '2026-12-01T09:00:00Z', ...o });
  const l = (id: number, o: Record<string, unknown> = {}) => ({ Id: id, SalesOrderId: 1, Modified: '2026-12-01T09:00:00Z', ...o });
  const version = (order: Record<string, unknown>, lines: unknown[]) => orderVersions({ orders: [v(order)], lines }).get(1);

  it('stay the same for the same items, in any order, and change with the order, a line, or a line added or removed', () => {
    const read = version({ 'odata.etag': '"3"' }, [l(10), l(11)]);
    expect(version({ 'odata.etag': '"3"' }, [l(11), l(10)])).toBe(read);
    expect(version({ 'odata.etag': '"4"' }, [l(10), l(11)])).not.toBe(read);
    expect(version({ 'odata.etag': '"3"' }, [l(10), l(11, { 'odata.etag': '"2"' })])).not.toBe(read);
    expect(version({ 'odata.etag': '"3"' }, [l(10)])).not.toBe(read);
    expect(version({ 'odata.etag': '"3"' }, [l(10), l(11), l(12)])).not.toBe(read);
    // Without an ETag the Modified time tells; another order's lines do not count.
    expect(version({}, [l(10)])).toBe(version({}, [l(10), l(20, { SalesOrderId: 2 })]));
    expect(version({ Modified: '2026-12-01T09:00:01Z' }, [l(10)])).not.toBe(version({}, [l(10)]));
  });
});
