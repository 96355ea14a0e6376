import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { CircuitBreaker } from '../../gateway/guards';
import { ExactErrorBudget } from '../../gateway/errorBudget';
import { BudgetExhaustedError, CallAbortedError, DivisionQueue, maxQueuedPerCaller } from '../../gateway/queue';
import { SingleFlight } from '../../gateway/singleFlight';
import { createClockSleeper } from '../../gateway/sleeper';

const start = Date.UTC(2026, 10, 23, 9, 0, 0);
const settings = { minuteLimit: 60, dayLimit: 5000, concurrency: 4, maxWaitMs: 5 * 60_000 };

/** A fake Exact: answers each call in turn, with the minutely headers of its own count. */
function fakeExact(clock: TestClock, options: { minuteLimit?: number; used?: number } = {}) {
  const limit = options.minuteLimit ?? 60;
  let minute = Math.floor(clock.now() / 60_000);
  let used = options.used ?? 0;
  const order: string[] = [];
  let rejected = 0;
  const run = (label: string) => async () => {
    const now = Math.floor(clock.now() / 60_000);
    if (now !== minute) {
      minute = now;
      used = 0;
    }
    const headers = {
      'x-ratelimit-minutely-limit': String(limit),
      'x-ratelimit-minutely-remaining': String(Math.max(0, limit - used - 1)),
      'x-ratelimit-minutely-reset': String((minute + 1) * 60_000),
    };
    if (used >= limit) {
      rejected++;
      return { result: label, headers: { ...headers, 'x-ratelimit-minutely-remaining': '0' }, status: 429 };
    }
    used++;
    order.push(label);
    return { result: label, headers, status: 200 };
  };
  return { run, order, rejected: () => rejected };
}

async function drain<T>(clock: TestClock, sleeper: { waiting: number }, work: Array<Promise<T>>): Promise<T[]> {
  let done = false;
  const all = Promise.all(work).finally(() => (done = true));
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (!done && sleeper.waiting > 0) {
      clock.advance(1000);
    }
  }
  return all;
}

describe('DivisionQueue', () => {
  it('takes callers in turn, so a short request is not stuck behind a long import', async () => {
    const clock = new TestClock(start);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, { ...settings, concurrency: 1 });
    const exact = fakeExact(clock);
    const work = [
      ...Array.from({ length: 20 }, (_, i) => queue.enqueue({ callerId: 'import', run: exact.run(`import-${i}`) })),
      ...Array.from({ length: 3 }, (_, i) => queue.enqueue({ callerId: 'panel', run: exact.run(`panel-${i}`) })),
    ];
    await drain(clock, sleeper, work);
    const lastPanel = exact.order.indexOf('panel-2');
    expect(lastPanel).toBeGreaterThan(0);
    expect(lastPanel).toBeLessThan(8);
  });

  it('never sends more than the minute budget and waits for the reset instead of failing', async () => {
    const clock = new TestClock(start + 30_000);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, settings);
    const exact = fakeExact(clock);
    const results = await drain(clock, sleeper, Array.from({ length: 150 }, (_, i) => queue.enqueue({ callerId: `c${i % 3}`, run: exact.run(`call-${i}`) })));
    expect(results).toHaveLength(150);
    expect(exact.rejected()).toBe(0);
    expect(queue.throttled).toBe(0);
    expect(clock.now()).toBeGreaterThanOrEqual(start + 120_000);
  });

  it('lowers its budget from Exact\'s headers when others share it, and resends a 429 instead of passing it on', async () => {
    const clock = new TestClock(start);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, { ...settings, concurrency: 1 });
    // Another app already spent 55 of this minute's 60 calls.
    const exact = fakeExact(clock, { used: 55 });
    const results = await drain(clock, sleeper, Array.from({ length: 10 }, (_, i) => queue.enqueue({ callerId: 'a', run: exact.run(`call-${i}`) })));
    expect(results).toHaveLength(10);
    expect(exact.order).toHaveLength(10);
    // The first answer told the queue only 4 were left: at most one 429 on the way (none here).
    expect(exact.rejected()).toBe(0);
    expect(clock.now()).toBeGreaterThanOrEqual(start + 60_000);
  });

  it('refuses clearly when the day is spent and the reset is hours away', async () => {
    const clock = new TestClock(start);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, { ...settings, dayLimit: 2 });
    const exact = fakeExact(clock);
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, (_, i) => queue.enqueue({ callerId: 'a', run: exact.run(`call-${i}`) })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const reason = (outcomes[2] as PromiseRejectedResult).reason as BudgetExhaustedError;
    expect(reason).toBeInstanceOf(BudgetExhaustedError);
    expect(reason.message).toContain('2026-11-24T00:00:00.000Z');
  });

  it('bounds what one caller may have waiting, and drops calls that waited past the limit', async () => {
    const clock = new TestClock(start);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, { ...settings, minuteLimit: 1, maxWaitMs: 30_000 });
    const exact = fakeExact(clock);
    // The first call goes to Exact at once; the cap counts the ones left waiting behind it.
    const waiting = Array.from({ length: maxQueuedPerCaller + 1 }, (_, i) => queue.enqueue({ callerId: 'flood', run: exact.run(`f-${i}`) }).catch((e: unknown) => e));
    expect(queue.queued).toBe(maxQueuedPerCaller);
    const refused = await queue.enqueue({ callerId: 'flood', run: exact.run('one-too-many') }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExhaustedError);
    expect((refused as Error).message).toContain(`${maxQueuedPerCaller} of your calls`);
    // Another caller is not affected by the flood's cap.
    const other = queue.enqueue({ callerId: 'panel', run: exact.run('panel') }).catch((e: unknown) => e);
    // One call a minute: the first runs at once; by the next minute the rest waited past 30 s and are dropped.
    const outcomes = await drain(clock, sleeper, [...waiting, other]);
    expect(exact.order).toEqual(['f-0']);
    expect(outcomes[0]).toBe('f-0');
    expect(outcomes.filter((o) => o instanceof BudgetExhaustedError)).toHaveLength(maxQueuedPerCaller + 1);
    expect(queue.queued).toBe(0);
  });
});

describe('CircuitBreaker', () => {
  it('opens at the threshold within the hour and keeps no entry for endpoints without errors', () => {
    const clock = new TestClock(start);
    const breaker = new CircuitBreaker(clock, 8, 3600_000);
    for (let i = 0; i < 8; i++) breaker.recordError('t/1/crm/Accounts');
    expect(breaker.openUntil('t/1/crm/Accounts')).toBe(start + 3600_000);
    for (let i = 0; i < 1000; i++) expect(breaker.openUntil(`t/1/salesinvoice/X${i}`)).toBeUndefined();
    clock.advance(3600_001);
    expect(breaker.openUntil('t/1/crm/Accounts')).toBeUndefined();
    expect((breaker as unknown as { errors: Map<string, number[]> }).errors.size).toBe(0);
  });
});

describe('calls whose caller went away', () => {
  it('1,000 aborted queued calls spend none of the budget and do not block their caller', async () => {
    const clock = new TestClock(start);
    const sleeper = createClockSleeper(clock, 1);
    const queue = new DivisionQueue(clock, sleeper, { ...settings, minuteLimit: 10, concurrency: 2 });
    const exact = fakeExact(clock, { minuteLimit: 10 });
    const callers = Array.from({ length: 1000 }, () => new AbortController());
    const dead = callers.map((controller, i) => queue.enqueue({ callerId: 'import', run: exact.run(`dead-${i}`), signal: controller.signal }).then(() => 'sent', (error: Error) => error.name));
    // The first calls of the minute are already out; everything behind them is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const sentBefore = queue.dispatched;
    callers.forEach((controller) => controller.abort());
    const outcomes = await drain(clock, sleeper, dead);
    expect(outcomes.filter((o) => o === 'CallAbortedError')).toHaveLength(1000 - sentBefore);
    expect(queue.queued).toBe(0);
    // Their caller's next call goes out at once, not behind 1,000 dead ones.
    expect(await drain(clock, sleeper, [queue.enqueue({ callerId: 'import', run: exact.run('live') })])).toEqual(['live']);
    expect(queue.dispatched).toBe(sentBefore + 1);
    expect(exact.order).toHaveLength(sentBefore + 1);
    // A signal that already fired never enters the queue.
    const early = new AbortController();
    early.abort();
    await expect(queue.enqueue({ callerId: 'x', run: exact.run('never'), signal: early.signal })).rejects.toBeInstanceOf(CallAbortedError);
  });
});

describe('ExactErrorBudget', () => {
  it('pauses a caller for its own 400/404s, the tenant for 401/403s, and everyone one short of Exact\'s ten', () => {
    const clock = new TestClock(start);
    const budget = new ExactErrorBudget(clock, { sharedThreshold: 8, callerThreshold: 3 });
    for (let i = 0; i < 3; i++) budget.record('k', 'alice', 400);
    expect(budget.check('k', 'alice', 'crm/Accounts')?.code).toBe('caller-paused');
    expect(budget.check('k', 'bob', 'crm/Accounts')).toBeUndefined();
    budget.record('k', 'bob', 500);
    for (let i = 0; i < 5; i++) budget.record('k', 'bob', 403);
    expect(budget.check('k', 'bob', 'crm/Accounts')).toBeUndefined();
    budget.record('k', 'carol', 401);
    // 3 + 6 counted errors: the ninth stops every caller, Alice's own pause still shows first.
    expect(budget.check('k', 'dave', 'crm/Accounts')).toMatchObject({ code: 'endpoint-paused', status: 503 });
    expect(budget.check('k', 'alice', 'crm/Accounts')?.code).toBe('caller-paused');
    clock.advance(3600_001);
    expect(budget.check('k', 'dave', 'crm/Accounts')).toBeUndefined();
    for (let i = 0; i < 8; i++) budget.record('k', `user-${i}`, 401);
    expect(budget.check('k', 'erin', 'crm/Accounts')?.code).toBe('endpoint-paused');
  });
});

describe('SingleFlight', () => {
  it('shares one call between waiters and cancels it only when every waiter has gone', async () => {
    const flights = new SingleFlight<string>();
    let runs = 0;
    let seen: AbortSignal | undefined;
    let finish: (value: string) => void = () => undefined;
    const work = (signal: AbortSignal) => {
      runs++;
      seen = signal;
      return new Promise<string>((resolve) => (finish = resolve));
    };
    const a = new AbortController();
    const b = new AbortController();
    const first = flights.run('key', a.signal, work);
    const second = flights.run('key', b.signal, work);
    a.abort();
    await expect(first).rejects.toMatchObject({ status: 499 });
    expect(seen?.aborted).toBe(false);
    finish('answer');
    expect(await second).toEqual({ answer: 'answer', shared: true });
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
    const c = new AbortController();
    const lone = flights.run('key', c.signal, work);
    c.abort();
    await expect(lone).rejects.toMatchObject({ status: 499 });
    expect(seen?.aborted).toBe(true);
  });
});
