import { describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { ProfileService } from '../../src/sync/service';
import { renderReason } from '../../src/sync/journal/reasons';
import type { Profile } from '../../src/sync/profile/profile';
import type { FieldValue } from '../../src/sync/model';
import { memoryHarness, type Harness } from '../support/memoryHarness';
import { accountId, DIVISION, seedAccounts, seededExact } from '../support/memoryExact';
import { InjectedCrash } from '../support/memoryStores';
import { changeProfile } from '../support/profiles';

/**
 * Two Exact administrations into one Companies list. A run of one division never reads, flags,
 * updates or undoes an item linked in the other: the other's items stay byte for byte the same.
 */

const BE = 7654321;
const beId = (n: number) => `b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Belgian accounts; codes 0000001… collide with the NL division's, as account codes are per division. */
const beAccounts = [
  ['Peeters & Zonen BV', '0401234567', 'BE0401234567', 'Gent', '9000'],
  ['Janssens Bouw NV', '0402345678', 'BE0402345678', 'Leuven', '3000'],
  ['Maes Logistiek BV', '0403456789', 'BE0403456789', 'Brugge', '8000'],
].map(([name, kvk, vat, city, postcode], i) => ({
  ...seedAccounts[2],
  ID: beId(i + 1),
  Code: String(i + 1).padStart(7, '0'),
  Name: name,
  ChamberOfCommerce: kvk,
  VATNumber: vat,
  City: city,
  Postcode: postcode,
  Email: `info@${name.split(' ')[0].toLowerCase()}.be`,
}));

function beProfile(mode: Profile['mode']): Profile {
  const [companies] = defaultProfiles(BE);
  return { ...companies, id: 'companies-be', title: 'Companies BE', mode };
}

function twoDivisions(): Harness {
  const exact = seededExact();
  for (const a of beAccounts) exact.upsert(BE, 'Account', a);
  const [companies, contacts] = defaultProfiles(DIVISION);
  return memoryHarness({ exact, profiles: [companies, contacts, beProfile('ImportAndUpdate')] });
}

/** The items of one division, by item id, exactly as stored. */
function itemsOf(h: Harness, division: number | null): Record<number, Record<string, FieldValue>> {
  const all = h.crm.list('Companies').snapshot();
  return Object.fromEntries(Object.entries(all).filter(([, v]) => (v.ExactDivision ?? null) === division));
}

describe('two divisions in one Companies list', () => {
  it('a Belgian Import run creates its companies, reports no deletion and leaves every Dutch item as it was', async () => {
    const h = twoDivisions();
    await h.engine.run('companies', { user: 'admin' });
    const nl = itemsOf(h, DIVISION);
    expect(Object.keys(nl)).toHaveLength(seedAccounts.length);
    await changeProfile(h.profiles, 'companies-be', { mode: 'Import' });

    const preview = await h.engine.preview('companies-be');
    expect(preview.counts).toMatchObject({ created: 3, updated: 0, deleted: 0 });
    const run = await h.engine.run('companies-be', { user: 'admin' });

    expect(run.counts).toMatchObject({ created: 3, updated: 0, deleted: 0, failed: 0 });
    expect(itemsOf(h, DIVISION)).toEqual(nl);
    const be = Object.values(itemsOf(h, BE));
    expect(be.map((v) => v.Title).sort()).toEqual(['Janssens Bouw NV', 'Maes Logistiek BV', 'Peeters & Zonen BV']);
    // The same account code in both administrations is two companies, told apart by division.
    expect(Object.values(h.crm.list('Companies').snapshot()).filter((v) => v.ExactCode === '0000001').map((v) => v.ExactDivision).sort()).toEqual([DIVISION, BE].sort());
  });

  it('every mode, incremental and full, and a deletion in one division, leave the other division alone', async () => {
    const h = twoDivisions();
    await h.engine.run('companies', { user: 'admin' });
    await h.engine.run('companies-be', { user: 'admin' });
    const nl = itemsOf(h, DIVISION);
    for (const mode of ['Import', 'ImportAndUpdate', 'Update'] as const) {
      await changeProfile(h.profiles, 'companies-be', { mode });
      h.exact.upsert(BE, 'Account', { ID: beId(2), City: `Leuven ${mode}` });
      await h.engine.run('companies-be', { user: 'admin' });
      await h.engine.run('companies-be', { user: 'admin', full: true });
      expect(itemsOf(h, DIVISION)).toEqual(nl);
    }
    expect(Object.values(itemsOf(h, BE)).find((v) => v.ExactId === beId(2))?.City).toBe('Leuven Update');

    h.exact.remove(BE, 'Account', beId(3));
    const incremental = await h.engine.run('companies-be', { user: 'admin' });
    expect(incremental.counts).toMatchObject({ flagged: 1, deleted: 0 });
    expect(Object.values(itemsOf(h, BE)).find((v) => v.ExactId === beId(3))?.DeletedInExact).toBe(true);
    expect(itemsOf(h, DIVISION)).toEqual(nl);

    // A deletion in NL is the NL run's to report; a full BE read does not take NL items for absent.
    h.exact.remove(DIVISION, 'Account', accountId(8));
    const be = itemsOf(h, BE);
    const full = await h.engine.run('companies-be', { user: 'admin', full: true });
    expect(full.counts).toMatchObject({ flagged: 0, deleted: 0 });
    expect(itemsOf(h, DIVISION)).toEqual(nl);
    expect(itemsOf(h, BE)).toEqual(be);
    const nlRun = await h.engine.run('companies', { user: 'admin' });
    expect(nlRun.counts.flagged).toBe(1);
    expect(itemsOf(h, BE)).toEqual(be);
  });

  it('undo of a run in each division undoes only that division', async () => {
    const h = twoDivisions();
    const nlRun = await h.engine.run('companies', { user: 'admin' });
    const beRun = await h.engine.run('companies-be', { user: 'admin' });
    const nl = itemsOf(h, DIVISION);
    await h.engine.undo(beRun.id, { user: 'admin' });
    expect(itemsOf(h, BE)).toEqual({});
    expect(itemsOf(h, DIVISION)).toEqual(nl);
    await h.engine.run('companies-be', { user: 'admin' });
    const be = itemsOf(h, BE);
    await h.engine.undo(nlRun.id, { user: 'admin' });
    expect(itemsOf(h, DIVISION)).toEqual({});
    expect(itemsOf(h, BE)).toEqual(be);
  });

  it('a Belgian run resumed after a crash ends where an uninterrupted one ends, and the Dutch items never move', async () => {
    const reference = twoDivisions();
    await reference.engine.run('companies', { user: 'admin' });
    await reference.engine.run('companies-be', { user: 'admin' });
    for (let after = 1; after <= 6; after++) {
      const h = twoDivisions();
      await h.engine.run('companies', { user: 'admin' });
      const nl = itemsOf(h, DIVISION);
      await changeProfile(h.profiles, 'companies-be', { batchSize: 1 });
      h.crash.arm(after);
      await expect(h.engine.run('companies-be', { user: 'admin' })).rejects.toBeInstanceOf(InjectedCrash);
      h.crash.disarm();
      const unfinished = (await h.engine.unfinishedRuns('companies-be'))[0];
      if (unfinished) await h.engine.resume(unfinished.id);
      else await h.engine.run('companies-be', { user: 'admin' });
      expect(itemsOf(h, DIVISION)).toEqual(nl);
      expect(Object.values(itemsOf(h, BE)).map((v) => v.ExactId).sort()).toEqual(Object.values(itemsOf(reference, BE)).map((v) => v.ExactId).sort());
    }
  });

  it('items linked before divisions were recorded: the division whose Exact read has the key records it, no other run touches them', async () => {
    const h = twoDivisions();
    await h.engine.run('companies', { user: 'admin' });
    await h.engine.run('companies-be', { user: 'admin' });
    // As a list from before this version holds them: a key, no division, both administrations mixed.
    const list = h.crm.list('Companies');
    for (const id of Object.keys(list.snapshot())) list.edit(Number(id), { ExactDivision: null });
    const legacy = itemsOf(h, null);
    expect(Object.keys(legacy)).toHaveLength(seedAccounts.length + beAccounts.length);

    // A full read of NL sees the BE items absent from it, but does not take them for NL's.
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(2), City: 'Amersfoort' });
    const nlIncremental = await h.engine.run('companies', { user: 'admin' });
    expect(nlIncremental.counts).toMatchObject({ created: 0, updated: 1, deleted: 0, flagged: 0 });
    expect(Object.values(itemsOf(h, DIVISION)).map((v) => v.ExactId)).toEqual([accountId(2)]);
    const log = await h.engine.readLog(nlIncremental.id);
    expect(log[0].reason).toEqual({ code: 'divisionRecordedFieldsChanged', args: [DIVISION, 1] });
    expect(renderReason(log[0].reason)).toBe(`division ${DIVISION} recorded (linked before divisions were recorded; this division has its Exact record); 1 field changed in Exact`);

    const nlFull = await h.engine.run('companies', { user: 'admin', full: true });
    expect(nlFull.counts).toMatchObject({ created: 0, updated: seedAccounts.length - 1, deleted: 0, flagged: 0, failed: 0 });
    expect(Object.keys(itemsOf(h, DIVISION))).toHaveLength(seedAccounts.length);
    const beLegacy = itemsOf(h, null);
    expect(Object.values(beLegacy).map((v) => v.ExactId).sort()).toEqual(beAccounts.map((a) => a.ID).sort());

    // A BE account deleted in Exact: the BE run's sync/Deleted names it, so BE flags it and records its division.
    h.exact.remove(BE, 'Account', beId(3));
    const beIncremental = await h.engine.run('companies-be', { user: 'admin' });
    expect(beIncremental.counts).toMatchObject({ flagged: 1, deleted: 0, failed: 0 });
    const flagged = Object.values(h.crm.list('Companies').snapshot()).find((v) => v.ExactId === beId(3));
    expect(flagged).toMatchObject({ DeletedInExact: true, ExactDivision: BE });
    const beFull = await h.engine.run('companies-be', { user: 'admin', full: true });
    expect(beFull.counts).toMatchObject({ created: 0, deleted: 0, flagged: 0, failed: 0 });
    expect(itemsOf(h, null)).toEqual({});
    expect(Object.keys(itemsOf(h, BE))).toHaveLength(beAccounts.length);
  });

  it('a CRM company linked in one division is no match candidate for a record of another', async () => {
    const h = twoDivisions();
    // Unlinked companies: one already assigned to NL, one not assigned to any division.
    const list = h.crm.list('Companies');
    const nlOnly = list.seed({ Title: 'Peeters & Zonen', KvkNumber: '0401234567', ExactDivision: DIVISION });
    const free = list.seed({ Title: 'Janssens Bouw', KvkNumber: '0402345678' });
    await changeProfile(h.profiles, 'companies-be', { mode: 'ImportAndUpdate' });
    const preview = await h.engine.preview('companies-be');
    const peeters = preview.entries.find((e) => e.exactKey === beId(1));
    const janssens = preview.entries.find((e) => e.exactKey === beId(2));
    expect(peeters?.action).toBe('create');
    expect(peeters?.itemId).toBeNull();
    expect(janssens).toMatchObject({ action: 'update', itemId: free, match: { signal: 'kvk' } });
    expect(janssens?.changes).toContainEqual({ field: 'ExactDivision', before: null, after: BE });
    expect(nlOnly).not.toBe(free);
  });
});

describe('profiles per division', () => {
  it('the default profiles for another division come in one step, named for it, beside the default division\'s', async () => {
    const h = twoDivisions();
    await h.profiles.delete('companies-be');
    const service = new ProfileService({ profiles: h.profiles, exact: h.exact, crm: h.crm, runs: h.runs });
    const added = await service.addDefaultsForDivision(BE, 'Peeters & Zonen');
    expect(added.map((p) => [p.id, p.title, p.division])).toEqual([
      [`companies-${BE}`, 'Companies from Exact accounts (Peeters & Zonen)', BE],
      [`contacts-${BE}`, 'Contacts from Exact contacts (Peeters & Zonen)', BE],
    ]);
    expect(await service.addDefaultsForDivision(BE, 'Peeters & Zonen')).toEqual([]);
    const run = await h.engine.run(`companies-${BE}`, { user: 'admin' });
    expect(run.counts.created).toBe(beAccounts.length);
  });

  it('leaves out a list that already has a profile for the division, whatever its id', async () => {
    const h = twoDivisions();
    const service = new ProfileService({ profiles: h.profiles, exact: h.exact, crm: h.crm, runs: h.runs });
    // companies-be (Save as new, its own id) already imports Companies from BE: only Contacts comes.
    expect((await service.addDefaultsForDivision(BE, 'Peeters & Zonen')).map((p) => p.id)).toEqual([`contacts-${BE}`]);
    // The default division has both under the plain ids: nothing under the division's ids.
    expect(await service.addDefaultsForDivision(DIVISION, 'Van Houten')).toEqual([]);
    expect((await h.profiles.list()).map((e) => e.id).sort()).toEqual(['companies', 'companies-be', 'contacts', `contacts-${BE}`]);
  });

  it('names the profiles that already import the same list from the same division', async () => {
    const h = twoDivisions();
    const service = new ProfileService({ profiles: h.profiles, exact: h.exact, crm: h.crm, runs: h.runs });
    const [companies] = defaultProfiles(BE);
    expect((await service.sameListAndDivision({ ...companies, id: 'new-one' })).map((p) => p.id)).toEqual(['companies-be']);
    expect(await service.sameListAndDivision({ ...companies, id: 'companies-be' })).toEqual([]);
    expect(await service.sameListAndDivision({ ...companies, id: 'new-one', division: 1 })).toEqual([]);
  });
});
