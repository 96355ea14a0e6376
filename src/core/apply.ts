import type { RunContext } from './context';
import { normalizeKey, sameValue } from './normalize';
import type { CrmItem, CrmWrite, CrmWriteResult, DocumentStore } from './ports';
import { batchDocumentSchema, paths, parseDocument } from './records';
import type { RunEntry } from './records';

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

/** A run stopped on request between batches; `runId` is what `abandon` or `resume` needs. */
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

/** The entries earlier attempts of this run wrote, from its write-ahead documents; returns the last document number. */
export async function recoverEarlier(documents: DocumentStore, runId: string, ctx: RunContext, keyField: string): Promise<{ entries: RunEntry[]; documents: number }> {
  const entries: RunEntry[] = [];
  let n = 0;
  const read = async (k: number) => parseDocument(paths.batch(runId, k), await documents.read(paths.batch(runId, k)), batchDocumentSchema);
  let doc = await read(1);
  while (doc) {
    n++;
    const next = await read(n + 1);
    if (doc.status === 'pending' && next && next.previous && next.previous.batch === n) {
      doc = { ...doc, status: 'done', entries: next.previous.entries };
    } else if (doc.status === 'pending') {
      // The last segment sent before the interruption: what reached the CRM is what the CRM shows.
      doc = { batch: n, status: 'done', entries: reconcile(doc.entries, ctx, keyField) };
      await documents.write(paths.batch(runId, n), JSON.stringify(doc));
    }
    entries.push(...doc.entries);
    doc = next;
  }
  return { entries, documents: n };
}

/**
 * Entries of a segment whose outcome a crash hid: written if the CRM now shows the run's values
 * (creates are found by their key), otherwise dropped so the plan offers them again.
 */
function reconcile(entries: RunEntry[], ctx: RunContext, keyField: string): RunEntry[] {
  const byKey = new Map<string, CrmItem>();
  const byId = new Map<number, CrmItem>();
  for (const item of ctx.items) {
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

/** Runs `work` over `items` with at most `limit` at a time; the first failure is thrown after the others settle. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
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

/**
 * Writes `writes` segment by segment; `onBatch` runs after each batch (progress), `onSegment`
 * after each segment (the run record). Returns the entries with their outcomes. The last
 * segment's outcomes are in no document: the run log written next carries them, and a crash
 * before it reconciles that segment on resume.
 *
 * `writes` may come as a stream (a read planned page by page): a segment goes out as soon as it
 * is full, and while its batches are in flight the stream is read on, up to the next full
 * segment. The next segment's document waits for the batches before it (it carries their
 * outcomes), so at most one segment is pending at any time, as without a stream.
 */
export async function applyWrites(
  deps: {
    documents: DocumentStore;
    runId: string;
    list: RunContext['list'];
    batchSize: number;
    firstDocument: number;
    /**
     * Writes the run's first write-ahead document instead of the store (a run just started: the
     * engine inserts its run record and checks for rivals in the same request).
     */
    writeFirst?: (document: { path: string; content: string }) => Promise<void>;
  },
  writes: WriteSource,
  options: ApplyOptions,
  onSegment: (segment: SegmentDone) => Promise<void>,
  onBatch?: (entries: RunEntry[]) => void,
): Promise<RunEntry[]> {
  const perDocument = deps.batchSize * Math.max(1, options.writeAheadBatches ?? WRITE_AHEAD_BATCHES);
  const concurrency = Math.max(1, options.writeConcurrency ?? WRITE_CONCURRENCY);
  const done: RunEntry[] = [];
  let previous: { batch: number; entries: RunEntry[] } | undefined;
  let document = deps.firstDocument;
  /** The segment whose batches are in flight, with its document number and entries. */
  let inFlight: { sent: Promise<void>; document: number; entries: RunEntry[] } | undefined;

  /** Waits for the segment in flight; `last` when no segment follows it. */
  const settleInFlight = async (last: boolean): Promise<void> => {
    if (!inFlight) return;
    const segment = inFlight;
    inFlight = undefined;
    await segment.sent;
    previous = { batch: segment.document, entries: segment.entries };
    done.push(...segment.entries);
    await onSegment({ document: segment.document, entries: segment.entries, last });
  };

  const send = async (planned: RunEntry[]): Promise<void> => {
    await settleInFlight(false);
    const segment = planned.map((e): RunEntry => ({ ...e, outcome: 'pending' }));
    document++;
    const ahead = { path: paths.batch(deps.runId, document), content: JSON.stringify({ batch: document, status: 'pending', entries: segment, previous }) };
    // The run's first document also makes its folder, in the same request where the store can.
    if (document === deps.firstDocument + 1 && deps.writeFirst) await deps.writeFirst(ahead);
    else if (document === 1 && deps.documents.writeMany) await deps.documents.writeMany([ahead]);
    else await deps.documents.write(ahead.path, ahead.content);
    const chunks: RunEntry[][] = [];
    for (let j = 0; j < segment.length; j += deps.batchSize) chunks.push(segment.slice(j, j + deps.batchSize));
    const sent = inParallel(chunks, concurrency, async (chunk) => {
      // Stopping mid-segment leaves its document pending, exactly as a crash would: resume and
      // abandon reconcile it against the CRM.
      if (options.signal?.aborted) throw new RunStoppedError(deps.runId);
      const results = await deps.list.write(chunk.map(toWrite));
      chunk.forEach((e, k) => settle(e, results[k]));
      if (onBatch) onBatch(chunk);
    });
    // Awaited in settleInFlight; until then a failure must not count as unhandled.
    sent.catch(() => undefined);
    inFlight = { sent, document, entries: segment };
  };

  let buffer: RunEntry[] = [];
  try {
    for await (const part of Array.isArray(writes) ? [writes] : writes) {
      if (part === FLUSH) {
        if (buffer.length > 0) await send(buffer.splice(0));
        // The stream's next part depends on these outcomes (see Planner.learn).
        if (inFlight) await inFlight.sent;
        continue;
      }
      for (const e of part) buffer.push(e);
      while (buffer.length >= perDocument) await send(buffer.splice(0, perDocument));
    }
    if (buffer.length > 0) await send(buffer.splice(0));
  } catch (error) {
    // The stream failed (an Exact page) or a document write did: the batches already sent end
    // first, so the run stops in a state a resume knows (their segment pending).
    if (inFlight) await inFlight.sent.catch(() => undefined);
    throw error;
  }
  buffer = [];
  await settleInFlight(true);
  return done;
}
