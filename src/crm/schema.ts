import { DIVISION_FIELD } from '../sync/model';
import type { CrmFieldInfo } from '../sync/model';
import { runModeSchema, runStatusSchema } from '../sync/journal/records';

/**
 * The one declared schema of the CRM lists. Provisioning, conversion and the stores all derive
 * from this; the names are the agreed ones (see the project's CRM names brief) and other code
 * (default profiles, web parts) refers to them through `CRM_LISTS` rather than string literals.
 */

export const CRM_LISTS = {
  companies: 'Companies',
  contacts: 'Contacts',
  importProfiles: 'Import Profiles',
  syncRuns: 'Sync Runs',
  runLogs: 'Run Logs',
} as const;

export interface CrmFieldSchema extends CrmFieldInfo {
  indexed?: boolean;
  unique?: boolean;
  /** Fields every SharePoint list already has (Title); provisioning only checks they exist. */
  builtIn?: boolean;
  /** Multi-line text stored as plain text (rich text would wrap JSON in HTML). */
  plainText?: boolean;
}

export interface CrmListSchema {
  title: string;
  /** 'library' = document library (template 101); 'list' = generic list (template 100). */
  kind: 'list' | 'library';
  description: string;
  /** Internal name of the key column the engine matches on. */
  keyField?: string;
  fields: CrmFieldSchema[];
}

/** SharePoint's single line of text limit; also the default MaxLength of a new text column. */
export const TEXT_MAX_LENGTH = 255;

const text = (internalName: string, title: string, extra: Partial<CrmFieldSchema> = {}): CrmFieldSchema => ({
  internalName,
  title,
  type: 'text',
  maxLength: TEXT_MAX_LENGTH,
  ...extra,
});

const titleField = (title: string): CrmFieldSchema => ({
  internalName: 'Title',
  title,
  type: 'text',
  required: true,
  maxLength: TEXT_MAX_LENGTH,
  builtIn: true,
});

const key = (internalName: string, title: string): CrmFieldSchema =>
  text(internalName, title, { indexed: true, unique: true });

const count = (internalName: string, title: string): CrmFieldSchema => ({
  internalName,
  title,
  type: 'number',
  min: 0,
});

/**
 * The Exact administration (division) an item is linked in: a link is (division, Exact ID), and a
 * run of one division never reads, flags, updates or undoes an item of another. Indexed: runs
 * filter on it. Empty on items linked before divisions were recorded (they belong to the
 * connection's default division until a run records it).
 */
const division = (): CrmFieldSchema => ({ internalName: DIVISION_FIELD, title: 'Division', type: 'number', min: 0, indexed: true });

export const companiesList: CrmListSchema = {
  title: CRM_LISTS.companies,
  kind: 'list',
  description: 'CRM companies, linked to Exact Online accounts by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Company name'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Exact code'),
    text('KvkNumber', 'KvK number'),
    text('VatNumber', 'VAT number'),
    text('Email', 'Email'),
    text('Phone', 'Phone'),
    { internalName: 'Website', title: 'Website', type: 'url', maxLength: TEXT_MAX_LENGTH },
    text('AddressLine1', 'Address'),
    text('Postcode', 'Postcode'),
    text('City', 'City'),
    text('Country', 'Country'),
    {
      internalName: 'CustomerStatus',
      title: 'Customer status',
      type: 'choice',
      choices: ['Customer', 'Prospect', 'Suspect', 'None'],
    },
    { internalName: 'Blocked', title: 'Blocked', type: 'boolean' },
    { internalName: 'CustomerSince', title: 'Customer since', type: 'datetime' },
    { internalName: 'CreditLine', title: 'Credit line', type: 'currency' },
    { internalName: 'ExactModified', title: 'Modified in Exact', type: 'datetime' },
    { internalName: 'DeletedInExact', title: 'Deleted in Exact', type: 'boolean' },
    division(),
  ],
};

export const contactsList: CrmListSchema = {
  title: CRM_LISTS.contacts,
  kind: 'list',
  description: 'CRM contacts, linked to Exact Online contacts by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Full name'),
    text('FirstName', 'First name'),
    text('LastName', 'Last name'),
    text('Email', 'Email'),
    text('Phone', 'Phone'),
    text('Mobile', 'Mobile'),
    text('JobTitle', 'Job title'),
    { internalName: 'Company', title: 'Company', type: 'lookup', lookupList: CRM_LISTS.companies },
    key('ExactId', 'Exact ID'),
    text('ExactAccountId', 'Exact account ID'),
    { internalName: 'DeletedInExact', title: 'Deleted in Exact', type: 'boolean' },
    division(),
  ],
};

export const importProfilesList: CrmListSchema = {
  title: CRM_LISTS.importProfiles,
  kind: 'list',
  description: 'Saved import profiles (JSON definitions); their sync cursors are in the Run Logs library.',
  keyField: 'ProfileId',
  fields: [
    titleField('Profile name'),
    key('ProfileId', 'Profile ID'),
    { internalName: 'Definition', title: 'Definition', type: 'note', plainText: true },
  ],
};

export const syncRunsList: CrmListSchema = {
  title: CRM_LISTS.syncRuns,
  kind: 'list',
  description: 'One item per import run: counts, status and the full run record.',
  keyField: 'RunId',
  fields: [
    titleField('Run'),
    key('RunId', 'Run ID'),
    text('ProfileId', 'Profile ID'),
    { internalName: 'Mode', title: 'Mode', type: 'choice', choices: [...runModeSchema.options] },
    {
      internalName: 'Status',
      title: 'Status',
      type: 'choice',
      choices: [...runStatusSchema.options],
    },
    text('StartedBy', 'Started by'),
    { internalName: 'StartedAt', title: 'Started at', type: 'datetime' },
    { internalName: 'FinishedAt', title: 'Finished at', type: 'datetime' },
    count('CountRead', 'Read'),
    count('CountCreated', 'Created'),
    count('CountUpdated', 'Updated'),
    count('CountSkipped', 'Skipped'),
    count('CountConflicts', 'Conflicts'),
    count('CountFailed', 'Failed'),
    { internalName: 'Details', title: 'Details', type: 'note', plainText: true },
  ],
};

export const runLogsLibrary: CrmListSchema = {
  title: CRM_LISTS.runLogs,
  kind: 'library',
  description: 'Per-run log files (<runId>/log.json, <runId>/log.csv) and small JSON documents.',
  fields: [],
};

/** In provisioning order: lookup targets before the lists that point at them. */
export const crmSchema: readonly CrmListSchema[] = [
  companiesList,
  contactsList,
  importProfilesList,
  syncRunsList,
  runLogsLibrary,
];

export function findListSchema(title: string, schema: readonly CrmListSchema[] = crmSchema): CrmListSchema | undefined {
  const wanted = title.toLowerCase();
  return schema.find((list) => list.title.toLowerCase() === wanted);
}

/** The column builders, for the master-data lists declared beside this schema (masterSchema.ts). */
export const columns = { text, titleField, key, division };
