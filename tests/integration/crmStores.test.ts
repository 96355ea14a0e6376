import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDocumentStore } from '../../src/crm/documentStore';
import { StoreValidationError } from '../../src/crm/jsonEntries';
import { createProfileStore } from '../../src/crm/profileStore';
import { provisionCrm } from '../../src/crm/provision';
import { createRunStore, type RunSummary } from '../../src/crm/runStore';
import { CRM_LISTS } from '../../src/crm/schema';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

// Stand-ins for the engine's schemas (src/core owns the real ones; the stores are generic).
const profileSchema = z.object({
  id: z.string(),
  name: z.string(),
  entity: z.string(),
  targetList: z.string(),
  mapping: z.array(z.object({ source: z.string(), target: z.string() })).min(1),
});
type Profile = z.infer<typeof profileSchema>;

const runSchema = z.object({
  runId: z.string(),
  profileId: z.string(),
  mode: z.enum(['Import', 'ImportAndUpdate', 'Update', 'Undo']),
  status: z.enum(['Running', 'Completed', 'CompletedWithErrors', 'Failed', 'Undone']),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.object({
    read: z.number(),
    created: z.number(),
    updated: z.number(),
    skipped: z.number(),
    conflicts: z.number(),
    failed: z.number(),
  }),
  checkpoint: z.object({ batch: z.number() }).optional(),
});
type Run = z.infer<typeof runSchema>;

const accounts: Profile = {
  id: 'p-accounts',
  name: 'Accounts to Companies',
  entity: 'Account',
  targetList: 'Companies',
  mapping: [{ source: 'Name', target: 'Title' }],
};

const run = (n: number, profileId: string, status: Run['status'] = 'Completed'): Run => ({
  runId: `run-${n}`,
  profileId,
  mode: 'ImportAndUpdate',
  status,
  startedBy: 'admin@contoso.nl',
  startedAt: `2026-11-2${n}T10:00:00.000Z`,
  finishedAt: status === 'Running' ? null : `2026-11-2${n}T10:05:00.000Z`,
  counts: { read: 10 * n, created: n, updated: 2, skipped: 3, conflicts: 0, failed: 0 },
  checkpoint: { batch: n },
});

describe('profile, run and document stores against the SharePoint emulator', () => {
  let sandbox: CrmSandbox;
  let ids = 0;
  const profiles = () =>
    createProfileStore(sandbox.sp, profileSchema, {
      identify: (p) => ({ id: p.id, title: p.name }),
      withIdentity: (p, identity) => ({ ...p, id: identity.id, name: identity.title }),
      newId: () => `p-new-${++ids}`,
    });
  const runs = () =>
    createRunStore(sandbox.sp, runSchema, {
      summarize: (r): RunSummary => ({ ...r, title: `${r.profileId} ${r.startedAt}` }),
    });

  beforeAll(async () => {
    sandbox = await startCrmSandbox();
    expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('saves, reads, copies and deletes profiles, keeping the cursor across saves', async () => {
    const store = profiles();
    const saved = await store.save(accounts);
    expect(saved).toMatchObject({ valid: true, profileId: 'p-accounts', title: 'Accounts to Companies', cursor: null });
    await store.setCursor('p-accounts', '18446744073709551615', 'run-1');
    expect(await store.getCursor('p-accounts')).toBe('18446744073709551615');

    await store.save({ ...accounts, mapping: [...accounts.mapping, { source: 'City', target: 'City' }] });
    const again = await store.get('p-accounts');
    expect(again).toMatchObject({ valid: true, cursor: '18446744073709551615', lastRunId: 'run-1' });
    expect(again?.valid && again.profile.mapping).toHaveLength(2);

    const copy = await store.saveAsNew(accounts, 'Accounts (copy)');
    expect(copy).toMatchObject({ profileId: 'p-new-1', title: 'Accounts (copy)', cursor: null });
    expect(copy.profile).toMatchObject({ id: 'p-new-1', name: 'Accounts (copy)' });
    expect((await store.list()).map((p) => p.title)).toEqual(['Accounts (copy)', 'Accounts to Companies']);

    expect(await store.delete('p-new-1')).toBe(true);
    expect(await store.delete('p-new-1')).toBe(false);
    expect(await store.get('p-new-1')).toBeUndefined();
    await expect(store.getCursor('nope')).rejects.toThrow('Profile "nope" does not exist in "Import Profiles"');
  });

  it('refuses to save a profile its schema rejects, naming the path', async () => {
    const bad = { ...accounts, id: 'p-bad', mapping: [] };
    await expect(profiles().save(bad)).rejects.toThrow(StoreValidationError);
    await expect(profiles().save(bad)).rejects.toThrow('Profile "Accounts to Companies": mapping:');
  });

  it('lists stored JSON that fails the schema as an invalid entry with the title and issue path', async () => {
    const list = sandbox.sp.web.lists.getByTitle(CRM_LISTS.importProfiles);
    await list.items.add({
      Title: 'Broken profile',
      ProfileId: 'p-broken',
      Definition: JSON.stringify({ ...accounts, id: 'p-broken', mapping: [{ source: 'Name' }] }),
    });
    await list.items.add({ Title: 'Not JSON', ProfileId: 'p-text', Definition: '{ mapping: ' });
    const entries = await profiles().list();
    const broken = entries.find((e) => e.profileId === 'p-broken');
    expect(broken).toMatchObject({ valid: false, title: 'Broken profile' });
    if (broken?.valid !== false) throw new Error('expected invalid');
    expect(broken.issues).toEqual([{ path: 'mapping.0.target', message: 'Required' }]);
    expect(broken.message).toBe('Profile "Broken profile": mapping.0.target: Required');
    const text = entries.find((e) => e.profileId === 'p-text');
    expect(text).toMatchObject({ valid: false, definition: '{ mapping: ' });
    if (text?.valid !== false) throw new Error('expected invalid');
    expect(text.issues[0].path).toBe('(json)');
    expect(entries.filter((e) => e.valid).map((e) => e.profileId)).toEqual(['p-accounts']);
  });

  it('saves run records with their columns and reads the full record back', async () => {
    const store = runs();
    await store.save(run(1, 'p-accounts', 'Running'));
    await store.save(run(1, 'p-accounts'));
    await store.save(run(2, 'p-contacts'));
    await store.save(run(3, 'p-accounts', 'CompletedWithErrors'));

    const items = sandbox.control.items(CRM_LISTS.syncRuns);
    expect(items).toHaveLength(3);
    const got = await store.get('run-1');
    expect(got).toMatchObject({ valid: true, run: run(1, 'p-accounts') });

    const all = await store.list();
    expect(all.map((r) => r.runId)).toEqual(['run-3', 'run-2', 'run-1']);
    expect(all[2]).toMatchObject({ status: 'Completed', mode: 'ImportAndUpdate', counts: { read: 10, created: 1 } });
    expect((await store.list({ profileId: 'p-accounts', top: 1 })).map((r) => r.runId)).toEqual(['run-3']);
    expect(await store.get('run-9')).toBeUndefined();
  });

  it('reports a run record whose Details no longer fit the schema', async () => {
    await sandbox.sp.web.lists
      .getByTitle(CRM_LISTS.syncRuns)
      .items.add({ Title: 'Old run', RunId: 'run-old', Details: JSON.stringify({ runId: 'run-old', counts: {} }) });
    const entry = await runs().get('run-old');
    expect(entry).toMatchObject({ valid: false, title: 'Old run' });
    if (entry?.valid !== false) throw new Error('expected invalid');
    expect(entry.issues.map((i) => i.path)).toContain('counts.read');
    expect(entry.message).toContain('Run "Old run": ');
  });

  it('writes, overwrites, reads and lists run log files in the Run Logs library', async () => {
    const docs = createDocumentStore(sandbox.sp);
    await docs.write('run-1/log.json', '{"records":[]}');
    await docs.write('run-1/log.csv', 'ref;outcome\n');
    await docs.write('run-1/log.json', '{"records":[1]}');
    await docs.write('settings.json', '{}');
    expect(await docs.read('run-1/log.json')).toBe('{"records":[1]}');
    expect(await docs.read('run-2/log.json')).toBeUndefined();
    expect(await docs.list('run-1')).toEqual(['run-1/log.csv', 'run-1/log.json']);
    expect(await docs.list('')).toEqual(['settings.json']);
    expect(await docs.list('run-2')).toEqual([]);
    await expect(docs.write('../escape.json', '{}')).rejects.toThrow('not an allowed file or folder name');
  });
});
