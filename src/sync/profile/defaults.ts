import { parseProfile } from './profile';
import type { Profile } from './profile';

/** Profiles that ship with the product, on the agreed CRM lists "Companies" and "Contacts". */

export const COMPANIES_PROFILE_ID = 'companies';

/** The language a site's shipped profiles are named in: a Dutch site gets Dutch names. */
export type ProfileLanguage = 'en' | 'nl';
export const profileLanguage = (locale: string): ProfileLanguage => (/^nl/i.test(locale) ? 'nl' : 'en');

const TITLES: Record<ProfileLanguage, { companies: string; contacts: string }> = {
  en: { companies: 'Companies from Exact accounts', contacts: 'Contacts from Exact contacts' },
  nl: { companies: 'Bedrijven uit Exact-relaties', contacts: 'Contactpersonen uit Exact' },
};
export const CONTACTS_PROFILE_ID = 'contacts';

/**
 * The shipped profiles for a division. The connection's default division gets the plain ids
 * (`companies`, `contacts`); another division's get the division in id and title, so both
 * administrations have their own profiles (and their own cursor and state) on the same lists.
 */
export function defaultProfiles(division: number, other?: { divisionName: string }, language: ProfileLanguage = 'en'): Profile[] {
  const idOf = (id: string) => (other ? `${id}-${division}` : id);
  const titleOf = (key: keyof typeof TITLES.en) => (other ? `${TITLES[language][key]} (${other.divisionName || division})` : TITLES[language][key]);
  const companies = parseProfile({
    id: idOf(COMPANIES_PROFILE_ID),
    title: titleOf('companies'),
    division,
    source: { entity: 'Account' },
    targetList: 'Companies',
    key: { crmField: 'ExactId', exactField: 'ID' },
    mode: 'ImportAndUpdate',
    mappings: [
      { target: 'Title', transform: { kind: 'trim', source: 'Name' } },
      { target: 'ExactCode', transform: { kind: 'trim', source: 'Code' } },
      { target: 'KvkNumber', transform: { kind: 'trim', source: 'ChamberOfCommerce' } },
      { target: 'VatNumber', transform: { kind: 'upper', source: 'VATNumber' } },
      { target: 'Email', transform: { kind: 'lower', source: 'Email' }, keepCrmEdits: true },
      { target: 'Phone', transform: { kind: 'trim', source: 'Phone' }, keepCrmEdits: true },
      { target: 'Website', transform: { kind: 'url', source: 'Website' } },
      { target: 'AddressLine1', transform: { kind: 'trim', source: 'AddressLine1' } },
      { target: 'Postcode', transform: { kind: 'upper', source: 'Postcode' } },
      { target: 'City', transform: { kind: 'trim', source: 'City' } },
      { target: 'Country', transform: { kind: 'upper', source: 'Country' } },
      {
        target: 'CustomerStatus',
        transform: { kind: 'valueMap', source: 'Status', map: { C: 'Customer', P: 'Prospect', S: 'Suspect', A: 'None' }, default: 'None' },
      },
      { target: 'Blocked', transform: { kind: 'copy', source: 'Blocked' } },
      // Exact marks Account.CustomerSince obsolete; StartDate is the date the relation began.
      { target: 'CustomerSince', transform: { kind: 'date', source: 'StartDate' } },
      { target: 'CreditLine', transform: { kind: 'currency', source: 'CreditLineSales' } },
      { target: 'ExactModified', transform: { kind: 'date', source: 'Modified' } },
    ],
    matching: [
      { signal: 'code', exact: ['Code'], crm: ['ExactCode'] },
      { signal: 'kvk', exact: ['ChamberOfCommerce'], crm: ['KvkNumber'] },
      { signal: 'vat', exact: ['VATNumber'], crm: ['VatNumber'] },
      { signal: 'emailDomainAndName', exact: ['Email', 'Name'], crm: ['Email', 'Title'] },
      { signal: 'nameAndPostcode', exact: ['Name', 'Postcode'], crm: ['Title', 'Postcode'] },
    ],
    deletedFlagField: 'DeletedInExact',
  });
  const contacts = parseProfile({
    id: idOf(CONTACTS_PROFILE_ID),
    title: titleOf('contacts'),
    division,
    source: { entity: 'Contact' },
    targetList: 'Contacts',
    key: { crmField: 'ExactId', exactField: 'ID' },
    mode: 'ImportAndUpdate',
    mappings: [
      { target: 'Title', transform: { kind: 'concat', sources: ['FirstName', 'MiddleName', 'LastName'], separator: ' ' } },
      { target: 'FirstName', transform: { kind: 'trim', source: 'FirstName' } },
      { target: 'LastName', transform: { kind: 'concat', sources: ['MiddleName', 'LastName'], separator: ' ' } },
      { target: 'Email', transform: { kind: 'lower', source: 'Email' }, keepCrmEdits: true },
      { target: 'Phone', transform: { kind: 'trim', source: 'Phone' }, keepCrmEdits: true },
      { target: 'Mobile', transform: { kind: 'trim', source: 'Mobile' }, keepCrmEdits: true },
      { target: 'JobTitle', transform: { kind: 'trim', source: 'JobTitleDescription' } },
      { target: 'Company', transform: { kind: 'lookup', source: 'Account', list: 'Companies', keyField: 'ExactId', onMissing: 'error' } },
      { target: 'ExactAccountId', transform: { kind: 'lower', source: 'Account' } },
    ],
    deletedFlagField: 'DeletedInExact',
  });
  return [companies, contacts];
}
