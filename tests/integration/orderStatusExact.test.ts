import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createOrderStatusList } from '../../src/crm/orderStatusList';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createOrderStatusReader, firstCursor } from '../../src/exact/orderStatus';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { refreshOrderStatus, type OrderStatusRefreshDeps } from '../../src/orders/statusRefresh';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';
import { NL, startExact, type Harness } from '../support/exactEmulatorHarness';
import { MemoryDocuments } from '../support/memoryStores';

const day = 86_400_000;

describe('status back: an order invoiced and paid in Exact shows Paid on the CRM order', () => {
  let h: Harness;
  let crm: CrmSandbox;
  let deps: OrderStatusRefreshDeps;
  let connection: ExactConnection;
  const orders: Record<string, { orderId: string; itemId: number }> = {};

  const crmItem = async (itemId: number): Promise<Record<string, unknown>> =>
    (await crm.sp.web.lists.getByTitle('Sales Orders').items.getById(itemId).select('PaymentStatus', 'InvoiceNumber', 'InvoiceStatus', 'InvoiceAmount', 'OpenAmount', 'InvoiceDueDate', 'LastPaymentDate', 'ExactOrderId', 'ExactOrderNumber', 'ExactOrderStatus', 'StatusCheckedAt')()) as Record<string, unknown>;

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '30' } });
    crm = await startCrmSandbox();
    await createListProvisioner(crm.sp).ensure('Sales Orders');
    // The test clock moves weeks ahead; a token issued at the moment of each call never expires under it.
    connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => h.control.issueTokens().access_token, timeoutMs: 20_000 }));
    const catalog = await readDivisionCatalog(connection, NL);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const company = await crm.sp.web.lists.getByTitle('Companies').items.add({ Title: catalog.accounts[0].name });
    const target = createSalesOrderTarget(connection);
    for (const ref of ['CRM-SO-0001', 'CRM-SO-0002', 'CRM-SO-0003']) {
      const order = await target.create(NL, {
        yourRef: ref, description: `Order ${ref}`, accountId: catalog.accounts[0].id, orderDate: '2026-11-21', paymentCondition: '30',
        lines: [{ itemId: item.id, description: item.description, quantity: 2, unitPrice: 100, vatCode: item.salesVatCode! }],
      });
      // As the send side writes back: the reference always, the order id only for the first two (the third is found by YourRef).
      const added = await crm.sp.web.lists.getByTitle('Sales Orders').items.add({
        Title: ref.replace('CRM-', ''), CompanyId: company.Id, OrderStatus: 'In Exact', ExactReference: ref,
        ...(ref === 'CRM-SO-0003' ? {} : { ExactOrderId: order.orderId, ExactOrderNumber: order.orderNumber }), ExactDivision: NL,
      });
      orders[ref] = { orderId: order.orderId, itemId: added.Id as number };
    }
    deps = { reader: createOrderStatusReader(connection), crm: createOrderStatusList(crm.sp), documents: new MemoryDocuments(), clock: h.clock, firstCursor };
  });
  afterAll(async () => {
    await h?.sandbox.close();
    await crm?.close();
  });

  it('before invoicing: order number and status arrive, Not invoiced', async () => {
    const result = await refreshOrderStatus(deps, NL);
    expect(result.failures).toEqual([]);
    expect(result.orders).toBe(3);
    expect(await crmItem(orders['CRM-SO-0003'].itemId)).toMatchObject({ ExactOrderId: orders['CRM-SO-0003'].orderId, ExactOrderStatus: 'Open', PaymentStatus: 'Not invoiced', InvoiceNumber: null });
  });

  it('invoiced, part paid, then paid: Partly paid, then Paid with the payment date; the second refresh reads only changes and writes nothing', async () => {
    const { invoice } = h.control.invoiceSalesOrder(NL, orders['CRM-SO-0001'].orderId);
    h.control.invoiceSalesOrder(NL, orders['CRM-SO-0002'].orderId);
    const total = Number(invoice.AmountDC);
    h.clock.advance(3 * day);
    h.control.registerPayment(NL, Number(invoice.InvoiceNumber), { amount: 100 });
    let result = await refreshOrderStatus(deps, NL);
    expect(result.updated).toBe(2);
    expect(await crmItem(orders['CRM-SO-0001'].itemId)).toMatchObject({
      ExactOrderStatus: 'Complete', InvoiceNumber: invoice.InvoiceNumber, InvoiceStatus: 'Processed', InvoiceAmount: total,
      OpenAmount: total - 100, PaymentStatus: 'Partly paid', InvoiceDueDate: '2026-12-21T00:00:00Z', LastPaymentDate: '2026-11-24T00:00:00Z',
    });
    expect(await crmItem(orders['CRM-SO-0002'].itemId)).toMatchObject({ PaymentStatus: 'Unpaid', OpenAmount: total });

    h.clock.advance(day);
    h.control.registerPayment(NL, String(invoice.InvoiceID));
    result = await refreshOrderStatus(deps, NL);
    expect(result).toMatchObject({ updated: 1, paid: 1, overdue: 0, failures: [] });
    expect(await crmItem(orders['CRM-SO-0001'].itemId)).toMatchObject({ OpenAmount: 0, PaymentStatus: 'Paid', LastPaymentDate: '2026-11-25T00:00:00Z' });

    h.control.resetCounters();
    const before = await crmItem(orders['CRM-SO-0001'].itemId);
    result = await refreshOrderStatus(deps, NL);
    expect(result).toMatchObject({ updated: 0, read: { orders: 0, invoices: 0 } });
    // One page each of the order headers, the invoices, the receivables (the last changed one again: `Modified ge`) and deleted invoices.
    expect(h.control.calls(NL)).toBe(4);
    expect(result.read.receivables).toBeLessThanOrEqual(1);
    expect((await crmItem(orders['CRM-SO-0001'].itemId)).StatusCheckedAt).toBe(before.StatusCheckedAt);
  });

  it('an unpaid invoice becomes Overdue after its due date without anything changing in Exact', async () => {
    h.clock.advance(30 * day);
    const result = await refreshOrderStatus(deps, NL);
    expect(result).toMatchObject({ updated: 1, overdue: 1, read: { orders: 0, invoices: 0 } });
    expect(await crmItem(orders['CRM-SO-0002'].itemId)).toMatchObject({ PaymentStatus: 'Overdue' });
    expect(await crmItem(orders['CRM-SO-0001'].itemId)).toMatchObject({ PaymentStatus: 'Paid' });
  });

  it('two refreshes at once write the same values and create nothing', async () => {
    h.control.registerPayment(NL, Number((await crmItem(orders['CRM-SO-0002'].itemId)).InvoiceNumber));
    const both = await Promise.all([refreshOrderStatus(deps, NL), refreshOrderStatus(deps, NL)]);
    expect(both.every((r) => r.failures.length === 0)).toBe(true);
    const items = await crm.sp.web.lists.getByTitle('Sales Orders').items.select('Id')();
    expect(items).toHaveLength(3);
    expect(await crmItem(orders['CRM-SO-0002'].itemId)).toMatchObject({ PaymentStatus: 'Paid', OpenAmount: 0 });
  });

  it('a person does the same in the stand-in\'s invoicing page: invoice an order, then pay part and the rest', async () => {
    const catalog = await readDivisionCatalog(connection, NL);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const order = await createSalesOrderTarget(connection).create(NL, {
      yourRef: 'CRM-SO-0004', description: 'Order by hand', accountId: catalog.accounts[1].id, orderDate: '2026-12-01', paymentCondition: '14',
      lines: [{ itemId: item.id, description: item.description, quantity: 1, unitPrice: 50, vatCode: item.salesVatCode! }],
    });
    const page = `${h.sandbox.url}/exact/sandbox/invoicing?division=${NL}`;
    const post = (form: Record<string, string>) => fetch(page, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
    const invoiced = await post({ order: order.orderId });
    expect(invoiced.status).toBe(303);
    expect(decodeURIComponent(invoiced.headers.get('location') ?? '')).toMatch(/Invoice \d+ made, due \d{4}-\d{2}-\d{2}\./);
    const listed = await (await fetch(page)).text();
    expect(listed).toContain('Register payment');
    const invoiceId = /name="invoice" value="([^"]+)"/.exec(listed)![1];
    expect((await post({ invoice: invoiceId, amount: '10,50' })).status).toBe(303);
    expect((await post({ invoice: invoiceId, amount: 'lots' })).headers.get('location')).toContain(encodeURIComponent('"lots" is not an amount.'));
    expect((await post({ invoice: invoiceId })).status).toBe(303);
    const after = await (await fetch(page)).text();
    expect(after).toMatch(/CRM-SO-0004[\s\S]*?Paid<\/td>/);
  });

  it('one $batch for the updates; an order SharePoint refuses is named with its reason, the others are written', async () => {
    const list = createOrderStatusList(crm.sp);
    crm.control.resetCounts();
    const results = await list.write([
      { itemId: 9999, title: 'SO-GONE', fields: { PaymentStatus: 'Paid', StatusCheckedAt: '2026-12-07T10:00:00.000Z' } },
      { itemId: orders['CRM-SO-0001'].itemId, title: 'SO-0001', fields: { InvoiceDueDate: '2026-12-24', StatusCheckedAt: '2026-12-07T10:00:00.000Z' } },
    ]);
    expect(crm.control.counts().batches).toBe(1);
    expect(results[0]).toMatchObject({ itemId: 9999, ok: false, reason: expect.stringContaining('404') });
    expect(results[1]).toEqual({ itemId: orders['CRM-SO-0001'].itemId, ok: true });
    expect((await crmItem(orders['CRM-SO-0001'].itemId)).InvoiceDueDate).toBe('2026-12-24T00:00:00Z');
  });

  it('reads only the orders in Exact of this division (or of none), with their columns as the refresh compares them', async () => {
    const list = crm.sp.web.lists.getByTitle('Sales Orders');
    await list.items.add({ Title: 'SO-DRAFT', OrderStatus: 'Draft' });
    await list.items.add({ Title: 'SO-BE', ExactReference: 'CRM-SO-BE', ExactOrderId: '0b6f3c2e-9999-4a5b-9c8d-000000000009', ExactDivision: 2950002 });
    const noDivision = await list.items.add({ Title: 'SO-NODIV', ExactReference: 'CRM-SO-NODIV' });
    const read = await createOrderStatusList(crm.sp).read(NL);
    expect(read.map((o) => o.title).sort()).toEqual(['SO-0001', 'SO-0002', 'SO-0003', 'SO-NODIV']);
    expect(read.find((o) => o.itemId === noDivision.Id)).toMatchObject({ exactReference: 'CRM-SO-NODIV', division: null, fields: { ExactOrderId: null, PaymentStatus: null, InvoiceDueDate: null } });
    expect(read.find((o) => o.itemId === orders['CRM-SO-0001'].itemId)?.fields).toMatchObject({ PaymentStatus: 'Paid', InvoiceDueDate: '2026-12-24', ExactOrderId: orders['CRM-SO-0001'].orderId });
  });
  it('R2: an order deleted in Exact (a run undone) is read from sync/Deleted and the CRM order no longer names it', async () => {
    const catalog = await readDivisionCatalog(connection, NL);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const target = createSalesOrderTarget(connection);
    const order = await target.create(NL, {
      yourRef: 'CRM-SO-0005', description: 'Order undone', accountId: catalog.accounts[0].id, orderDate: '2026-12-01', paymentCondition: '30',
      lines: [{ itemId: item.id, description: item.description, quantity: 1, unitPrice: 10, vatCode: item.salesVatCode! }],
    });
    const added = await crm.sp.web.lists.getByTitle('Sales Orders').items.add({
      Title: 'SO-0005', OrderStatus: 'In Exact', ExactReference: 'CRM-SO-0005', ExactOrderId: order.orderId, ExactOrderNumber: order.orderNumber, ExactDivision: NL,
    });
    await refreshOrderStatus(deps, NL);
    expect(await crmItem(added.Id as number)).toMatchObject({ ExactOrderStatus: 'Open', ExactOrderNumber: order.orderNumber });
    await target.delete(NL, order.orderId);
    const result = await refreshOrderStatus(deps, NL);
    expect(result.failures).toEqual([]);
    expect(await crmItem(added.Id as number)).toMatchObject({ ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null, PaymentStatus: 'Not invoiced' });
  });
});
