import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { RunRecord } from '../../src/sync/journal/records';
import type { SyncWiring } from '../../src/services/syncServices';
import type { ExactEmulatorControl } from '../../sandbox/exact';
import type { Rng } from '../../sandbox/exact/random';
import { behindCursor, compareWithExact, logProblems, readCursor, snapshotList, type ChaosProfile } from './chaosCheck';
import type { FaultSettings } from './chaosFaults';
import type { ChaosEndpoints } from './chaosWiring';

/**
 * The chaos suites' moves: Exact changes between rounds, a run in a child process killed with
 * SIGKILL, resume until a run finishes clean, and the record-by-record check against Exact.
 */

const RUNNER = resolve(__dirname, 'chaosRunner.ts');
/** Attempts (run or resume) per profile run before the suite calls it stuck. */
const MAX_ATTEMPTS = 20;

export interface ChaosTotals {
  runs: number;
  attempts: number;
  /** Engine processes killed mid-run. */
  crashes: number;
  compared: number;
  lost: number;
  duplicated: number;
  stale: number;
  failedWrites: number;
}

export const newTotals = (): ChaosTotals => ({ runs: 0, attempts: 0, crashes: 0, compared: 0, lost: 0, duplicated: 0, stale: 0, failedWrites: 0 });

export interface ChaosStage {
  seed: number;
  random: Rng;
  /** The admin's own tab: resumes, checks and reads. */
  admin: SyncWiring;
  exactControl: ExactEmulatorControl;
  division: number;
  endpoints: ChaosEndpoints;
  /** Injected faults, silenced for setup and for the checks' reads. */
  faults: FaultSettings[];
  totals: ChaosTotals;
}

export const where = (stage: ChaosStage, round: number, profile: string): string => `CHAOS_SEED=${stage.seed} round ${round} ${profile}`;

const rowsOf = (stage: ChaosStage, profile: ChaosProfile) => stage.exactControl.records(stage.division, profile === 'companies' ? 'Accounts' : 'Contacts');

/** Runs `work` with every injected fault off, then puts the rates back. */
export async function quietly<T>(stage: ChaosStage, work: () => Promise<T>): Promise<T> {
  const before = stage.faults.map((f) => f.rate);
  for (const f of stage.faults) f.rate = 0;
  try {
    return await work();
  } finally {
    stage.faults.forEach((f, i) => (f.rate = before[i]));
  }
}

/** Exact changes between rounds, as people make them: edits, new accounts and contacts, a deletion. */
export function changeExact(stage: ChaosStage, round: number): void {
  const { exactControl: exact, division, random } = stage;
  const accounts = exact.records(division, 'Accounts');
  for (let i = 0; i < 6; i++) {
    exact.updateRecord(division, 'Accounts', String(random.pick(accounts).ID), { City: `Plaats ${round}-${i}`, Email: `Info${round}${i}@Example.NL` });
  }
  const contacts = exact.records(division, 'Contacts');
  for (let i = 0; i < 4; i++) exact.updateRecord(division, 'Contacts', String(random.pick(contacts).ID), { FirstName: `Naam${round}${i}` });
  for (let i = 0; i < 2; i++) {
    const created = exact.createRecord(division, 'Accounts', { Name: `Nieuw ${round}-${i} BV`, City: 'Utrecht', Status: 'C' });
    exact.createRecord(division, 'Contacts', { Account: created.ID, FirstName: `Eva${round}${i}`, LastName: 'Jansen' });
  }
  exact.deleteRecord(division, 'Accounts', String(random.pick(accounts).ID));
}

/**
 * A run in a child process, killed with SIGKILL after a random 0..`maxDelayMs`; true when the
 * kill landed before the run ended. `alongside` runs while the child does (another fault), told
 * whether the child is still going.
 */
export async function killedRun(
  stage: ChaosStage,
  profileId: string,
  options: { maxDelayMs?: number; alongside?: (running: () => boolean) => Promise<void> } = {},
): Promise<boolean> {
  // Node itself with tsx as a loader: the `tsx` command runs the script in a grandchild, which a
  // SIGKILL of the child would leave running (the run went on, next to its own resume).
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER], {
    env: { ...process.env, CHAOS_CHILD: JSON.stringify({ ...stage.endpoints, profileId }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  await new Promise<void>((ready) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
    void exit.then(ready);
  });
  const delay = stage.random.int(0, options.maxDelayMs ?? 1_500);
  const alongside = options.alongside?.(() => !exited);
  await new Promise((r) => setTimeout(r, delay));
  const killed = !exited && child.kill('SIGKILL');
  await exit;
  await alongside;
  if (killed) stage.totals.crashes++;
  return killed;
}

export interface DriveHooks {
  /** Runs alongside the first attempt (e.g. a kill of the SharePoint stand-in), told whether the attempt is still going. */
  duringFirst?: (running: () => boolean) => Promise<void>;
  /** Runs the moment a run returns, before its checks read anything back. */
  afterRun?: () => Promise<void>;
}

/** Resumes or runs until a run finishes without failed writes, checking each finished run on the way. */
export async function driveToEnd(stage: ChaosStage, round: number, profileId: ChaosProfile, hooks: DriveHooks = {}): Promise<RunRecord> {
  const { duringFirst, afterRun } = hooks;
  const { admin, totals } = stage;
  const reasons: string[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    totals.attempts++;
    const running = (async () => {
      const unfinished = (await admin.engine.unfinishedRuns(profileId))[0];
      return unfinished ? admin.engine.resume(unfinished.id) : admin.engine.run(profileId, { user: 'admin@contoso.nl' });
    })();
    let going = true;
    const settled = running.then(() => (going = false), () => (going = false));
    if (attempt === 1 && duringFirst) await Promise.all([duringFirst(() => going), settled]);
    let run: RunRecord;
    try {
      run = await running;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      expect(message.trim(), `${where(stage, round, profileId)}: a failed attempt says why`).not.toBe('');
      reasons.push(message);
      continue;
    }
    totals.runs++;
    await afterRun?.();
    await quietly(stage, async () => {
      expect(await logProblems(admin, run), `${where(stage, round, profileId)} run ${run.id}`).toEqual([]);
      const snap = await snapshotList(admin, profileId, rowsOf(stage, profileId));
      const cursor = await readCursor(admin.documents, profileId);
      expect(behindCursor(profileId, snap, cursor), `${where(stage, round, profileId)}: records at or below cursor ${cursor} not written`).toEqual([]);
    });
    totals.failedWrites += run.counts.failed;
    if (run.status === 'Completed') return run;
    reasons.push(`run ${run.id} ${run.status} with ${run.counts.failed} failed`);
  }
  throw new Error(`${where(stage, round, profileId)}: no clean run in ${MAX_ATTEMPTS} attempts: ${reasons.join(' | ')}`);
}

/** The list against Exact: every record once, current, and gone ones flagged; adds to the totals. */
export async function expectMatchesExact(stage: ChaosStage, round: number, profileId: ChaosProfile): Promise<void> {
  await quietly(stage, async () => {
    const c = compareWithExact(profileId, await snapshotList(stage.admin, profileId, rowsOf(stage, profileId)));
    const { totals } = stage;
    totals.compared += c.compared;
    totals.lost += c.missing.length;
    totals.duplicated += c.duplicated.length;
    totals.stale += c.stale.length + c.unflagged.length;
    expect({ missing: c.missing, duplicated: c.duplicated, stale: c.stale, unflagged: c.unflagged }, where(stage, round, profileId))
      .toEqual({ missing: [], duplicated: [], stale: [], unflagged: [] });
  });
}
