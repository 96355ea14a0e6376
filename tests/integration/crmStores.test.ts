import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { ProfileConflictError } from '../../src/sync/ports';
import { ProfileError } from '../../src/sync/profile/profile';
import { emptyCounts, type RunRecord } from '../../src/sync/journal/records';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import { provisionCrm } from '../../src/crm/provision';
import { createSharePointRunJournal } from '../../src/crm/runStore';
import { CRM_LISTS } from '../../src/crm/schema';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

const record = (id: string, profileId: string, status: RunRecord['status']): RunRecord => ({
  id,
  profileId,
  profileTitle: 'Companies from Exact accounts',
  targetList: 'Companies',
  keyField: 'ExactId',
  mode: 'ImportAndUpdate',
  status,
  startedBy: 'admin@contoso.nl',
  startedAt: '2026-11-21T23:00:00.000Z',
  full: true,
  since: null,
  deletionsSince: null,
  cursorBefore: null,
  counts: { ...emptyCounts(), read: 12, created: 10, deleted: 1 },
  checkpoint: { batchesCompleted: 1 },
  profileProblems: [],
});

describe("the SharePoint stores behind the engine's ports", () => {
  let sandbox: CrmSandbox;
  const [companies, contacts] = defaultProfiles(123456);
  beforeAll(async () => {
    sandbox = await startCrmSandbox();
    expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('creates, reads and replaces a profile with the version it was read with; a stale version is a conflict', async () => {
    const store = createSharePointProfileStore(sandbox.sp);
    const created = await store.save(companies);
    expect(created).toMatchObject({ valid: true, id: 'companies', title: companies.title, profile: companies });
    expect(created.etag).not.toBe('');
    await expect(store.save(companies)).rejects.toMatchObject({ name: 'ProfileConflictError', reason: 'exists' });

    const read = await store.get('companies');
    if (!read?.valid) throw new Error('expected a valid profile');
    expect(read.etag).toBe(created.etag);
    const mine = await store.save({ ...read.profile, mode: 'Update' }, { etag: read.etag });
    expect(mine.etag).not.toBe(read.etag);
    // A second admin who opened the profile before that save: SharePoint answers 412.
    const theirs = store.save({ ...read.profile, batchSize: 7 }, { etag: read.etag });
    await expect(theirs).rejects.toBeInstanceOf(ProfileConflictError);
    await expect(theirs).rejects.toMatchObject({ reason: 'changed', message: expect.stringContaining('was saved by someone else') });
    const now = await store.get('companies');
    expect(now?.valid && now.profile).toMatchObject({ mode: 'Update', batchSize: companies.batchSize });

    await store.save(contacts);
    await store.delete('contacts');
    expect(await store.get('contacts')).toBeUndefined();
    await expect(store.save(contacts, { etag: mine.etag })).rejects.toMatchObject({ reason: 'deleted' });
    await store.delete('contacts');
  });

  it('refuses to store a profile the schema rejects, naming the field', async () => {
    const store = createSharePointProfileStore(sandbox.sp);
    const save = store.save({ ...contacts, id: 'bad', mappings: [] });
    await expect(save).rejects.toBeInstanceOf(ProfileError);
    await expect(save).rejects.toThrow('Profile "Contacts from Exact contacts" cannot run: field mappings: Array must contain at least 1 element(s)');
    expect(await store.get('bad')).toBeUndefined();
  });

  it('lists stored profiles that fail the schema with the reason and the field path, never hiding them', async () => {
    const list = sandbox.sp.web.lists.getByTitle(CRM_LISTS.importProfiles);
    await list.items.add({ Title: 'Hand-edited', ProfileId: 'hand', Definition: JSON.stringify({ ...companies, id: 'hand', division: -1, mappings: [{ target: 'Title' }] }) });
    await list.items.add({ Title: 'Not JSON', ProfileId: 'text', Definition: '{ mappings: ' });
    const store = createSharePointProfileStore(sandbox.sp);
    const entries = await store.list();
    const hand = entries.find((e) => e.id === 'hand');
    if (hand?.valid !== false) throw new Error('expected an invalid entry');
    expect(hand.issues).toEqual([
      expect.objectContaining({ path: 'division', message: 'Number must be greater than 0' }),
      expect.objectContaining({ path: 'mappings[0].transform', message: 'Required' }),
    ]);
    expect(hand.message).toBe('Profile "Hand-edited": field division: Number must be greater than 0; field mappings[0].transform: Required');
    expect(hand.etag).not.toBe('');
    const text = entries.find((e) => e.id === 'text');
    expect(text).toMatchObject({ valid: false, title: 'Not JSON', definition: '{ mappings: ', issues: [{ path: '', message: expect.stringMatching(/^not valid JSON/) }] });
    expect(entries.filter((e) => e.valid).map((e) => e.id)).toEqual(['companies']);
    await store.delete('hand');
    await store.delete('text');
  });

  it('keeps no cursor columns on the Import Profiles list: the cursor is in the profile state document', () => {
    const columns = sandbox.control.list(CRM_LISTS.importProfiles).fields.map((f) => f.InternalName);
    expect(columns).toEqual(expect.arrayContaining(['ProfileId', 'Definition']));
    expect(columns).not.toContain('Cursor');
    expect(columns).not.toContain('LastRunId');
  });

  it('stores run records with their columns, replaces them by id and lists them per profile', async () => {
    const runs = createSharePointRunJournal(sandbox.sp, { documents: createDocumentStore(sandbox.sp) });
    await runs.save(record('r1', 'companies', 'Running'));
    await runs.save(record('r2', 'contacts', 'Failed'));
    await runs.save(record('r3', 'companies', 'Running'));
    expect((await runs.listRunning?.('companies'))?.map((r) => r.id)).toEqual(['r1', 'r3']);
    await runs.save({ ...record('r1', 'companies', 'Completed'), finishedAt: '2026-11-21T23:05:00.000Z' });
    expect(await runs.get('r1')).toMatchObject({ status: 'Completed', finishedAt: '2026-11-21T23:05:00.000Z' });
    expect((await runs.list('companies')).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect((await runs.list()).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect((await runs.listRunning?.('companies'))?.map((r) => r.id)).toEqual(['r3']);
    expect(await runs.get('r9')).toBeUndefined();
    const items = sandbox.control.items(CRM_LISTS.syncRuns);
    expect(items).toHaveLength(3);
    expect(items.find((i) => i.values.RunId === 'r1')?.values).toMatchObject({
      Title: 'Companies from Exact accounts, 2026-11-21 23:00',
      Status: 'Completed',
      CountRead: 12,
      CountCreated: 10,
      ProfileId: 'companies',
    });
  });

  it('begins a run in one request (record, unfinished runs, first document) and finishes it in one (documents, then the record)', async () => {
    const documents = createDocumentStore(sandbox.sp);
    await documents.read('warm-up.json');
    const runs = createSharePointRunJournal(sandbox.sp, { documents });
    sandbox.control.resetCounts();
    expect((await runs.begin(record('a1', 'accounts', 'Running'), [{ path: 'a1/batch-00001.json', content: '{}' }]))?.map((r) => r.id)).toEqual(['a1']);
    expect(sandbox.control.counts()).toMatchObject({ total: 1, byKind: { batch: 1 } });

    // With another run of the profile there, its record is read in full (rare; it decides who goes on).
    await runs.save(record('b0', 'contacts', 'Running'));
    const running = await runs.begin(record('b1', 'contacts', 'Running'), [{ path: 'b1/batch-00001.json', content: '{"batch":1}' }]);
    expect(running?.map((r) => r.id)).toEqual(['b0', 'b1']);
    // (the start time as the date column gives it back)
    expect(running?.[0]).toEqual({ id: 'b0', mode: 'ImportAndUpdate', startedBy: 'admin@contoso.nl', startedAt: expect.stringMatching(/^2026-11-21T23:00:00/) });
    expect(await documents.read('b1/batch-00001.json')).toBe('{"batch":1}');

    sandbox.control.resetCounts();
    await runs.finish({ ...record('b1', 'contacts', 'Completed'), finishedAt: '2026-11-21T23:09:00.000Z' }, [
      { path: 'b1/log.json', content: '[1]' },
      { path: 'profiles/contacts/state.json', content: '{"cursor":"9"}' },
    ], { begun: true });
    expect(sandbox.control.counts()).toMatchObject({ total: 1, byKind: { batch: 1 } });
    expect(await runs.get('b1')).toMatchObject({ status: 'Completed', finishedAt: '2026-11-21T23:09:00.000Z' });
    expect(await documents.read('b1/log.json')).toBe('[1]');
    expect(await documents.read('profiles/contacts/state.json')).toBe('{"cursor":"9"}');
  });

  it('a Running record whose details cannot be read does not count as a rival (nothing could resume or abandon it)', async () => {
    const documents = createDocumentStore(sandbox.sp);
    const runs = createSharePointRunJournal(sandbox.sp, { documents });
    await sandbox.sp.web.lists.getByTitle(CRM_LISTS.syncRuns).items.add({ Title: 'Broken run', RunId: 'broken', ProfileId: 'suppliers', Status: 'Running', Details: '{"not":"a run"' });
    expect((await runs.begin(record('s1', 'suppliers', 'Running'), [{ path: 's1/batch-00001.json', content: '{}' }]))?.map((r) => r.id)).toEqual(['s1']);
  });

  it('writes a very large final document on its own before the batch with the rest and the record', async () => {
    const documents = createDocumentStore(sandbox.sp);
    await documents.read('warm-up.json');
    const runs = createSharePointRunJournal(sandbox.sp, { documents, aloneAbove: 10 });
    await runs.begin(record('b2', 'contacts', 'Running'), [{ path: 'b2/batch-00001.json', content: '{}' }]);
    sandbox.control.resetCounts();
    await runs.finish(record('b2', 'contacts', 'Completed'), [
      { path: 'b2/log.json', content: '[1,2,3,4,5,6,7,8,9]' },
      { path: 'profiles/contacts/state.json', content: '{}' },
    ], { begun: true });
    expect(sandbox.control.counts()).toMatchObject({ total: 2, byKind: { files: 1, batch: 1 } });
    expect(await documents.read('b2/log.json')).toBe('[1,2,3,4,5,6,7,8,9]');
    expect((await runs.get('b2'))?.status).toBe('Completed');
  });

  it('says which run and which field when a stored run record no longer fits the schema', async () => {
    await sandbox.sp.web.lists
      .getByTitle(CRM_LISTS.syncRuns)
      .items.add({ Title: 'Old run', RunId: 'old', ProfileId: 'companies', Details: JSON.stringify({ ...record('old', 'companies', 'Completed'), counts: {} }) });
    const runs = createSharePointRunJournal(sandbox.sp, { documents: createDocumentStore(sandbox.sp) });
    await expect(runs.get('old')).rejects.toThrow(/^Run "Old run" cannot be read: field counts\.read: Required; /);
    expect((await runs.list('companies')).map((r) => r.id)).not.toContain('old');
  });

  it("keeps run logs and the engine's nested documents in the Run Logs library", async () => {
    const docs = createDocumentStore(sandbox.sp);
    await docs.write('run-1/log.json', '{"records":[]}');
    await docs.write('run-1/log.csv', 'ref;outcome\n');
    await docs.write('run-1/log.json', '{"records":[1]}');
    await docs.write('settings.json', '{}');
    await docs.write('profiles/companies/state.json', '{"cursor":null}');
    expect(await docs.read('run-1/log.json')).toBe('{"records":[1]}');
    expect(await docs.read('run-2/log.json')).toBeUndefined();
    expect(await docs.list('run-1')).toEqual(['run-1/log.csv', 'run-1/log.json']);
    expect(await docs.list('')).toEqual(['settings.json']);
    expect(await docs.list('profiles/companies')).toEqual(['profiles/companies/state.json']);
    expect(await docs.list('run-2')).toEqual([]);
    await expect(docs.write('../escape.json', '{}')).rejects.toThrow('not an allowed file or folder name');
  });
});
