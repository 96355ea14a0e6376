import { normalizeKey, sameValue } from '../model';
import type { CrmItem } from '../model';
import type { CrmList, CrmWrite, CrmWriteResult, DocumentStore, RunDocument } from '../ports';
import { batchDocumentSchema, paths, parseDocument } from '../journal/records';
import type { BatchDocument, RunEntry, WriteOutcome } from '../journal/records';

/**
 * Apply with write-ahead documents. One pending document covers a whole segment of batches (it
 * also carries the outcomes of the segment before it), then the segment's batches go out a few at
 * a time. A resume trusts the documents: a segment whose outcomes a crash hid is reconciled
 * against the CRM, which is correct whatever number of its batches reached SharePoint, so a larger
 * segment only costs a larger reconcile, never a duplicate. That is what brings the run down to
 * close to one SharePoint request per batch.
 */

export interface ApplyOptions {
  /** Batches per write-ahead document (default WRITE_AHEAD_BATCHES). */
  writeAheadBatches?: number;
  /** Batches in flight at once (default WRITE_CONCURRENCY). */
  writeConcurrency?: number;
  /** Stop asked for: no batch starts after it fires (the ones in flight finish). */
  signal?: AbortSignal;
}

/**
 * A run stopped on request, between two batches or two Exact pages; its record is stored
 * unfinished, and `runId` is what `stop`, `abandon` or `resume` needs.
 */
export class RunStoppedError extends Error {
  public constructor(public readonly runId: string) {
    super(`Run ${runId} was stopped before it finished.`);
    this.name = 'RunStoppedError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** 25 batches of 100 = 2,500 entries, a document of 1–3 MB. */
export const WRITE_AHEAD_BATCHES = 25;
/** SharePoint takes a few parallel $batch requests from one user before throttling; stay at a few. */
export const WRITE_CONCURRENCY = 3;

export function toWrite(e: RunEntry): CrmWrite {
  const values: Record<string, RunEntry['changes'][number]['after']> = {};
  for (const c of e.changes) values[c.field] = c.after;
  if (e.action === 'create') return { kind: 'create', ref: e.exactKey, values };
  return { kind: 'update', ref: e.exactKey, id: e.itemId ?? 0, etag: e.etag, values };
}

/**
 * The entries earlier attempts of this run wrote, from its write-ahead documents; returns the
 * last document number. `items`: the CRM as it is now, which a segment a crash hid is reconciled against.
 */
export async function recoverEarlier(
  { documents, runId, items, keyField }: { documents: DocumentStore; runId: string; items: CrmItem[]; keyField: string },
): Promise<{ entries: RunEntry[]; documents: number }> {
  const docs: BatchDocument[] = [];
  const read = async (k: number) => parseDocument(paths.batch(runId, k), await documents.read(paths.batch(runId, k)), batchDocumentSchema);
  for (let doc = await read(1); doc; doc = await read(docs.length + 1)) docs.push(doc);
  // A document carries the outcomes of a segment before it (two back since segments overlap;
  // the one just before in runs written earlier).
  const outcomes = new Map<number, NonNullable<BatchDocument['previous']>>();
  for (const doc of docs) if (doc.previous) outcomes.set(doc.previous.batch, doc.previous);
  const entries: RunEntry[] = [];
  for (let n = 1; n <= docs.length; n++) {
    let doc = docs[n - 1];
    const carried = carriedEntries(doc, outcomes.get(n));
    if (doc.status === 'pending' && carried) {
      // Written down as done now: the document that carries these outcomes may itself be
      // rewritten below without them, and a second resume must not reconcile this one again
      // against a CRM that has moved on since (review finding).
      doc = { ...doc, status: 'done', entries: carried };
      await documents.write(paths.batch(runId, n), JSON.stringify(doc));
    } else if (doc.status === 'pending') {
      // A segment sent before the interruption: what reached the CRM is what the CRM shows.
      doc = { batch: n, status: 'done', entries: reconcile(doc.entries, items, keyField), ...(doc.previous ? { previous: doc.previous } : {}) };
      await documents.write(paths.batch(runId, n), JSON.stringify(doc));
    }
    entries.push(...doc.entries);
  }
  return { entries, documents: docs.length };
}

/** A segment's entries with the outcomes a later document carries for them, if one does. */
function carriedEntries(doc: BatchDocument, carried: BatchDocument['previous']): RunEntry[] | undefined {
  if (!carried) return undefined;
  if ('entries' in carried) return carried.entries;
  return doc.entries.map((e, i) => ({ ...e, ...carried.outcomes[i] }));
}

/** What a later document needs to carry of a written entry: what its write settled. */
function outcomeOf(e: RunEntry): WriteOutcome {
  return { outcome: e.outcome, itemId: e.itemId, ...(e.message === undefined ? {} : { message: e.message }), ...(e.problems.length > 0 ? { problems: e.problems } : {}) };
}

/**
 * Entries of a segment whose outcome a crash hid: written if the CRM now shows the run's values
 * (creates are found by their key), otherwise dropped so the plan offers them again.
 */
function reconcile(entries: RunEntry[], items: CrmItem[], keyField: string): RunEntry[] {
  const byKey = new Map<string, CrmItem>();
  const byId = new Map<number, CrmItem>();
  for (const item of items) {
    byId.set(item.id, item);
    const key = normalizeKey(item.values[keyField]);
    if (key && !byKey.has(key)) byKey.set(key, item);
  }
  const result: RunEntry[] = [];
  for (const e of entries) {
    if (e.outcome !== 'pending') {
      result.push(e);
      continue;
    }
    const item = e.action === 'create' ? byKey.get(e.exactKey) : e.itemId === null ? undefined : byId.get(e.itemId);
    // A create was planned because no item had this key, so an item with it now is ours (even
    // if someone edited it since; undo will then refuse it rather than lose that edit).
    const applied = item !== undefined && (e.action === 'create' || e.changes.every((c) => sameValue(item.values[c.field], c.after)));
    if (item && applied) {
      result.push({ ...e, outcome: 'written', itemId: item.id, message: 'confirmed after an interruption' });
    }
  }
  return result;
}

function settle(e: RunEntry, result: CrmWriteResult | undefined): void {
  if (result && result.ok) {
    e.outcome = 'written';
    e.itemId = result.id;
    return;
  }
  e.outcome = 'failed';
  e.message = result ? result.message : 'no result for this write';
  if (result && !result.ok && result.problems) e.problems = result.problems;
}

/** At most `limit` batches in flight across segments; the rest wait in order of asking. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  public constructor(private readonly limit: number) {}

  public async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** Every task ends before the first failure is thrown (no batch is left running unawaited). */
async function allOrFirstFailure(tasks: Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(tasks);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

export interface SegmentDone {
  /** Number of the write-ahead document just completed. */
  document: number;
  entries: RunEntry[];
  /** The run's last segment (its outcomes go into the run log next). */
  last: boolean;
}

/** In a stream of writes: send what is buffered and wait for every batch before reading on. */
export const FLUSH = 'flush';
export type WriteSource = RunEntry[] | AsyncIterable<RunEntry[] | typeof FLUSH>;

export interface ApplyInput {
  documents: DocumentStore;
  runId: string;
  list: CrmList;
  batchSize: number;
  /** Write-ahead documents earlier attempts of the run wrote. */
  firstDocument: number;
  /**
   * Writes the run's first write-ahead document instead of the store (a run just started: the
   * engine inserts its run record and checks for rivals in the same request).
   */
  writeFirst?: (document: RunDocument) => Promise<void>;
  writes: WriteSource;
  options: ApplyOptions;
  /** After each segment (the run record). */
  onSegment: (segment: SegmentDone) => Promise<void>;
  /** After each batch (progress). */
  onBatch: (entries: RunEntry[]) => void;
}

/**
 * Writes `writes` segment by segment. Returns the entries with their outcomes.
 *
 * Batches go out `writeConcurrency` at a time across segment boundaries: a segment's document
 * is written while the segment before it is still in flight, so it carries the outcomes of the
 * segment two back, and at most two segments are pending at any time. The last two segments'
 * outcomes are in no write-ahead document: the run log written next carries them, and a crash
 * before it reconciles them on resume.
 *
 * `writes` may come as a stream (a read planned page by page): a segment goes out as soon as it
 * is full, and the stream is read on while its batches are in flight.
 */
export async function applyWrites(deps: ApplyInput): Promise<RunEntry[]> {
  const { writes, options, onSegment, onBatch } = deps;
  const perDocument = deps.batchSize * Math.max(1, options.writeAheadBatches ?? WRITE_AHEAD_BATCHES);
  const slots = new Slots(Math.max(1, options.writeConcurrency ?? WRITE_CONCURRENCY));
  const done: RunEntry[] = [];
  let previous: BatchDocument['previous'];
  let document = deps.firstDocument;
  /** Segments whose batches are in flight, oldest first. */
  const inFlight: { sent: Promise<void>; document: number; entries: RunEntry[] }[] = [];
  /** After a batch failed, batches still queued are not sent: after "no answer" the CRM's state is unknown (review finding). */
  let failure: { error: unknown } | undefined;

  /** Waits for the oldest segment in flight; `last` when no segment follows it. */
  const settleOldest = async (last: boolean): Promise<void> => {
    const segment = inFlight.shift();
    if (!segment) return;
    await segment.sent;
    previous = { batch: segment.document, outcomes: segment.entries.map(outcomeOf) };
    done.push(...segment.entries);
    await onSegment({ document: segment.document, entries: segment.entries, last });
  };

  const send = async (planned: RunEntry[]): Promise<void> => {
    // The document about to be written names the segment it carries the outcomes of; with two
    // pending already, the older one must end first.
    while (inFlight.length >= 2) await settleOldest(false);
    const segment = planned.map((e): RunEntry => ({ ...e, outcome: 'pending' }));
    document++;
    const ahead = { path: paths.batch(deps.runId, document), content: JSON.stringify({ batch: document, status: 'pending', entries: segment, previous }) };
    // The run's first document also makes its folder, in the same request where the store can.
    if (document === deps.firstDocument + 1 && deps.writeFirst) await deps.writeFirst(ahead);
    else if (document === 1) await deps.documents.writeMany([ahead]);
    else await deps.documents.write(ahead.path, ahead.content);
    const tasks: Promise<void>[] = [];
    for (let j = 0; j < segment.length; j += deps.batchSize) {
      const chunk = segment.slice(j, j + deps.batchSize);
      tasks.push(slots.run(async () => {
        // Stopping mid-segment leaves its document pending, exactly as a crash would: resume and
        // abandon reconcile it against the CRM.
        if (options.signal?.aborted) throw new RunStoppedError(deps.runId);
        if (failure) throw failure.error;
        let results: Awaited<ReturnType<typeof deps.list.write>>;
        try {
          results = await deps.list.write(chunk.map(toWrite));
        } catch (error) {
          failure ??= { error };
          throw error;
        }
        chunk.forEach((e, k) => settle(e, results[k]));
        onBatch(chunk);
      }));
    }
    const sent = allOrFirstFailure(tasks);
    // Awaited in settleOldest; until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    inFlight.push({ sent, document, entries: segment });
  };

  const buffer: RunEntry[] = [];
  try {
    for await (const part of Array.isArray(writes) ? [writes] : writes) {
      if (part === FLUSH) {
        if (buffer.length > 0) await send(buffer.splice(0));
        // The stream's next part depends on these outcomes (see Planner.learn).
        await Promise.all(inFlight.map((f) => f.sent));
        continue;
      }
      for (const e of part) buffer.push(e);
      while (buffer.length >= perDocument) await send(buffer.splice(0, perDocument));
    }
    if (buffer.length > 0) await send(buffer.splice(0));
  } catch (error) {
    // The stream failed (an Exact page) or a document write did: the batches already sent end
    // first, so the run stops in a state a resume knows (their segments pending).
    await Promise.allSettled(inFlight.map((f) => f.sent));
    throw error;
  }
  try {
    while (inFlight.length > 0) await settleOldest(inFlight.length === 1);
  } catch (error) {
    await Promise.allSettled(inFlight.map((f) => f.sent));
    throw error;
  }
  return done;
}
