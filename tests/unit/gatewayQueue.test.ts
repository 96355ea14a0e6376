import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/core/clock';
import { CircuitBreaker } from '../../gateway/guards';
import { BudgetExhaustedError, DivisionQueue, maxQueuedPerCaller } from '../../gateway/queue';
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
