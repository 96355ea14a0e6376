import { describe, expect, it } from 'vitest';
import { masterSchema } from '../../src/crm/masterSchema';
import { withLookupTargets } from '../../src/crm/masterProvision';
import { crmSchema, findListSchema } from '../../src/crm/schema';
import { entityInfo } from '../../src/exact/catalog';
import { importableEntities } from '../../src/exact/catalog';
import { masterDefaultProfile, masterSources } from '../../src/sync/profile/masterDefaults';
import { checkProfile } from '../../src/sync/profile/profile';

/** Each master-data source's shipped profile fits its Exact entity and the list declared for it. */
describe('master-data default profiles', () => {
  for (const source of masterSources) {
    it(`${source.id}: ${source.entity} → ${source.targetList} passes the profile check without a problem`, () => {
      const profile = masterDefaultProfile(source.id, 2950001);
      const list = findListSchema(profile.targetList, [...crmSchema, ...masterSchema]);
      expect(list, profile.targetList).toBeDefined();
      const check = checkProfile(profile, entityInfo(profile.source.entity), list?.fields);
      expect(check.fatal).toEqual([]);
      expect(check.mappings).toEqual([]);
      expect(importableEntities).toContain(profile.source.entity);
      for (const m of profile.mappings) {
        if (m.transform.kind !== 'lookup') continue;
        const target = findListSchema(m.transform.list, [...crmSchema, ...masterSchema]);
        expect(target?.fields.some((f) => f.internalName === (m.transform as { keyField: string }).keyField), `${m.target} looks up ${m.transform.list}`).toBe(true);
      }
    });
  }

  it('another division gets its own id and title; the default division the plain ones', () => {
    expect(masterDefaultProfile('items', 2950001).id).toBe('items');
    const be = masterDefaultProfile('items', 2950002, { divisionName: 'Peeters & Zonen BV' });
    expect(be).toMatchObject({ id: 'items-2950002', title: 'Items from Exact (Peeters & Zonen BV)', division: 2950002 });
  });

  it('provisioning a list brings the lists its lookups need first', () => {
    expect(withLookupTargets('Items').map((l) => l.title)).toEqual(['VAT Codes', 'Items']);
    expect(withLookupTargets('Projects').map((l) => l.title)).toEqual(['Companies', 'Projects']);
    expect(withLookupTargets('Bank Accounts').map((l) => l.title)).toEqual(['Suppliers', 'Companies', 'Bank Accounts']);
    expect(withLookupTargets('Sales Order Lines').map((l) => l.title)).toEqual(['Companies', 'Sales Orders', 'Sales Order Lines']);
  });

  it('role-gated employee fields are marked restricted in the catalog, the rest are not', () => {
    const employee = entityInfo('Employee');
    expect(employee?.fields.filter((f) => f.restricted).map((f) => f.name).sort()).toEqual(['BirthDate', 'BirthPlace', 'Nationality', 'PrivateEmail', 'SocialSecurityNumber']);
  });
});
