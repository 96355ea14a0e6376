import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { readStateAndReview } from '../journal/documents';
import { planRun } from '../plan/planner';
import { modeSchema, parseProfile, ProfileError } from '../profile/profile';
import type { Profile, ProfileProblem, SyncMode } from '../profile/profile';
import type { CrmTarget, DocumentStore, ExactRecordSource, ProfileStore, RunJournal } from '../ports';
import { countEntries, emptyCounts, paths, parseDocument, runEntrySchema } from '../journal/records';
import type { RunCounts, RunEntry, RunRecord, RunTriggerRecord } from '../journal/records';
import { RunStoppedError } from '../write/apply';
import type { ApplyOptions } from '../write/apply';
import { guardExactErrors } from '../read/exactErrorGuard';
import { prepareProfile } from '../read/prepare';
import type { PreparedProfile } from '../read/prepare';
import { openFullRead, readForClosing, readsInFull, readWhole } from '../read/exactRead';
import type { ReadWindow, RunInputs } from '../read/exactRead';
import type { ProgressListener } from '../progress';
import { runLogToCsv } from '../journal/runLog';
import type { CsvOptions } from '../journal/runLog';
import { undoRun } from './undo';
import { planBase, RunFlow } from './flow';
import type { ClosedOutcome, FlowPlan } from './flow';
import { ReadStoppedError } from '../read/readStopped';
import { z } from 'zod';

export interface EngineDeps {
  exact: ExactRecordSource;
  crm: CrmTarget;
  documents: DocumentStore;
  runs: RunJournal;
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
  /** Who or what started it (a person, the schedule, a change in Exact); recorded with the run. */
  trigger?: RunTriggerRecord;
  /** Who writes to SharePoint, when not `user`: the connector's app in a background run. */
  writer?: string;
  /**
   * Stops the run between two batches: the run stays unfinished (its write-ahead documents are
   * the truth) and `abandon` or `resume` takes it from there. Thrown as `RunStoppedError`.
   */
  signal?: AbortSignal;
  /**
   * The mode for this run only (the admin picks it in the Run dialog); the stored profile keeps
   * its own. The run record holds the mode used, and a resume continues with it.
   */
  mode?: SyncMode;
}

export { RunStoppedError };
export { FilterRefusedError, ReadStoppedError } from '../read/readStopped';

/** What `stop` closes: a `RunStoppedError`'s run. */
export interface StoppedRun {
  runId: string;
}

/** The profile as one run uses it: the stored one, with the mode chosen for this run. */
function withMode(profile: Profile, mode: SyncMode | undefined): Profile {
  return mode === undefined || mode === profile.mode ? profile : { ...profile, mode: modeSchema.parse(mode) };
}

/**
 * Whether a run in `mode` leaves behind what the profile's own mode would do (Update leaves new
 * records, Import leaves changes), so the profile's cursor must stay for its next run to see them.
 */
function leavesWorkBehind(mode: SyncMode | 'Undo', stored: SyncMode): boolean {
  return mode !== stored && mode !== 'ImportAndUpdate' && mode !== 'Undo';
}

function defaultRunId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `run-${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The sync engine: preview, run (apply with checkpoints), resume, undo, logs. */
export class SyncEngine {
  private readonly clock: Clock;
  private readonly newRunId: () => string;
  private readonly deps: Required<Pick<EngineDeps, 'exact' | 'crm' | 'documents' | 'runs' | 'profiles'>>;
  private readonly applyOptions: ApplyOptions;

  public constructor(deps: EngineDeps) {
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
  public async preview(profile: Profile | string, options: { full?: boolean; onProgress?: ProgressListener; mode?: SyncMode } = {}): Promise<Preview> {
    const p = withMode(typeof profile === 'string' ? await this.loadProfile(profile) : parseProfile(profile), options.mode);
    const { state, review } = await readStateAndReview(this.deps.documents, p.id);
    const full = options.full === true || state.cursor === null;
    const since = full ? null : state.cursor;
    const prepared = await this.prepare(p);
    const { inputs, read } = await readWhole(this.deps, prepared, { window: { since, deletionsSince: state.deletionsCursor }, onProgress: options.onProgress, state, review });
    const entries = planRun({ ...planBase(inputs), records: read.records, deletedKeys: read.deletions.keys, detectAbsence: read.detectAbsence });
    options.onProgress?.({ phase: 'planned', count: entries.length });
    return { profile: p, full, since, counts: countEntries(entries, read.records.length), entries, profileProblems: prepared.problems };
  }

  public async run(profileId: string, options: RunOptions): Promise<RunRecord> {
    // Three reads that do not depend on each other go out at once.
    const stateRead = readStateAndReview(this.deps.documents, profileId);
    const unfinishedRead = this.unfinishedRuns(profileId);
    stateRead.catch(() => undefined);
    unfinishedRead.catch(() => undefined);
    const stored = await this.loadProfile(profileId);
    const profile = withMode(stored, options.mode);
    const unfinished = (await unfinishedRead)[0];
    if (unfinished) {
      throw new Error(`Run ${unfinished.id} of profile "${profile.title}" (started ${unfinished.startedAt} by ${unfinished.startedBy}) did not finish; resume it first`);
    }
    const { state, review } = await stateRead;
    const full = options.full === true || state.cursor === null;
    const window: ReadWindow = { since: full ? null : state.cursor, deletionsSince: state.deletionsCursor };
    // A bad profile fails here, before a run record exists.
    const prepared = await this.prepare(profile);
    const run = this.newRunRecord({ prepared, window, full, cursorBefore: state.cursor, user: options.user, trigger: options.trigger, writer: options.writer });
    // A read of everything is planned and written page by page (see apply.ts); an incremental
    // one first learns which keys changed, to read only their CRM items.
    let plan: FlowPlan;
    let inputs: RunInputs;
    const { signal } = options;
    if (readsInFull(window, prepared.entity)) {
      const read = await openFullRead(this.deps.exact, prepared, { window, state, review, signal });
      plan = { kind: 'streamed', read };
      inputs = read.inputs;
    } else {
      const whole = await readWhole(this.deps, prepared, { window, onProgress: options.onProgress, state, review, signal }).catch(async (error: unknown) => {
        if (error instanceof ReadStoppedError) throw await this.flow(run, { prepared, items: [], lookups: new Map(), state, review }, {}).stoppedBeforeWriting(error.read);
        throw error;
      });
      plan = { kind: 'planned', read: whole.read, entries: planRun({ ...planBase(whole.inputs), records: whole.read.records, deletedKeys: whole.read.deletions.keys, detectAbsence: whole.read.detectAbsence }) };
      inputs = whole.inputs;
    }
    return this.flow(run, inputs, options, leavesWorkBehind(profile.mode, stored.mode)).complete(plan);
  }

  /** Continues a run that stopped (crash, closed tab): re-plans against the CRM as it is now. */
  public async resume(runId: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<RunRecord> {
    const run = await this.unfinishedRun(runId, 'resumed');
    const prepared = await this.prepare(await this.profileOf(run));
    const { inputs, read } = await readWhole(this.deps, prepared, { window: { since: run.since, deletionsSince: run.deletionsSince }, onProgress: options.onProgress, signal: options.signal }).catch((error: unknown) => {
      // Stopped while Exact was read: the run stays as it was, unfinished.
      throw error instanceof ReadStoppedError ? new RunStoppedError(run.id) : error;
    });
    const stored = await this.deps.profiles.get(run.profileId);
    // Without a readable stored profile its own mode is unknown: only an Import & Update run is
    // sure to leave nothing behind, and keeping the cursor costs no more than a re-read.
    const keepCursor = stored?.valid === true ? leavesWorkBehind(run.mode, stored.profile.mode) : run.mode !== 'ImportAndUpdate';
    return this.flow(run, inputs, options, keepCursor).complete({ kind: 'resumed', read });
  }

  /**
   * Closes an unfinished run without writing more: what its batches wrote goes into its log (so
   * it can be undone), the cursor stays where it was, and the run is marked Abandoned.
   */
  public async abandon(runId: string, options: { user: string; reason?: string }): Promise<RunRecord> {
    // With a reason the connector closes it (its app lost access, its messages kept failing): Failed, not a person's Abandon.
    return this.close(runId, { by: options.user, outcome: options.reason === undefined ? 'Abandoned' : 'Failed', reason: options.reason });
  }

  /**
   * The person's Stop: closes a run its `signal` stopped (a `RunStoppedError`: between batches or
   * between two Exact pages, always stored unfinished) as Stopped, as `abandon` closes one: its
   * writes logged and undoable, the cursor where it was. (An aborted `signal` alone leaves the run
   * unfinished and resumable, as background chunks want.)
   */
  public async stop(stopped: StoppedRun, options: { user: string }): Promise<RunRecord> {
    return this.close(stopped.runId, { by: options.user, outcome: 'Stopped' });
  }

  private async close(runId: string, closed: { by: string; outcome: ClosedOutcome; reason?: string }): Promise<RunRecord> {
    const run = await this.unfinishedRun(runId, closed.outcome === 'Stopped' ? 'stopped' : 'abandoned');
    const prepared = await this.prepare(await this.profileOf(run));
    const inputs = await readForClosing(this.deps.documents, prepared);
    return this.flow(run, inputs, {}).complete({ kind: 'closed', ...closed });
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
    const running = await this.deps.runs.listRunning(profileId, except);
    return running.filter((r) => r.status === 'Running' && r.mode !== 'Undo');
  }

  public async listRuns(profileId?: string): Promise<RunRecord[]> {
    const runs = await this.deps.runs.list(profileId);
    return runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  private prepare(profile: Profile): Promise<PreparedProfile> {
    return prepareProfile({ exact: this.deps.exact, crm: this.deps.crm, profile });
  }

  private flow(run: RunRecord, inputs: RunInputs, events: { onProgress?: ProgressListener; signal?: AbortSignal }, keepCursor = false): RunFlow {
    const deps = { documents: this.deps.documents, runs: this.deps.runs, clock: this.clock, apply: this.applyOptions };
    return new RunFlow({ deps, run, inputs, events: { onProgress: events.onProgress, signal: events.signal }, keepCursor });
  }

  private async unfinishedRun(runId: string, verb: 'resumed' | 'abandoned' | 'stopped'): Promise<RunRecord> {
    const run = await this.deps.runs.get(runId);
    if (!run) throw new Error(`Run ${runId} does not exist`);
    if (run.status !== 'Running' || run.mode === 'Undo') throw new Error(`Run ${runId} is ${run.status}; only an unfinished import run can be ${verb}`);
    return run;
  }

  /** The profile as the run started with it: a resume continues with it, not with later edits. */
  private profileOf(run: RunRecord): Promise<Profile> {
    return run.profile === undefined ? this.loadProfile(run.profileId) : Promise.resolve(parseProfile(run.profile));
  }

  private newRunRecord(start: { prepared: PreparedProfile; window: ReadWindow; full: boolean; cursorBefore: string | null; user: string; trigger?: RunTriggerRecord; writer?: string }): RunRecord {
    const { profile } = start.prepared;
    return {
      id: this.newRunId(),
      profileId: profile.id,
      profileTitle: profile.title,
      targetList: profile.targetList,
      keyField: profile.key.crmField,
      mode: profile.mode,
      status: 'Running',
      startedBy: start.user,
      startedAt: new Date(this.clock.now()).toISOString(),
      full: start.full,
      since: start.window.since,
      deletionsSince: start.window.deletionsSince,
      cursorBefore: start.cursorBefore,
      counts: emptyCounts(),
      checkpoint: { batchesCompleted: 0 },
      profileProblems: start.prepared.problems,
      profile,
      ...(start.trigger ? { trigger: start.trigger } : {}),
      ...(start.writer ? { writer: start.writer } : {}),
    };
  }
}

