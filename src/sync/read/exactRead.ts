import type { LookupIndex } from '../plan/mapping';
import { asText, normalizeKey, unique } from '../model';
import type { CrmItem, ExactEntityInfo, ExactRecord } from '../model';
import type { DocumentStore, ExactRecordSource } from '../ports';
import { TimestampCursor } from '../journal/cursor';
import { readReview, readState } from '../journal/documents';
import type { ProfileState, ReviewDocument } from '../journal/records';
import type { ProgressListener } from '../progress';
import { itemsOfDivision, readLookupIndexes } from './prepare';
import type { PreparedProfile } from './prepare';
import { filterRefusal, ReadStoppedError } from './readStopped';

/** Steps 2 and 3 of a run: the CRM index and Exact's records and deletions, read once. */

export interface ReadWindow {
  /** null = full read. */
  since: string | null;
  deletionsSince: string | null;
}

/** What a plan is made from besides Exact's records; read at the start of a run and not changed after. */
export interface RunInputs {
  prepared: PreparedProfile;
  items: CrmItem[];
  lookups: Map<string, LookupIndex>;
  state: ProfileState;
  review: ReviewDocument;
}

/** Deletions Exact reported in `sync/Deleted`. */
export interface DeletionsRead {
  keys: string[];
  /** Timestamp of each deletion (by normalised key), so a failed flag write holds the deletions cursor back. */
  timestamps: Map<string, string>;
  cursor: TimestampCursor;
}

/** A whole Exact read: records, their cursor and the deletions. */
export interface ExactRead {
  records: ExactRecord[];
  cursor: TimestampCursor;
  deletions: DeletionsRead;
  /** Absent records count as deleted only after a full, unfiltered read. */
  detectAbsence: boolean;
}

/** A full read whose Exact pages are planned and written as they come in (a run, not a preview). */
export interface StreamedRead {
  inputs: RunInputs;
  /** Exact's pages, one read ahead of the one being planned; the cursor observes them as they pass. */
  pages: AsyncIterable<ExactRecord[]>;
  cursor: TimestampCursor;
  detectAbsence: boolean;
  /** The deletions (read while the pages come in); call after the last page. */
  deletions(): Promise<DeletionsRead>;
}

export const noDeletions = (): DeletionsRead => ({ keys: [], timestamps: new Map(), cursor: new TimestampCursor() });

/** True when a run with this window reads the whole CRM list and so can plan page by page. */
export function readsInFull(window: ReadWindow, entity: ExactEntityInfo | undefined): boolean {
  return window.since === null || entity?.supportsSync !== true;
}

const detectsAbsence = (window: ReadWindow, prepared: PreparedProfile) => window.since === null && !prepared.profile.source.filter;

/**
 * Exact's pages of the profile's records. `signal` stops the read between two pages (the page
 * on its way is not followed by another request); a 400 on a filtered read names the filter.
 */
async function* exactPages(exact: ExactRecordSource, prepared: PreparedProfile, window: ReadWindow, signal?: AbortSignal): AsyncIterable<ExactRecord[]> {
  const source = prepared.entity.supportsSync
    ? exact.readChanges({ ...prepared.request, since: window.since ?? '0' })
    : exact.readAll(prepared.request);
  let read = 0;
  if (signal?.aborted) throw new ReadStoppedError(read);
  try {
    for await (const page of source) {
      read += page.length;
      yield page;
      if (signal?.aborted) throw new ReadStoppedError(read);
    }
  } catch (error) {
    throw filterRefusal(error, prepared.profile.source.filter, prepared.entity) ?? error;
  }
}

async function readDeletions(exact: ExactRecordSource, prepared: PreparedProfile, since: string | null): Promise<DeletionsRead> {
  const { entity, profile } = prepared;
  const read = noDeletions();
  if (!entity.supportsSync || entity.deletedEntityType === undefined) return read;
  for await (const page of exact.readDeletions({ division: profile.division, entity: entity.name, since: since ?? '0' })) {
    for (const d of page) {
      read.keys.push(d.key);
      read.timestamps.set(normalizeKey(d.key), d.timestamp);
      read.cursor.observe(d.timestamp);
    }
  }
  return read;
}

/**
 * A full read: the CRM index and lookups are read first (with Exact's first page already on its
 * way), the records come as `pages`.
 */
export async function openFullRead(
  exact: ExactRecordSource,
  prepared: PreparedProfile,
  start: { window: ReadWindow; state: ProfileState; review: ReviewDocument; signal?: AbortSignal },
): Promise<StreamedRead> {
  const ahead = readAhead(exactPages(exact, prepared, start.window, start.signal));
  // Deletions are read once the first page came (an Exact that refuses the read is not asked twice).
  let deletionsRead: Promise<DeletionsRead> | undefined;
  const startDeletions = () => {
    if (deletionsRead) return deletionsRead;
    deletionsRead = readDeletions(exact, prepared, start.window.deletionsSince);
    deletionsRead.catch(() => undefined);
    return deletionsRead;
  };
  const [listed, lookups] = await Promise.all([prepared.list.readItems(prepared.crmFields), readLookupIndexes(prepared.lookups)]);
  const items = itemsOfDivision(listed, prepared);
  const cursor = new TimestampCursor();
  async function* pages(): AsyncIterable<ExactRecord[]> {
    for await (const page of ahead) {
      for (const record of page) cursor.observe(record.Timestamp);
      void startDeletions();
      yield page;
    }
  }
  return {
    inputs: { prepared, items, lookups, state: start.state, review: start.review },
    pages: pages(),
    cursor,
    detectAbsence: detectsAbsence(start.window, prepared),
    deletions: startDeletions,
  };
}

/**
 * Keeps the next page of `source` on its way while the current one is planned and written; the
 * first is asked for at once (it comes in while the CRM index is read).
 */
function readAhead<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ask = () => {
    const next = iterator.next();
    // Seen when the consumer reaches it, not as an unhandled rejection before.
    next.catch(() => undefined);
    return next;
  };
  let next = ask();
  return {
    async *[Symbol.asyncIterator]() {
      let finished = false;
      try {
        for (;;) {
          const current = await next;
          if (current.done) {
            finished = true;
            return;
          }
          next = ask();
          yield current.value;
        }
      } finally {
        if (!finished) await iterator.return?.();
      }
    },
  };
}

/**
 * The whole read before a plan: Exact's records and deletions, then the CRM items they concern.
 * A full read needs the whole CRM index anyway, so it is read while Exact's pages come in; an
 * incremental read reads CRM items only when Exact reported something (most runs find nothing).
 */
export async function readWhole(
  deps: { exact: ExactRecordSource; documents: DocumentStore },
  prepared: PreparedProfile,
  start: { window: ReadWindow; onProgress?: ProgressListener; state?: ProfileState; review?: ReviewDocument; signal?: AbortSignal },
): Promise<{ inputs: RunInputs; read: ExactRead }> {
  const { list, crmFields, profile } = prepared;
  const fullRead = readsInFull(start.window, prepared.entity);
  const itemsEarly = fullRead ? list.readItems(crmFields) : undefined;
  itemsEarly?.catch(() => undefined);
  const records: ExactRecord[] = [];
  const cursor = new TimestampCursor();
  for await (const page of exactPages(deps.exact, prepared, start.window, start.signal)) {
    for (const record of page) {
      records.push(record);
      cursor.observe(record.Timestamp);
    }
    start.onProgress?.({ phase: 'read', count: records.length });
  }
  const deletions = await readDeletions(deps.exact, prepared, start.window.deletionsSince);
  const needsCrm = fullRead || records.length > 0 || deletions.keys.length > 0;
  const [listed, lookups, review, state] = await Promise.all([
    itemsEarly ?? (needsCrm ? readChangedItems(prepared, { records, deletedKeys: deletions.keys }) : Promise.resolve([])),
    records.length > 0 ? readLookupIndexes(prepared.lookups) : Promise.resolve(new Map<string, LookupIndex>()),
    start.review ?? (records.length > 0 ? readReview(deps.documents, profile.id) : Promise.resolve({ items: [] })),
    start.state ?? readState(deps.documents, profile.id),
  ]);
  return {
    inputs: { prepared, items: itemsOfDivision(listed, prepared), lookups, state, review },
    read: { records, cursor, deletions, detectAbsence: detectsAbsence(start.window, prepared) },
  };
}

/**
 * What closing an unfinished run needs: the CRM items its pending segments are reconciled
 * against, the state and the review list. No Exact read: a run stopped by an Exact failure (its
 * error block, the day's limit) must be closable while Exact still refuses (review finding).
 */
export async function readForClosing(documents: DocumentStore, prepared: PreparedProfile): Promise<RunInputs> {
  const [listed, state, review] = await Promise.all([prepared.list.readItems(prepared.crmFields), readState(documents, prepared.profile.id), readReview(documents, prepared.profile.id)]);
  return { prepared, items: itemsOfDivision(listed, prepared), lookups: new Map(), state, review };
}

/** Up to this many changed records, an incremental run reads only their items (and the unlinked ones). */
export const TARGETED_READ_MAX = 500;

async function readChangedItems(prepared: PreparedProfile, { records, deletedKeys }: { records: ExactRecord[]; deletedKeys: string[] }): Promise<CrmItem[]> {
  const { list, profile: { key } } = prepared;
  const keys = unique([...records.map((r) => asText(r[key.exactField]).trim()), ...deletedKeys.map((k) => k.trim())].filter((k) => k !== ''));
  // A key column without an index refuses such filters on a big list (the list view threshold);
  // the whole list is the answer then, as it always was.
  const targeted = keys.length <= TARGETED_READ_MAX ? await list.readItemsByKey(key.crmField, keys, prepared.crmFields).catch(() => undefined) : undefined;
  return targeted ?? list.readItems(prepared.crmFields);
}
