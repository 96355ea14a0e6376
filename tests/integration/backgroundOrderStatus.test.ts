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
import { createEmbeddedQueue } from '../../gateway/background/embeddedQueue';
import { poisonQueueName, pumpQueue, runQueueName, type MessageQueue } from '../../gateway/background/queue';
import { sandboxApp } from '../../sandbox/exact';
import { demoUsers } from '../../sandbox/idp';

/**
 * The order status refresh as a scheduled background job: app-only SharePoint, Exact through the
 * gateway's proxy in process, one chunk. Real HTTP on 127.0.0.1 against the stand-ins.
 */
describe('order status in the background', () => {
  let h: BackgroundHarness;
  let itemId: number;
  let invoiceNumber: number;
  let queue: MessageQueue;
  let poison: MessageQueue;
  let connection: ExactConnection;
  let accountId: string;
  let itemRef: { id: string; description: string; salesVatCode: string | null };
  const salesOrder = () => h.sp.items('Sales Orders').find((i) => i.Id === itemId)!;

  beforeAll(async () => {
    h = await startBackgroundHarness({
      accounts: 20,
      unlimitedExact: true,
      background: (store, clock) => {
        queue = createEmbeddedQueue(store, runQueueName, clock);
        poison = createEmbeddedQueue(store, poisonQueueName, clock);
        return { queue, webhookSecret: sandboxApp.webhookSecret, budgetMs: 60_000 };
      },
    });
    await h.grant(['write']);
    connection = new ExactConnection(createAxiosTransport({ baseUrl: `${h.sandbox.url}/exact/api/v1/`, getAccessToken: async () => h.exact.issueTokens().access_token, timeoutMs: 20_000 }));
    const catalog = await readDivisionCatalog(connection, h.division);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    itemRef = item;
    accountId = catalog.accounts[0].id;
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

  it('R5: a chunk whose budget runs out between Exact\'s reads answers continue with its state saved; the next chunk finishes', async () => {
    const order = await createSalesOrderTarget(connection).create(h.division, {
      yourRef: 'CRM-SO-3003', description: 'Budget', accountId, orderDate: '2026-12-02', paymentCondition: '30',
      lines: [{ itemId: itemRef.id, description: itemRef.description, quantity: 1, unitPrice: 80, vatCode: itemRef.salesVatCode! }],
    });
    const ownerSp = createCrmSp(siteContext(h.siteUrl), h.siteUrl);
    const third = await ownerSp.web.lists.getByTitle('Sales Orders').items.add({ Title: 'SO-3003', ExactReference: 'CRM-SO-3003', ExactOrderId: order.orderId, ExactDivision: h.division, OrderStatus: 'In Exact' });
    // A clock on which every look takes a second: a one-second budget is spent after the first of Exact's reads.
    let looks = 0;
    const slow = { now: () => h.clock.now() + 1000 * looks++ };
    const deps = { proxy: h.gateway.proxy, app: h.app, store: h.store, logger: createMemoryLogger(), instanceId: 'instance-1' };
    const stopped = await withOrderStatus(async () => ({ kind: 'failed', reason: 'not an import' }), { ...deps, clock: slow })({ ...request(), budgetMs: 1000 });
    expect(stopped).toMatchObject({ kind: 'continue' });
    expect(h.sp.items('Sales Orders').find((i) => i.Id === third.Id)?.values.ExactOrderStatus ?? null).toBeNull();
    const finished = await withOrderStatus(async () => ({ kind: 'failed', reason: 'not an import' }), { ...deps, clock: h.clock })({ ...request(), runId: stopped.runId });
    expect(finished).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(h.sp.items('Sales Orders').find((i) => i.Id === third.Id)?.values).toMatchObject({ ExactOrderStatus: 'Open', PaymentStatus: 'Not invoiced' });
  });

  it('scheduled through the gateway: the timer queues the due refresh and the queue handler runs it as the app', async () => {
    // Since the last refresh: a second CRM order sent, and invoiced in Exact.
    const order = await createSalesOrderTarget(connection).create(h.division, {
      yourRef: 'CRM-SO-3002', description: 'Scheduled status 2', accountId, orderDate: '2026-12-02', paymentCondition: '30',
      lines: [{ itemId: itemRef.id, description: itemRef.description, quantity: 1, unitPrice: 80, vatCode: itemRef.salesVatCode! }],
    });
    const ownerSp = createCrmSp(siteContext(h.siteUrl), h.siteUrl);
    const second = await ownerSp.web.lists.getByTitle('Sales Orders').items.add({ Title: 'SO-3002', ExactReference: 'CRM-SO-3002', ExactOrderId: order.orderId, ExactDivision: h.division, OrderStatus: 'In Exact' });
    const { invoice } = h.exact.invoiceSalesOrder(h.division, order.orderId);
    const paidVersion = salesOrder().version;

    const admin = await h.idp.issueAccessToken(demoUsers.admin);
    const saved = await fetch(`${h.sandbox.url}/gateway/background/schedules/${orderStatusScheduleId(h.division)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteUrl: h.siteUrl, profileName: `Order status, ${h.division}`, division: h.division, spec: { cadence: { kind: 'daily', at: '06:00' }, runOnChanges: false } }),
    });
    expect(saved.status).toBe(200);
    const view = (await saved.json()) as { nextRunAt: number };
    h.clock.set(view.nextRunAt);
    expect(await h.gateway.background!.tick()).toBe(1);
    const background = h.gateway.background!;
    while ((await pumpQueue({ queue, poison, visibilityMs: 120_000, handle: async (text) => void (await background.handleMessage(text)), onPoison: (text) => background.handlePoison(text) })) > 0);

    // The clock moved to the run's slot: a token of that time.
    const later = await h.idp.issueAccessToken(demoUsers.admin);
    const listed = await fetch(`${h.sandbox.url}/gateway/background/schedules?siteUrl=${encodeURIComponent(h.siteUrl)}`, { headers: { authorization: `Bearer ${later}` } });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { schedules: Array<{ profileId: string; lastResult?: { outcome: string; status?: string } }> };
    expect(body.schedules.find((s) => s.profileId === orderStatusScheduleId(h.division))?.lastResult).toMatchObject({ outcome: 'finished', status: 'Completed' });
    expect(h.sp.items('Sales Orders').find((i) => i.Id === second.Id)?.values).toMatchObject({ InvoiceNumber: invoice.InvoiceNumber, PaymentStatus: 'Unpaid', ExactOrderStatus: 'Complete' });
    // The first order, paid and unchanged in Exact, was not written again.
    expect(salesOrder().version).toBe(paidVersion);
  });
});
