/**
 * The editor's automatic mapping: each CRM column gets the Exact field that is the same thing, by
 * name, by Exact's English or Dutch caption, and only where the types fit; the key pair is
 * suggested from the list's columns. Over the real Exact catalog and the real CRM list schemas.
 */
import { describe, expect, it } from 'vitest';
import { exactCatalog } from '../../src/exact/catalog';
import { companiesList, contactsList } from '../../src/crm/schema';
import { paymentConditionsList } from '../../src/crm/masterSchema';
import type { CrmFieldInfo } from '../../src/sync';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { draftFromData, newDraft } from '../../src/webparts/importProfiles/components/editor/draft';
import { suggestKey, suggestMappings, typesFit } from '../../src/webparts/importProfiles/components/editor/suggest';

const account = exactCatalog.Account.info;
const contact = exactCatalog.Contact.info;
const suggested = (entity: typeof account, list: string, columns: CrmFieldInfo[]) =>
  new Map(suggestMappings({ draft: { ...newDraft(1), entity: entity.name, targetList: list, keyCrmField: 'ExactId', keyExactField: 'ID' }, entity, columns }).map((s) => [s.mapping.target, s] as const));

describe('automatic mapping', () => {
  it('maps the Companies list from Accounts as the shipped profile does, by name and by caption', () => {
    const s = suggested(account, 'Companies', companiesList.fields);
    const shipped = draftFromData(defaultProfiles(1)[0]);
    // Every column the shipped profile maps from one field is suggested with the shipped transform.
    for (const m of shipped.mappings.filter((x) => x.sources.length === 1)) expect(s.get(m.target)?.mapping, m.target).toEqual(m);
    expect(s.get('KvkNumber')?.by).toBe('caption');
    expect(s.get('Email')?.by).toBe('name');
    // Not the key, not the division column, not what Exact has nothing for.
    expect([...s.keys()].filter((t) => ['ExactId', 'ExactDivision', 'DeletedInExact'].includes(t))).toEqual([]);
  });

  it('maps Contacts from Contacts, and never puts Exact’s salutation (Contact.Title) in SharePoint’s Title column', () => {
    const s = suggested(contact, 'Contacts', contactsList.fields);
    expect(s.get('Title')?.field.name).toBe('FullName');
    expect(s.get('JobTitle')?.field.name).toBe('JobTitleDescription');
    expect(s.get('Company')?.mapping).toMatchObject({ kind: 'lookup', sources: ['Account'], lookupList: 'Companies', lookupKeyField: 'ExactId' });
    const untitled = suggested(contact, 'Contacts', contactsList.fields.map((f) => (f.internalName === 'Title' ? { ...f, title: 'Title' } : f)));
    expect(untitled.get('Title')?.field.name).not.toBe('Title');
  });

  it('matches Dutch column names by Exact’s Dutch captions, and leaves a column whose types do not fit', () => {
    const columns: CrmFieldInfo[] = [
      { internalName: 'Plaats', title: 'Plaats', type: 'text' },
      { internalName: 'KvK', title: 'KvK-nummer', type: 'text' },
      { internalName: 'Kredietlimiet', title: 'Kredietlimiet', type: 'currency' },
      { internalName: 'Naam', title: 'Naam', type: 'number' },
    ];
    const s = suggested(account, 'Klanten', columns);
    expect(s.get('Plaats')?.field.name).toBe('City');
    expect(s.get('KvK')?.field.name).toBe('ChamberOfCommerce');
    expect(s.get('Kredietlimiet')?.mapping).toMatchObject({ kind: 'currency', sources: ['CreditLineSales'] });
    expect(s.has('Naam')).toBe(false);
    expect(typesFit('string', 'number')).toBe(false);
    expect(typesFit('guid', 'lookup')).toBe(true);
  });

  it('leaves a choice column without a known value map: Exact’s codes (C, P, S) are not its choices', () => {
    const columns: CrmFieldInfo[] = [{ internalName: 'Klantstatus', title: 'Klantstatus', type: 'choice', choices: ['Klant', 'Prospect', 'Leverancier'] }];
    expect(suggested(account, 'Klanten', columns).has('Klantstatus')).toBe(false);
    // The Companies list's status column has the shipped profile's value map: that one is offered.
    expect(suggested(account, 'Companies', companiesList.fields).get('CustomerStatus')?.mapping.kind).toBe('valueMap');
    // So does a master-data list's: Exact's payment method codes (B, I, K) through the shipped map.
    expect(suggested(exactCatalog.PaymentCondition.info, 'Payment Conditions', paymentConditionsList.fields).get('PaymentMethod')?.mapping).toMatchObject({ kind: 'valueMap', sources: ['PaymentMethod'] });
  });

  it('offers nothing for a column that is mapped already', () => {
    const draft = { ...draftFromData(defaultProfiles(1)[0]) };
    expect(suggestMappings({ draft, entity: account, columns: companiesList.fields })).toEqual([]);
  });

  it('suggests the key: the entity’s own, kept in the list’s Exact ID text column', () => {
    expect(suggestKey(contact, contactsList.fields)).toEqual({ exactField: 'ID', crmField: 'ExactId' });
    expect(suggestKey(account, [{ internalName: 'Title', title: 'Naam', type: 'text' }])).toEqual({ exactField: 'ID', crmField: undefined });
  });
});
