/**
 * One queue per division that spends Exact's budget (60 calls a minute, 5,000 a day per app and
 * division) without ever going over it. Every dispatch is counted locally; Exact's
 * `X-RateLimit-*` headers can only lower what is left (other apps share the budget). When a
 * window is spent the queue waits (through the Sleeper) for its reset instead of failing, and
 * callers take turns (round-robin by caller) so one long import cannot starve the customer panel.
 */
import { parseRateLimitHeaders, type RateLimitWindow } from '../src/exact/rateLimit';
import type { Clock } from '../src/sync/clock';
import type { Sleeper } from './sleeper';

/** Calls one caller may have waiting per division; a sync run pages sequentially, a panel asks a handful. */
export const maxQueuedPerCaller = 1000;

export interface BudgetSettings {
  minuteLimit: number;
  dayLimit: number;
  /** Calls to Exact in flight at once per division. */
  concurrency: number;
  /** A caller waits at most this long for budget; beyond it (a spent day) the call is refused. */
  maxWaitMs: number;
}

export interface QueuedCall<T> {
  callerId: string;
  /** Runs the call; returns its result and Exact's response headers (lower-case names). */
  run: () => Promise<{ result: T; headers: Record<string, string>; status: number }>;
  /** The caller's request: when it aborts (the client went away), a call still waiting is dropped unsent. */
  signal?: AbortSignal;
}

/** The caller went away while its call waited; nothing was sent to Exact. */
export class CallAbortedError extends Error {
  public constructor() {
    super('The caller went away before the call was sent to Exact; it was dropped unsent.');
    this.name = 'CallAbortedError';
  }
}

export class BudgetExhaustedError extends Error {
  public constructor(message: string, public readonly resetAt: number) {
    super(message);
  }
}

interface Job {
  callerId: string;
  run: () => Promise<{ result: unknown; headers: Record<string, string>; status: number }>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  enqueuedAt: number;
}

const nextMinute = (now: number): number => Math.floor(now / 60_000) * 60_000 + 60_000;
const nextUtcMidnight = (now: number): number => Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000;

export class DivisionQueue {
  public minute: RateLimitWindow;
  public day: RateLimitWindow;
  private readonly byCaller = new Map<string, Job[]>();
  private readonly turnOrder: string[] = [];
  private running = 0;
  private pumping = false;
  /** Calls sent to Exact (diagnostics and tests). */
  public dispatched = 0;
  /** 429s Exact answered (the budget was shared with someone we cannot see). */
  public throttled = 0;

  public constructor(private readonly clock: Clock, private readonly sleeper: Sleeper, private readonly settings: BudgetSettings) {
    const now = clock.now();
    this.minute = { limit: settings.minuteLimit, remaining: settings.minuteLimit, resetAt: nextMinute(now) };
    this.day = { limit: settings.dayLimit, remaining: settings.dayLimit, resetAt: nextUtcMidnight(now) };
  }

  /** Both windows as they stand now (a passed reset counts as a fresh window). */
  public windows(): { minutely: RateLimitWindow; daily: RateLimitWindow } {
    this.rollWindows();
    return { minutely: { ...this.minute }, daily: { ...this.day } };
  }

  public get queued(): number {
    let count = 0;
    this.byCaller.forEach((jobs) => (count += jobs.length));
    return count;
  }

  public enqueue<T>(call: QueuedCall<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // One caller cannot fill the gateway's memory or the division's budget for everyone.
      const waiting = this.byCaller.get(call.callerId);
      if (waiting && waiting.length >= maxQueuedPerCaller) {
        reject(new BudgetExhaustedError(`${waiting.length} of your calls to this division are already waiting for Exact's budget; try again when they are done.`, this.minute.resetAt));
        return;
      }
      const { signal } = call;
      if (signal?.aborted) {
        reject(new CallAbortedError());
        return;
      }
      // A call Exact answered with 429 waits again, so the listener stays until the call settles.
      const onAbort = (): void => {
        if (this.remove(job)) {
          job.reject(new CallAbortedError());
        }
      };
      const settled = (): void => signal?.removeEventListener('abort', onAbort);
      const job: Job = {
        callerId: call.callerId,
        run: call.run,
        resolve: (value) => (settled(), resolve(value as T)),
        reject: (error) => (settled(), reject(error)),
        enqueuedAt: this.clock.now(),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.push(job, false);
      void this.pump();
    });
  }

  private push(job: Job, front: boolean): void {
    const jobs = this.byCaller.get(job.callerId);
    if (jobs) {
      if (front) {
        jobs.unshift(job);
      } else {
        jobs.push(job);
      }
      return;
    }
    this.byCaller.set(job.callerId, [job]);
    this.turnOrder.push(job.callerId);
  }

  /** Takes a still-waiting job out of the queue; false when it was already dispatched. */
  private remove(job: Job): boolean {
    const jobs = this.byCaller.get(job.callerId);
    const at = jobs ? jobs.indexOf(job) : -1;
    if (!jobs || at < 0) {
      return false;
    }
    jobs.splice(at, 1);
    if (!jobs.length) {
      this.byCaller.delete(job.callerId);
      this.turnOrder.splice(this.turnOrder.indexOf(job.callerId), 1);
    }
    return true;
  }

  private take(): Job | undefined {
    const callerId = this.turnOrder.shift();
    if (callerId === undefined) {
      return undefined;
    }
    const jobs = this.byCaller.get(callerId)!;
    const job = jobs.shift()!;
    if (jobs.length) {
      this.turnOrder.push(callerId);
    } else {
      this.byCaller.delete(callerId);
    }
    return job;
  }

  private rollWindows(): void {
    const now = this.clock.now();
    if (now >= this.minute.resetAt) {
      this.minute = { limit: this.minute.limit, remaining: this.minute.limit, resetAt: nextMinute(now) };
    }
    if (now >= this.day.resetAt) {
      this.day = { limit: this.day.limit, remaining: this.day.limit, resetAt: nextUtcMidnight(now) };
    }
  }

  /** Exact's headers only ever lower the local count within the same window. */
  private learn(headers: Record<string, string>): void {
    const seen = parseRateLimitHeaders(headers);
    this.rollWindows();
    const merge = (local: RateLimitWindow, remote: RateLimitWindow | undefined): RateLimitWindow => {
      if (!remote || remote.resetAt < local.resetAt) {
        return local;
      }
      if (remote.resetAt > local.resetAt) {
        // Exact's window ends later than ours (clock skew): trust its end, keep the lower count.
        return { limit: Math.min(local.limit, remote.limit), remaining: Math.min(local.remaining, remote.remaining), resetAt: remote.resetAt };
      }
      return { limit: Math.min(local.limit, remote.limit), remaining: Math.min(local.remaining, remote.remaining), resetAt: local.resetAt };
    };
    this.minute = merge(this.minute, seen.minutely);
    this.day = merge(this.day, seen.daily);
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      return;
    }
    this.pumping = true;
    try {
      while (this.queued > 0) {
        this.rollWindows();
        if (this.running >= this.settings.concurrency) {
          return; // a finishing call pumps again
        }
        if (this.day.remaining <= 0) {
          if (this.day.resetAt - this.clock.now() > this.settings.maxWaitMs) {
            this.failAll(new BudgetExhaustedError(`Exact's daily call budget for this division is spent until ${new Date(this.day.resetAt).toISOString()}.`, this.day.resetAt));
            return;
          }
          await this.sleeper.until(this.day.resetAt);
          continue;
        }
        if (this.minute.remaining <= 0) {
          await this.sleeper.until(this.minute.resetAt);
          continue;
        }
        const job = this.take()!;
        if (this.clock.now() - job.enqueuedAt > this.settings.maxWaitMs) {
          // Its caller has long given up; spending budget on it would starve the live ones.
          job.reject(new BudgetExhaustedError(`The call waited more than ${Math.round(this.settings.maxWaitMs / 1000)} s for Exact's budget and was dropped; try again.`, this.minute.resetAt));
          continue;
        }
        this.minute.remaining--;
        this.day.remaining--;
        this.running++;
        this.dispatched++;
        void this.execute(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private failAll(error: Error): void {
    let job = this.take();
    while (job) {
      job.reject(error);
      job = this.take();
    }
  }

  private async execute(job: Job): Promise<void> {
    try {
      const { result, headers, status } = await job.run();
      this.learn(headers);
      if (status === 429) {
        this.throttled++;
        // Exact did not run the call, so sending it again is safe even for a write; mark the
        // window spent (someone else shares the budget) and put the call back at the front.
        this.minute.remaining = 0;
        if (!parseRateLimitHeaders(headers).minutely) {
          this.minute.resetAt = nextMinute(this.clock.now());
        }
        this.push(job, true);
      } else {
        job.resolve(result);
      }
    } catch (error) {
      job.reject(error);
    } finally {
      this.running--;
      void this.pump();
    }
  }
}
