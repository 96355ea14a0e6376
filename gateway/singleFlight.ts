/**
 * One Exact call per key at a time: concurrent identical reads wait for the first one's answer
 * instead of each spending Exact's budget. A waiter whose caller goes away stops waiting; the
 * call itself is cancelled (if still queued) only when every waiter has gone.
 */
import { HttpError } from './http';

/** 499 is the de-facto status for "the client closed the request"; nobody reads this answer. */
export const callerGone = (): HttpError => new HttpError(499, 'caller-gone', 'The caller went away; nothing more was sent to Exact for it.');

/** Resolves as `work` does, or rejects with callerGone as soon as `signal` aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(callerGone());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(callerGone());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface Flight<T> {
  promise: Promise<T>;
  waiters: number;
  controller: AbortController;
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  public get size(): number {
    return this.flights.size;
  }

  /** `shared` is true when this caller joined a call another caller started. */
  public async run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<{ answer: T; shared: boolean }> {
    let flight = this.flights.get(key);
    const shared = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const started: Flight<T> = { promise: work(controller.signal), waiters: 0, controller };
      const forget = (): void => {
        if (this.flights.get(key) === started) {
          this.flights.delete(key);
        }
      };
      // Waiters see the outcome; this chain only ends the flight (and keeps a rejection nobody
      // waits for any more from going unhandled).
      started.promise.then(forget, forget);
      this.flights.set(key, started);
      flight = started;
    }
    const joined = flight;
    joined.waiters++;
    try {
      return { answer: await untilAborted(joined.promise, signal), shared };
    } catch (error) {
      if (signal.aborted && joined.waiters === 1) {
        joined.controller.abort();
      }
      throw error;
    } finally {
      joined.waiters--;
    }
  }
}
