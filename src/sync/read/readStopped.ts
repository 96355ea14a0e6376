import type { ExactEntityInfo } from '../model';
import type { FilterProblem } from '../odata';
import { checkFilter } from '../profile/filter';

/** The read of Exact's pages stopped between two pages because its signal fired. */
export class ReadStoppedError extends Error {
  public constructor(public readonly read: number) {
    super(`The Exact read stopped after ${read} record(s).`);
    this.name = 'ReadStoppedError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * Exact refused a read because of the profile's `$filter` (its 400). `problem` is what the shared
 * grammar finds wrong with the filter, for words in the user's language; absent when the grammar
 * accepts it and only Exact knows why (then `exactMessage` says it).
 */
export class FilterRefusedError extends Error {
  public constructor(
    public readonly filter: string,
    public readonly exactMessage: string,
    public readonly problem: FilterProblem | undefined,
  ) {
    super(`Exact refused the filter "${filter}": ${exactMessage}`);
    this.name = 'FilterRefusedError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** Exact's words out of a client error (`ExactApiError.messages`), without the request's URL. */
function exactWords(error: { message?: unknown; messages?: unknown }): string {
  if (Array.isArray(error.messages) && error.messages.length > 0) return error.messages.map(String).join(' ');
  return typeof error.message === 'string' ? error.message : '';
}

/** A 400 on a filtered read is the filter's fault: named as such, or undefined for any other failure. */
export function filterRefusal(error: unknown, filter: string | undefined, entity: ExactEntityInfo): FilterRefusedError | undefined {
  const failed = error as { status?: unknown; message?: unknown; messages?: unknown } | null;
  if (!filter || !failed || typeof failed !== 'object' || failed.status !== 400) return undefined;
  return new FilterRefusedError(filter, exactWords(failed), checkFilter(filter, entity)[0]);
}
