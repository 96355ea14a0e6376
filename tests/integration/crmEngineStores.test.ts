import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/core/defaults';
import { profileSchema } from '../../src/core/profile';
import { emptyCounts, runRecordSchema, type RunRecord } from '../../src/core/records';
import { createDocumentStore } from '../../src/crm/documentStore';
import { fromGenericProfileStore, fromGenericRunStore, profileIdentity, summarizeRun } from '../../src/core/adapters';
import { createProfileStore } from '../../src/crm/profileStore';
import { createRunStore } from '../../src/crm/runStore';
import { provisionCrm } from '../../src/crm/provision';
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

describe("the stores behind the sync engine's interfaces, with the engine's own schemas", () => {
  let sandbox: CrmSandbox;
  beforeAll(async () => {
    sandbox = await startCrmSandbox();
    expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("stores the default profiles with the engine's schema; an invalid one is listed by the store, an error to the engine", async () => {
    // The engine's schema as is (its defaults make the input type looser than Profile).
    const store = createProfileStore(sandbox.sp, profileSchema, profileIdentity);
    const profiles = fromGenericProfileStore(store);
    const defaults = defaultProfiles(123456);
    for (const profile of defaults) await profiles.save(profile);
    await sandbox.sp.web.lists
      .getByTitle(CRM_LISTS.importProfiles)
      .items.add({ Title: 'Hand-edited', ProfileId: 'hand', Definition: JSON.stringify({ ...defaults[0], id: 'hand', division: -1 }) });

    const listed = await profiles.list();
    expect(listed.map((p) => p.id).sort()).toEqual(defaults.map((p) => p.id).sort());
    expect(listed.find((p) => p.id === defaults[0].id)).toEqual(defaults[0]);
    const entries = await store.list();
    expect(entries.filter((e) => !e.valid).map((e) => (e.valid ? '' : e.message))).toEqual([
      expect.stringMatching(/^Profile "Hand-edited": division: /),
    ]);
    await expect(profiles.get('hand')).rejects.toThrow('Profile "Hand-edited": division:');
    expect(await profiles.get('missing')).toBeUndefined();
    await profiles.delete('hand');
    expect((await store.list()).some((e) => e.profileId === 'hand')).toBe(false);
  });

  it('stores run records with their columns and lists them per profile', async () => {
    const store = createRunStore(sandbox.sp, runRecordSchema, { summarize: summarizeRun });
    const runs = fromGenericRunStore(store);
    await runs.save(record('r1', 'companies', 'Running'));
    await runs.save({ ...record('r1', 'companies', 'Completed'), finishedAt: '2026-11-21T23:05:00.000Z' });
    await runs.save(record('r2', 'contacts', 'Failed'));
    expect((await runs.get('r1'))?.status).toBe('Completed');
    expect((await runs.list('companies')).map((r) => r.id)).toEqual(['r1']);
    expect((await store.listRecords()).map((r) => r.runId)).toEqual(['r2', 'r1']);
    const item = sandbox.control.items(CRM_LISTS.syncRuns).find((i) => i.values.RunId === 'r1');
    expect(item?.values).toMatchObject({ Status: 'Completed', CountRead: 12, CountCreated: 10, ProfileId: 'companies' });
  });

  it("keeps the engine's nested documents (profiles/<id>/state.json) in the Run Logs library", async () => {
    const docs = createDocumentStore(sandbox.sp);
    await docs.write('profiles/companies/state.json', '{"cursor":null}');
    expect(await docs.read('profiles/companies/state.json')).toBe('{"cursor":null}');
    expect(await docs.list('profiles/companies')).toEqual(['profiles/companies/state.json']);
  });
});
