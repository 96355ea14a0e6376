import { describe, expect, it } from 'vitest';
import { countsSchema, emptyCounts } from '../../src/sync/journal/records';
import { undoPlanCounts } from '../../src/sync/journal/undoPlan';
import { renderReason } from '../../src/sync/journal/reasons';
import { memoryHarness } from '../support/memoryHarness';
import { accountId, DIVISION, seedAccounts } from '../support/memoryExact';
import { changeProfile, storedProfile } from '../support/profiles';

describe('undo a run', () => {
  it('removes created items and restores changed fields: the lists return exactly to their prior state', async () => {
    const h = memoryHarness();
    const companies = h.crm.list('Companies');
    const contacts = h.crm.list('Contacts');
    const empty = { companies: companies.snapshot(), contacts: contacts.snapshot() };
    const first = await h.engine.run('companies', { user: 'a' });
    const people = await h.engine.run('contacts', { user: 'a' });
    const afterImport = { companies: companies.snapshot(), contacts: contacts.snapshot() };

    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort', Status: 'P' });
    h.exact.upsert(DIVISION, 'Account', { ...seedAccounts[2], ID: accountId(30), Code: '0000030', Name: 'Nieuw BV', ChamberOfCommerce: '77777777', VATNumber: 'NL777777777B01', Email: 'a@nieuw.nl' });
    h.exact.remove(DIVISION, 'Account', accountId(5));
    const update = await h.engine.run('companies', { user: 'a' });
    expect(update.counts).toMatchObject({ created: 1, updated: 1, flagged: 1, deleted: 0 });

    const undoUpdate = await h.engine.undo(update.id, { user: 'b' });
    expect(undoUpdate.mode).toBe('Undo');
    expect(undoUpdate.undoOf).toBe(update.id);
    expect(undoUpdate.counts).toMatchObject({ deleted: 1, updated: 1, flagged: 1, failed: 0 });
    expect(companies.snapshot()).toEqual(afterImport.companies);
    expect((await h.runs.get(update.id))?.status).toBe('Undone');
    const undoLog = await h.engine.readLog(undoUpdate.id);
    expect(undoLog.find((e) => e.action === 'restore' && e.exactKey === accountId(2))?.changes).toEqual([
      { field: 'City', before: 'Amersfoort', after: 'Utrecht' },
      { field: 'CustomerStatus', before: 'Prospect', after: 'Customer' },
    ]);

    // The cursor went back too: the next incremental run brings the changes again.
    const again = await h.engine.preview('companies');
    expect(again.counts).toMatchObject({ created: 1, updated: 1, flagged: 1 });

    await h.engine.undo(people.id, { user: 'b' });
    await h.engine.undo(first.id, { user: 'b' });
    expect({ companies: companies.snapshot(), contacts: contacts.snapshot() }).toEqual(empty);
    await expect(h.engine.undo(first.id, { user: 'b' })).rejects.toThrow(/already undone by run/);
  });

  it('refuses items changed since the run, with a message naming the field, and undoes the rest', async () => {
    const h = memoryHarness();
    const run = await h.engine.run('companies', { user: 'a' });
    const companies = h.crm.list('Companies');
    const id = Number(Object.entries(companies.snapshot()).find(([, v]) => v.ExactId === accountId(3))?.[0]);
    companies.edit(id, { Phone: '+32 9 999 99 99' });
    const undo = await h.engine.undo(run.id, { user: 'b' });
    expect(undo.status).toBe('CompletedWithErrors');
    expect(undo.counts).toMatchObject({ deleted: 7, failed: 1 });
    const refused = (await h.engine.readLog(undo.id)).filter((e) => e.action === 'refused');
    expect(refused).toHaveLength(1);
    expect(renderReason(refused[0].reason)).toBe(`item ${id} (Brouwerij Van Damme BVBA) was changed since: Phone is now "+32 9 999 99 99", run run-001 wrote "+31 20 555 1002"`);
    expect(Array.from(companies.items.keys())).toEqual([id]);
    expect((await h.runs.get(run.id))?.status).toBe('Completed');
    // After the admin resolves it (puts the value back), undo again finishes the job.
    companies.edit(id, { Phone: '+31 20 555 1002' });
    const second = await h.engine.undo(run.id, { user: 'b' });
    expect(second.counts).toMatchObject({ deleted: 1, skipped: 7, failed: 0 });
    expect(companies.items.size).toBe(0);
    expect((await h.runs.get(run.id))?.status).toBe('Undone');
  });

  it('refuses to undo unfinished runs and undo runs', async () => {
    const h = memoryHarness();
    const run = await h.engine.run('companies', { user: 'a' });
    const undo = await h.engine.undo(run.id, { user: 'b' });
    await expect(h.engine.undo(undo.id, { user: 'b' })).rejects.toThrow(/is an undo run/);
    await expect(h.engine.undo('nope', { user: 'b' })).rejects.toThrow(/does not exist/);
  });

  it('an undo interrupted half-way is finished by undoing again, and the profile state goes back too', async () => {
    const h = memoryHarness();
    const run = await h.engine.run('companies', { user: 'a' });
    const stateBefore = JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}');
    expect(Object.keys(stateBefore.written)).toHaveLength(8);
    h.crash.arm(4); // undo run record, then three item deletions, then the tab closes
    await expect(h.engine.undo(run.id, { user: 'b' })).rejects.toThrow('injected crash');
    expect(h.crm.list('Companies').items.size).toBe(5);
    const second = await h.engine.undo(run.id, { user: 'b' });
    expect(second.counts).toMatchObject({ deleted: 5, skipped: 3, failed: 0 });
    expect(h.crm.list('Companies').items.size).toBe(0);
    const state = JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}');
    expect(state).toMatchObject({ written: {}, cursor: null, lastRunId: run.id });
    // The next run imports everything again.
    expect((await h.engine.run('companies', { user: 'a' })).counts.created).toBe(8);
  });

  it('undo puts back the memory of a field that has just started keeping CRM edits, so Exact’s change comes back on the next run', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const profile = await storedProfile(h.profiles, 'companies');
    await changeProfile(h.profiles, 'companies', { mappings: profile.mappings.map((m) => (m.target === 'City' ? { ...m, keepCrmEdits: true } : m)) });
    const list = h.crm.list('Companies');
    const key = accountId(2);
    const id = Number(Object.entries(list.snapshot()).find(([, v]) => v.ExactId === key)![0]);
    const cityBefore = list.snapshot()[id]!.City;
    h.exact.upsert(DIVISION, 'Account', { ID: key, City: 'Amersfoort' });
    const changed = await h.engine.run('companies', { user: 'admin' });
    expect(list.snapshot()[id]!.City).toBe('Amersfoort');
    await h.engine.undo(changed.id, { user: 'admin' });
    expect(list.snapshot()[id]!.City).toBe(cityBefore);
    // The restored CRM value is what the connector last wrote, not a sales user's edit to keep.
    const again = await h.engine.run('companies', { user: 'admin' });
    expect(list.snapshot()[id]!.City).toBe('Amersfoort');
    expect((await h.engine.readLog(again.id)).find((e) => e.exactKey === key)).toMatchObject({ action: 'update', kept: [] });
  });
});

describe('undo without the run log', () => {
  it('refuses, naming the run and the missing log, instead of marking the run undone with nothing undone', async () => {
    const h = memoryHarness();
    const run = await h.engine.run('companies', { user: 'admin' });
    expect(run.counts.created).toBeGreaterThan(0);
    h.documents.files.delete(`${run.id}/log.json`);
    await expect(h.engine.undo(run.id, { user: 'admin' })).rejects.toThrow(new RegExp(`^Run ${run.id} wrote \\d+ item\\(s\\) but its log .* is missing; it cannot be undone$`));
    expect((await h.runs.get(run.id))?.status).toBe('Completed');
  });
});

describe('deletion flags in counts and undo', () => {
  it('a run counts the items it flags apart from reported deletions, and its undo clears exactly those flags, counted as flags', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const list = h.crm.list('Companies');
    const before = list.snapshot();
    h.exact.remove(DIVISION, 'Account', accountId(4));
    h.exact.remove(DIVISION, 'Account', accountId(5));
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
    const run = await h.engine.run('companies', { user: 'admin' });
    expect(run.counts).toMatchObject({ created: 0, updated: 1, flagged: 2, deleted: 0, failed: 0 });

    // What the undo dialog says beforehand is what the undo run then counts.
    const log = await h.engine.readLog(run.id);
    expect(undoPlanCounts(log)).toEqual({ remove: 0, restore: 1, unflag: 2 });
    const undo = await h.engine.undo(run.id, { user: 'admin' });
    expect(undo.counts).toMatchObject({ deleted: 0, updated: 1, flagged: 2, failed: 0 });
    const undoLog = await h.engine.readLog(undo.id);
    expect(undoLog.filter((e) => e.action === 'unflag').map((e) => e.exactKey).sort()).toEqual([accountId(4), accountId(5)]);
    expect(undoLog.find((e) => e.action === 'unflag')?.changes).toEqual([{ field: 'DeletedInExact', before: true, after: null }]);
    expect(list.snapshot()).toEqual(before);
  });

  it('a run that only flagged is undoable, and without its log it is refused like a run that wrote', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    h.exact.remove(DIVISION, 'Account', accountId(4));
    const run = await h.engine.run('companies', { user: 'admin' });
    expect(run.counts).toMatchObject({ created: 0, updated: 0, flagged: 1 });
    h.documents.files.delete(`${run.id}/log.json`);
    await expect(h.engine.undo(run.id, { user: 'admin' })).rejects.toThrow(/wrote 1 item\(s\) but its log .* is missing/);
  });

  it('a run record stored before flags were counted apart still reads, with no flags', () => {
    const older: Record<string, number> = { ...emptyCounts() };
    delete older.flagged;
    expect(countsSchema.parse(older)).toEqual(emptyCounts());
  });
});
