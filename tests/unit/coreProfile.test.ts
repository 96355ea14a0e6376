import { describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { validateFilter } from '../../src/sync/profile/filter';
import { applyTransform } from '../../src/sync/plan/mapping';
import { parseProfile, ProfileError, type ProfileInput } from '../../src/sync/profile/profile';
import { ProfileService } from '../../src/sync/service';
import { runLogToCsv } from '../../src/sync/journal/runLog';
import type { RunEntry } from '../../src/sync/journal/records';
import { because, renderReason } from '../../src/sync/journal/reasons';
import { MemoryCrm } from '../support/memoryCrm';
import { DIVISION, memoryEntities, seededExact, accountId } from '../support/memoryExact';
import { memoryHarness } from '../support/memoryHarness';
import { MemoryDocuments, MemoryProfileStore, MemoryRunJournal } from '../support/memoryStores';

const account = memoryEntities[0];

describe('OData filter check', () => {
  it('accepts known fields, allowed operators and typed literals', () => {
    expect(validateFilter("Status eq 'C' and Blocked eq false", account)).toEqual([]);
    expect(validateFilter("(Country eq 'NL' or Country eq 'BE') and startswith(Name, 'Bakkerij O''Neill') eq true", account)).toEqual([]);
    expect(validateFilter("Modified ge datetime'2026-01-01T00:00:00' and ID ne guid'a0000000-0000-4000-8000-000000000001'", account)).toEqual([]);
    expect(validateFilter('CreditLineSales gt 1000.5', account)).toEqual([]);
  });

  it('names what is wrong', () => {
    expect(validateFilter("Statu eq 'C'", account)).toEqual(['unknown field "Statu" for entity Account']);
    expect(validateFilter("Status eq 'C", account)).toEqual(['quote at position 11 is not closed']);
    expect(validateFilter("(Status eq 'C'", account)).toEqual(['the parenthesis at position 1 is never closed']);
    expect(validateFilter("Status eq 'C')", account)).toEqual(['closing parenthesis at position 14 has no opening one']);
    expect(validateFilter('CreditLineSales add 5 gt 10', account)).toEqual(['operator "add" is not allowed (allowed: eq, ne, gt, ge, lt, le, and, or, not)']);
    expect(validateFilter("substring(Name, 1) eq 'a'", account)).toEqual([expect.stringMatching(/^function "substring" is not one Exact supports/)]);
    expect(validateFilter("Status eq 'C' ; drop", account)).toEqual(['unexpected ";" at position 15']);
    expect(validateFilter(`Name eq '${'x'.repeat(260)}'`, account)[0]).toMatch(/at most 255/);
  });
});

describe('profile schema', () => {
  const base = defaultProfiles(DIVISION)[0];

  it('ships Companies and Contacts profiles that pass the check against the catalog and the lists', async () => {
    const service = new ProfileService({ profiles: new MemoryProfileStore([]), exact: seededExact(), crm: new MemoryCrm() });
    for (const p of defaultProfiles(DIVISION)) expect(await service.check(p)).toEqual([]);
  });

  it('a bad profile is a ProfileError listing every problem with its path', () => {
    const bad = { ...base, division: -1, mode: 'Sync', mappings: [{ target: 'Title', transform: { kind: 'shout', source: 'Name' } }] };
    expect(() => parseProfile(bad)).toThrow(ProfileError);
    try {
      parseProfile(bad);
    } catch (error) {
      const paths = (error as ProfileError).problems.map((p) => p.path);
      expect(paths).toEqual(['division', 'mappings[0].transform.kind', 'mode']);
      expect((error as ProfileError).message).toMatch(/^Profile "Companies from Exact accounts" cannot run: /);
    }
  });

  it('checks entity, list, key, filter and mappings against Exact and the CRM', async () => {
    const service = new ProfileService({ profiles: new MemoryProfileStore([]), exact: seededExact(), crm: new MemoryCrm() });
    const input: ProfileInput = {
      ...base,
      source: { entity: 'Account', filter: "Stat eq 'C'" },
      key: { crmField: 'ExactId', exactField: 'Guid' },
      mappings: [...base.mappings, { target: 'Colour', transform: { kind: 'copy', source: 'Name' } }, { target: 'City', transform: { kind: 'copy', source: 'Town' } }],
    };
    expect(await service.check(input)).toEqual([
      { path: 'key.exactField', message: 'field "Guid" does not exist in Exact entity Account', code: 'unknownField', args: ['Guid', 'Account'] },
      { path: 'source.filter', message: 'unknown field "Stat" for entity Account', code: 'filter', args: ['unknown field "Stat" for entity Account'] },
      { path: 'mappings[16].target', message: 'column "Colour" does not exist in list Companies', code: 'unknownColumn', args: ['Colour', 'Companies'] },
      { path: 'mappings[17].target', message: 'column "City" is mapped twice', code: 'mappedTwice', args: ['City'] },
      { path: 'mappings[17].transform', message: 'field "Town" does not exist in Exact entity Account', code: 'unknownField', args: ['Town', 'Account'] },
    ]);
    expect(await service.check({ ...base, source: { entity: 'Widget' } })).toEqual([{ path: 'source.entity', message: 'Exact entity "Widget" is not in the catalog', code: 'unknownEntity', args: ['Widget'] }]);
    expect(await service.check({ ...base, targetList: 'Klanten' })).toEqual([{ path: 'targetList', message: 'CRM list "Klanten" does not exist', code: 'listMissing', args: ['Klanten'] }]);
    await expect(service.save(input)).rejects.toThrow(ProfileError);
  });

  it('lists, changes, saves as new and deletes profiles', async () => {
    const store = new MemoryProfileStore([]);
    const runs = new MemoryRunJournal(undefined, new MemoryDocuments());
    const service = new ProfileService({ profiles: store, exact: seededExact(), crm: new MemoryCrm(), runs });
    expect((await service.ensureDefaults(DIVISION)).map((p) => p.id)).toEqual(['companies', 'contacts']);
    expect(await service.ensureDefaults(DIVISION)).toEqual([]);
    const opened = await service.get('companies');
    if (!opened?.valid) throw new Error('expected a valid profile');
    const changed = await service.save({ ...opened.profile, mode: 'Update' }, { etag: opened.etag });
    expect(await service.get('companies')).toMatchObject({ valid: true, etag: changed.etag, profile: { mode: 'Update' } });
    const copy = await service.saveAsNew(changed.profile, 'Klanten (België)');
    expect(copy.id).toBe('klanten-belgie');
    // A second profile of the same name is refused (case and accents aside); a name of the same id stem gets the next id.
    await expect(service.saveAsNew(changed.profile, 'klanten (belgie)')).rejects.toThrow(ProfileError);
    expect((await service.saveAsNew(changed.profile, 'Klanten - België')).id).toBe('klanten-belgie-2');
    expect((await service.list()).map((p) => p.title)).toEqual(['Companies from Exact accounts', 'Contacts from Exact contacts', 'Klanten - België', 'Klanten (België)']);
    await service.delete('klanten-belgie-2');
    expect((await service.list()).map((p) => p.id)).not.toContain('klanten-belgie-2');
  });

  it('a save with the version it was opened with fails when someone else saved in between', async () => {
    const service = new ProfileService({ profiles: new MemoryProfileStore(defaultProfiles(DIVISION)), exact: seededExact(), crm: new MemoryCrm() });
    const opened = await service.get('companies');
    if (!opened?.valid) throw new Error('expected a valid profile');
    await service.save({ ...opened.profile, mode: 'Update' }, { etag: opened.etag });
    await expect(service.save({ ...opened.profile, batchSize: 5 }, { etag: opened.etag })).rejects.toMatchObject({ name: 'ProfileConflictError', reason: 'changed' });
    await expect(service.save(opened.profile)).rejects.toMatchObject({ name: 'ProfileConflictError', reason: 'exists' });
  });

  it('lists a stored profile that no longer fits the schema, with its problems, and saves as new beside it', async () => {
    const store = new MemoryProfileStore([]);
    store.profiles.set('old', JSON.stringify({ ...base, id: 'old', title: 'Oud', mappings: [{ target: 'Title' }] }));
    const service = new ProfileService({ profiles: store, exact: seededExact(), crm: new MemoryCrm() });
    expect(await service.list()).toEqual([
      expect.objectContaining({ valid: false, id: 'old', title: 'Oud', issues: [expect.objectContaining({ path: 'mappings[0].transform', message: 'Required', zod: expect.objectContaining({ code: 'invalid_type', received: 'undefined' }) })], message: 'Profile "Oud": field mappings[0].transform: Required' }),
    ]);
    expect((await service.saveAsNew(base, 'old')).id).toBe('old-2');
  });
});

describe('transforms', () => {
  const record = { Name: '  Bakkerij  ', Date: '2026-03-05T00:00:00.000Z', Amount: 1234.5678, Status: 'P', Empty: null, First: 'Jan', Last: 'Jansen' };
  const none = new Map();
  it('apply to one record', () => {
    expect(applyTransform({ kind: 'trim', source: 'Name' }, record, none)).toBe('Bakkerij');
    expect(applyTransform({ kind: 'upper', source: 'Name' }, record, none)).toBe('BAKKERIJ');
    expect(applyTransform({ kind: 'lower', source: 'Name' }, record, none)).toBe('bakkerij');
    expect(applyTransform({ kind: 'date', source: 'Date', format: 'dd-MM-yyyy' }, record, none)).toBe('05-03-2026');
    expect(applyTransform({ kind: 'date', source: 'Date' }, record, none)).toBe('2026-03-05T00:00:00.000Z');
    expect(applyTransform({ kind: 'number', source: 'Amount', decimals: 1 }, record, none)).toBe(1234.6);
    expect(applyTransform({ kind: 'currency', source: 'Amount' }, record, none)).toBe(1234.57);
    expect(applyTransform({ kind: 'valueMap', source: 'Status', map: { C: 'Customer', P: 'Prospect' } }, record, none)).toBe('Prospect');
    expect(() => applyTransform({ kind: 'valueMap', source: 'Name', map: { C: 'Customer' } }, record, none)).toThrow('value "Bakkerij" of Name is not in the value map');
    expect(applyTransform({ kind: 'constant', value: 'Exact' }, record, none)).toBe('Exact');
    expect(applyTransform({ kind: 'url', source: 'Site' }, { Site: ' www.bakkerij.nl ' }, none)).toBe('https://www.bakkerij.nl');
    expect(applyTransform({ kind: 'url', source: 'Site' }, { Site: 'http://bakkerij.nl' }, none)).toBe('http://bakkerij.nl');
    expect(applyTransform({ kind: 'concat', sources: ['First', 'Empty', 'Last'], separator: ' ' }, record, none)).toBe('Jan Jansen');
    expect(() => applyTransform({ kind: 'date', source: 'Name' }, record, none)).toThrow('"  Bakkerij  " from Name is not a date');
    expect(() => applyTransform({ kind: 'number', source: 'Name' }, record, none)).toThrow('is not a number');
    expect(applyTransform({ kind: 'lookup', source: 'Empty', list: 'Companies', keyField: 'ExactId', onMissing: 'error' }, record, none)).toBeNull();
  });
});

describe('problems are reported per record and field while the rest of the run completes', () => {
  it('unknown mapped fields, values that do not fit and refused writes', async () => {
    const exact = seededExact();
    exact.upsert(DIVISION, 'Account', { ID: accountId(2), Name: 'X'.repeat(300) });
    exact.upsert(DIVISION, 'Account', { ID: accountId(3), Website: 'ftp://vandamme.be' });
    const [companies] = defaultProfiles(DIVISION);
    const profile = parseProfile({ ...companies, mappings: [...companies.mappings, { target: 'Fax', transform: { kind: 'copy', source: 'Fax' } }] });
    const h = memoryHarness({ exact, profiles: [profile] });
    h.crm.reject = (list, w) => (w.kind === 'create' && w.values.City === 'Groningen' ? 'The list is locked for editing (423)' : undefined);
    const run = await h.engine.run('companies', { user: 'a' });
    expect(run.status).toBe('CompletedWithErrors');
    expect(run.counts).toEqual({ read: 8, created: 5, updated: 0, skipped: 0, conflicts: 0, failed: 3, deleted: 0, flagged: 0 });
    expect(run.profileProblems).toEqual([
      { path: 'mappings[16].target', message: 'column "Fax" does not exist in list Companies; this mapping is left out' },
      { path: 'mappings[16].transform', message: 'field "Fax" does not exist in Exact entity Account; this mapping is left out' },
    ]);
    const log = await h.engine.readLog(run.id);
    const byKey = new Map(log.map((e) => [e.exactKey, e]));
    expect(byKey.get(accountId(2))).toMatchObject({ action: 'error', problems: [{ field: 'Title', reason: 'text too long: 300 characters, the column allows 255' }] });
    expect(byKey.get(accountId(3))?.problems[0].field).toBe('Website');
    expect(byKey.get(accountId(4))).toMatchObject({ action: 'create', outcome: 'failed', message: 'The list is locked for editing (423)' });
    expect(h.crm.list('Companies').items.size).toBe(5);
    // The cursor stays before the oldest record that did not make it, so fixing them brings them back.
    h.crm.reject = undefined;
    exact.upsert(DIVISION, 'Account', { ID: accountId(2), Name: 'Installatiebedrijf Jansen' });
    const next = await h.engine.run('companies', { user: 'a' });
    expect(next.counts).toMatchObject({ created: 2, failed: 1 });
    expect(h.crm.list('Companies').items.size).toBe(7);
  });
});

describe('keep CRM edits, deletions, any entity', () => {
  it('does not overwrite a CRM value changed since the last run wrote it', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'a' });
    const list = h.crm.list('Companies');
    const id = Number(Object.entries(list.snapshot()).find(([, v]) => v.ExactId === accountId(1))?.[0]);
    list.edit(id, { Phone: '+31 6 0000 0000' });
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(1), Phone: '+31 20 999 9999', City: 'Amstelveen' });
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), Phone: '+31 30 999 9999' });
    const preview = await h.engine.preview('companies');
    const first = preview.entries.find((e) => e.exactKey === accountId(1));
    expect(first).toMatchObject({ action: 'update', kept: ['Phone'], changes: [{ field: 'City', before: 'Amsterdam', after: 'Amstelveen' }] });
    expect(preview.entries.find((e) => e.exactKey === accountId(2))?.changes).toEqual([{ field: 'Phone', before: '+31 20 555 1001', after: '+31 30 999 9999' }]);
    await h.engine.run('companies', { user: 'a' });
    expect(list.items.get(id)?.values.Phone).toBe('+31 6 0000 0000');
  });

  it('reports deletions; flags DeletedInExact only when the profile says so', async () => {
    const [companies] = defaultProfiles(DIVISION);
    const h = memoryHarness({ profiles: [{ ...companies, deletedFlagField: undefined }] });
    await h.engine.run('companies', { user: 'a' });
    h.exact.remove(DIVISION, 'Account', accountId(4));
    const run = await h.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ deleted: 1, created: 0, updated: 0 });
    const log = await h.engine.readLog(run.id);
    expect(log[0]).toMatchObject({ action: 'deleted', changes: [] });
    expect(renderReason(log[0].reason)).toBe('deleted in Exact (reported, not propagated)');
    expect(h.crm.list('Companies').items.size).toBe(8);
    // A full re-read finds it by absence too.
    const full = await h.engine.preview('companies', { full: true });
    expect(full.entries.filter((e) => e.action === 'deleted').map((e) => e.exactKey)).toEqual([accountId(4)]);
  });

  it('takes any catalog entity as a source, full reads where Exact has no sync endpoint', async () => {
    const exact = seededExact();
    exact.upsert(DIVISION, 'Item', { ID: 'i-1', Code: 'BROOD', Description: 'Volkorenbrood', SalesPrice: 3.456 });
    exact.upsert(DIVISION, 'Item', { ID: 'i-2', Code: 'KOEK', Description: 'Ontbijtkoek', SalesPrice: 2.5 });
    const products = { title: 'Products', kind: 'list' as const, description: '', fields: [
      { internalName: 'Title', title: 'Title', type: 'text' as const, required: true, maxLength: 255 },
      { internalName: 'ExactId', title: 'ExactId', type: 'text' as const, maxLength: 255, unique: true },
      { internalName: 'Price', title: 'Price', type: 'currency' as const },
    ] };
    const profile = parseProfile({
      id: 'items', title: 'Items', division: DIVISION, source: { entity: 'Item' }, targetList: 'Products', key: { crmField: 'ExactId', exactField: 'ID' }, mode: 'ImportAndUpdate',
      mappings: [{ target: 'Title', transform: { kind: 'concat', sources: ['Code', 'Description'], separator: ' - ' } }, { target: 'Price', transform: { kind: 'currency', source: 'SalesPrice' } }],
    });
    const h = memoryHarness({ exact, profiles: [profile] });
    h.crm.addList(products);
    const run = await h.engine.run('items', { user: 'a' });
    expect(run.counts).toMatchObject({ read: 2, created: 2 });
    expect(h.crm.list('Products').byKey('ExactId')['i-1']).toEqual({ ExactId: 'i-1', Price: 3.46, Title: 'BROOD - Volkorenbrood' });
    const again = await h.engine.run('items', { user: 'a' });
    expect(again.counts).toMatchObject({ read: 2, skipped: 2 });
  });
});

describe('run log CSV', () => {
  const entry: RunEntry = {
    exactKey: 'k1', label: 'Dijkstra & Zonen; "De Beste"', action: 'update', reason: because('asWritten', 'changed'), itemId: 7, outcome: 'written',
    changes: [{ field: 'City', before: 'Groningen', after: 'Haren\nGN' }], problems: [], kept: [],
  };
  it('quotes per RFC 4180, adds a BOM and supports ; for Dutch Excel', () => {
    const csv = runLogToCsv([entry]);
    expect(csv.startsWith('\ufeffAction,Outcome,Exact key,Name,Item id,Field,Before,After,Reason\r\n')).toBe(true);
    expect(csv).toContain('update,written,k1,"Dijkstra & Zonen; ""De Beste""",7,City,Groningen,"Haren\nGN",changed\r\n');
    const dutch = runLogToCsv([entry], { separator: ';', bom: false });
    expect(dutch).toContain('update;written;k1;"Dijkstra & Zonen; ""De Beste""";7;City;Groningen;"Haren\nGN";changed\r\n');
    expect(dutch.charCodeAt(0)).toBe('A'.charCodeAt(0));
  });
});
