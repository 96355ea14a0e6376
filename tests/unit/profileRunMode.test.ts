/**
 * Issue 21 points 1 and 2 below the screen: a run takes the mode the admin picked for it without
 * changing the profile, and records it; profile names are unique per site (in the service, not
 * only the editor), and "Save as new" is offered the first free name.
 */
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../../src/sync/profile/profile';
import { defaultProfiles, profileLanguage } from '../../src/sync/profile/defaults';
import { ImportProfilesService } from '../../src/sync/service';
import { accountId, DIVISION, seedAccounts } from '../support/memoryExact';
import { memoryHarness, type Harness } from '../support/memoryHarness';
import { changeProfile, storedProfile } from '../support/profiles';

function serviceOf(h: Harness): ImportProfilesService {
  return new ImportProfilesService({ engine: h.engine, profiles: h.profiles, runs: h.runs, documents: h.documents, crm: h.crm, exact: h.exact, clock: h.clock });
}

describe('a mode chosen for one run', () => {
  it('Update for one run of an Import & Update profile creates nothing, records Update, and leaves the profile as it was', async () => {
    const h = memoryHarness();
    const before = await storedProfile(h.profiles, 'companies');
    expect(before.mode).toBe('ImportAndUpdate');

    const preview = await h.engine.preview('companies', { mode: 'Update' });
    expect(preview.profile.mode).toBe('Update');
    expect(preview.entries.filter((e) => e.action === 'create')).toHaveLength(0);

    const run = await h.engine.run('companies', { user: 'admin@contoso.nl', mode: 'Update' });
    expect(run.mode).toBe('Update');
    expect(run.counts.created).toBe(0);
    expect(h.crm.list('Companies').byKey('ExactId')[accountId(1)]).toBeUndefined();
    expect((await h.runs.get(run.id))?.mode).toBe('Update');
    expect((await storedProfile(h.profiles, 'companies')).mode).toBe('ImportAndUpdate');

    // The next run without a choice takes the profile's own mode again, and still sees the
    // records the Update run only reported: a narrower mode chosen for one run keeps the cursor.
    const next = await h.engine.run('companies', { user: 'admin@contoso.nl' });
    expect(next.mode).toBe('ImportAndUpdate');
    expect(next.counts.created).toBe(8);
    expect((await h.engine.listRuns('companies')).map((r) => r.mode).sort()).toEqual(['ImportAndUpdate', 'Update']);
  });

  it('Import for one run leaves linked items alone where Import & Update would update them', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'a' });
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
    const asImport = await h.engine.preview('companies', { mode: 'Import' });
    const asProfile = await h.engine.preview('companies');
    expect(asImport.entries.find((e) => e.exactKey === accountId(2))?.action).toBe('skip');
    expect(asProfile.entries.find((e) => e.exactKey === accountId(2))?.action).toBe('update');
  });

  it('a run in the profile’s own mode, or a wider one, moves the cursor as always', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'a', mode: 'ImportAndUpdate' });
    const second = await h.engine.run('companies', { user: 'a' });
    expect(second.counts.read).toBe(0);
  });

  it('refuses a mode that is not one of the three', async () => {
    const h = memoryHarness();
    await expect(h.engine.run('companies', { user: 'a', mode: 'Delete' as never })).rejects.toThrow();
    expect(await h.engine.listRuns('companies')).toEqual([]);
  });
});

describe('profile names', () => {
  it('refuses a second profile named the same, whatever the case or spacing, in save and in check', async () => {
    const h = memoryHarness();
    const service = serviceOf(h);
    const companies = await storedProfile(h.profiles, 'companies');
    const copy = { ...companies, id: 'companies-copy', title: '  companies FROM exact   accounts ' };
    const problems = await service.profiles.check(copy);
    expect(problems).toEqual([expect.objectContaining({ path: 'title', code: 'titleTaken', args: ['Companies from Exact accounts'] })]);
    await expect(service.profiles.save(copy)).rejects.toBeInstanceOf(ProfileError);
    await expect(service.profiles.saveAsNew(companies, 'COMPANIES from Exact accounts')).rejects.toThrow(/already named "Companies from Exact accounts"/);
    expect((await h.profiles.list()).map((p) => p.id).sort()).toEqual(['companies', 'contacts']);
    // The profile itself keeps its own name.
    await expect(service.profiles.check(companies)).resolves.toEqual([]);
  });

  it('offers the first free name for Save as new', async () => {
    const h = memoryHarness();
    const service = serviceOf(h);
    const companies = await storedProfile(h.profiles, 'companies');
    expect(await service.profiles.freeTitle('Companies in Delft')).toBe('Companies in Delft');
    expect(await service.profiles.freeTitle('companies from exact accounts')).toBe('companies from exact accounts (2)');
    const second = await service.profiles.saveAsNew(companies, await service.profiles.freeTitle(companies.title));
    expect(second.title).toBe('Companies from Exact accounts (2)');
    expect(await service.profiles.freeTitle(companies.title)).toBe('Companies from Exact accounts (3)');
    expect(await service.profiles.freeTitle('Companies from Exact accounts (2)')).toBe('Companies from Exact accounts (3)');
  });
});

describe('shipped profiles in the site language', () => {
  it('a Dutch site gets Dutch names, an English one English names', async () => {
    expect(defaultProfiles(DIVISION, undefined, profileLanguage('nl-NL')).map((p) => p.title)).toEqual(['Bedrijven uit Exact-relaties', 'Contactpersonen uit Exact']);
    expect(defaultProfiles(DIVISION, undefined, profileLanguage('en-US')).map((p) => p.title)).toEqual(['Companies from Exact accounts', 'Contacts from Exact contacts']);
    expect(defaultProfiles(DIVISION, { divisionName: 'Peeters & Zonen' }, 'nl').map((p) => p.title)).toEqual(['Bedrijven uit Exact-relaties (Peeters & Zonen)', 'Contactpersonen uit Exact (Peeters & Zonen)']);
    const h = memoryHarness({ profiles: [] });
    const added = await serviceOf(h).profiles.ensureDefaults(DIVISION, 'nl');
    expect(added.map((p) => p.title)).toEqual(['Bedrijven uit Exact-relaties', 'Contactpersonen uit Exact']);
  });
});

describe('a resumed run in a mode chosen for it', () => {
  it('keeps the cursor when the stored profile cannot be read at resume, so the next run still sees what it left', async () => {
    const { InjectedCrash } = await import('../support/memoryStores');
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    await changeProfile(h.profiles, 'companies', { batchSize: 1 });
    for (const n of [2, 3, 4]) h.exact.upsert(DIVISION, 'Account', { ID: accountId(n), City: 'Amersfoort' });
    h.exact.upsert(DIVISION, 'Account', { ...seedAccounts[1], ID: accountId(20), Code: '0000020', Name: 'Vos Transport B.V.', ChamberOfCommerce: '88888888', VATNumber: 'NL888888888B01' });
    // An Update-only run crashes after its first update: the run is left unfinished.
    h.crash.arm(3);
    await expect(h.engine.run('companies', { user: 'admin', mode: 'Update' })).rejects.toBeInstanceOf(InjectedCrash);
    h.crash.disarm();
    const unfinished = (await h.runs.list('companies')).find((r) => r.status === 'Running');
    expect(unfinished?.mode).toBe('Update');

    // Meanwhile someone broke the stored profile (a bad hand edit): the resume runs on the run's
    // own copy, and must not move the cursor the profile's next Import & Update run relies on.
    const good = h.profiles.profiles.get('companies')!;
    h.profiles.profiles.set('companies', JSON.stringify({ ...JSON.parse(good), mode: 'Sometimes' }));
    const resumed = await h.engine.resume(unfinished!.id);
    expect(resumed.status).toBe('Completed');
    expect(resumed.counts.created).toBe(0);

    h.profiles.profiles.set('companies', good);
    const next = await h.engine.run('companies', { user: 'admin' });
    expect(next.mode).toBe('ImportAndUpdate');
    expect(next.counts.created).toBe(1);
    expect(h.crm.list('Companies').byKey('ExactId')[accountId(20)]).toBeDefined();
  });
});
