import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrmSp, siteContext, WRITE_BATCH_SIZE, type SPFI } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { startStandIn, type StandInProcess } from '../support/standInProcess';

/**
 * The SharePoint stand-in keeps what it acknowledged: a stand-in process is SIGKILLed right after
 * its last answer (or with writes still in flight) and started again on the same data folder;
 * every write it answered is there, none twice. A small compaction threshold makes the writes
 * cross several log generations and snapshots on the way.
 */

interface Company {
  Id: number;
  Title: string;
  ExactId: string;
  City: string | null;
}

const dataDir = mkdtempSync(join(tmpdir(), 'sp-durable-'));
const config = { dataDir, logCompactBytes: 64 * 1024 };
let running: StandInProcess | undefined;

afterAll(async () => {
  await running?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (standIn: StandInProcess): SPFI => createCrmSp(siteContext(standIn.siteUrl), standIn.siteUrl);
const runLogsFolder = (standIn: StandInProcess): string => `${new URL(standIn.siteUrl).pathname}/Run Logs`;

async function companiesOf(sp: SPFI): Promise<Company[]> {
  return (await sp.web.lists.getByTitle(CRM_LISTS.companies).items.select('Id', 'Title', 'ExactId', 'City').top(5000)()) as Company[];
}

describe('SharePoint stand-in killed with SIGKILL', () => {
  it('has every acknowledged write after a restart: items by $batch and alone, updates, deletions, files and the run record', async () => {
    running = await startStandIn(config);
    let sp = open(running);
    const report = await provisionCrm(sp);
    expect(report.problems).toEqual([]);
    const companies = sp.web.lists.getByTitle(CRM_LISTS.companies);
    const expected = new Map<number, { Title: string; ExactId: string; City: string | null }>();

    // 600 company writes, as in the issue: six $batch requests of 100.
    for (let b = 0; b < 6; b++) {
      const [batched, execute] = sp.batched({ maxRequests: WRITE_BATCH_SIZE });
      const adds = Array.from({ length: 100 }, (_, i) => {
        const values = { Title: `Company ${b}-${i}`, ExactId: `exact-${b}-${i}`, City: 'Delft' };
        return batched.web.lists.getByTitle(CRM_LISTS.companies).items.add(values).then((added: { Id: number }) => expected.set(added.Id, values));
      });
      await execute();
      await Promise.all(adds);
    }
    for (let i = 0; i < 20; i++) {
      const values = { Title: `Single ${i}`, ExactId: `single-${i}`, City: null };
      const added = (await companies.items.add(values)) as { Id: number };
      expected.set(added.Id, values);
    }
    const ids = [...expected.keys()];
    for (const id of ids.slice(0, 20)) {
      await companies.items.getById(id).update({ City: 'Zwolle' });
      expected.get(id)!.City = 'Zwolle';
    }
    for (const id of ids.slice(20, 30)) {
      await companies.items.getById(id).delete();
      expected.delete(id);
    }
    const folder = sp.web.getFolderByServerRelativePath(runLogsFolder(running));
    await folder.files.addUsingPath('run-1.json', '{"first":true}', { Overwrite: true });
    await folder.files.addUsingPath('run-2.json', '{"second":true}', { Overwrite: true });
    await folder.files.addUsingPath('run-1.json', '{"first":"rewritten"}', { Overwrite: true });
    const runs = sp.web.lists.getByTitle(CRM_LISTS.syncRuns);
    const run = (await runs.items.add({ Title: 'Companies, now', RunId: 'run-1', Status: 'Running' })) as { Id: number };
    await runs.items.getById(run.Id).update({ Status: 'Completed' });
    // Killed the moment the last write was answered: nothing gets a later chance to reach the disk.
    await running.kill();
    // The log was folded into site.json on the way (generation 0 is the first snapshot's).
    expect(readdirSync(join(dataDir, 'sharepoint')).filter((f) => /^log-[1-9]\d*\.jsonl$/.test(f))).toHaveLength(1);

    running = await startStandIn(config);
    sp = open(running);
    const after = await companiesOf(sp);
    expect(after.length).toBe(expected.size);
    expect(new Map(after.map((c) => [c.Id, { Title: c.Title, ExactId: c.ExactId, City: c.City }]))).toEqual(expected);
    const files = sp.web.getFolderByServerRelativePath(runLogsFolder(running)).files;
    expect(await files.getByUrl('run-1.json').getText()).toBe('{"first":"rewritten"}');
    expect(await files.getByUrl('run-2.json').getText()).toBe('{"second":true}');
    const record = await sp.web.lists.getByTitle(CRM_LISTS.syncRuns).items.getById(run.Id).select('RunId', 'Status')();
    expect(record).toMatchObject({ RunId: 'run-1', Status: 'Completed' });
  }, 90_000);

  it('keeps every answered write, none twice, when killed with writes in flight, and never reuses an item Id', async () => {
    running ??= await startStandIn(config);
    const sp = open(running);
    const acknowledged = new Set<string>();
    const sent: string[] = [];
    const standIn = running;
    let killed: Promise<void> | undefined;
    const answered = (title: string) => {
      acknowledged.add(title);
      // The kill lands while the other writes are still in flight.
      if (acknowledged.size === 40) killed = standIn.kill();
    };
    const singles = Array.from({ length: 60 }, (_, i) => {
      const title = `In flight ${i}`;
      sent.push(title);
      return sp.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: title, ExactId: `flight-${i}` }).then(() => answered(title));
    });
    const batches = Array.from({ length: 4 }, (_, b) => {
      const [batched, execute] = sp.batched({ maxRequests: WRITE_BATCH_SIZE });
      const parts = Array.from({ length: 50 }, (_, i) => {
        const title = `Flight batch ${b}-${i}`;
        sent.push(title);
        return batched.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: title, ExactId: `flight-${b}-${i}` }).then(() => title);
      });
      return execute().then(async () => (await Promise.all(parts)).forEach(answered));
    });
    await Promise.allSettled([...singles, ...batches]);
    await (killed ?? running.kill());
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);

    running = await startStandIn(config);
    const again = open(running);
    const titles = (await companiesOf(again)).map((c) => c.Title);
    const inFlight = titles.filter((t) => sent.includes(t));
    expect([...acknowledged].filter((t) => !inFlight.includes(t)), 'answered but lost').toEqual([]);
    expect(inFlight.length, 'written twice').toBe(new Set(inFlight).size);
    const maxId = Math.max(...(await companiesOf(again)).map((c) => c.Id));
    const added = (await again.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: 'After the crash', ExactId: 'after' })) as { Id: number };
    expect(added.Id).toBeGreaterThan(maxId);
  }, 90_000);
});
