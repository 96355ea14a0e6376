import { systemClock } from './clock';
import type { Clock } from './clock';
import { loadContext, readState } from './context';
import { rememberAgreedValues } from './agreedValues';
import { guardExactErrors } from './exactErrorGuard';
import type { ProgressListener, RunContext } from './context';
import { compareDecimal, normalizeKey, sameValue } from './normalize';
import { planRun } from './planner';
import { parseProfile, ProfileError } from './profile';
import type { Profile, ProfileProblem } from './profile';
import type { CrmTarget, CrmWrite, DocumentStore, ExactRecordSource, ProfileStore, RunStore } from './ports';
import { batchDocumentSchema, countEntries, emptyCounts, paths, parseDocument, runEntrySchema } from './records';
import type { RunCounts, RunEntry, RunRecord } from './records';
import { earlierRuns } from './runLock';
import { runLogToCsv } from './runLog';
import type { CsvOptions } from './runLog';
import { updateReview } from './review';
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
   * Stops the run between two batches: the run stays unfinished (its batches are the truth) and
   * `abandon` or `resume` takes it from there. Thrown as `RunStoppedError`.
   */
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

const WRITE_ACTIONS = ['create', 'update', 'deleted'];

/** Batches between progress saves of the run record during apply. */
export const RUN_RECORD_SAVE_EVERY = 10;

function isWrite(e: RunEntry): boolean {
  return e.changes.length > 0 && WRITE_ACTIONS.indexOf(e.action) >= 0;
}

export function toWrite(e: RunEntry): CrmWrite {
  const values: Record<string, RunEntry['changes'][number]['after']> = {};
  for (const c of e.changes) values[c.field] = c.after;
  if (e.action === 'create') return { kind: 'create', ref: e.exactKey, values };
  return { kind: 'update', ref: e.exactKey, id: e.itemId ?? 0, etag: e.etag, values };
}

function defaultRunId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The sync engine: preview, run (apply with checkpoints), resume, undo, logs. */
export class SyncEngine {
  private readonly clock: Clock;
  private readonly newRunId: () => string;

  public constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.newRunId = deps.newRunId ?? (() => defaultRunId(this.clock));
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
    const state = await readState(this.deps.documents, p.id);
    const full = options.full === true || state.cursor === null;
    const since = full ? null : state.cursor;
    const ctx = await loadContext(this.deps, p, { since, deletionsSince: state.deletionsCursor }, options.onProgress);
    const entries = planRun(ctx);
    if (options.onProgress) options.onProgress({ phase: 'planned', count: entries.length });
    return { profile: p, full, since, counts: countEntries(entries, ctx.records.length), entries, profileProblems: ctx.profileProblems };
  }

  public async run(profileId: string, options: RunOptions): Promise<RunRecord> {
    const profile = await this.loadProfile(profileId);
    const unfinished = (await this.unfinishedRuns(profileId))[0];
    if (unfinished) {
      throw new Error(`Run ${unfinished.id} of profile "${profile.title}" (started ${unfinished.startedAt} by ${unfinished.startedBy}) did not finish; resume it first`);
    }
    const state = await readState(this.deps.documents, profile.id);
    const full = options.full === true || state.cursor === null;
    const window = { since: full ? null : state.cursor, deletionsSince: state.deletionsCursor };
    // A bad profile fails here, before a run record exists.
    const ctx = await loadContext(this.deps, profile, window, options.onProgress);
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
    await this.deps.runs.save(run);
    // Two admins pressing Run at once both pass the check above; the run saved first goes on and
    // the other stops before writing. (The CRM lists' key columns are also unique in SharePoint,
    // so even a race past this check is refused per item rather than duplicated.)
    const rivals = earlierRuns(await this.unfinishedRuns(profile.id), run);
    if (rivals.length > 0) {
      const message = `Run ${rivals[0].id} of this profile started at the same time (by ${rivals[0].startedBy}); this run stopped before writing`;
      await this.deps.runs.save({ ...run, status: 'Failed', message, finishedAt: new Date(this.clock.now()).toISOString() });
      throw new Error(message);
    }
    return this.execute(run, ctx, options.onProgress, undefined, options.signal);
  }

  /** Continues a run that stopped (crash, closed tab): re-plans against the CRM as it is now. */
  public async resume(runId: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<RunRecord> {
    const run = await this.deps.runs.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist`);
    if (run.status !== 'Running' || run.mode === 'Undo') throw new Error(`Run ${runId} is ${run.status}; only an unfinished import run can be resumed`);
    const profile = run.profile === undefined ? await this.loadProfile(run.profileId) : parseProfile(run.profile);
    const ctx = await loadContext(this.deps, profile, { since: run.since, deletionsSince: run.deletionsSince }, options.onProgress);
    return this.execute(run, ctx, options.onProgress, undefined, options.signal);
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
  public async unfinishedRuns(profileId: string): Promise<RunRecord[]> {
    const { runs } = this.deps;
    const running = runs.listRunning ? await runs.listRunning(profileId) : await runs.list(profileId);
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
    const ctx = await loadContext(this.deps, profile, { since: run.since, deletionsSince: run.deletionsSince });
    return this.execute(run, ctx, undefined, options.user);
  }

  private async execute(run: RunRecord, ctx: RunContext, onProgress?: ProgressListener, abandonedBy?: string, signal?: AbortSignal): Promise<RunRecord> {
    const { documents } = this.deps;
    const started = Date.parse(run.startedAt);
    // Batch documents are the truth about earlier attempts; the run record's checkpoint only
    // lags behind them when a crash fell between the two writes.
    const earlier: RunEntry[] = [];
    let batch = 0;
    let doc = parseDocument(paths.batch(run.id, 1), await documents.read(paths.batch(run.id, 1)), batchDocumentSchema);
    while (doc) {
      batch++;
      const path = paths.batch(run.id, batch);
      const next = parseDocument(paths.batch(run.id, batch + 1), await documents.read(paths.batch(run.id, batch + 1)), batchDocumentSchema);
      if (doc.status === 'pending' && next && next.previous && next.previous.batch === batch) {
        doc = { ...doc, status: 'done', entries: next.previous.entries };
      } else if (doc.status === 'pending') {
        // The last batch sent before the interruption: what reached the CRM is what the CRM shows.
        doc = { batch, status: 'done', entries: reconcile(doc.entries, ctx, run.keyField) };
        await documents.write(path, JSON.stringify(doc));
      }
      earlier.push(...doc.entries);
      doc = next;
    }
    run.checkpoint.batchesCompleted = batch;

    const planned = abandonedBy === undefined ? planRun(ctx) : [];
    if (onProgress) onProgress({ phase: 'planned', count: planned.length });
    const writtenKeys = new Set(earlier.map((e) => e.exactKey));
    const writes = planned.filter(isWrite);
    const others = planned.filter((e) => !isWrite(e) && !(e.action === 'skip' && writtenKeys.has(e.exactKey)));
    const done: RunEntry[] = [...earlier];
    let written = 0;
    let failed = 0;
    let previous: { batch: number; entries: RunEntry[] } | undefined;
    for (let i = 0; i < writes.length; i += ctx.profile.batchSize) {
      if (signal?.aborted) throw new RunStoppedError(run.id);
      const chunk = writes.slice(i, i + ctx.profile.batchSize).map((e): RunEntry => ({ ...e, outcome: 'pending' }));
      batch++;
      const path = paths.batch(run.id, batch);
      await documents.write(path, JSON.stringify({ batch, status: 'pending', entries: chunk, previous }));
      const results = await ctx.list.write(chunk.map(toWrite));
      chunk.forEach((e, j) => {
        const result = results[j];
        if (result && result.ok) {
          e.outcome = 'written';
          e.itemId = result.id;
          written++;
        } else {
          e.outcome = 'failed';
          e.message = result ? result.message : 'no result for this write';
          if (result && result.problems) e.problems = result.problems;
          failed++;
        }
      });
      previous = { batch, entries: chunk };
      done.push(...chunk);
      run.checkpoint.batchesCompleted = batch;
      run.counts = countEntries(done, ctx.records.length);
      // The batch documents are what a resume trusts; the run record only shows progress to
      // other tabs, so it is saved every few batches (each save is a SharePoint request).
      if (batch % RUN_RECORD_SAVE_EVERY === 0) await this.deps.runs.save(run);
      if (onProgress) onProgress({ phase: 'written', count: written, total: writes.length });
      if (onProgress && failed > 0) onProgress({ phase: 'failed', count: failed, total: writes.length });
    }

    if (previous) {
      await documents.write(paths.batch(run.id, previous.batch), JSON.stringify({ batch: previous.batch, status: 'done', entries: previous.entries }));
    }
    const entries = [...done, ...others];
    await documents.write(paths.log(run.id), JSON.stringify(entries));
    await documents.write(paths.csv(run.id), runLogToCsv(entries));
    await this.saveState(run, ctx, entries, abandonedBy === undefined);
    await updateReview(documents, run, ctx, entries);
    const counts = countEntries(entries, abandonedBy === undefined ? ctx.records.length : 0);
    const finished = this.clock.now();
    const result: RunRecord = {
      ...run,
      counts,
      status: abandonedBy !== undefined ? 'Failed' : counts.failed > 0 ? 'CompletedWithErrors' : 'Completed',
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
    };
    if (abandonedBy !== undefined) {
      result.message = `abandoned by ${abandonedBy}; the ${entries.length} write(s) made before it stopped are in its log and can be undone`;
    }
    const state = await readState(documents, run.profileId);
    result.cursorAfter = state.cursor;
    await this.deps.runs.save(result);
    return result;
  }

  /** Cursor and last written values move only now, after the writes succeeded. */
  private async saveState(run: RunRecord, ctx: RunContext, entries: RunEntry[], moveCursor: boolean): Promise<void> {
    const state = await readState(this.deps.documents, run.profileId);
    rememberAgreedValues(state, ctx, entries);
    for (const e of entries) {
      if (e.outcome !== 'written') continue;
      const values = e.action === 'create' ? {} : { ...(state.written[e.exactKey] ?? {}) };
      for (const c of e.changes) values[c.field] = c.after;
      state.written[e.exactKey] = values;
    }
    if (ctx.entity.supportsSync && moveCursor) {
      state.cursor = nextCursor(run.since, ctx.maxTimestamp, entries);
      state.deletionsCursor = nextDeletionsCursor(run.deletionsSince, ctx, entries);
    }
    state.lastRunId = run.id;
    await this.deps.documents.write(paths.state(run.profileId), JSON.stringify(state));
  }
}

/**
 * Entries of a batch whose outcome a crash hid: written if the CRM now shows the run's values
 * (creates are found by their key), otherwise dropped so the plan offers them again.
 */
function reconcile(entries: RunEntry[], ctx: RunContext, keyField: string): RunEntry[] {
  const result: RunEntry[] = [];
  for (const e of entries) {
    if (e.outcome !== 'pending') {
      result.push(e);
      continue;
    }
    const item = e.action === 'create'
      ? ctx.items.find((i) => normalizeKey(i.values[keyField]) === e.exactKey)
      : ctx.items.find((i) => i.id === e.itemId);
    // A create was planned because no item had this key, so an item with it now is ours (even
    // if someone edited it since; undo will then refuse it rather than lose that edit).
    const applied = item !== undefined && (e.action === 'create' || e.changes.every((c) => sameValue(item.values[c.field], c.after)));
    if (item && applied) {
      result.push({ ...e, outcome: 'written', itemId: item.id, message: 'confirmed after an interruption' });
    }
  }
  return result;
}

/** Like nextCursor for sync/Deleted: a deletion whose flag could not be written is read again next time. */
function nextDeletionsCursor(since: string | null, ctx: RunContext, entries: RunEntry[]): string | null {
  const failed = entries
    .filter((e) => e.action === 'deleted' && e.outcome === 'failed')
    .map((e) => ctx.deletionTimestamps.get(e.exactKey))
    .filter((t): t is string => t !== undefined);
  if (failed.length === 0) return maxDecimal(since, ctx.maxDeletionTimestamp);
  const oldest = failed.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b));
  return maxDecimal(since, decrementDecimal(oldest));
}

/** The next incremental read starts before the oldest record that did not make it into the CRM. */
export function nextCursor(since: string | null, max: string | null, entries: RunEntry[]): string | null {
  const blocked = entries
    .filter((e) => e.timestamp !== undefined && (e.action === 'error' || e.outcome === 'failed' || (e.action === 'conflict' && e.kept.length === 0)))
    .map((e) => e.timestamp as string);
  if (blocked.length === 0) return maxDecimal(since, max);
  const oldest = blocked.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b));
  return maxDecimal(since, decrementDecimal(oldest));
}

function maxDecimal(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareDecimal(a, b) >= 0 ? a : b;
}

export function decrementDecimal(value: string): string {
  const digits = value.replace(/^0+(?=\d)/, '').split('');
  if (digits.length === 1 && digits[0] === '0') return '0';
  let i = digits.length - 1;
  while (digits[i] === '0') {
    digits[i] = '9';
    i--;
  }
  digits[i] = String(Number(digits[i]) - 1);
  return digits.join('').replace(/^0+(?=\d)/, '');
}
