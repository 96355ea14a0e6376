import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBillingReport } from '../../src/orders/billingReport';
import { buildGlobeXml, globeSummary } from '../../src/orders/globe';
import { validateGlobeXml } from '../../src/orders/globeValidate';
import { orderReference, planOrders, readyOrders, type DivisionCatalog, type OrderSourceLine } from '../../src/orders/plan';
import { withCustomer, withProduct, type OrderMapping, type OrderProfile } from '../../src/orders/profile';

const xsd = readFileSync(join(__dirname, '../../src/orders/eExact-Schema.xsd'), 'utf8');
const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const catalog: DivisionCatalog = {
  accounts: [
    { id: guid(1), code: '20001', name: "'t Hoekje", kvk: '41092924', vatNumber: 'NL189339394B01' },
    { id: guid(2), code: '20006', name: 'Stichting Buurtwerk Oost', kvk: null, vatNumber: null },
    { id: guid(3), code: '20007', name: "O'Brien Dakwerken B.V.", kvk: '80158538', vatNumber: null },
  ],
  items: [
    { id: guid(101), code: 'M365-BP', description: 'Microsoft 365 Business Premium', salesVatCode: '2', salesPrice: 22 },
    { id: guid(102), code: 'AZURE', description: 'Azure verbruik', salesVatCode: '2', salesPrice: null },
    { id: guid(103), code: 'BOEK', description: 'Handboek', salesVatCode: '1', salesPrice: 30 },
  ],
  vatCodes: [
    { code: '2', description: 'BTW 21%', percentage: 0.21 },
    { code: '1', description: 'BTW 9%', percentage: 0.09 },
    { code: '0', description: 'BTW 0%', percentage: 0 },
  ],
};

const profile = (mapping: OrderMapping = { customers: {}, products: {} }): Pick<OrderProfile, 'grouping' | 'referencePrefix' | 'defaults' | 'mapping'> => ({
  grouping: 'perCustomerPerPeriod', referencePrefix: 'IM', defaults: { vatCode: null, paymentCondition: '30' }, mapping,
});

const line = (n: number, over: Partial<OrderSourceLine>): OrderSourceLine => ({
  line: n, customerId: 'IM-1', customerName: "'t Hoekje", kvk: '41092924', vatNumber: null, sku: 'M365-BP', description: 'M365', quantity: 3, unitPrice: 20.6, period: '2026-11', ...over,
});

describe('order plan', () => {
  it('finds accounts by KvK, items by code, and totals per VAT rate', () => {
    const plan = planOrders({ profile: profile(), catalog, lines: [
      line(2, {}),
      line(3, { sku: 'BOEK', quantity: 1, unitPrice: 30 }),
      line(4, { sku: 'AZURE', quantity: 184.37, unitPrice: 1 }),
    ] });
    expect(plan.blockedCustomers).toEqual([]);
    expect(plan.blockedProducts).toEqual([]);
    expect(plan.orders).toHaveLength(1);
    const [order] = plan.orders;
    expect(order).toMatchObject({ reference: 'IM-2026-11-IM-1', accountVia: 'kvk', account: { id: guid(1), code: '20001' }, orderDate: '2026-11-30', paymentCondition: '30' });
    expect(order.totals).toEqual([
      { vatCode: '2', percentage: 0.21, net: 246.17, vat: 51.7, gross: 297.87 },
      { vatCode: '1', percentage: 0.09, net: 30, vat: 2.7, gross: 32.7 },
    ]);
    expect(order.net).toBe(276.17);
    expect(order.gross).toBe(330.57);
  });

  it('lists unmapped customers and products as blockers once, with their lines, and holds their orders back', () => {
    const plan = planOrders({ profile: profile(), catalog, lines: [
      line(2, { customerId: 'IM-9', customerName: 'Onbekend B.V.', kvk: null }),
      line(3, { customerId: 'IM-9', customerName: 'Onbekend B.V.', kvk: null, sku: 'ESET' }),
      line(4, { sku: 'ESET' }),
      line(5, { customerId: 'IM-3', customerName: "O'Brien", kvk: '80158538' }),
    ] });
    expect(plan.blockedCustomers).toEqual([{ customerId: 'IM-9', customerName: 'Onbekend B.V.', kvk: null, vatNumber: null, lines: [2, 3], reason: 'unmapped' }]);
    expect(plan.blockedProducts).toEqual([{ sku: 'ESET', description: 'M365', lines: [3, 4], reason: 'unmapped' }]);
    expect(plan.heldBack.sort()).toEqual(['IM-2026-11-IM-1', 'IM-2026-11-IM-9']);
    expect(readyOrders(plan).map((o) => o.reference)).toEqual(['IM-2026-11-IM-3']);
  });

  it('remembers a customer and product chosen once ("map now"), with the price override', () => {
    let mapping: OrderMapping = { customers: {}, products: {} };
    mapping = withCustomer(mapping, 'IM-9', { accountId: guid(2), accountCode: '20006', accountName: 'Stichting Buurtwerk Oost' });
    mapping = withProduct(mapping, 'ESET', { itemId: guid(103), itemCode: 'BOEK', itemDescription: 'Handboek', unitPrice: 3.15, vatCode: '0' });
    const plan = planOrders({ profile: profile(mapping), catalog, lines: [line(2, { customerId: 'IM-9', kvk: null, sku: 'ESET', quantity: 10, unitPrice: 99 })] });
    expect(plan.heldBack).toEqual([]);
    expect(plan.orders[0]).toMatchObject({ accountVia: 'mapping', account: { code: '20006' }, net: 31.5, gross: 31.5 });
    expect(plan.orders[0].lines[0]).toMatchObject({ itemCode: 'BOEK', unitPrice: 3.15, vatCode: '0' });
  });

  it('refuses a guess: two accounts with the same KvK are a blocker, not a pick', () => {
    const twice = { ...catalog, accounts: [...catalog.accounts, { id: guid(4), code: '20099', name: 'Ander', kvk: '41092924', vatNumber: null }] };
    const plan = planOrders({ profile: profile(), catalog: twice, lines: [line(2, {})] });
    expect(plan.blockedCustomers[0]).toMatchObject({ reason: 'ambiguous', lines: [2] });
  });

  it('keeps references within Exact\'s 30 characters and stable between runs', () => {
    expect(orderReference('IM', '2026-11', 'IM-100231')).toBe('IM-2026-11-IM-100231');
    const long = orderReference('IM', '2026-11', 'a-very-long-distributor-customer-id-123');
    expect(long.length).toBeLessThanOrEqual(30);
    expect(orderReference('IM', '2026-11', 'a-very-long-distributor-customer-id-123')).toBe(long);
  });
});

describe('Exact Globe XML of the same plan', () => {
  it('validates against eExact-Schema.xsd, escapes names, and summarises what Globe creates', async () => {
    const plan = planOrders({ profile: profile(), catalog, lines: [
      line(2, { customerName: 'Émile & Zoë <B.V.>' }),
      line(3, { sku: 'BOEK', quantity: 2, unitPrice: 30 }),
      line(4, { customerId: 'IM-3', kvk: '80158538', customerName: "O'Brien" }),
      line(5, { customerId: 'IM-9', kvk: null, customerName: 'Blocked' }),
    ] });
    const xml = buildGlobeXml(plan);
    expect(xml).toContain('<Order type="V">');
    expect(xml).toContain('<Debtor code="20001"');
    expect(xml).toContain('Émile &amp; Zoë &lt;B.V.&gt;');
    expect(xml).not.toContain('IM-2026-11-IM-9');
    const result = await validateGlobeXml(xml, xsd);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(globeSummary(plan)).toMatchObject({ orders: 2, customers: 2, lines: 3, heldBack: 1, net: 183.6 });
  });

  it('the validator catches what Globe would refuse (elements out of order)', async () => {
    const plan = planOrders({ profile: profile(), catalog, lines: [line(2, {})] });
    const broken = buildGlobeXml(plan).replace(/<YourRef>([^<]*)<\/YourRef>\s*/, '').replace('<Date>', '<YourRef>X</YourRef><Date>').replace(/<Description>/, '<Date>2026-11-30</Date><Description>');
    const result = await validateGlobeXml(broken, xsd);
    expect(result.valid).toBe(false);
    expect(result.errors[0].message).toMatch(/not expected|Expected/);
  });

  it('the shipped sample report plans and validates once its customers and products are mapped', async () => {
    const report = parseBillingReport(readFileSync(join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv'), 'utf8'), 'x.csv');
    const skus = [...new Set(report.lines.map((l) => l.sku))];
    const customers = [...new Set(report.lines.map((l) => l.customerId))];
    let mapping: OrderMapping = { customers: {}, products: {} };
    for (const sku of skus) mapping = withProduct(mapping, sku, { itemId: guid(101), itemCode: 'M365-BP', itemDescription: 'x', unitPrice: null, vatCode: null });
    customers.forEach((c, i) => { mapping = withCustomer(mapping, c, { accountId: guid(1 + (i % 3)), accountCode: String(20001 + i), accountName: c }); });
    const plan = planOrders({ profile: profile(mapping), catalog, lines: report.lines });
    expect(plan.heldBack).toEqual([]);
    expect(plan.orders).toHaveLength(10);
    expect((await validateGlobeXml(buildGlobeXml(plan), xsd)).valid).toBe(true);
  });
});
