import { describe, expect, it } from 'vitest';
import { paths, type RunEntry, type RunRecord } from '../../src/sync/journal/records';
import { because } from '../../src/sync/journal/reasons';
import type { DocumentStore } from '../../src/sync/ports';
import { memoryHarness, type Harness } from '../support/memoryHarness';
import { accountId, DIVISION, seedAccounts } from '../support/memoryExact';
import { InjectedCrash } from '../support/memoryStores';
import { changeProfile } from '../support/profiles';
import { recoverEarlier, type ApplyOptions } from '../../src/sync/write/apply';

/** The finest checkpoints: a write-ahead document per batch, one batch at a time. */
const PER_BATCH: ApplyOptions = { writeAheadBatches: 1, writeConcurrency: 1 };

/**
 * A crash after every durable operation of a scenario (CRM item writes, batch documents, run
 * checkpoints, logs, state) and a resume must end exactly where an uninterrupted run ends.
 */

async function setBatchSize(h: Harness, id: string, batchSize: number) {
  await changeProfile(h.profiles, id, { batchSize });
}

/** Runs a profile to the end like a user who reopens the tab and presses "resume" after each crash. */
async function runToEnd(h: Harness, profileId: string): Promise<{ run: RunRecord; crashes: number }> {
  let crashes = 0;
  for (;;) {
    try {
      const unfinished = (await h.runs.list(profileId)).find((r) => r.status === 'Running');
      const run = unfinished ? await h.engine.resume(unfinished.id) : await h.engine.run(profileId, { user: 'admin' });
      return { run, crashes };
    } catch (error) {
      if (!(error instanceof InjectedCrash)) throw error;
      crashes++;
      const runs = await h.runs.list(profileId);
      const finished = runs.filter((r) => r.status !== 'Running').sort((a, b) => (a.id < b.id ? 1 : -1));
      // A crash after the last save leaves a finished run: nothing to resume.
      if (!runs.some((r) => r.status === 'Running') && finished.length > 0 && finished[0].id === lastStarted(h)) {
        return { run: finished[0], crashes };
      }
    }
  }
}

function lastStarted(h: Harness): string {
  return Array.from(h.runs.runs.keys()).sort().pop() ?? '';
}

async function scenario(h: Harness): Promise<RunRecord[]> {
  await setBatchSize(h, 'companies', 3);
  await setBatchSize(h, 'contacts', 4);
  const results: RunRecord[] = [];
  results.push((await runToEnd(h, 'companies')).run);
  h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
  h.exact.upsert(DIVISION, 'Account', { ID: accountId(6), Phone: '+31 40 123 4567', Status: 'P' });
  h.exact.upsert(DIVISION, 'Account', { ...seedAccounts[1], ID: accountId(20), Code: '0000020', Name: 'Vos Transport B.V.', ChamberOfCommerce: '88888888', VATNumber: 'NL888888888B01', Email: 'info@vostransport.nl' });
  h.exact.remove(DIVISION, 'Account', accountId(8));
  results.push((await runToEnd(h, 'companies')).run);
  results.push((await runToEnd(h, 'contacts')).run);
  return results;
}

function endState(h: Harness) {
  return {
    companies: h.crm.list('Companies').byKey('ExactId'),
    contacts: h.crm.list('Contacts').byKey('ExactId'),
  };
}

/** Lookup ids differ when creates happen in another order; compare contacts by their company's key. */
function comparable(h: Harness) {
  const state = endState(h);
  const keyOf = new Map(Object.entries(h.crm.list('Companies').snapshot()).map(([id, v]) => [Number(id), v.ExactId]));
  for (const c of Object.values(state.contacts)) c.Company = keyOf.get(c.Company as number) ?? null;
  return state;
}

/** Crashes after operation 1, 2, ... of the scenario; each time a resume must end where the uninterrupted run ends. */
async function crashSweep(apply: ApplyOptions, minOperations: number): Promise<void> {
    const reference = memoryHarness({ apply });
  const expectedRuns = await scenario(reference);
  const expected = comparable(reference);
  const total = reference.crash.operations;
  expect(total).toBeGreaterThan(minOperations);
  let crashed = 0;
  for (let n = 1; n <= total; n++) {
    const h = memoryHarness({ apply });
    h.crash.arm(n);
    const runs = await scenario(h);
    if (h.crash.operations >= n) crashed++;
    expect(comparable(h), `crash after operation ${n}`).toEqual(expected);
    expect(h.crm.list('Companies').items.size).toBe(9);
    expect(h.crm.list('Contacts').items.size).toBe(9);
    expect(runs.map((r) => r.counts), `counts after a crash at operation ${n}`).toEqual(expectedRuns.map((r) => r.counts));
    // The run log of a resumed run lists each written record once.
    for (const r of runs) {
      const log = await h.engine.readLog(r.id);
      const written = log.filter((e) => e.outcome === 'written').map((e) => e.exactKey);
      expect(new Set(written).size).toBe(written.length);
    }
  }
  expect(crashed).toBe(total);
  }

describe('apply with checkpoints: crash and resume', () => {
  it('the uninterrupted scenario has the expected counts', async () => {
    const h = memoryHarness();
    const [first, second, people] = await scenario(h);
    expect(first.counts).toEqual({ read: 8, created: 8, updated: 0, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
    expect(first.checkpoint.batchesCompleted).toBe(3);
    expect(second.counts).toEqual({ read: 3, created: 1, updated: 2, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 1 });
    expect(people.counts).toMatchObject({ read: 9, created: 9, failed: 0 });
    const companies = h.crm.list('Companies').byKey('ExactId');
    expect(companies[accountId(8)].DeletedInExact).toBe(true);
    expect(companies[accountId(6)].CustomerStatus).toBe('Prospect');
  });

  it('a crash after every operation resumes to the same end state, with the same counts and no duplicates (a document per batch)', async () => {
    await crashSweep(PER_BATCH, 40);
  });

  it('the same with the default write-ahead segments and batches in parallel', async () => {
    await crashSweep({}, 20);
  });

  it('the same with segments of two batches, sent one at a time and three at a time', async () => {
    await crashSweep({ writeAheadBatches: 2, writeConcurrency: 1 }, 30);
    await crashSweep({ writeAheadBatches: 2, writeConcurrency: 3 }, 30);
  });

  it('a crash after a segment\'s batches reached the CRM but before the document that carries its outcomes resumes without duplicates', async () => {
    // Segments of one batch of 3, one batch at a time: segment 1's outcomes go into segment 3's
    // document (segment 2's is written while segment 1 is in flight).
    const apply = { writeAheadBatches: 1, writeConcurrency: 1 };
    const reference = memoryHarness({ apply });
    await setBatchSize(reference, 'companies', 3);
    const expected = (await runToEnd(reference, 'companies')).run;

    const h = memoryHarness({ apply });
    await setBatchSize(h, 'companies', 3);
    // The process dies as that document is about to be written: nothing durable happens after.
    let dead = false;
    const gone = () => {
      if (dead) throw new InjectedCrash('the tab is gone');
    };
    const writeDocument = h.documents.write.bind(h.documents);
    h.documents.write = async (path, content) => {
      gone();
      if ((JSON.parse(content) as { previous?: { batch: number } }).previous?.batch === 1) {
        dead = true;
        gone();
      }
      return writeDocument(path, content);
    };
    const companiesList = h.crm.list('Companies');
    const writeItems = companiesList.write.bind(companiesList);
    companiesList.write = async (writes) => {
      gone();
      return writeItems(writes);
    };
    const save = h.runs.save.bind(h.runs);
    h.runs.save = async (run) => {
      gone();
      return save(run);
    };
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
    // Segments 1 and 2 both reached the CRM: two pending documents, neither with its outcomes anywhere.
    const reached = companiesList.items.size;
    expect(reached).toBe(6);
    const first = JSON.parse(h.documents.files.get('run-001/batch-00001.json') ?? '{}');
    expect(first.status).toBe('pending');
    expect(first.entries.every((e: { outcome: string }) => e.outcome === 'pending')).toBe(true);
    expect(h.documents.files.has('run-001/batch-00002.json')).toBe(true);
    expect(JSON.parse(h.documents.files.get('run-001/batch-00002.json') ?? '{}').previous).toBeUndefined();
    expect(h.documents.files.has('run-001/batch-00003.json')).toBe(false);

    dead = false;
    const resumed = await h.engine.resume('run-001');
    expect(resumed.counts).toEqual(expected.counts);
    expect(companiesList.items.size).toBe(8);
    const keys = Object.values(companiesList.snapshot()).map((v) => v.ExactId);
    expect(new Set(keys).size).toBe(8);
    const log = await h.engine.readLog('run-001');
    const written = log.filter((e) => e.outcome === 'written');
    expect(written.map((e) => e.exactKey).sort()).toEqual(keys.map(String).sort());
    expect(written.filter((e) => e.message === 'confirmed after an interruption')).toHaveLength(reached);
    // Undo still knows every item the run created, the confirmed ones included.
    await h.engine.undo('run-001', { user: 'admin' });
    expect(companiesList.items.size).toBe(0);
  });

  it('refuses to start a second run while one is unfinished, and names it', async () => {
    const h = memoryHarness();
    h.crash.arm(2);
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
    await expect(h.engine.run('companies', { user: 'other' })).rejects.toThrow(/Run run-001 of profile "Companies from Exact accounts" .* did not finish; resume it first/);
    const resumed = await h.engine.resume('run-001');
    expect(resumed.counts.created).toBe(8);
    expect(h.crm.list('Companies').items.size).toBe(8);
  });

  it('resumes with the profile as it was when the run started, not a later edit', async () => {
    const h = memoryHarness();
    await setBatchSize(h, 'companies', 3);
    h.crash.arm(4);
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
    await changeProfile(h.profiles, 'companies', { mode: 'Update' });
    const [unfinished] = await h.engine.unfinishedRuns('companies');
    const resumed = await h.engine.resume(unfinished.id);
    expect(resumed.mode).toBe('ImportAndUpdate');
    expect(resumed.counts.created).toBe(8);
    await expect(h.engine.run('companies', { user: 'admin' })).resolves.toMatchObject({ mode: 'Update' });
  });

  it('of two runs started at once, the earlier goes on and the later stops before writing', async () => {
    const h = memoryHarness();
    const save = h.runs.save.bind(h.runs);
    let rivalStarted = false;
    h.runs.save = async (run) => {
      if (!rivalStarted && run.id === 'run-001') {
        rivalStarted = true;
        // The other admin's run saved its record a moment earlier (what counts is the order of saving).
        await save({ ...run, id: 'run-000', startedBy: 'other admin' });
      }
      await save(run);
    };
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toThrow('Run run-000 of this profile started at the same time (by other admin); this run stopped before writing');
    expect(h.crm.itemWrites).toBe(0);
    expect((await h.runs.get('run-001'))?.status).toBe('Failed');
    const resumed = await h.engine.resume('run-000');
    expect(resumed.counts.created).toBe(8);
  });

  it('an unfinished run can be abandoned: its writes are logged, the cursor stays, and undo removes them', async () => {
    const h = memoryHarness({ apply: PER_BATCH });
    await setBatchSize(h, 'companies', 3);
    h.crash.arm(6); // run record, batch 1 pending, 3 creates, batch 2 pending
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
    h.crash.arm(4); // batches 1 and 2 reconciled and closed, batch 3 pending, a create: the tab closes inside batch 3
    await expect(h.engine.resume('run-001')).rejects.toBeInstanceOf(InjectedCrash);
    const made = h.crm.list('Companies').items.size;
    expect(made).toBeGreaterThan(3);
    expect(made).toBeLessThan(8);
    const abandoned = await h.engine.abandon('run-001', { user: 'admin' });
    expect(abandoned.status).toBe('Abandoned');
    expect(abandoned.message).toBe(`abandoned by admin; the ${made} write(s) made before it stopped are in its log and can be undone`);
    expect(abandoned.counts).toMatchObject({ created: made });
    const state = JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}');
    expect(state.cursor).toBeNull();
    await h.engine.undo('run-001', { user: 'admin' });
    expect(h.crm.list('Companies').items.size).toBe(0);
    expect((await h.engine.run('companies', { user: 'admin' })).counts.created).toBe(8);
  });
});

describe('abandon while Exact refuses', () => {
  it('closes an unfinished run without reading Exact', async () => {
    const h = memoryHarness({ apply: PER_BATCH });
    await setBatchSize(h, 'companies', 3);
    h.crash.arm(6);
    await expect(h.engine.run('companies', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
    const made = h.crm.list('Companies').items.size;
    // Exact's error block (or the day's limit): every read fails from now on.
    const refuse = (): AsyncIterable<never> => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('Exact: too many errors in the last hour')) }),
    });
    h.exact.readAll = refuse;
    h.exact.readChanges = refuse;
    h.exact.readDeletions = refuse;
    const abandoned = await h.engine.abandon('run-001', { user: 'admin' });
    expect(abandoned).toMatchObject({ status: 'Abandoned', counts: { created: made } });
  });
});

describe('recoverEarlier, resumed twice', () => {
  it('a document whose outcomes a later one carried is written down as done, so a second resume does not reconcile it against a CRM edited since', async () => {
    const files = new Map<string, string>();
    const documents = { read: async (path: string) => files.get(path), write: async (path: string, content: string) => void files.set(path, content) } as unknown as DocumentStore;
    const entry = (key: string, id: number, outcome: RunEntry['outcome']): RunEntry => ({
      exactKey: key, label: key, action: 'update', reason: because('fieldsChanged', 1), itemId: id, changes: [{ field: 'City', before: 'A', after: 'B' }], problems: [], kept: [], outcome,
    } as RunEntry);
    files.set(paths.batch('r', 1), JSON.stringify({ batch: 1, status: 'pending', entries: [entry('k1', 1, 'pending')] }));
    files.set(paths.batch('r', 2), JSON.stringify({ batch: 2, status: 'pending', entries: [entry('k2', 2, 'pending')] }));
    files.set(paths.batch('r', 3), JSON.stringify({ batch: 3, status: 'pending', entries: [entry('k3', 3, 'pending')], previous: { batch: 1, entries: [entry('k1', 1, 'written')] } }));
    const items = [1, 2, 3].map((id) => ({ id, values: { Key: `k${id}`, City: 'B' } }));
    const first = await recoverEarlier({ documents, runId: 'r', items, keyField: 'Key' });
    expect(first.entries.map((e) => `${e.exactKey}:${e.outcome}`)).toEqual(['k1:written', 'k2:written', 'k3:written']);
    expect(JSON.parse(files.get(paths.batch('r', 1))!)).toMatchObject({ status: 'done' });
    // A person edits item 1 before the second resume (the first one crashed after recovering).
    (items[0]!.values as Record<string, unknown>).City = 'typed';
    const second = await recoverEarlier({ documents, runId: 'r', items, keyField: 'Key' });
    expect(second.entries.map((e) => `${e.exactKey}:${e.outcome}`)).toEqual(['k1:written', 'k2:written', 'k3:written']);
  });

  it('a document carries only what the writes of a segment before it settled, and the segment\'s entries get them back', async () => {
    const files = new Map<string, string>();
    const documents = { read: async (path: string) => files.get(path), write: async (path: string, content: string) => void files.set(path, content) } as unknown as DocumentStore;
    const entry = (key: string): RunEntry => ({
      exactKey: key, label: key, action: 'create', reason: because('newInExact'), itemId: null, changes: [{ field: 'City', before: null, after: 'B' }], problems: [], kept: [], outcome: 'pending',
    } as RunEntry);
    files.set(paths.batch('r', 1), JSON.stringify({ batch: 1, status: 'pending', entries: [entry('k1'), entry('k2')] }));
    files.set(paths.batch('r', 2), JSON.stringify({
      batch: 2, status: 'pending', entries: [entry('k3')],
      previous: { batch: 1, outcomes: [{ outcome: 'written', itemId: 7 }, { outcome: 'failed', itemId: null, message: 'Title: required', problems: [{ field: 'Title', reason: 'required' }] }] },
    }));
    // Nothing in the CRM: the carried outcomes, not a reconcile, decide segment 1.
    const recovered = await recoverEarlier({ documents, runId: 'r', items: [], keyField: 'Key' });
    expect(recovered.entries.map((e) => [e.exactKey, e.outcome, e.itemId, e.message ?? null, e.problems.length, e.changes.length])).toEqual([
      ['k1', 'written', 7, null, 0, 1],
      ['k2', 'failed', null, 'Title: required', 1, 1],
    ]);
  });
});
