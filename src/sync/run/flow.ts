import type { Clock } from '../clock';
import type { DocumentStore, RunDocument, RunJournal } from '../ports';
import { countEntries, paths } from '../journal/records';
import type { RunEntry, RunRecord } from '../journal/records';
import { earlierRuns } from '../journal/runLock';
import { updatedReview } from '../journal/review';
import { nextProfileState } from '../journal/state';
import { TimestampCursor } from '../journal/cursor';
import { planRun, Planner } from '../plan/planner';
import type { PlanInput } from '../plan/planner';
import type { DeletionsRead, ExactRead, RunInputs, StreamedRead } from '../read/exactRead';
import { applyWrites, recoverEarlier, RunStoppedError } from '../write/apply';
import { ReadStoppedError } from '../read/readStopped';
import type { ApplyOptions, SegmentDone, WriteSource } from '../write/apply';
import { streamedWrites } from '../write/streamPlan';
import type { ProgressListener } from '../progress';

/**
 * Batches between progress saves of the run record during apply (checked after each write-ahead
 * segment): every 10,000 writes, so other tabs see a long run move without a request per segment.
 */
export const RUN_RECORD_SAVE_EVERY = 100;

export interface FlowDeps {
  documents: DocumentStore;
  runs: RunJournal;
  clock: Clock;
  apply: ApplyOptions;
}

/** Where a run's writes come from. */
export type FlowPlan =
  /** A run just started whose read was incremental: planned whole. */
  | { kind: 'planned'; read: ExactRead; entries: RunEntry[] }
  /** A run just started that reads everything: planned and written page by page. */
  | { kind: 'streamed'; read: StreamedRead }
  /** An unfinished run continued: what its documents say was written, then a new plan against the CRM as it is now. */
  | { kind: 'resumed'; read: ExactRead }
  /** An unfinished run closed without more writes: by Stop (Stopped) or later (Abandoned); `reason` when not by a person's choice. */
  | { kind: 'closed'; by: string; outcome: ClosedOutcome; reason?: string };

export type ClosedOutcome = 'Stopped' | 'Abandoned' | 'Failed';

const WRITE_ACTIONS = ['create', 'update', 'deleted'];

function isWrite(e: RunEntry): boolean {
  return e.changes.length > 0 && WRITE_ACTIONS.indexOf(e.action) >= 0;
}

/** The plan's inputs as the planner takes them, without the records. */
export function planBase(inputs: RunInputs): Omit<PlanInput, 'records' | 'deletedKeys' | 'detectAbsence'> {
  const { prepared } = inputs;
  return { profile: prepared.profile, division: prepared.division, mappings: prepared.mappings, list: prepared.list, items: inputs.items, lookups: inputs.lookups, state: inputs.state, review: inputs.review };
}

/**
 * One run from its first write to its record marked finished: recover what earlier attempts
 * wrote, write the plan segment by segment (apply.ts), then the log, the profile's state and
 * review list and the finished record. The flow owns its run record and its counters; the steps
 * it calls take what they need and return their result.
 */
export class RunFlow {
  private run: RunRecord;
  private begun = false;
  /** Records read so far, entries planned, and writes planned, done and failed. */
  private read = 0;
  private planned = 0;
  private total = 0;
  private written = 0;
  private failed = 0;
  private batchesAtLastSave: number;
  /** Entries that write nothing (skips, conflicts, errors): into the log as they are. */
  private readonly others: RunEntry[] = [];
  /** Written entries by key, for a record Exact returns again later in a streamed read (undefined: not streamed). */
  private writtenByKey: Map<string, RunEntry> | undefined;

  public constructor(
    private readonly setup: {
      deps: FlowDeps;
      run: RunRecord;
      inputs: RunInputs;
      events: { onProgress?: ProgressListener; signal?: AbortSignal };
      /**
       * The cursor stays where it was: a run with a narrower mode chosen for it (Import leaves
       * updates, Update leaves new records) must not carry the profile's next run past them.
       */
      keepCursor?: boolean;
    },
  ) {
    this.run = setup.run;
    this.batchesAtLastSave = setup.run.checkpoint.batchesCompleted;
  }

  public async complete(plan: FlowPlan): Promise<RunRecord> {
    const { deps, inputs, events } = this.setup;
    const fresh = plan.kind === 'planned' || plan.kind === 'streamed';
    const batchSize = inputs.prepared.profile.batchSize;
    // The write-ahead documents are the truth about earlier attempts; the run record's checkpoint
    // only lags behind them when a crash fell between the two writes. A run just started has none.
    const recovered = fresh ? { entries: [] as RunEntry[], documents: 0 } : await recoverEarlier({ documents: deps.documents, runId: this.run.id, items: inputs.items, keyField: this.run.keyField });
    this.run = { ...this.run, checkpoint: { batchesCompleted: Math.max(this.run.checkpoint.batchesCompleted, Math.ceil(recovered.entries.length / batchSize)) } };
    const writtenBefore = new Set(recovered.entries.map((e) => e.exactKey));
    const done: RunEntry[] = [...recovered.entries];
    let deletions: DeletionsRead | undefined = plan.kind === 'planned' || plan.kind === 'resumed' ? plan.read.deletions : undefined;
    const writes = this.writesOf(plan, writtenBefore, (read) => {
      deletions = read;
    });
    if (Array.isArray(writes)) events.onProgress?.({ phase: 'planned', count: this.planned, total: this.total });
    const applying = applyWrites({
      documents: deps.documents,
      runId: this.run.id,
      list: inputs.prepared.list,
      batchSize,
      firstDocument: recovered.documents,
      writeFirst: fresh ? (document) => this.begin(document) : undefined,
      writes,
      options: { ...deps.apply, signal: events.signal },
      onSegment: (segment) => this.segmentDone(segment, done, batchSize),
      onBatch: (batch) => this.batchDone(batch),
    });
    await applying.catch(async (error: unknown) => {
      // Stopped between two Exact pages: as a stop between batches, the run stays unfinished and
      // resumable, its record stored even when it wrote nothing yet.
      if (error instanceof ReadStoppedError) throw await this.stoppedBeforeWriting(this.read);
      throw error;
    });
    const cursor = plan.kind === 'closed' || this.setup.keepCursor === true ? undefined : plan.read.cursor;
    return this.finish({ entries: [...done, ...this.others], fresh, recovered: recovered.entries.length, closed: plan.kind === 'closed' ? plan : undefined, cursor, deletions });
  }

  /** The plan's writes; the entries that write nothing go to `others` as they are planned. */
  private writesOf(plan: FlowPlan, writtenBefore: Set<string>, onDeletions: (read: DeletionsRead) => void): WriteSource {
    const sort = (entries: RunEntry[]): RunEntry[] => {
      this.planned += entries.length;
      const writes = entries.filter(isWrite);
      this.total += writes.length;
      // A record an earlier attempt wrote plans as unchanged now: its entry in the log is the write.
      for (const e of entries) if (!isWrite(e) && !(e.action === 'skip' && writtenBefore.has(e.exactKey))) this.others.push(e);
      return writes;
    };
    const { onProgress } = this.setup.events;
    switch (plan.kind) {
      case 'closed':
        return [];
      case 'planned':
        this.read = plan.read.records.length;
        return sort(plan.entries);
      case 'resumed':
        this.read = plan.read.records.length;
        return sort(planRun({ ...planBase(this.setup.inputs), records: plan.read.records, deletedKeys: plan.read.deletions.keys, detectAbsence: plan.read.detectAbsence }));
      case 'streamed':
        this.writtenByKey = new Map();
        return streamedWrites(plan.read, new Planner(planBase(this.setup.inputs)), {
          sort,
          onPage: (count) => {
            this.read += count;
            // Every page, also once writing started: the screen's read count stays true.
            onProgress?.({ phase: 'read', count: this.read });
          },
          onPlanned: () => onProgress?.({ phase: 'planned', count: this.planned, total: this.total }),
          writtenFor: (key) => this.writtenByKey?.get(key),
          onDeletions,
        });
    }
  }

  /**
   * Saves the record of a run about to write and its first write-ahead document, after checking
   * that no other run of the profile is unfinished. Two admins pressing Run at once both pass the
   * engine's check; the run saved first goes on (runLock.ts) and the other stops before writing.
   * (The CRM lists' key columns are also unique in SharePoint, so even a race past this check is
   * refused per item rather than duplicated.) A document written for a run that then stops is
   * only a plan and is never sent.
   */
  private async begin(first?: RunDocument): Promise<void> {
    const { runs, clock } = this.setup.deps;
    const running = (await runs.begin(this.run, first ? [first] : [])).filter((r) => r.mode !== 'Undo');
    const rivals = earlierRuns(running, this.run);
    if (rivals.length > 0) {
      const message = `Run ${rivals[0].id} of this profile started at the same time (by ${rivals[0].startedBy}); this run stopped before writing`;
      await runs.save({ ...this.run, status: 'Failed', message, finishedAt: new Date(clock.now()).toISOString() });
      throw new Error(message);
    }
    this.begun = true;
  }

  /**
   * A signal that stopped the run while Exact was read: the run is stored unfinished (with what it
   * read) if it was not yet, so `resume`, `abandon` or `stop` finds it, as after a stop between batches.
   */
  public async stoppedBeforeWriting(read: number): Promise<RunStoppedError> {
    if (!this.begun) {
      this.run = { ...this.run, counts: { ...this.run.counts, read } };
      await this.begin();
    }
    return new RunStoppedError(this.run.id);
  }

  private async segmentDone(segment: SegmentDone, done: RunEntry[], batchSize: number): Promise<void> {
    for (const e of segment.entries) done.push(e);
    const batchesCompleted = this.run.checkpoint.batchesCompleted + Math.ceil(segment.entries.length / batchSize);
    this.run = { ...this.run, checkpoint: { batchesCompleted }, counts: countEntries(done, this.read) };
    // The write-ahead documents are what a resume trusts; the run record only shows progress
    // to other tabs, so it is saved every so many batches (each save is a SharePoint request).
    if (!segment.last && batchesCompleted - this.batchesAtLastSave >= RUN_RECORD_SAVE_EVERY) {
      this.batchesAtLastSave = batchesCompleted;
      await this.setup.deps.runs.save(this.run);
    }
  }

  private batchDone(batch: RunEntry[]): void {
    const { onProgress } = this.setup.events;
    for (const e of batch) {
      if (e.outcome === 'written') {
        this.written++;
        this.writtenByKey?.set(e.exactKey, e);
      } else this.failed++;
    }
    if (onProgress) onProgress({ phase: 'written', count: this.written, total: this.total });
    if (onProgress && this.failed > 0) onProgress({ phase: 'failed', count: this.failed, total: this.total });
  }

  /**
   * Log, state and review first, the finished record last: a crash in between leaves the run
   * unfinished, and its resume finds the CRM as the log says. One request where the journal can.
   */
  private async finish(end: {
    entries: RunEntry[];
    fresh: boolean;
    /** How a closed run ended, by whom, and why when not by a person's choice (the connector's app lost its access). */
    closed: { by: string; outcome: ClosedOutcome; reason?: string } | undefined;
    /** Entries earlier attempts wrote (from the write-ahead documents). */
    recovered: number;
    cursor: TimestampCursor | undefined;
    deletions: DeletionsRead | undefined;
  }): Promise<RunRecord> {
    const { deps, inputs } = this.setup;
    const { entries } = end;
    const run = this.run;
    const finals: RunDocument[] = [];
    // A run that wrote nothing and had nothing to report (only "unchanged", no CRM edit kept) keeps no log: its
    // counts say it all, and readLog answers an empty log for it. The CSV is made from the log
    // when someone exports it (exportCsv), so it costs a run nothing.
    const wroteOrReports = this.written + this.failed > 0 || end.recovered > 0 || this.others.some((e) => e.action !== 'skip' || e.kept.length > 0);
    if (!end.fresh || wroteOrReports) finals.push({ path: paths.log(run.id), content: JSON.stringify(entries) });
    const { prepared } = inputs;
    const next = nextProfileState({
      state: inputs.state,
      run,
      profile: prepared.profile,
      mappings: prepared.mappings,
      items: inputs.items,
      supportsSync: prepared.entity.supportsSync,
      entries,
      cursors: end.cursor && end.closed === undefined
        ? { records: end.cursor, deletions: end.deletions?.cursor ?? new TimestampCursor(), deletionTimestamps: end.deletions?.timestamps ?? new Map() }
        : undefined,
    });
    if (next.changed) finals.push({ path: paths.state(run.profileId), content: JSON.stringify(next.state) });
    const review = await updatedReview({ documents: deps.documents, run, items: inputs.items, entries });
    if (review) finals.push(review);
    const counts = countEntries(entries, end.closed === undefined ? this.read : run.counts.read);
    const finished = deps.clock.now();
    const result: RunRecord = {
      ...run,
      counts,
      status: end.closed !== undefined ? end.closed.outcome : counts.failed > 0 ? 'CompletedWithErrors' : 'Completed',
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - Date.parse(run.startedAt),
      cursorAfter: next.state.cursor,
    };
    if (end.closed !== undefined) {
      result.message = closedMessage(end.closed, entries.length);
    }
    // Nothing written and no record saved yet: the record is saved once, finished.
    await deps.runs.finish(result, finals, { begun: !end.fresh || this.begun });
    return result;
  }
}

/** The run record's message for a closed run (English, as the journal keeps it; screens word the status). */
export function closedMessage(closed: { by: string; outcome: ClosedOutcome; reason?: string }, writes: number): string {
  const why = closed.reason ?? `${closed.outcome === 'Stopped' ? 'stopped' : 'abandoned'} by ${closed.by}`;
  return `${why}; the ${writes} write(s) made before it stopped are in its log and can be undone`;
}
