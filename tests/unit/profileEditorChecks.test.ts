import { describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync';
import type { ProfileEntry } from '../../src/sync';
import { companiesList, contactsList } from '../../src/crm/schema';
import { entityInfo } from '../../src/exact/catalog';
import { draftFromEntry, emptyMapping, type ProfileDraft } from '../../src/webparts/importProfiles/components/editor/draft';
import { localChecks, problemsAt } from '../../src/webparts/importProfiles/components/editor/localChecks';

const entry = (id: string): ProfileEntry => {
  const profile = defaultProfiles(1).find((p) => p.id === id)!;
  return { valid: true, id, title: profile.title, etag: '"1"', profile };
};
const companies = (): ProfileDraft => draftFromEntry(entry('companies'));
const ctx = { entity: entityInfo('Account'), columns: companiesList.fields };
const codes = (draft: ProfileDraft, context = ctx) => localChecks(draft, context).map((p) => [p.path, p.code, ...p.args]);

describe('profile editor local checks', () => {
  it('finds nothing in the shipped profiles', () => {
    expect(codes(companies())).toEqual([]);
    expect(codes(draftFromEntry(entry('contacts')), { entity: entityInfo('Contact'), columns: contactsList.fields })).toEqual([]);
  });

  it('rejects a text field mapped into a number column, and accepts the number transform', () => {
    const draft = companies();
    const i = draft.mappings.findIndex((m) => m.target === 'CreditLine');
    draft.mappings[i] = { ...draft.mappings[i]!, kind: 'copy', sources: ['Name'] };
    expect(codes(draft)).toEqual([[`mappings[${i}].transform`, 'textIntoNumber', 'Name', 'string', 'CreditLine', 'currency']]);
    draft.mappings[i] = { ...draft.mappings[i]!, kind: 'number', sources: ['Name'] };
    expect(codes(draft)).toEqual([]);
  });

  it('names a value longer than the column allows', () => {
    // Exact's Account.Code takes 18 characters; a 10-character column cannot hold every code.
    const narrow = { ...ctx, columns: ctx.columns.map((c) => (c.internalName === 'ExactCode' ? { ...c, maxLength: 10 } : c)) };
    expect(codes(companies(), narrow)).toEqual([['mappings[1].transform', 'tooLong', 'Code', '18', 'ExactCode', '10']]);
    const constant = companies();
    const city = constant.mappings.findIndex((m) => m.target === 'City');
    constant.mappings[city] = { ...emptyMapping('City'), kind: 'constant', sources: [], value: 'x'.repeat(300) };
    expect(codes(constant)).toEqual([[`mappings[${city}].transform`, 'tooLong', 'x'.repeat(300), '300', 'City', '255']]);
  });

  it('names a choice value the column does not have', () => {
    const draft = companies();
    const i = draft.mappings.findIndex((m) => m.target === 'CustomerStatus');
    draft.mappings[i] = { ...draft.mappings[i]!, valueMap: 'C = Customer\nP = Prospekt' };
    expect(codes(draft)).toEqual([[`mappings[${i}].transform`, 'unknownChoice', 'Prospekt', 'CustomerStatus', 'Customer, Prospect, Suspect, None']]);
  });

  it('names unknown fields and columns, the key and doubles', () => {
    const draft = companies();
    draft.mappings[1] = { ...draft.mappings[1]!, sources: ['Kode'] };
    draft.mappings.push(emptyMapping('Nope'));
    draft.mappings.push({ ...emptyMapping('City'), sources: ['City'] });
    draft.keyExactField = 'Name';
    const found = codes(draft);
    expect(found).toContainEqual(['mappings[1].transform.source', 'unknownField', 'Kode', 'Account']);
    expect(found).toContainEqual([`mappings[${draft.mappings.length - 2}].target`, 'unknownColumn', 'Nope', 'Companies']);
    expect(found).toContainEqual([`mappings[${draft.mappings.length - 1}].target`, 'mappedTwice', 'City']);
    expect(found).toContainEqual(['key.exactField', 'keyNotUnique', 'Name', 'ID, Code']);
  });

  it('requires a text key column, a lookup for lookup columns, and two fields for paired signals', () => {
    const draft = companies();
    draft.keyCrmField = 'Blocked';
    const rule = draft.matching.findIndex((r) => r.signal === 'nameAndPostcode');
    draft.matching[rule] = { ...draft.matching[rule]!, exact: ['Name'] };
    const found = codes(draft);
    expect(found).toContainEqual(['key.crmField', 'keyNotText', 'Blocked']);
    expect(found).toContainEqual(['matching[4]', 'matchFieldCount', 'nameAndPostcode', '2']);
    const contacts = draftFromEntry(entry('contacts'));
    const company = contacts.mappings.findIndex((m) => m.target === 'Company');
    contacts.mappings[company] = { ...contacts.mappings[company]!, kind: 'copy' };
    expect(codes(contacts, { entity: entityInfo('Contact'), columns: contactsList.fields })).toEqual([[`mappings[${company}].transform`, 'lookupNeeded', 'Account', 'guid', 'Company', 'lookup']]);
  });

  it('passes on what Exact would refuse in the filter', () => {
    const draft = companies();
    draft.filter = "Town eq 'Delft'";
    expect(codes(draft)).toEqual([['source.filter', 'filter_unknownField', 'Town', 'Account', '1']]);
  });

  it('asks for the basics of a new profile and finds problems under a path', () => {
    const problems = localChecks({ ...companies(), title: ' ', division: undefined, entity: '', mappings: [] }, {});
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['title', 'division', 'source.entity', 'mappings']));
    expect(problemsAt([{ path: 'mappings[1].target' }, { path: 'mappings[10].target' }, { path: 'mappings[1]' }], 'mappings[1]')).toHaveLength(2);
  });
});
