/**
 * Exact's two fixed rate-limit windows per division (a whole clock minute and a UTC day) with
 * the six `X-RateLimit-*` headers in epoch milliseconds, and the "10 errors per endpoint per
 * hour" rule, counted always and enforced only when asked.
 */
import type { Clock } from '../../src/sync/clock';

export interface LimitSettings {
  minuteLimit: number;
  dayLimit: number;
  errorLimit: number;
  /** When true, an endpoint with `errorLimit` errors in the last hour answers 429 for the rest of that hour. */
  blockOnErrors: boolean;
}

interface Window { start: number; used: number }

const minuteMs = 60_000;
const dayMs = 86_400_000;
const hourMs = 3_600_000;

export type LimitDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; message: string };

export class RateLimiter {
  private readonly minute = new Map<number, Window>();
  private readonly day = new Map<number, Window>();
  private readonly errors = new Map<string, number[]>();

  public constructor(private readonly clock: Clock, public settings: LimitSettings) {}

  private window(map: Map<number, Window>, division: number, size: number): Window {
    const start = Math.floor(this.clock.now() / size) * size;
    let window = map.get(division);
    if (!window || window.start !== start) {
      window = { start, used: 0 };
      map.set(division, window);
    }
    return window;
  }

  /** Spends one call of the division's budget, or says which window is exhausted. */
  public take(division: number): LimitDecision {
    const minute = this.window(this.minute, division, minuteMs);
    const day = this.window(this.day, division, dayMs);
    const minuteHeaders = (used: number): Record<string, string> => ({
      'X-RateLimit-Minutely-Limit': String(this.settings.minuteLimit),
      'X-RateLimit-Minutely-Remaining': String(Math.max(0, this.settings.minuteLimit - used)),
      'X-RateLimit-Minutely-Reset': String(minute.start + minuteMs),
    });
    const dayHeaders = (used: number): Record<string, string> => ({
      'X-RateLimit-Limit': String(this.settings.dayLimit),
      'X-RateLimit-Remaining': String(Math.max(0, this.settings.dayLimit - used)),
      'X-RateLimit-Reset': String(day.start + dayMs),
    });
    if (day.used >= this.settings.dayLimit) {
      return { allowed: false, headers: { ...dayHeaders(day.used), ...minuteHeaders(minute.used) }, message: 'API usage limit exceeded: the daily limit of this division has been reached.' };
    }
    if (minute.used >= this.settings.minuteLimit) {
      // Exact sends only the minutely headers on a minutely 429 (reference §4).
      return { allowed: false, headers: minuteHeaders(minute.used), message: 'API usage limit exceeded: the minutely limit of this division has been reached.' };
    }
    minute.used += 1;
    day.used += 1;
    return { allowed: true, headers: { ...dayHeaders(day.used), ...minuteHeaders(minute.used) } };
  }

  public recordError(key: string): void {
    const list = this.recentErrors(key);
    list.push(this.clock.now());
    this.errors.set(key, list);
  }

  private recentErrors(key: string): number[] {
    const since = this.clock.now() - hourMs;
    return (this.errors.get(key) ?? []).filter((at) => at > since);
  }

  /** Errors (400/401/403/404) for `division/endpoint` in the last hour. */
  public errorCount(key: string): number {
    return this.recentErrors(key).length;
  }

  public blocked(key: string): boolean {
    return this.settings.blockOnErrors && this.errorCount(key) >= this.settings.errorLimit;
  }

  public reset(): void {
    this.minute.clear();
    this.day.clear();
    this.errors.clear();
  }
}
