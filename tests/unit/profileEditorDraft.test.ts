import { describe, expect, it } from 'vitest';
import { defaultProfiles, parseProfile } from '../../src/sync';
import type { InvalidProfileEntry } from '../../src/sync';
import {
  companyLinkFor,
  draftFromEntry,
  formatScalar,
  newDraft,
  parseScalar,
  parseValueMap,
  shippedKeyColumn,
  toProfileInput,
  valueMapProblems,
} from '../../src/webparts/importProfiles/components/editor/draft';

describe('profile editor draft', () => {
  it('turns each shipped profile into a draft and back without losing anything', () => {
    for (const profile of defaultProfiles(3)) {
      const draft = draftFromEntry({ valid: true, id: profile.id, title: profile.title, etag: '"1"', profile });
      expect(parseProfile(toProfileInput(draft))).toEqual(profile);
    }
  });

  it('keeps every transform kind and its options through the round trip', () => {
    const profile = parseProfile({
      id: 'all-kinds',
      title: 'All kinds',
      division: 7,
      source: { entity: 'Account', filter: "City eq 'Delft'" },
      targetList: 'Companies',
      key: { crmField: 'ExactId', exactField: 'ID' },
      mode: 'Update',
      mappings: [
        { target: 'A', transform: { kind: 'date', source: 'Modified', format: 'dd-MM-yyyy' } },
        { target: 'B', transform: { kind: 'number', source: 'CreditLineSales', decimals: 2 } },
        { target: 'C', transform: { kind: 'valueMap', source: 'Status', map: { C: 'Customer', N: 1, T: true, Z: null, Q: '1' }, default: 'None' } },
        { target: 'D', transform: { kind: 'constant', value: 42 } },
        { target: 'E', transform: { kind: 'constant', value: 'true' } },
        { target: 'F', transform: { kind: 'concat', sources: ['Name', 'City'], separator: ', ' } },
        { target: 'G', transform: { kind: 'lookup', source: 'Account', list: 'Companies', keyField: 'ExactId', onMissing: 'empty' } },
        { target: 'H', transform: { kind: 'currency', source: 'CreditLineSales' }, keepCrmEdits: true },
      ],
      matching: [{ signal: 'nameAndPostcode', exact: ['Name', 'Postcode'], crm: ['Title', 'Postcode'] }],
      autoLinkConfidence: 0.8,
      batchSize: 50,
    });
    const draft = draftFromEntry({ valid: true, id: profile.id, title: profile.title, etag: '"2"', profile });
    expect(draft.matching.filter((r) => r.enabled).map((r) => r.signal)).toEqual(['nameAndPostcode']);
    expect(draft.matching).toHaveLength(6);
    expect(parseProfile(toProfileInput(draft))).toEqual(profile);
  });

  it('opens a stored profile that no longer fits the schema from its stored text', () => {
    const entry: InvalidProfileEntry = {
      valid: false,
      id: 'broken',
      title: 'Broken one',
      etag: '"5"',
      issues: [{ path: 'mappings', message: 'Required' }],
      message: 'Profile "Broken one": field mappings: Required',
      definition: JSON.stringify({ id: 'broken', division: 'x', source: { entity: 'Account' }, targetList: 'Companies', mode: 'Sideways' }),
    };
    const draft = draftFromEntry(entry);
    expect(draft).toMatchObject({ id: 'broken', title: 'Broken one', division: undefined, entity: 'Account', targetList: 'Companies', mode: 'ImportAndUpdate', mappings: [] });
    expect(draftFromEntry({ ...entry, definition: '{not json' })).toMatchObject({ id: 'broken', title: 'Broken one', entity: '' });
  });

  it('writes scalars so that they read back as the same type', () => {
    for (const value of ['Customer', '1', 'true', 'null', '"quoted"', 1, 2.5, true, false, null]) {
      expect(parseScalar(formatScalar(value))).toEqual(value);
    }
    expect(formatScalar('Customer')).toBe('Customer');
    expect(formatScalar('1')).toBe('"1"');
  });

  it('reads a value map line by line and names the lines it cannot read', () => {
    expect(parseValueMap('C = Customer\nP=Prospect\n\nN = 3')).toEqual({ C: 'Customer', P: 'Prospect', N: 3 });
    expect(valueMapProblems('C = Customer\nno equals sign\n = empty key\n')).toEqual([2, 3]);
  });

  it('leaves empty optional parts out of the profile input', () => {
    const input = toProfileInput({ ...newDraft(5), title: '  Klanten  ' }) as unknown as Record<string, unknown>;
    expect(input).toMatchObject({ title: 'Klanten', division: 5, source: { entity: '' }, matching: [] });
    expect(input).not.toHaveProperty('deletedFlagField');
  });

  it('links contacts to companies on the key the companies profile writes', () => {
    const companies = defaultProfiles(1).find((p) => p.targetList === 'Companies');
    expect(companyLinkFor('Companies')).toEqual({ list: 'Companies', keyField: companies?.key.crmField });
  });
});

describe('profile editor starting values', () => {
  it('starts a new profile on a list with the key column its shipped profile uses', () => {
    expect(shippedKeyColumn('Contacts')).toBe(defaultProfiles(1).find((p) => p.targetList === 'Contacts')?.key.crmField);
    expect(shippedKeyColumn('Elsewhere')).toBe('');
  });
});
