import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { loadAbandonContext, loadContext, openFullRead, readsInFull, readStateAndReview } from '../read/read';
import type { ProgressListener, RunContext, StreamedRead } from '../read/read';
import { nextCursor, nextDeletionsCursor } from '../journal/cursor';
import { planRun, Planner } from '../plan/planner';
import { parseProfile, ProfileError } from '../profile/profile';
import type { Profile, ProfileProblem } from '../profile/profile';
import type { CrmTarget, DocumentStore, ExactRecordSource, ProfileStore, RunStore } from '../ports';
import { countEntries, emptyCounts, paths, parseDocument, runEntrySchema } from '../journal/records';
import type { RunCounts, RunEntry, RunRecord } from '../journal/records';
import { guardedFields, pruneWritten, rememberAgreedValues, rememberFoundValues, rememberWritten } from '../journal/agreedValues';
import { applyWrites, recoverEarlier, RunStoppedError } from '../write/apply';
import { streamedWrites } from '../write/streamPlan';
import { guardExactErrors } from '../read/exactErrorGuard';
import { earlierRuns } from '../journal/runLock';
import type { ApplyOptions } from '../write/apply';
import { runLogToCsv } from '../journal/runLog';
import type { CsvOptions } from '../journal/runLog';
import { updatedReview } from '../journal/review';
import { undoRun } from './undo';
import { z } from 'zod';

export interface EngineDeps {
  exact: ExactRecordSource;
  crm: CrmTarget;
  documents: DocumentStore;
  runs: RunStore;
  profiles: ProfileStore;
  clock?: Clock;
  /** Run ids; tests pass a counter. */
  newRunId?: () => string;
  /** Write-ahead segment size and batch concurrency (tests make segments small). */
  apply?: ApplyOptions;
}

export interface Preview {
  profile: Profile;
  full: boolean;
  since: string | null;
  counts: RunCounts;
  entries: RunEntry[];
  profileProblems: ProfileProblem[];
}

export interface RunOptions {
  /** Who started the run (shown in the run log). */
  user: string;
  /** Re-read everything instead of the changes since the saved cursor. */
  full?: boolean;
  onProgress?: ProgressListener;
  /**
   * Stops the run between two batches: the run stays unfinished (its write-ahead documents are
   * the truth) and `abandon` or `resume` takes it from there. Thrown as `RunStoppedError`.
   */
  signal?: AbortSignal;
}

export { RunStoppedError };
export { decrementDecimal, nextCursor } from '../journal/cursor';

const WRITE_ACTIONS = ['create', 'update', 'deleted'];

/** The plan of a run just started: whole (incremental), or as its read comes in (full). */
type FreshPlan = { entries: RunEntry[] } | { stream: StreamedRead };

/**
 * Batches between progress saves of the run record during apply (checked after each write-ahead
 * segment): every 10,000 writes, so other tabs see a long run move without a request per segment.
 */
export const RUN_RECORD_SAVE_EVERY = 100;

function isWrite(e: RunEntry): boolean {
  return e.changes.length > 0 && WRITE_ACTIONS.indexOf(e.action) >= 0;
}

function defaultRunId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The sync engine: preview, run (apply with checkpoints), resume, undo, logs. */
export class SyncEngine {
  private readonly clock: Clock;
  private readonly newRunId: () => string;
  private readonly applyOptions: ApplyOptions;

  public constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.newRunId = deps.newRunId ?? (() => defaultRunId(this.clock));
    this.applyOptions = deps.apply ?? {};
    // Exact blocks an endpoint for an hour after 10 errors: reads stop short of that.
    this.deps = { ...deps, exact: guardExactErrors(deps.exact, this.clock) };
  }

  public async loadProfile(profileId: string): Promise<Profile> {
    const entry = await this.deps.profiles.get(profileId);
    if (!entry) throw new Error(`Profile "${profileId}" does not exist`);
    if (!entry.valid) throw new ProfileError(entry.title || profileId, entry.issues);
    return entry.profile;
  }

  /** What a run would do, field by field; writes nothing anywhere. */
  public async preview(profile: Profile | string, options: { full?: boolean; onProgress?: ProgressListener } = {}): Promise<Preview> {
    const p = typeof profile === 'string' ? await this.loadProfile(profile) : parseProfile(profile);
    const { state, review } = await readStateAndReview(this.deps.documents, p.id);
    const full = options.full === true || state.cursor === null;
    const since = full ? null : state.cursor;
    const ctx = await loadContext(this.deps, p, { since, deletionsSince: state.deletionsCursor }, options.onProgress, { state, review });
    const entries = planRun(ctx);
    if (options.onProgress) options.onProgress({ phase: 'planned', count: entries.length });
    return { profile: p, full, since, counts: countEntries(entries, ctx.records.length), entries, profileProblems: ctx.profileProblems };
  }

  public async run(profileId: string, options: RunOptions): Promise<RunRecord> {
    // Three reads that do not depend on each other go out at once.
    const stateRead = readStateAndReview(this.deps.documents, profileId);
    const unfinishedRead = this.unfinishedRuns(profileId);
    stateRead.catch(() => undefined);
    unfinishedRead.catch(() => undefined);
    const profile = await this.loadProfile(profileId);
    const unfinished = (await unfinishedRead)[0];
    if (unfinished) {
      throw new Error(`Run ${unfinished.id} of profile "${profile.title}" (started ${unfinished.startedAt} by ${unfinished.startedBy}) did not finish; resume it first`);
    }
    const { state, review } = await stateRead;
    const full = options.full === true || state.cursor === null;
    const window = { since: full ? null : state.cursor, deletionsSince: state.deletionsCursor };
    // A read of everything is planned and written page by page (see apply.ts); an incremental
    // one first learns which keys changed, to read only their CRM items.
    const streamed = readsInFull(window, this.deps.exact.describeEntity(profile.source.entity));
    // A bad profile fails here, before a run record exists.
    const opened = streamed
      ? await openFullRead(this.deps, profile, window, { state, review })
      : { ctx: await loadContext(this.deps, profile, window, options.onProgress, { state, review }) };
    const ctx = opened.ctx;
    const run: RunRecord = {
      id: this.newRunId(),
      profileId: profile.id,
      profileTitle: profile.title,
      targetList: profile.targetList,
      keyField: profile.key.crmField,
      mode: profile.mode,
      status: 'Running',
      startedBy: options.user,
      startedAt: new Date(this.clock.now()).toISOString(),
      full,
      since: window.since,
      deletionsSince: window.deletionsSince,
      cursorBefore: state.cursor,
      counts: emptyCounts(),
      checkpoint: { batchesCompleted: 0 },
      profileProblems: ctx.profileProblems,
      profile,
    };
    // The record of a run is saved when its first write-ahead document is; a run with nothing to
    // write cannot be interrupted half-way, and its record is saved once, finished.
    const fresh: FreshPlan = 'pages' in opened ? { stream: opened } : { entries: planRun(ctx) };
    return this.execute(run, ctx, options.onProgress, undefined, fresh, options.signal, (first) => this.begin(run, first));
  }

  /**
   * Saves the record of a run about to write and its first write-ahead document, after checking
   * that no other run of the profile is unfinished. Two admins pressing Run at once both pass the
   * check in `run`; the run saved first goes on (runLock.ts) and the other stops before writing.
   * (The CRM lists' key columns are also unique in SharePoint, so even a race past this check is
   * refused per item rather than duplicated.) Where the store can, record, check and document are
   * one request; a document written for a run that then stops is only a plan and is never sent.
   */
  private async begin(run: RunRecord, first: { path: string; content: string }): Promise<void> {
    const { runs, documents } = this.deps;
    const running = runs.begin
      ? (await runs.begin(run, [first])).filter((r) => r.mode !== 'Undo')
      : await (async () => {
        await this.insertRun(run);
        // The list must include this run to know its place.
        return this.unfinishedRuns(run.profileId);
      })();
    const rivals = earlierRuns(running, run);
    if (rivals.length > 0) {
      const message = `Run ${rivals[0].id} of this profile started at the same time (by ${rivals[0].startedBy}); this run stopped before writing`;
      await runs.save({ ...run, status: 'Failed', message, finishedAt: new Date(this.clock.now()).toISOString() });
      throw new Error(message);
    }
    if (runs.begin) return;
    if (documents.writeMany) await documents.writeMany([first]);
    else await documents.write(first.path, first.content);
  }

  /** A run id just made is in no store yet: stores that can insert without looking first do. */
  private insertRun(run: RunRecord): Promise<void> {
    return this.deps.runs.insert ? this.deps.runs.insert(run) : this.deps.runs.save(run);
  }

  /** Continues a run that stopped (crash, closed tab): re-plans against the CRM as it is now. */
  public async resume(runId: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<RunRecord> {
    const run = await this.deps.runs.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist`);
    if (run.status !== 'Running' || run.mode === 'Undo') throw new Error(`Run ${runId} is ${run.status}; only an unfinished import run can be resumed`);
    const profile = run.profile === undefined ? await this.loadProfile(run.profileId) : parseProfile(run.profile);
    const ctx = await loadContext(this.deps, profile, { since: run.since, deletionsSince: run.deletionsSince }, options.onProgress);
    return this.execute(run, ctx, options.onProgress, undefined, undefined, options.signal);
  }

  public async undo(runId: string, options: { user: string; onProgress?: ProgressListener }): Promise<RunRecord> {
    return undoRun({ ...this.deps, clock: this.clock, newRunId: this.newRunId, readLog: (id) => this.readLog(id) }, runId, options);
  }

  public async readLog(runId: string): Promise<RunEntry[]> {
    const path = paths.log(runId);
    return parseDocument(path, await this.deps.documents.read(path), z.array(runEntrySchema)) ?? [];
  }

  public async exportCsv(runId: string, options: CsvOptions = {}): Promise<string> {
    return runLogToCsv(await this.readLog(runId), options);
  }

  /** Runs of a profile that did not finish (crash, closed tab): offer to resume them. */
  public async unfinishedRuns(profileId: string, except?: string): Promise<RunRecord[]> {
    const { runs } = this.deps;
    const running = runs.listRunning ? await runs.listRunning(profileId, except) : await runs.list(profileId);
    return running.filter((r) => r.status === 'Running' && r.mode !== 'Undo');
  }

  public async listRuns(profileId?: string): Promise<RunRecord[]> {
    const runs = await this.deps.runs.list(profileId);
    return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /**
   * Closes an unfinished run without writing more: what its batches wrote goes into its log (so
   * it can be undone), the cursor stays where it was, and the run is marked Failed.
   */
  public async abandon(runId: string, options: { user: string }): Promise<RunRecord> {
    const run = await this.deps.runs.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist`);
    if (run.status !== 'Running' || run.mode === 'Undo') throw new Error(`Run ${runId} is ${run.status}; only an unfinished import run can be abandoned`);
    const profile = run.profile === undefined ? await this.loadProfile(run.profileId) : parseProfile(run.profile);
    const ctx = await loadAbandonContext(this.deps, profile);
    return this.execute(run, ctx, undefined, options.user);
  }

  /**
   * `fresh`: the plan of a run just started, which has no write-ahead documents yet (whole, or
   * page by page); `writeFirst` saves its record with its first document.
   */
  private async execute(
    run: RunRecord,
    ctx: RunContext,
    onProgress?: ProgressListener,
    abandonedBy?: string,
    fresh?: FreshPlan,
    signal?: AbortSignal,
    writeFirst?: (document: { path: string; content: string }) => Promise<void>,
  ): Promise<RunRecord> {
    const { documents } = this.deps;
    const started = Date.parse(run.startedAt);
    const batchSize = ctx.profile.batchSize;
    // The write-ahead documents are the truth about earlier attempts; the run record's checkpoint
    // only lags behind them when a crash fell between the two writes. A run just started has none.
    const recovered = fresh ? { entries: [] as RunEntry[], documents: 0 } : await recoverEarlier(documents, run.id, ctx, run.keyField);
    const earlier = recovered.entries;
    run.checkpoint.batchesCompleted = Math.max(run.checkpoint.batchesCompleted, Math.ceil(earlier.length / batchSize));

    const writtenKeys = new Set(earlier.map((e) => e.exactKey));
    const others: RunEntry[] = [];
    let planned = 0;
    let read = ctx.records.length;
    let total = 0;
    const sort = (entries: RunEntry[]): RunEntry[] => {
      planned += entries.length;
      const writes = entries.filter(isWrite);
      total += writes.length;
      for (const e of entries) if (!isWrite(e) && !(e.action === 'skip' && writtenKeys.has(e.exactKey))) others.push(e);
      return writes;
    };
    const stream = fresh && 'stream' in fresh ? fresh.stream : undefined;
    let written = 0;
    let failed = 0;
    /** Written entries by key, for a record Exact returns again later in the read. */
    const writtenByKey = new Map<string, RunEntry>();
    const writes = abandonedBy !== undefined
      ? []
      : stream
        ? streamedWrites(stream, new Planner(ctx), {
          sort,
          onPage: (count) => {
            read += count;
            // Once writing started, its events carry the progress (the total grows as pages come).
            if (onProgress && written + failed === 0) onProgress({ phase: 'read', count: read });
          },
          onPlanned: () => onProgress?.({ phase: 'planned', count: planned }),
          writtenFor: (key) => writtenByKey.get(key),
        })
        : sort(fresh && 'entries' in fresh ? fresh.entries : planRun(ctx));
    if (onProgress && Array.isArray(writes)) onProgress({ phase: 'planned', count: planned });
    const done: RunEntry[] = [...earlier];
    let begun = false;
    let batchesAtLastSave = run.checkpoint.batchesCompleted;
    await applyWrites(
      {
        documents, runId: run.id, list: ctx.list, batchSize, firstDocument: recovered.documents,
        writeFirst: writeFirst && (async (document) => {
          await writeFirst(document);
          begun = true;
        }),
      },
      writes,
      { ...this.applyOptions, signal },
      async (segment) => {
        done.push(...segment.entries);
        run.checkpoint.batchesCompleted += Math.ceil(segment.entries.length / batchSize);
        run.counts = countEntries(done, read);
        // The write-ahead documents are what a resume trusts; the run record only shows progress
        // to other tabs, so it is saved every so many batches (each save is a SharePoint request).
        if (!segment.last && run.checkpoint.batchesCompleted - batchesAtLastSave >= RUN_RECORD_SAVE_EVERY) {
          batchesAtLastSave = run.checkpoint.batchesCompleted;
          await this.deps.runs.save(run);
        }
      },
      (batch) => {
        for (const e of batch) {
          if (e.outcome === 'written') {
            written++;
            if (stream) writtenByKey.set(e.exactKey, e);
          } else failed++;
        }
        if (onProgress) onProgress({ phase: 'written', count: written, total });
        if (onProgress && failed > 0) onProgress({ phase: 'failed', count: failed, total });
      },
    );

    const entries = [...done, ...others];
    const finals: { path: string; content: string }[] = [];
    // A run that wrote nothing and had nothing to report (only "unchanged", no CRM edit kept) keeps no log: its
    // counts say it all, and readLog answers an empty log for it. The CSV is made from the log
    // when someone exports it (exportCsv), so it costs a run nothing.
    if (fresh === undefined || done.length > 0 || others.some((e) => e.action !== 'skip' || e.kept.length > 0)) {
      finals.push({ path: paths.log(run.id), content: JSON.stringify(entries) });
    }
    const cursorAfter = this.nextState(run, ctx, entries, abandonedBy === undefined, finals);
    const review = await updatedReview(documents, run, ctx, entries);
    if (review) finals.push(review);
    // Nothing written and no record saved yet: the record is saved once, finished.
    const insertOnly = fresh !== undefined && !begun;
    const counts = countEntries(entries, abandonedBy === undefined ? read : 0);
    const finished = this.clock.now();
    const result: RunRecord = {
      ...run,
      counts,
      status: abandonedBy !== undefined ? 'Failed' : counts.failed > 0 ? 'CompletedWithErrors' : 'Completed',
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
      cursorAfter,
    };
    if (abandonedBy !== undefined) {
      result.message = `abandoned by ${abandonedBy}; the ${entries.length} write(s) made before it stopped are in its log and can be undone`;
    }
    // Log, state and review first, the finished record last: a crash in between leaves the run
    // unfinished, and its resume finds the CRM as the log says. One request where the stores can.
    if (!insertOnly && this.deps.runs.finish) {
      await this.deps.runs.finish(result, finals);
      return result;
    }
    if (documents.writeMany && finals.length > 1) await documents.writeMany(finals);
    else for (const doc of finals) await documents.write(doc.path, doc.content);
    await (insertOnly ? this.insertRun(result) : this.deps.runs.save(result));
    return result;
  }

  /**
   * Cursor and last written values move only now, after the writes succeeded. The document is
   * rewritten (added to `finals`) only when one of them moved; returns the cursor as it now stands.
   */
  private nextState(run: RunRecord, ctx: RunContext, entries: RunEntry[], moveCursor: boolean, finals: { path: string; content: string }[]): string | null {
    const state = ctx.state;
    let changed = rememberAgreedValues(state, ctx, entries);
    const guarded = guardedFields(ctx.mappings);
    for (const e of entries) {
      if (e.outcome !== 'written') continue;
      rememberWritten(state, e, guarded);
      changed = true;
    }
    if (ctx.entity.supportsSync && moveCursor) {
      const cursor = nextCursor(run.since, ctx.maxTimestamp, entries);
      const deletionsCursor = nextDeletionsCursor(run.deletionsSince, ctx, entries);
      changed = changed || cursor !== state.cursor || deletionsCursor !== state.deletionsCursor;
      state.cursor = cursor;
      state.deletionsCursor = deletionsCursor;
    }
    // Undo restores the cursor only for the profile's last run; a run that moved nothing leaves
    // that to the run before it, whose cursor is still the one in force.
    // A read of everything, filtered or not: rememberFoundValues gives every linked item outside
    // what this run wrote its memory of a newly covered field.
    const readEverything = (run.since === null || !ctx.entity.supportsSync) && moveCursor;
    if (readEverything && rememberFoundValues(state, ctx, guarded)) changed = true;
    if (changed) {
      state.lastRunId = run.id;
      pruneWritten(state, guarded, readEverything);
      finals.push({ path: paths.state(run.profileId), content: JSON.stringify(state) });
    }
    return state.cursor;
  }
}
