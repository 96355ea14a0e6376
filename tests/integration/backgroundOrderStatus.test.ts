import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderStatusDivision, withOrderStatus } from '../../gateway/background/orderStatusChunk';
import { orderStatusScheduleId } from '../../src/orders/statusRefresh';
import { createMemoryLogger } from '../../gateway/log';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

/**
 * The order status refresh as a scheduled background job: app-only SharePoint, Exact through the
 * gateway's proxy in process, one chunk. Real HTTP on 127.0.0.1 against the stand-ins.
 */
describe('order status in the background', () => {
  let h: BackgroundHarness;
  let itemId: number;
  let invoiceNumber: number;
  const salesOrder = () => h.sp.items('Sales Orders').find((i) => i.Id === itemId)!;

  beforeAll(async () => {
    h = await startBackgroundHarness({ accounts: 20, unlimitedExact: true });
    await h.grant(['write']);
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: `${h.sandbox.url}/exact/api/v1/`, getAccessToken: async () => h.exact.issueTokens().access_token, timeoutMs: 20_000 }));
    const catalog = await readDivisionCatalog(connection, h.division);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const order = await createSalesOrderTarget(connection).create(h.division, {
      yourRef: 'CRM-SO-3001', description: 'Scheduled status', accountId: catalog.accounts[0].id, orderDate: '2026-12-01', paymentCondition: '30',
      lines: [{ itemId: item.id, description: item.description, quantity: 4, unitPrice: 80, vatCode: item.salesVatCode! }],
    });
    const ownerSp = createCrmSp(siteContext(h.siteUrl), h.siteUrl);
    await createListProvisioner(ownerSp).ensure('Sales Orders');
    const added = await ownerSp.web.lists.getByTitle('Sales Orders').items.add({ Title: 'SO-3001', ExactReference: 'CRM-SO-3001', ExactOrderId: order.orderId, ExactDivision: h.division, OrderStatus: 'In Exact' });
    itemId = added.Id as number;
    const { invoice } = h.exact.invoiceSalesOrder(h.division, order.orderId);
    invoiceNumber = Number(invoice.InvoiceNumber);
    h.exact.registerPayment(h.division, invoiceNumber);
  }, 120_000);
  afterAll(async () => h?.close());

  const chunk = () => withOrderStatus(async () => ({ kind: 'failed', reason: 'not an import' }), { proxy: h.gateway.proxy, app: h.app, store: h.store, clock: h.clock, logger: createMemoryLogger(), instanceId: 'instance-1' });
  const request = () => ({ siteUrl: h.siteUrl, profileId: orderStatusScheduleId(h.division), trigger: { kind: 'schedule' as const }, budgetMs: 60_000 });

  it('names its schedules apart from import profiles', () => {
    expect(orderStatusDivision(orderStatusScheduleId(2950001))).toBe(2950001);
    expect(orderStatusDivision('companies')).toBeUndefined();
    expect(orderStatusDivision('order-status-')).toBeUndefined();
  });

  it('a scheduled run writes Paid onto the CRM order as the app; the next run writes nothing', async () => {
    const first = await chunk()(request());
    expect(first).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(salesOrder().values).toMatchObject({ PaymentStatus: 'Paid', InvoiceNumber: invoiceNumber, OpenAmount: 0, ExactOrderStatus: 'Complete' });
    const version = salesOrder().version;
    const second = await chunk()(request());
    expect(second).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(salesOrder().version).toBe(version);
  });

  it('import profiles still go to the import chunk', async () => {
    expect(await chunk()({ ...request(), profileId: 'companies' })).toEqual({ kind: 'failed', reason: 'not an import' });
  });
});
