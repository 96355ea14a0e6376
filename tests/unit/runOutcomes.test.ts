import { describe, expect, it } from 'vitest';
import { RunStoppedError, FilterRefusedError } from '../../src/sync/run/engine';
import { runLogToCsv } from '../../src/sync/journal/runLog';
import { memoryHarness } from '../support/memoryHarness';
import { changeProfile } from '../support/profiles';

const companies = 'companies';

async function stoppedBy(run: Promise<unknown>): Promise<RunStoppedError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RunStoppedError);
  return error as RunStoppedError;
}

/** A harness whose Exact read counts the pages asked for and can stop after the first one. */
function pagedHarness() {
  const h = memoryHarness({ apply: { writeConcurrency: 1 } });
  h.exact.pageSize = 2;
  const pages = { asked: 0 };
  const read = h.exact.readChanges.bind(h.exact);
  h.exact.readChanges = async function* (request) {
    for await (const page of read(request)) {
      pages.asked++;
      yield page;
    }
  };
  return { h, pages };
}

describe('Stop and Abandon are run outcomes of their own', () => {
  it('Stop while Exact is read stops between pages, before any write; stop() closes it as Stopped with what it read', async () => {
    const { h, pages } = pagedHarness();
    // A segment of writes waits for more pages before it goes out, so the read notices the stop first.
    const stop = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'read' && stop.abort() }));
    // One page read, one read ahead at most: not the whole division.
    expect(pages.asked).toBeLessThanOrEqual(2);
    // The signal alone leaves the run unfinished and resumable, stored even though it wrote nothing.
    const [unfinished] = await h.engine.unfinishedRuns(companies);
    expect(unfinished).toMatchObject({ id: stopped.runId, status: 'Running' });
    expect(unfinished!.counts.read).toBeGreaterThan(0);
    const closed = await h.engine.stop(stopped, { user: 'admin' });
    expect(closed.status).toBe('Stopped');
    expect(closed.counts.read).toBeGreaterThan(0);
    expect(closed.message).toMatch(/^stopped by admin/);
    expect((await h.engine.listRuns(companies)).map((r) => r.status)).toEqual(['Stopped']);
    expect(await h.engine.unfinishedRuns(companies)).toEqual([]);
    // Nothing was written, and the next run starts from the same place.
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(0);
    const next = await h.engine.run(companies, { user: 'a' });
    expect(next.status).toBe('Completed');
    expect(next.counts.created).toBe(8);
  });

  it('a run stopped while Exact is read can be resumed to the same end as an uninterrupted one', async () => {
    const { h } = pagedHarness();
    const stop = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'read' && stop.abort() }));
    const resumed = await h.engine.resume(stopped.runId);
    expect(resumed.status).toBe('Completed');
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(8);
  });

  it('an aborted signal alone between batches leaves the run unfinished and resumable (background chunks)', async () => {
    const { h } = pagedHarness();
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    const stop = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'written' && stop.abort() }));
    const [unfinished] = await h.engine.unfinishedRuns(companies);
    expect(unfinished).toMatchObject({ id: stopped.runId, status: 'Running' });
    const resumed = await h.engine.resume(stopped.runId);
    expect(resumed.status).toBe('Completed');
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(8);
  });

  it('Stop after writes closes the run as Stopped, its writes logged and undoable, CSV and history say Stopped', async () => {
    const { h } = pagedHarness();
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    const stop = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'written' && stop.abort() }));
    const closed = await h.engine.stop(stopped, { user: 'admin' });
    expect(closed.status).toBe('Stopped');
    expect(closed.counts.created).toBe(3);
    const log = await h.engine.readLog(closed.id);
    expect(log.filter((e) => e.outcome === 'written')).toHaveLength(3);
    expect(runLogToCsv(log, { bom: false }).split('\r\n')[0]).toBe('Action,Outcome,Exact key,Name,Item id,Field,Before,After,Reason');
    const undo = await h.engine.undo(closed.id, { user: 'admin' });
    expect(undo.status).toBe('Completed');
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(0);
  });

  it('Abandon ends an unfinished run as Abandoned, not Failed', async () => {
    const { h } = pagedHarness();
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    const stop = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'written' && stop.abort() }));
    const abandoned = await h.engine.abandon(stopped.runId, { user: 'admin' });
    expect(abandoned.status).toBe('Abandoned');
    expect(abandoned.message).toMatch(/^abandoned by admin; the 3 write\(s\)/);
    expect((await h.engine.listRuns(companies))[0].status).toBe('Abandoned');
  });

  it('a resume stopped while Exact is read stays unfinished; stop() then closes it as Stopped', async () => {
    const { h } = pagedHarness();
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    const first = new AbortController();
    const stopped = await stoppedBy(h.engine.run(companies, { user: 'a', signal: first.signal, onProgress: (e) => e.phase === 'written' && first.abort() }));
    const again = new AbortController();
    const resumeStopped = await stoppedBy(h.engine.resume(stopped.runId, { signal: again.signal, onProgress: (e) => e.phase === 'read' && again.abort() }));
    expect(resumeStopped.runId).toBe(stopped.runId);
    expect((await h.engine.unfinishedRuns(companies)).map((r) => r.id)).toEqual([stopped.runId]);
    expect((await h.engine.stop(resumeStopped, { user: 'admin' })).status).toBe('Stopped');
  });

  it('a filter Exact refuses (400) is named as the filter, with what the shared grammar finds wrong', async () => {
    const { h } = pagedHarness();
    await changeProfile(h.profiles, companies, { source: { entity: 'Account', filter: "Blocked eq false" } });
    h.exact.readChanges = async function* () {
      yield* [];
      throw Object.assign(new Error("Exact GET 1/sync/CRM/Accounts?%24filter=Blocked%20eq%20false failed with HTTP 400"), { status: 400, messages: ["Operator 'eq' incompatible"] });
    };
    const error = await h.engine.preview(companies).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FilterRefusedError);
    expect((error as FilterRefusedError).exactMessage).toBe("Operator 'eq' incompatible");
    // The grammar accepts this one: only Exact knows why, and says so.
    expect((error as FilterRefusedError).problem).toBeUndefined();
  });
});
