import { describe, expect, it } from 'vitest';
import { sendOrders } from '../../src/orders/exactOnline';
import type { OrderPlan, PlannedOrder } from '../../src/orders/plan';
import { OrderOutcomeUnknownError, type ExactOrder, type OrderDraft, type SalesOrderTarget } from '../../src/orders/ports';
import { orderBecause, renderOrderReason } from '../../src/orders/reasons';
import { documentOrderRuns } from '../../src/orders/stores';
import { MemoryDocuments } from '../support/memoryStores';
import { memoryOrderRuns } from '../support/memoryOrderRuns';

const minute = 60_000;

function plannedOrder(n: number, accountId = 'acc-1'): PlannedOrder {
  const line = { sourceLine: n, itemId: 'item-1', itemCode: 'LIC-1', description: 'Licence', quantity: 2, unitPrice: 10, discount: 0, vatCode: '2', vatPercentage: 21, net: 20, vat: 4.2 };
  return {
    reference: `IM-${n}`, description: 'November', customerId: `C${n}`, customerName: `Customer ${n}`,
    account: { id: accountId, code: `${n}`, name: `Customer ${n}` }, accountVia: 'mapping', period: '2026-11', orderDate: '2026-11-30',
    paymentCondition: null, lines: [line], sourceLines: 1, unplannedLines: [], totals: [{ vatCode: '2', percentage: 21, net: 20, vat: 4.2, gross: 24.2 }], net: 20, gross: 24.2,
  };
}
const planOf = (orders: PlannedOrder[]): OrderPlan => ({ orders, blockedCustomers: [], blockedProducts: [], heldBack: [] });

/** Exact in memory: the orders it holds, each POST it was sent, and a hook run before each POST. */
function memoryExact(beforePost: (draft: OrderDraft) => Promise<void> = async () => undefined) {
  const held: ExactOrder[] = [];
  const posts: OrderDraft[] = [];
  const target: SalesOrderTarget = {
    findByReference: async (_, refs) => held.filter((o) => refs.includes(o.yourRef)),
    get: async (_, ids) => held.filter((o) => ids.includes(o.orderId)),
    create: async (_, draft) => {
      await beforePost(draft);
      posts.push(draft);
      const order = { orderId: `o-${posts.length}`, orderNumber: 260000 + posts.length, yourRef: draft.yourRef, status: 12, statusText: 'Open', moved: false, orderedBy: draft.accountId, orderedByName: null };
      held.push(order);
      return order;
    },
    delete: async () => undefined,
  };
  return { target, held, posts };
}

describe('the order run lock', () => {
  it('a live run is never taken over, however long it runs and however far ahead the other PC\'s clock is', async () => {
    const documents = new MemoryDocuments();
    let anna = 1_000_000;
    let bram = anna + 2 * 60 * minute; // Bram's PC is two hours ahead.
    const annaRuns = documentOrderRuns(documents, { now: () => anna });
    const bramRuns = documentOrderRuns(documents, { now: () => bram });
    const run = { id: 'r1', profileId: 'p', division: 1, user: 'anna', startedAt: 'x', finishedAt: null, status: 'running' as const, entries: [], undo: [] };
    expect(await annaRuns.acquire('p', 'r1', 'anna')).toBe(true);
    expect(await bramRuns.acquire('p', 'b1', 'bram')).toBe(false);
    // Anna's run goes on for two hours, saving (and so renewing its claim) as it goes.
    for (let look = 2; look <= 5; look++) {
      anna += 31 * minute;
      bram += 31 * minute;
      await annaRuns.save(run, 'r1');
      expect(await bramRuns.acquire('p', `b${look}`, 'bram')).toBe(false);
    }
    // Anna's PC crashes: her claim stops changing. Bram's next look, 31 minutes on his clock, takes it over.
    bram += 31 * minute;
    expect(await bramRuns.acquire('p', 'b6', 'bram')).toBe(true);
  });

  it('a claim silent for half a day by its holder\'s clock is stale at first sight; a fresh one is not', async () => {
    const documents = new MemoryDocuments();
    let now = 0;
    const runs = documentOrderRuns(documents, { now: () => now });
    expect(await runs.acquire('p', 'crashed', 'anna')).toBe(true);
    now += 31 * minute;
    expect(await runs.acquire('p', 'next', 'cees')).toBe(false);
    now += 12 * 60 * minute;
    expect(await runs.acquire('p', 'later', 'dirk')).toBe(true);
  });

  it('sendOrders renews its claim while it runs: a second run is refused at 10 minutes and again 40 minutes later', async () => {
    const documents = new MemoryDocuments();
    let now = 1_000_000;
    const clock = { now: () => now };
    const second: boolean[] = [];
    const exact = memoryExact(async (draft) => {
      now += 10 * minute; // 60 calls a minute and thousands of orders: each order here takes ten minutes.
      if (draft.yourRef === 'IM-1' || draft.yourRef === 'IM-5') second.push(await documentOrderRuns(documents, clock).acquire('p', 'other', 'bram'));
    });
    const plan = planOf([1, 2, 3, 4, 5].map((n) => plannedOrder(n)));
    const run = await sendOrders({ plan, profileId: 'p', division: 1, user: 'anna', runId: 'r1', target: exact.target, runs: documentOrderRuns(documents, clock), now: () => new Date(now).toISOString() });
    expect(run.entries.map((e) => e.outcome)).toEqual(Array(5).fill('created'));
    expect(second).toEqual([false, false]);
  });
});

describe('a lost answer', () => {
  it('is never POSTed again in the run: the order fails with the reason, and the next run links what Exact made', async () => {
    const exact = memoryExact();
    const committing: ExactOrder[] = [];
    const target: SalesOrderTarget = {
      ...exact.target,
      create: async (division, draft) => {
        if (draft.yourRef === 'IM-2' && committing.length === 0) {
          // Exact got the POST but is still committing it when the gateway gives up.
          exact.posts.push(draft);
          committing.push({ orderId: 'o-late', orderNumber: 269999, yourRef: draft.yourRef, status: 12, statusText: 'Open', moved: false, orderedBy: draft.accountId, orderedByName: null });
          throw new OrderOutcomeUnknownError('Exact did not answer the order IM-2: timeout of 30000ms exceeded');
        }
        return exact.target.create(division, draft);
      },
    };
    const plan = planOf([1, 2, 3].map((n) => plannedOrder(n)));
    const runs = memoryOrderRuns();
    const first = await sendOrders({ plan, profileId: 'p', division: 1, user: 'anna', runId: 'r1', target, runs, now: () => '2026-12-01T09:00:00Z' });
    expect(first.entries.map((e) => e.outcome)).toEqual(['created', 'failed', 'created']);
    expect(first.entries[1].reasons[0]).toEqual(orderBecause('unanswered'));
    expect(renderOrderReason(first.entries[1].reasons[0])).toBe('Exact did not answer in time; run the profile again — its lookup links the order if Exact made it, otherwise creates it.');
    expect(exact.posts.map((d) => d.yourRef)).toEqual(['IM-1', 'IM-2', 'IM-3']);
    // Exact finishes committing; the next run links the order instead of making a second one.
    exact.held.push(...committing);
    const second = await sendOrders({ plan, profileId: 'p', division: 1, user: 'anna', runId: 'r2', target, runs, now: () => '2026-12-01T09:05:00Z' });
    expect(second.entries.map((e) => e.outcome)).toEqual(['linked', 'linked', 'linked']);
    expect(second.entries[1].orderNumber).toBe(269999);
    expect(exact.posts).toHaveLength(3);
    expect(exact.held.filter((o) => o.yourRef === 'IM-2')).toHaveLength(1);
  });

  it('is linked by the lookup right after, when Exact has it already', async () => {
    const exact = memoryExact();
    let lost = false;
    const target: SalesOrderTarget = {
      ...exact.target,
      create: async (division, draft) => {
        const made = await exact.target.create(division, draft);
        if (draft.yourRef !== 'IM-1' || lost) return made;
        lost = true;
        throw new OrderOutcomeUnknownError('Exact did not answer the order IM-1: socket hang up');
      },
    };
    const run = await sendOrders({ plan: planOf([plannedOrder(1)]), profileId: 'p', division: 1, user: 'anna', runId: 'r1', target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(run.entries[0]).toMatchObject({ outcome: 'created', orderNumber: 260001 });
    expect(exact.posts).toHaveLength(1);
  });
});

describe('a reference another customer already uses', () => {
  const other = (yourRef: string): ExactOrder => ({ orderId: 'o-other', orderNumber: 250007, yourRef, status: 12, statusText: 'Open', moved: false, orderedBy: 'acc-9', orderedByName: 'Kapsalon Knip' });

  it('is not linked: the order fails naming the other customer\'s order, and nothing is sent for it', async () => {
    const exact = memoryExact();
    exact.held.push(other('IM-2'));
    const run = await sendOrders({ plan: planOf([plannedOrder(1), plannedOrder(2), plannedOrder(3)]), profileId: 'p', division: 1, user: 'anna', runId: 'r1', target: exact.target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(run.entries.map((e) => e.outcome)).toEqual(['created', 'failed', 'created']);
    expect(run.entries[1]).toMatchObject({ orderId: null, orderNumber: null });
    expect(run.entries[1].reasons).toEqual([orderBecause('referenceOtherOrder', 'IM-2', 250007, 'Kapsalon Knip')]);
    expect(run.entries[1].reasons.map((r) => renderOrderReason(r))).toEqual(['Reference IM-2 is already used in Exact by order 250007 of another customer (account Kapsalon Knip); change the profile\'s reference prefix.']);
    expect(exact.posts.map((d) => d.yourRef)).toEqual(['IM-1', 'IM-3']);
  });

  it('is linked when one of the orders with it is the planned customer\'s (account ids in any case)', async () => {
    const exact = memoryExact();
    exact.held.push(other('IM-1'), { ...other('IM-1'), orderId: 'o-ours', orderNumber: 250008, orderedBy: 'ACC-1' });
    const run = await sendOrders({ plan: planOf([plannedOrder(1)]), profileId: 'p', division: 1, user: 'anna', runId: 'r1', target: exact.target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(run.entries[0]).toMatchObject({ outcome: 'linked', orderId: 'o-ours', orderNumber: 250008 });
    expect(exact.posts).toHaveLength(0);
  });

  it('found right after a lost answer is not taken for ours either', async () => {
    const exact = memoryExact();
    const target: SalesOrderTarget = {
      ...exact.target,
      create: async (_, draft) => {
        exact.held.push(other(draft.yourRef));
        throw new OrderOutcomeUnknownError('Exact did not answer the order IM-1: timeout of 30000ms exceeded');
      },
    };
    const run = await sendOrders({ plan: planOf([plannedOrder(1)]), profileId: 'p', division: 1, user: 'anna', runId: 'r1', target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(run.entries[0]).toMatchObject({ outcome: 'failed', orderId: null });
    expect(run.entries[0].reasons[0]!.code).toBe('referenceOtherOrder');
    expect(renderOrderReason(run.entries[0].reasons[0]!)).toMatch(/^Reference IM-1 is already used in Exact by order 250007 of another customer/);
  });
});

describe('a discounted line', () => {
  it('goes to Exact at its net unit price, without Exact\'s Discount, so Exact\'s amount is the preview\'s', async () => {
    const exact = memoryExact();
    const order = plannedOrder(1);
    order.lines = [{ ...order.lines[0], unitPrice: 1349, discount: 10, quantity: 2, net: 2428.2 }];
    await sendOrders({ plan: planOf([order]), profileId: 'p', division: 1, user: 'anna', runId: 'r1', target: exact.target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(exact.posts[0].lines).toEqual([{ itemId: 'item-1', description: 'Licence', quantity: 2, unitPrice: 1214.1, vatCode: '2' }]);
  });
});

describe('an order held back', () => {
  it('names only the products it waits for, not those on another customer\'s lines', async () => {
    const waiting = (n: number, sourceLine: number): PlannedOrder => ({ ...plannedOrder(n), lines: [], sourceLines: 1, unplannedLines: [sourceLine], totals: [], net: 0, gross: 0 });
    const plan: OrderPlan = {
      orders: [waiting(1, 11), waiting(2, 12), plannedOrder(3)],
      blockedCustomers: [],
      blockedProducts: [
        { sku: 'ESET-PROTECT', description: 'ESET', lines: [11], reason: 'unmapped' },
        { sku: 'M365-BP', description: 'Microsoft 365', lines: [12], reason: 'unknownVat', vatCode: '9' },
      ],
      heldBack: ['IM-1', 'IM-2'],
    };
    const exact = memoryExact();
    const run = await sendOrders({ plan, profileId: 'p', division: 1, user: 'anna', runId: 'r1', target: exact.target, runs: memoryOrderRuns(), now: () => '2026-12-01T09:00:00Z' });
    expect(run.entries.map((e) => [e.reference, e.outcome, e.reasons])).toEqual([
      ['IM-1', 'blocked', [orderBecause('productUnmapped', 'ESET-PROTECT')]],
      ['IM-2', 'blocked', [orderBecause('vatUnknown', '9', 'M365-BP')]],
      ['IM-3', 'created', []],
    ]);
  });
});
