import type { Clock } from '../clock';
import type { ExactRecordSource } from '../ports';

/**
 * Exact blocks an app on an endpoint for an hour (and longer if it goes on) after 10 errors
 * (400/401/403/404) in an hour, per user and division. A run that keeps meeting the same error
 * (an expired connection, a division without rights) would, retried or resumed, walk straight
 * into that block and take every other screen of the user with it. This guard counts those
 * errors per division, entity and kind of read, and once `budget` of them happened within the
 * hour it refuses the next read with a message saying so, without calling Exact.
 */

/** Errors allowed per endpoint and hour before the guard stops: two below Exact's 10, for the user's other screens. */
export const EXACT_ERROR_BUDGET = 8;
const HOUR_MS = 60 * 60 * 1000;
const COUNTED = [400, 401, 403, 404];

export class ExactErrorBudgetError extends Error {
  public constructor(
    public readonly endpoint: string,
    public readonly errors: number,
    public readonly retryAt: string,
    latest: string,
  ) {
    super(
      `Exact answered ${errors} errors on ${endpoint} in the last hour (latest: ${latest}). Exact blocks the app on an endpoint for an hour after 10, ` +
        `so this run stopped before calling it again. Fix the cause (the connection, the division's rights, the filter) or try again after ${retryAt}.`,
    );
    this.name = 'ExactErrorBudgetError';
  }
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}

export function guardExactErrors(source: ExactRecordSource, clock: Clock, budget = EXACT_ERROR_BUDGET): ExactRecordSource {
  const errors = new Map<string, Array<{ at: number; message: string }>>();
  const recent = (endpoint: string): Array<{ at: number; message: string }> => {
    const since = clock.now() - HOUR_MS;
    const list = (errors.get(endpoint) ?? []).filter((e) => e.at > since);
    errors.set(endpoint, list);
    return list;
  };
  async function* guarded<T>(endpoint: string, read: () => AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const seen = recent(endpoint);
    if (seen.length >= budget) {
      throw new ExactErrorBudgetError(endpoint, seen.length, new Date(seen[0].at + HOUR_MS).toISOString(), seen[seen.length - 1].message);
    }
    try {
      yield* read();
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && COUNTED.includes(status)) {
        seen.push({ at: clock.now(), message: error instanceof Error ? error.message : String(error) });
      }
      throw error;
    }
  }
  return {
    describeEntity: (entity) => source.describeEntity(entity),
    listEntities: () => source.listEntities(),
    readAll: (request) => guarded(`${request.entity} (full read) in division ${request.division}`, () => source.readAll(request)),
    readChanges: (request) => guarded(`${request.entity} (sync read) in division ${request.division}`, () => source.readChanges(request)),
    readDeletions: (request) => guarded(`${request.entity} (deletions read) in division ${request.division}`, () => source.readDeletions(request)),
  };
}
