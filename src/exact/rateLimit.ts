/**
 * Exact's two rate-limit windows, read from the `X-RateLimit-*` headers (reference §4). Reset
 * values are UTC epoch milliseconds. A minutely 429 carries only the minutely headers, so the
 * tracker keeps the last known daily window instead of reporting zeros.
 */

export interface RateLimitWindow {
  limit: number;
  remaining: number;
  /** UTC epoch milliseconds when the window resets. */
  resetAt: number;
}

export interface RateLimitState {
  daily?: RateLimitWindow;
  minutely?: RateLimitWindow;
}

const headerNames = {
  daily: { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset' },
  minutely: {
    limit: 'x-ratelimit-minutely-limit',
    remaining: 'x-ratelimit-minutely-remaining',
    reset: 'x-ratelimit-minutely-reset',
  },
};

function readNumber(headers: Record<string, string>, name: string): number | undefined {
  const raw = headers[name];
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) {
    return undefined;
  }
  return Number(raw);
}

function readWindow(
  headers: Record<string, string>,
  names: { limit: string; remaining: string; reset: string },
): RateLimitWindow | undefined {
  const limit = readNumber(headers, names.limit);
  const remaining = readNumber(headers, names.remaining);
  const resetAt = readNumber(headers, names.reset);
  if (limit === undefined || remaining === undefined || resetAt === undefined) {
    return undefined;
  }
  return { limit, remaining, resetAt };
}

/** The windows present in one response's headers (names in lower case); absent windows are omitted. */
export function parseRateLimitHeaders(headers: Record<string, string>): RateLimitState {
  const state: RateLimitState = {};
  const daily = readWindow(headers, headerNames.daily);
  const minutely = readWindow(headers, headerNames.minutely);
  if (daily) {
    state.daily = daily;
  }
  if (minutely) {
    state.minutely = minutely;
  }
  return state;
}

/** Latest known state per division (limits are per app and division). */
export class RateLimitTracker {
  private readonly byDivision = new Map<string, RateLimitState>();

  /** Merges one response's headers into the division's state and returns the merged state. */
  public update(division: string, headers: Record<string, string>): RateLimitState {
    const seen = parseRateLimitHeaders(headers);
    const merged: RateLimitState = { ...this.byDivision.get(division), ...seen };
    if (merged.daily || merged.minutely) {
      this.byDivision.set(division, merged);
    }
    return copy(merged);
  }

  public get(division: string): RateLimitState {
    return copy(this.byDivision.get(division) ?? {});
  }
}

function copy(state: RateLimitState): RateLimitState {
  const out: RateLimitState = {};
  if (state.daily) {
    out.daily = { ...state.daily };
  }
  if (state.minutely) {
    out.minutely = { ...state.minutely };
  }
  return out;
}
