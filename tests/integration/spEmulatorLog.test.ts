import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSp, type SpHarness } from '../support/spEmulatorHelpers';

/**
 * The SharePoint stand-in's write-ahead log on disk (sandbox/sharepoint/persistence.ts): what a
 * second stand-in reads from the folder while the first still runs is what a restart after a
 * SIGKILL would find, since nothing is written after the answer.
 */

let dataDir: string;
const running: SpHarness[] = [];
const start = async (): Promise<SpHarness> => {
  const h = await startSp({ dataDir });
  running.push(h);
  return h;
};
const folder = () => join(dataDir, 'sharepoint');
const logFile = (): string => {
  const logs = readdirSync(folder()).filter((name) => name.endsWith('.jsonl'));
  expect(logs).toHaveLength(1);
  return join(folder(), logs[0]);
};
const titles = async (h: SpHarness): Promise<string[]> =>
  ((await h.sp.web.lists.getByTitle('Companies').items.select('Title')()) as { Title: string }[]).map((i) => i.Title);

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sp-log-'));
});
afterEach(async () => {
  for (const h of running.splice(0)) await h.sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SharePoint stand-in write-ahead log', () => {
  it('has each answered write on disk before the answer: another stand-in on the folder sees it at once', async () => {
    const first = await start();
    await first.sp.web.lists.add('Companies');
    const companies = first.sp.web.lists.getByTitle('Companies');
    const { Id } = (await companies.items.add({ Title: 'Acme' })) as { Id: number };
    await companies.items.getById(Id).update({ Title: 'Acme BV' });
    await companies.items.add({ Title: 'Zeta' });
    expect(await titles(await start())).toEqual(['Acme BV', 'Zeta']);
  });

  it('drops a line cut short by a kill (never answered), cuts it off the file, and appends after the last whole line', async () => {
    const first = await start();
    await first.sp.web.lists.add('Companies');
    await first.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Acme' });
    const log = logFile();
    const whole = statSync(log).size;
    appendFileSync(log, '{"records":[{"kind":"items","listId":"x","put":[');
    const second = await start();
    expect(statSync(log).size).toBe(whole);
    await second.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Zeta' });
    expect(await titles(await start())).toEqual(['Acme', 'Zeta']);
  });

  it('refuses to start on a log with a damaged line in the middle, naming the file and line', async () => {
    const first = await start();
    await first.sp.web.lists.add('Companies');
    await first.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Acme' });
    appendFileSync(logFile(), 'not json\n');
    await expect(start()).rejects.toThrow(/log-0\.jsonl line 2 is not JSON/);
  });

  it('answers 500 instead of acknowledging a write it could not save, and saves again once it can', async () => {
    const h = await start();
    await h.sp.web.lists.add('Companies');
    rmSync(folder(), { recursive: true });
    writeFileSync(folder(), 'a file where the folder was');
    await expect(h.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Lost' })).rejects.toMatchObject({ status: 500 });
    rmSync(folder());
    await h.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Kept' });
    // The data folder was gone: the stand-in wrote a whole new snapshot, the refused add included (it is in memory).
    expect(JSON.parse(readFileSync(join(folder(), 'site.json'), 'utf8'))).toMatchObject({ logGeneration: expect.any(Number) });
    expect((await titles(await start())).sort()).toEqual(['Kept', 'Lost']);
  });

  it('folds the log into site.json on flush, after which the snapshot alone has everything', async () => {
    const h = await start();
    await h.sp.web.lists.add('Companies');
    await h.sp.web.lists.getByTitle('Companies').items.add({ Title: 'Acme' });
    await h.control.flush();
    expect(readdirSync(folder()).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
    const saved = JSON.parse(readFileSync(join(folder(), 'site.json'), 'utf8')) as { lists: { Title: string; items: unknown[] }[] };
    expect(saved.lists.find((l) => l.Title === 'Companies')?.items).toHaveLength(1);
  });
});
