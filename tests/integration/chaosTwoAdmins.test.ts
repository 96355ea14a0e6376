import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock, systemClock, type Clock } from '../../src/sync/clock';
import { SyncEngine } from '../../src/sync/run/engine';
import type { RunJournal } from '../../src/sync/ports';
import type { SyncWiring } from '../../src/services/syncServices';
import { startChaosSandbox, type ChaosSandbox } from '../support/chaosWiring';

/**
 * Two admins press Run on the same profile at once, each in their own browser tab (own engine,
 * own clock), over the emulators: exactly one run writes, the other is told which run it met.
 */

const ACCOUNTS = 20;

/** A run store that tells the test when the engine calls it, and can hold a save back. */
function watched(inner: RunJournal, hooks: { beforeSave?: () => Promise<void>; afterListRunning?: () => void }): RunJournal {
  return {
    save: async (run) => {
      await hooks.beforeSave?.();
      return inner.save(run);
    },
    // Insert and listing are one request: the hold comes before it, the listing's hook after.
    begin: async (run, documents) => {
      await hooks.beforeSave?.();
      const running = await inner.begin(run, documents);
      hooks.afterListRunning?.();
      return running;
    },
    finish: (run, documents, options) => inner.finish(run, documents, options),
    get: (id) => inner.get(id),
    list: (profileId) => inner.list(profileId),
    listRunning: async (profileId, except) => {
      const running = await inner.listRunning(profileId, except);
      hooks.afterListRunning?.();
      return running;
    },
  };
}

function engineOf(services: SyncWiring, runs: RunJournal, clock: Clock, id: string): SyncEngine {
  return new SyncEngine({ exact: services.exact, crm: services.crm, documents: services.documents, runs, profiles: services.profileStore, clock, newRunId: () => id });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('two admins start the same profile at once', () => {
  let sb: ChaosSandbox;

  beforeAll(async () => {
    sb = await startChaosSandbox({ seed: 1, accounts: ACCOUNTS });
    await sb.services().importProfiles.profiles.ensureDefaults(sb.division);
  }, 60_000);

  afterAll(async () => {
    await sb?.sandbox.close();
  });

  async function expectOneRun(outcomes: PromiseSettledResult<unknown>[], names: string[]): Promise<void> {
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won, `outcomes: ${JSON.stringify(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status)))}`).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(String(lost[0].reason)).toMatch(new RegExp(`Run (${names.join('|')}) of (this profile|profile ".*") (started at the same time|\\(started)`));
    const items = await (await sb.services().crm.openList('Companies')).readItems(['ExactId']);
    expect(items).toHaveLength(ACCOUNTS);
  }

  it('when both press Run in the same moment, exactly one run proceeds and the other is told', async () => {
    const a = sb.services();
    const b = sb.services();
    const outcomes = await Promise.allSettled([
      engineOf(a, a.runs, systemClock, 'run-admin-a').run('companies', { user: 'anna@contoso.nl' }),
      engineOf(b, b.runs, systemClock, 'run-admin-b').run('companies', { user: 'bram@contoso.nl' }),
    ]);
    await expectOneRun(outcomes, ['run-admin-a', 'run-admin-b']);
    // The lost run's record says why it stopped, for the run history.
    const stopped = (await a.runs.list('companies')).find((r) => r.status === 'Failed');
    expect(stopped?.message).toMatch(/this run stopped before writing/);
    for (const r of await a.runs.list('companies')) if (r.status === 'Completed') await a.engine.undo(r.id, { user: 'anna@contoso.nl' });
  }, 60_000);

  it('when the second admin saves their run just after the first passed its check, and their clock is behind, still one run', async () => {
    const a = sb.services();
    const b = sb.services();
    const bChecked = deferred();
    const aPassed = deferred();
    let aSaved = false;
    let bListed = 0;
    // Anna's tab saves its run only after Bram's tab found no unfinished run; Bram's tab saves
    // only after Anna's passed the check for rivals. Bram's computer clock is two minutes behind.
    const annaRuns = watched(a.runs, {
      beforeSave: async () => {
        if (!aSaved) await bChecked.promise;
        aSaved = true;
      },
      afterListRunning: () => aSaved && aPassed.resolve(),
    });
    const bramRuns = watched(b.runs, { beforeSave: () => aPassed.promise, afterListRunning: () => ++bListed === 1 && bChecked.resolve() });
    const bramClock = new TestClock(Date.now() - 120_000);
    const outcomes = await Promise.allSettled([
      engineOf(a, annaRuns, systemClock, 'run-anna').run('companies', { user: 'anna@contoso.nl' }),
      engineOf(b, bramRuns, bramClock, 'run-bram').run('companies', { user: 'bram@contoso.nl' }),
    ]);
    await expectOneRun(outcomes, ['run-anna', 'run-bram']);
  }, 60_000);
});
