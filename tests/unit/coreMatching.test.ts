import { describe, expect, it } from 'vitest';
import { Matcher } from '../../src/sync/plan/matching';
import type { CrmItem } from '../../src/sync/ports';
import { renderReason } from '../../src/sync/journal/reasons';
import { normalizeCompanyName, normalizeKvk, normalizePostcode, normalizeVat, normalizeDomain, sameValue, compareDecimal } from '../../src/sync/model';
import { decrementDecimal } from '../../src/sync/journal/cursor';
import { memoryHarness } from '../support/memoryHarness';
import { changeProfile, storedProfile } from '../support/profiles';
import { accountId, DIVISION } from '../support/memoryExact';

describe('normalisation', () => {
  it('strips legal forms, punctuation, case and diacritics from company names', () => {
    expect(normalizeCompanyName('Bakkerij De Vries B.V.')).toBe('bakkerij de vries');
    expect(normalizeCompanyName('bakkerij  de vries BV')).toBe('bakkerij de vries');
    expect(normalizeCompanyName('Brouwerij Van Damme BVBA')).toBe('brouwerij van damme');
    expect(normalizeCompanyName('Dijkstra & Zonen V.O.F.')).toBe('dijkstra zonen');
    expect(normalizeCompanyName('Müller Techniek N.V.')).toBe('muller techniek');
    expect(normalizeCompanyName('Café Het Hoekje')).toBe('cafe het hoekje');
  });

  it('reads VAT numbers with and without country prefix, dots and the B01 suffix', () => {
    for (const v of ['NL859123456B01', 'NL 8591.23.456.B01', '859123456B01', 'nl859123456']) expect(normalizeVat(v)).toBe('859123456');
    expect(normalizeVat('BE 0456.789.123')).toBe(normalizeVat('0456789123'));
    expect(normalizeVat('BE0456789123')).toBe('456789123');
  });

  it('KvK, postcode, domain, values and decimal cursors', () => {
    expect(normalizeKvk('KvK 1234 5678')).toBe('12345678');
    expect(normalizePostcode('1012 ab')).toBe('1012AB');
    expect(normalizeDomain('Info@Bakkerij.NL')).toBe('bakkerij.nl');
    expect(normalizeDomain('https://www.bakkerij.nl/contact')).toBe('bakkerij.nl');
    expect(normalizeDomain('jan@gmail.com')).toBe('');
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue(5000, 5000.0000000001)).toBe(true);
    expect(sameValue('2020-01-01T00:00:00Z', '2020-01-01T00:00:00.000Z')).toBe(true);
    expect(sameValue('a', 'A')).toBe(false);
    expect(compareDecimal('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimal('99', '100')).toBe(-1);
    expect(decrementDecimal('9007199254740993')).toBe('9007199254740992');
    expect(decrementDecimal('1000')).toBe('999');
    expect(decrementDecimal('1')).toBe('0');
  });
});

describe('match cascade', () => {
  const rules = [
    { signal: 'code' as const, exact: ['Code'], crm: ['ExactCode'] },
    { signal: 'kvk' as const, exact: ['ChamberOfCommerce'], crm: ['KvkNumber'] },
    { signal: 'vat' as const, exact: ['VATNumber'], crm: ['VatNumber'] },
    { signal: 'emailDomainAndName' as const, exact: ['Email', 'Name'], crm: ['Email', 'Title'] },
    { signal: 'nameAndPostcode' as const, exact: ['Name', 'Postcode'], crm: ['Title', 'Postcode'] },
  ];
  const items: CrmItem[] = [
    { id: 1, values: { Title: 'Bakkerij de Vries', KvkNumber: '1234 5678', Postcode: '1012AB' } },
    { id: 2, values: { Title: 'Jansen', VatNumber: 'NL 0012.34.567.B02' } },
    { id: 3, values: { Title: 'Smit Advies BV', Email: 'jan@smit.nl' } },
    { id: 4, values: { Title: 'Hoekje', Postcode: '2511 BT' } },
    { id: 5, values: { Title: 'Hoekje', Postcode: '2511BT' } },
    { id: 6, values: { Title: 'Code Zes', ExactCode: '6' } },
  ];
  const matcher = new Matcher(rules, items, 0.9);

  it('links on a strong unique signal, with its confidence', () => {
    expect(matcher.match({ ChamberOfCommerce: '12345678', Name: 'x' }, new Set())).toEqual({ kind: 'certain', candidate: { itemId: 1, signal: 'kvk', confidence: 0.95 } });
    expect(matcher.match({ VATNumber: 'NL001234567B02' }, new Set())).toEqual({ kind: 'certain', candidate: { itemId: 2, signal: 'vat', confidence: 0.9 } });
    expect(matcher.match({ Code: '0000006' }, new Set())).toMatchObject({ kind: 'certain', candidate: { itemId: 6, signal: 'code' } });
  });

  it('sends weak signals and several candidates to review', () => {
    expect(matcher.match({ Email: 'info@smit.nl', Name: 'Smit Advies' }, new Set())).toMatchObject({ kind: 'ambiguous', candidates: [{ itemId: 3, signal: 'emailDomainAndName' }] });
    const several = matcher.match({ Name: 'Hoekje', Postcode: '2511 bt' }, new Set());
    expect(several).toMatchObject({ kind: 'ambiguous', reason: { code: 'reviewMany', args: [2, 'nameAndPostcode'] } });
    expect(matcher.match({ Name: 'Hoekje', Postcode: '2511 bt' }, new Set([4, 5]))).toEqual({ kind: 'none' });
    expect(matcher.match({ Name: 'Onbekend' }, new Set())).toEqual({ kind: 'none' });
  });
});

describe('linking CRM items that have no key yet', () => {
  function seedCrm(h: ReturnType<typeof memoryHarness>) {
    const list = h.crm.list('Companies');
    return {
      kvk: list.seed({ Title: 'De Vries Bakkerij', KvkNumber: '1234.5678' }),
      vat: list.seed({ Title: 'Jansen Installatie', VatNumber: 'nl 0012.34.567.b02' }),
      weak: list.seed({ Title: 'Smit Advies BV', Email: 'jan@smit.nl' }),
      hoekje1: list.seed({ Title: 'Cafe Het Hoekje', Postcode: '2511BT' }),
      hoekje2: list.seed({ Title: 'Café het Hoekje', Postcode: '2511 BT' }),
    };
  }

  it('links certain matches, never creates for ambiguous ones, and puts them on the review list', async () => {
    const h = memoryHarness();
    const ids = seedCrm(h);
    const preview = await h.engine.preview('companies');
    const byKey = new Map(preview.entries.map((e) => [e.exactKey, e]));
    expect(byKey.get(accountId(1))).toMatchObject({ action: 'update', itemId: ids.kvk, match: { signal: 'kvk' } });
    expect(byKey.get(accountId(2))).toMatchObject({ action: 'update', itemId: ids.vat, match: { signal: 'vat' } });
    expect(byKey.get(accountId(8))).toMatchObject({ action: 'conflict' });
    expect(renderReason(byKey.get(accountId(8))!.reason)).toMatch(/^awaiting review: only a weak match on emailDomainAndName/);
    expect(byKey.get(accountId(5))).toMatchObject({ action: 'conflict' });
    expect(renderReason(byKey.get(accountId(5))!.reason)).toBe('awaiting review: 2 CRM items match on nameAndPostcode');
    expect(preview.counts).toMatchObject({ created: 4, updated: 2, conflicts: 2 });

    const run = await h.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ created: 4, updated: 2, conflicts: 2, failed: 0 });
    const list = h.crm.list('Companies');
    expect(list.items.size).toBe(5 + 4);
    expect(list.items.get(ids.kvk)?.values.ExactId).toBe(accountId(1));
    expect(list.items.get(ids.kvk)?.values.Title).toBe('Bakkerij De Vries B.V.');
    expect(list.items.get(ids.weak)?.values.ExactId).toBeUndefined();

    const pending = await h.review.list('companies', 'pending');
    expect(pending.map((p) => p.exactKey).sort()).toEqual([accountId(5), accountId(8)]);
    expect(pending.find((p) => p.exactKey === accountId(5))?.candidates.map((c) => c.label).sort()).toEqual(['Cafe Het Hoekje', 'Café het Hoekje']);

    // Running again never creates them either.
    const again = await h.engine.run('companies', { user: 'a', full: true });
    expect(again.counts).toMatchObject({ created: 0, conflicts: 2 });
    expect(list.items.size).toBe(9);

    // Confirm one now, confirm the other for the next run? Reject: create separately.
    const profile = await storedProfile(h.profiles, 'companies');
    const linked = await h.review.confirm(profile, accountId(8), ids.weak, { user: 'admin', linkNow: true });
    expect(linked.linked).toBe(true);
    expect(list.items.get(ids.weak)?.values.ExactId).toBe(accountId(8));
    await h.review.reject('companies', accountId(5), { user: 'admin' });

    const third = await h.engine.run('companies', { user: 'a', full: true });
    expect(third.counts).toMatchObject({ created: 1, updated: 1, conflicts: 0 });
    expect(list.items.get(ids.weak)?.values.Title).toBe('Smit Advies');
    expect(list.items.get(ids.hoekje1)?.values.ExactId).toBeUndefined();
    expect(list.items.size).toBe(10);
    // Rejection is remembered.
    expect((await h.review.list('companies', 'rejected')).map((r) => r.exactKey)).toEqual([accountId(5)]);
    const fourth = await h.engine.run('companies', { user: 'a', full: true });
    expect(fourth.counts).toMatchObject({ created: 0, updated: 0, conflicts: 0 });
  });

  it('"Not this one" for one candidate: it is never offered again, the other one still is', async () => {
    const h = memoryHarness();
    const ids = seedCrm(h);
    await h.engine.run('companies', { user: 'a' });
    const left = await h.review.dismiss('companies', accountId(5), ids.hoekje1, { user: 'admin' });
    expect(left).toMatchObject({ status: 'pending', rejectedItemIds: [ids.hoekje1] });
    expect(left.candidates.map((c) => c.itemId)).toEqual([ids.hoekje2]);
    const list = h.crm.list('Companies');
    const again = await h.engine.run('companies', { user: 'a', full: true });
    // One name-and-postcode match left is still not certain: a person decides, about that one only.
    const weak = (await h.engine.readLog(again.id)).find((e) => e.exactKey === accountId(5));
    expect(weak).toMatchObject({ action: 'conflict' });
    expect(renderReason(weak!.reason)).toBe('awaiting review: only a weak match on nameAndPostcode (confidence 0.7)');
    const pending = (await h.review.list('companies', 'pending')).find((r) => r.exactKey === accountId(5));
    expect(pending?.candidates.map((c) => c.itemId)).toEqual([ids.hoekje2]);
    expect(list.items.get(ids.hoekje1)?.values.ExactId).toBeUndefined();
    expect(again.counts.created).toBe(0);
    // The last candidate dismissed as well: the record is a company of its own.
    const h2 = memoryHarness();
    const ids2 = seedCrm(h2);
    await h2.engine.run('companies', { user: 'a' });
    await h2.review.dismiss('companies', accountId(5), ids2.hoekje1, { user: 'admin' });
    expect(await h2.review.dismiss('companies', accountId(5), ids2.hoekje2, { user: 'admin' })).toMatchObject({ status: 'rejected', candidates: [] });
    const size = h2.crm.list('Companies').items.size;
    expect((await h2.engine.run('companies', { user: 'a', full: true })).counts).toMatchObject({ created: 1 });
    expect(h2.crm.list('Companies').items.size).toBe(size + 1);
  });

  it('a confirmed decision links on the next run', async () => {
    const h = memoryHarness();
    const ids = seedCrm(h);
    await h.engine.run('companies', { user: 'a' });
    const profile = await storedProfile(h.profiles, 'companies');
    const answer = await h.review.confirm(profile, accountId(5), ids.hoekje2, { user: 'admin' });
    expect(answer).toEqual({ linked: false, message: 'Café Het Hoekje will be linked to item 5 on the next run' });
    const next = await h.engine.run('companies', { user: 'a' });
    expect(next.counts).toMatchObject({ updated: 1 });
    expect(h.crm.list('Companies').items.get(ids.hoekje2)?.values.ExactId).toBe(accountId(5));
    expect((await h.review.list('companies', 'pending')).map((p) => p.exactKey)).toEqual([accountId(8)]);
  });

  it('Import mode links with the key only', async () => {
    const h = memoryHarness();
    const ids = seedCrm(h);
    await changeProfile(h.profiles, 'companies', { mode: 'Import' });
    const preview = await h.engine.preview('companies');
    const entry = preview.entries.find((e) => e.itemId === ids.kvk);
    // The link is the key and the division it was made in.
    expect(entry?.changes).toEqual([{ field: 'ExactId', before: null, after: accountId(1) }, { field: 'ExactDivision', before: null, after: DIVISION }]);
  });
});
