import { describe, expect, it } from 'vitest';
import { RunStoppedError } from '../../src/sync/run/engine';
import { parseProfile } from '../../src/sync/profile/profile';
import type { ExactRecord } from '../../src/sync/ports';
import { renderReason } from '../../src/sync/journal/reasons';
import { memoryHarness } from '../support/memoryHarness';
import { changeProfile, storedProfile } from '../support/profiles';
import { accountId, contactId, DIVISION, seedAccounts, seedContacts } from '../support/memoryExact';

const companies = 'companies';
const contacts = 'contacts';

async function withMode(h: ReturnType<typeof memoryHarness>, id: string, mode: 'Import' | 'ImportAndUpdate' | 'Update') {
  await changeProfile(h.profiles, id, { mode });
}

describe('sync engine on memory ports: modes', () => {
  it('Import creates every account with the mapped values and the key', async () => {
    const h = memoryHarness();
    await withMode(h, companies, 'Import');
    const run = await h.engine.run(companies, { user: 'admin@contoso.nl' });
    expect(run.status).toBe('Completed');
    expect(run.counts).toEqual({ read: 8, created: 8, updated: 0, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
    const items = h.crm.list('Companies').byKey('ExactId');
    const bakker = items[accountId(1)];
    expect(bakker).toEqual({
      Title: 'Bakkerij De Vries B.V.', ExactId: accountId(1), ExactCode: '0000001', KvkNumber: '12345678', VatNumber: 'NL859123456B01',
      Email: 'info@bakkerijdevries.nl', Phone: '+31 20 555 1000', Website: 'https://www.bakkerijdevries.nl', AddressLine1: 'Damstraat 1',
      Postcode: '1012 AB', City: 'Amsterdam', Country: 'NL', CustomerStatus: 'Customer', Blocked: false,
      CustomerSince: '2020-01-01T00:00:00.000Z', CreditLine: 5000, ExactModified: '2026-11-01T10:00:00.000Z', ExactDivision: DIVISION,
    });
    expect(items[accountId(4)].CustomerStatus).toBe('Prospect');
    expect(items[accountId(5)].CustomerStatus).toBe('Suspect');
    expect(items[accountId(2)].CreditLine).toBe(6250.5);
  });

  it('running any mode again changes nothing', async () => {
    for (const mode of ['Import', 'ImportAndUpdate', 'Update'] as const) {
      const h = memoryHarness();
      await withMode(h, companies, 'ImportAndUpdate');
      await h.engine.run(companies, { user: 'a' });
      await withMode(h, companies, mode);
      const before = JSON.stringify(h.crm.list('Companies').snapshot());
      const writesBefore = h.crm.itemWrites;
      const again = await h.engine.run(companies, { user: 'a', full: true });
      expect(h.crm.itemWrites - writesBefore).toBe(0);
      expect(JSON.stringify(h.crm.list('Companies').snapshot())).toBe(before);
      expect(again.counts).toEqual({ read: 8, created: 0, updated: 0, skipped: 8, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
      // and incrementally: nothing changed in Exact, nothing read
      const inc = await h.engine.run(companies, { user: 'a' });
      expect(inc.counts.read).toBe(0);
      expect(h.crm.itemWrites - writesBefore).toBe(0);
    }
  });

  it('Import leaves matches alone; Import & Update updates only the changed fields; Update reports unlinked records', async () => {
    const h = memoryHarness();
    await withMode(h, companies, 'Import');
    await h.engine.run(companies, { user: 'a' });
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort', Postcode: '3811 AA' });
    h.exact.upsert(DIVISION, 'Account', { ...seedAccounts[0], ID: accountId(9), Code: '0000009', Name: 'Nieuw Bedrijf B.V.', ChamberOfCommerce: '99999999', VATNumber: 'NL999999999B01', Email: 'info@nieuwbedrijf.nl' });

    const imp = await h.engine.preview(companies);
    expect(imp.counts).toMatchObject({ read: 2, created: 1, updated: 0, skipped: 1 });
    expect(renderReason(imp.entries.find((e) => e.exactKey === accountId(2))!.reason)).toMatch(/Import leaves matches alone/);

    await withMode(h, companies, 'Update');
    const upd = await h.engine.preview(companies);
    expect(upd.counts).toMatchObject({ read: 2, created: 0, updated: 1, skipped: 1 });
    expect(renderReason(upd.entries.find((e) => e.exactKey === accountId(9))!.reason)).toMatch(/not linked/);
    expect(upd.entries.find((e) => e.exactKey === accountId(2))?.changes).toEqual([
      { field: 'Postcode', before: '3511 CE', after: '3811 AA' },
      { field: 'City', before: 'Utrecht', after: 'Amersfoort' },
    ]);

    await withMode(h, companies, 'ImportAndUpdate');
    const run = await h.engine.run(companies, { user: 'a' });
    expect(run.counts).toEqual({ read: 2, created: 1, updated: 1, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
    expect(h.crm.list('Companies').byKey('ExactId')[accountId(2)].City).toBe('Amersfoort');
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(9);
  });

  it('contacts attach to their companies through the Companies key', async () => {
    const h = memoryHarness();
    await h.engine.run(companies, { user: 'a' });
    const run = await h.engine.run(contacts, { user: 'a' });
    expect(run.counts).toEqual({ read: 9, created: 9, updated: 0, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
    const companyIds = new Map(Object.entries(h.crm.list('Companies').snapshot()).map(([id, v]) => [v.ExactId, Number(id)]));
    const people = h.crm.list('Contacts').byKey('ExactId');
    for (const c of seedContacts) {
      expect(people[String(c.ID)].Company).toBe(companyIds.get(c.Account));
      expect(people[String(c.ID)].ExactAccountId).toBe(c.Account);
    }
    expect(people[contactId(2)].Title).toBe('Pieter van Dam');
    expect(people[contactId(2)].LastName).toBe('van Dam');
  });

  it('a contact whose company is not in the CRM is reported per record and field; the rest completes', async () => {
    const h = memoryHarness();
    const run = await h.engine.run(contacts, { user: 'a' });
    expect(run.status).toBe('CompletedWithErrors');
    expect(run.counts).toMatchObject({ read: 9, created: 0, failed: 9 });
    const log = await h.engine.readLog(run.id);
    expect(log[0].problems[0]).toEqual({ field: 'Company', reason: `no item in Companies has ExactId "${accountId(1)}"` });
  });

  it('preview writes nothing anywhere', async () => {
    const h = memoryHarness();
    await h.engine.run(companies, { user: 'a' });
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(3), Phone: '+32 9 123 45 67' });
    const writes = h.writes();
    const preview = await h.engine.preview(companies, { full: true });
    expect(h.writes() - writes).toBe(0);
    expect(preview.counts).toMatchObject({ read: 8, updated: 1, skipped: 7 });
    const entry = preview.entries.find((e) => e.action === 'update');
    expect(entry?.changes).toEqual([{ field: 'Phone', before: '+31 20 555 1002', after: '+32 9 123 45 67' }]);
    expect(preview.entries.filter((e) => e.action === 'skip').every((e) => renderReason(e.reason) === 'unchanged')).toBe(true);
  });

  it('reports progress: read, planned, written and failed', async () => {
    const h = memoryHarness();
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    h.crm.reject = (_list, w) => (w.kind === 'create' && w.values.City === 'Gent' ? 'refused' : undefined);
    const events: string[] = [];
    await h.engine.run(companies, { user: 'a', onProgress: (e) => events.push(`${e.phase} ${e.count}${e.total === undefined ? '' : `/${e.total}`}`) });
    expect(events).toEqual(['read 4', 'read 8', 'planned 8/8', 'written 2/8', 'failed 1/8', 'written 5/8', 'failed 1/8', 'written 7/8', 'failed 1/8']);
  });

  it('a full read is written while Exact is still being read, segment by segment', async () => {
    // Segments of one batch of 3: the first segment goes out after the first page of 4.
    const h = memoryHarness({ apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    h.exact.pageSize = 2;
    const order: string[] = [];
    const read = h.exact.readChanges.bind(h.exact);
    h.exact.readChanges = async function* (request) {
      for await (const page of read(request)) {
        order.push(`page of ${page.length}`);
        yield page;
      }
    };
    const write = h.crm.list('Companies').write.bind(h.crm.list('Companies'));
    h.crm.list('Companies').write = async (writes) => {
      order.push(`batch of ${writes.length}`);
      return write(writes);
    };
    const run = await h.engine.run(companies, { user: 'a' });
    expect(run.counts).toMatchObject({ read: 8, created: 8, failed: 0 });
    // Exact is read one page ahead of the one being planned; a batch goes out as soon as a segment is full.
    expect(order).toEqual(['page of 2', 'page of 2', 'page of 2', 'batch of 3', 'page of 2', 'batch of 3', 'batch of 2']);
  });

  it('a record Exact returns twice in one full read (it changed while paging) is created once and ends as its newest version', async () => {
    const h = memoryHarness();
    const read = h.exact.readChanges.bind(h.exact);
    h.exact.readChanges = async function* (request) {
      let first: ExactRecord | undefined;
      for await (const page of read(request)) {
        first ??= page[0];
        yield page;
      }
      // The same account again on a later page, with a newer Timestamp and a new phone number.
      if (first) yield [{ ...first, Phone: '+31 20 999 0000', Timestamp: '999' }];
    };
    const run = await h.engine.run(companies, { user: 'a' });
    expect(run.counts).toMatchObject({ read: 9, created: 8, updated: 1, failed: 0 });
    const items = h.crm.list('Companies');
    expect(items.items.size).toBe(8);
    expect(items.byKey('ExactId')[accountId(1)].Phone).toBe('+31 20 999 0000');
    const log = await h.engine.readLog(run.id);
    expect(log.filter((e) => e.exactKey === accountId(1)).map((e) => `${e.action} ${e.outcome}`)).toEqual(['create written', 'update written']);
    // Phone keeps CRM edits: the run remembered what it wrote the second time, so Exact's next change is written, not kept.
    h.exact.readChanges = read;
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(1), Phone: '+31 20 111 2222' });
    const next = await h.engine.run(companies, { user: 'a', full: true });
    expect(next.counts).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(items.byKey('ExactId')[accountId(1)].Phone).toBe('+31 20 111 2222');
  });

  it('Stop ends a run between batches; abandoning it keeps what was written, logged and undoable', async () => {
    const h = memoryHarness({ apply: { writeConcurrency: 1 } });
    await changeProfile(h.profiles, companies, { batchSize: 3 });
    const stop = new AbortController();
    const run = h.engine.run(companies, { user: 'a', signal: stop.signal, onProgress: (e) => e.phase === 'written' && stop.abort() });
    const stopped = await run.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stopped).toBeInstanceOf(RunStoppedError);
    const runId = (stopped as RunStoppedError).runId;
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(3);
    expect((await h.engine.unfinishedRuns(companies)).map((r) => r.id)).toEqual([runId]);
    const abandoned = await h.engine.abandon(runId, { user: 'a' });
    expect(abandoned.counts.created).toBe(3);
    expect((await h.engine.readLog(runId)).filter((e) => e.action === 'create' && e.outcome === 'written')).toHaveLength(3);
    const undo = await h.engine.undo(runId, { user: 'a' });
    expect(undo.status).toBe('Completed');
    expect(Object.keys(h.crm.list('Companies').byKey('ExactId'))).toHaveLength(0);
  });

  it('a bad profile is a clear error before any run record exists', async () => {
    const h = memoryHarness();
    h.profiles.profiles.set('broken', JSON.stringify({ id: 'broken', title: 'Kapot', division: 0, mode: 'Import' }));
    await expect(h.engine.run('broken', { user: 'a' })).rejects.toThrow(/^Profile "Kapot" cannot run: field division: Number must be greater than 0; field source: Required/);
    await changeProfile(h.profiles, companies, { targetList: 'Klanten' });
    await expect(h.engine.run(companies, { user: 'a' })).rejects.toThrow('Profile "Companies from Exact accounts" cannot run: field targetList: CRM list "Klanten" does not exist');
    await expect(h.engine.run('nope', { user: 'a' })).rejects.toThrow('Profile "nope" does not exist');
    expect(h.runs.runs.size).toBe(0);
    expect(h.crm.itemWrites).toBe(0);
  });

  it('previews an unsaved profile from the editor and exports a run log for Dutch Excel', async () => {
    const h = memoryHarness();
    const p = await storedProfile(h.profiles, companies);
    const draft = parseProfile({ ...p, id: 'draft', source: { entity: 'Account', filter: "Country eq 'BE'" } });
    const preview = await h.engine.preview(draft);
    expect(preview.counts).toMatchObject({ read: 2, created: 2 });
    expect(h.writes()).toBe(0);
    const run = await h.engine.run(companies, { user: 'a' });
    const csv = await h.engine.exportCsv(run.id, { separator: ';' });
    expect(csv.startsWith('\ufeffAction;Outcome;Exact key;Name;Item id;Field;Before;After;Reason\r\n')).toBe(true);
    expect(csv).toContain(`create;written;${accountId(4)};Dijkstra & Zonen V.O.F.;4;CustomerStatus;;Prospect;new in Exact\r\n`);
  });
});
