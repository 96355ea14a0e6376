import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { OrderRunBusyError, sendOrders, undoOrders } from '../../src/orders/exactOnline';
import type { DivisionCatalog, OrderPlan } from '../../src/orders/plan';
import { NL, startExact, type Harness } from '../support/exactEmulatorHarness';
import { memoryOrderRuns } from '../support/memoryOrderRuns';
import { faultyTransport, sampleOrderPlan } from '../support/orderFixtures';

describe('billing report → Exact Online sales orders, exactly once', () => {
  let h: Harness;
  let faulty: ReturnType<typeof faultyTransport>;
  let catalog: DivisionCatalog;
  let plan: OrderPlan;
  const target = () => createSalesOrderTarget(new ExactConnection(faulty.transport));
  let seq = 0;
  const now = () => new Date(Date.UTC(2026, 11, 1, 9, 0, seq++)).toISOString();
  const ours = () => h.control.salesOrders(NL).filter((o) => String(o.order.YourRef).startsWith('IM-2026-11-'));

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '60' } });
    const token = h.control.issueTokens().access_token;
    faulty = faultyTransport(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 20_000 }));
    catalog = await readDivisionCatalog(new ExactConnection(faulty.transport), NL);
    // The admin maps once: the customer without a KvK number, and each SKU to a licence or contract item.
    plan = sampleOrderPlan(catalog);
  });
  afterAll(async () => h?.sandbox.close());
  // Each test starts with a fresh minute of Exact's budget (60 calls), as a run started a minute later would.
  beforeEach(() => {
    faulty.reset();
    h.control.resetCounters();
  });

  async function clearOrders(): Promise<void> {
    const t = target();
    for (const { order } of ours()) await t.delete(NL, String(order.OrderID)).catch(() => undefined);
  }

  it('the sample report is fully mapped: KvK finds nine customers, the tenth was chosen once', () => {
    expect(plan.blockedCustomers).toEqual([]);
    expect(plan.blockedProducts).toEqual([]);
    expect(plan.orders).toHaveLength(10);
    expect(plan.orders.filter((o) => o.accountVia === 'kvk')).toHaveLength(9);
  });

  it('creates one order per customer with one POST each; a re-run creates nothing and costs only the lookup', async () => {
    await clearOrders();
    h.control.resetCounters();
    const runs = memoryOrderRuns();
    const progress: number[] = [];
    const first = await sendOrders({ plan, profileId: 'p1', division: NL, user: 'admin', runId: 'r1', target: target(), runs, now, onProgress: (p) => progress.push(p.done) });
    expect(first.entries.map((e) => e.outcome)).toEqual(Array(10).fill('created'));
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(faulty.requests.filter((r) => r.method === 'POST')).toHaveLength(10);
    expect(ours()).toHaveLength(10);
    const order = ours().find((o) => o.order.YourRef === 'IM-2026-11-IM-100231')!;
    const planned = plan.orders.find((o) => o.reference === 'IM-2026-11-IM-100231')!;
    expect(order.order.AmountFCExclVat).toBe(planned.net);
    expect(order.order.AmountFC).toBe(planned.gross);
    expect(order.lines).toHaveLength(planned.lines.length);

    faulty.reset();
    const again = await sendOrders({ plan, profileId: 'p1', division: NL, user: 'admin', runId: 'r2', target: target(), runs, now });
    expect(again.entries.map((e) => e.outcome)).toEqual(Array(10).fill('linked'));
    expect(again.entries[0].orderNumber).toBe(first.entries[0].orderNumber);
    expect(faulty.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(faulty.requests).toHaveLength(1);
    expect(ours()).toHaveLength(10);
  });

  it('a lost answer is settled by the YourRef lookup; an order Exact does not have (never arrived, or a 503) is not sent again in the run, the next run creates it', async () => {
    await clearOrders();
    const runs = memoryOrderRuns();
    faulty.faults.push({ post: 2, kind: 'lostAnswer' }, { post: 5, kind: 'notSent' }, { post: 8, kind: 'unavailable' });
    const run = await sendOrders({ plan, profileId: 'p2', division: NL, user: 'admin', runId: 'r3', target: target(), runs, now });
    expect(run.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created', 'created', 'failed', 'created', 'created', 'failed', 'created', 'created']);
    expect(run.entries[4].reasons[0]).toBe('Exact did not answer in time; run the profile again — its lookup links the order if Exact made it, otherwise creates it.');
    expect(run.entries.filter((e) => e.outcome === 'created').every((e) => e.orderNumber !== null)).toBe(true);
    // One POST per order: the lost answer was found by the lookup, the other two wait for the next run.
    expect(faulty.requests.filter((r) => r.method === 'POST')).toHaveLength(10);
    expect(ours()).toHaveLength(8);
    faulty.reset();
    const again = await sendOrders({ plan, profileId: 'p2', division: NL, user: 'admin', runId: 'r3b', target: target(), runs, now });
    expect(again.entries.filter((e) => e.outcome === 'created').map((e) => e.reference)).toEqual([run.entries[4].reference, run.entries[7].reference]);
    expect(again.entries.filter((e) => e.outcome === 'linked')).toHaveLength(8);
    expect(faulty.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(ours()).toHaveLength(10);
    expect(new Set(ours().map((o) => o.order.YourRef)).size).toBe(10);
  });

  it('a run cut short (Exact budget spent) resumes by creating only what is missing', async () => {
    await clearOrders();
    const runs = memoryOrderRuns();
    faulty.faults.push({ post: 4, kind: 'budget' });
    await expect(sendOrders({ plan, profileId: 'p3', division: NL, user: 'admin', runId: 'r4', target: target(), runs, now })).rejects.toThrow(/429/);
    const cut = (await runs.get('r4'))!;
    expect(cut.status).toBe('running');
    expect(cut.entries.map((e) => e.outcome)).toEqual(['created', 'created', 'created']);
    expect(ours()).toHaveLength(3);
    faulty.reset();
    const resumed = await sendOrders({ plan, profileId: 'p3', division: NL, user: 'admin', runId: 'r5', target: target(), runs, now });
    expect(resumed.entries.filter((e) => e.outcome === 'linked')).toHaveLength(3);
    expect(resumed.entries.filter((e) => e.outcome === 'created')).toHaveLength(7);
    expect(ours()).toHaveLength(10);
  });

  it('two people at once: the second run is refused while the first holds the profile', async () => {
    await clearOrders();
    const runs = memoryOrderRuns();
    const results = await Promise.allSettled([
      sendOrders({ plan, profileId: 'p4', division: NL, user: 'anna', runId: 'r6', target: target(), runs, now }),
      sendOrders({ plan, profileId: 'p4', division: NL, user: 'bram', runId: 'r7', target: target(), runs, now }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(OrderRunBusyError);
    expect(ours()).toHaveLength(10);
  });

  it('logs Exact\'s refusal per order and field, and sends the rest', async () => {
    await clearOrders();
    const broken: OrderPlan = { ...plan, orders: plan.orders.map((o, i) => (i === 1 ? { ...o, lines: o.lines.map((l) => ({ ...l, itemId: '00000000-0000-4000-8000-000000000001' })) } : o)) };
    const run = await sendOrders({ plan: broken, profileId: 'p5', division: NL, user: 'admin', runId: 'r8', target: target(), runs: memoryOrderRuns(), now });
    expect(run.entries[1]).toMatchObject({ outcome: 'failed', orderId: null });
    expect(run.entries[1].reasons[0]).toBe('Ongeldige referentie: Artikel (regel 1)');
    expect(run.entries.filter((e) => e.outcome === 'created')).toHaveLength(9);
    expect(h.control.errorCount(NL, 'salesorder/SalesOrders')).toBeGreaterThanOrEqual(1);
  });

  it('a reference used in Exact by another customer\'s order is not linked: that order fails naming it, the rest are created', async () => {
    await clearOrders();
    const planned = plan.orders[0];
    const stranger = catalog.accounts.find((a) => !plan.orders.some((o) => o.account.id === a.id))!;
    // Another CRM site with the same prefix made an order for its own customer under this reference.
    const theirs = await target().create(NL, { yourRef: planned.reference, description: 'other site', accountId: stranger.id, orderDate: '2026-11-30', paymentCondition: null, lines: planned.lines.slice(0, 1).map(({ itemId, description, quantity, unitPrice, vatCode }) => ({ itemId, description, quantity, unitPrice, vatCode })) });
    expect(theirs.orderedBy).toBe(stranger.id.toLowerCase());
    faulty.reset();
    const run = await sendOrders({ plan, profileId: 'p7', division: NL, user: 'admin', runId: 'r10', target: target(), runs: memoryOrderRuns(), now });
    expect(run.entries[0]).toMatchObject({ outcome: 'failed', orderId: null });
    expect(run.entries[0].reasons).toEqual([`Reference ${planned.reference} is already used in Exact by order ${theirs.orderNumber} of another customer (account ${stranger.name}); change the profile's reference prefix.`]);
    expect(run.entries.slice(1).map((e) => e.outcome)).toEqual(Array(9).fill('created'));
    expect(faulty.requests.filter((r) => r.method === 'POST')).toHaveLength(9);
    const lookup = faulty.requests.find((r) => r.method === 'GET')!;
    expect(decodeURIComponent(lookup.path)).toContain('OrderedBy');
  });

  it('undo deletes the open orders the run created and refuses a delivered one with the reason', async () => {
    await clearOrders();
    const runs = memoryOrderRuns();
    const run = await sendOrders({ plan, profileId: 'p6', division: NL, user: 'admin', runId: 'r9', target: target(), runs, now });
    const fulfilled = run.entries[3];
    h.control.fulfilSalesOrder(NL, fulfilled.orderId!);
    const undone = await undoOrders({ runId: 'r9', target: target(), runs, now });
    expect(undone.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(9);
    const refused = undone.undo.find((u) => u.outcome === 'refused')!;
    expect(refused.reference).toBe(fulfilled.reference);
    expect(refused.reason).toMatch(/status 21.*only open orders are deleted/);
    expect(undone.status).toBe('finished');
    expect(ours().map((o) => o.order.YourRef)).toEqual([fulfilled.reference]);
    // Undo again: nothing more to delete, the refusal stands, nothing fails.
    const twice = await undoOrders({ runId: 'r9', target: target(), runs, now });
    expect(twice.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(9);
    expect(twice.undo.filter((u) => u.outcome === 'refused')).toHaveLength(1);
  });
});
