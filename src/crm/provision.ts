import { z } from 'zod';
import type { SPFI } from './pnp';
import { crmSchema, type CrmFieldSchema, type CrmListSchema } from './schema';
import { describeSharePointError, isNotFound } from './spErrors';
import { FIELD_ODATA_TYPE, crmTypeOf, sameGuid, siteFieldSchema, type SiteField } from './siteFields';

/**
 * Idempotent provisioning from the declared schema. Reads first and writes only what differs, so
 * a second run over a provisioned site sends nothing but GETs. `lists.ensure` is deliberately not
 * used: it MERGEs the list even when it exists, which would make every run a write.
 */

export interface ColumnChange {
  field: string;
  changes: string[];
}

export interface ListProvisionReport {
  title: string;
  id: string;
  created: boolean;
  fieldsCreated: string[];
  fieldsChanged: ColumnChange[];
  /** Differences provisioning cannot fix by itself (a column of another type, a lookup to another list). */
  problems: string[];
}

export interface ProvisionReport {
  lists: ListProvisionReport[];
  /** True when anything was created or changed. */
  changed: boolean;
  problems: string[];
}

const listInfoSchema = z.object({ Id: z.string(), Title: z.string() }).passthrough();

const DATE_TIME_FORMAT = 1;
const PEOPLE_ONLY = 0;
/** nl-NL: euro amounts, the currency of the Dutch/Belgian Exact divisions this connector serves. */
const CURRENCY_LOCALE_NL = 1043;

async function ensureList(sp: SPFI, list: CrmListSchema): Promise<{ id: string; created: boolean }> {
  try {
    const info = listInfoSchema.parse(await sp.web.lists.getByTitle(list.title).select('Id', 'Title')());
    return { id: info.Id, created: false };
  } catch (error) {
    if (!isNotFound(error)) {
      throw error;
    }
  }
  const template = list.kind === 'library' ? 101 : 100;
  const added = listInfoSchema.parse(await sp.web.lists.add(list.title, list.description, template, false));
  return { id: added.Id, created: true };
}

async function readField(sp: SPFI, listTitle: string, internalName: string): Promise<SiteField | undefined> {
  try {
    const raw: unknown = await sp.web.lists.getByTitle(listTitle).fields.getByInternalNameOrTitle(internalName)();
    return siteFieldSchema.parse(raw);
  } catch (error) {
    if (isNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}

async function addField(sp: SPFI, listTitle: string, field: CrmFieldSchema, listIds: Map<string, string>): Promise<unknown> {
  const fields = sp.web.lists.getByTitle(listTitle).fields;
  // Created under the internal name (SharePoint derives InternalName from the first Title), renamed after.
  const name = field.internalName;
  const common = {
    Required: field.required === true,
    Indexed: field.indexed === true,
    EnforceUniqueValues: field.unique === true,
  };
  switch (field.type) {
    case 'text':
      return fields.addText(name, { ...common, MaxLength: field.maxLength ?? 255 });
    case 'note':
      return fields.addMultilineText(name, {
        Required: common.Required,
        RichText: field.plainText !== true,
        AllowHyperlink: false,
        AppendOnly: false,
        NumberOfLines: 6,
      });
    case 'number':
      return fields.addNumber(name, { ...common, MinimumValue: field.min, MaximumValue: field.max });
    case 'currency':
      return fields.addCurrency(name, { ...common, MinimumValue: field.min, MaximumValue: field.max, CurrencyLocaleId: CURRENCY_LOCALE_NL });
    case 'boolean':
      return fields.addBoolean(name, common);
    case 'datetime':
      return fields.addDateTime(name, { ...common, DisplayFormat: DATE_TIME_FORMAT });
    case 'choice':
      return fields.addChoice(name, { ...common, Choices: field.choices ?? [] });
    case 'url':
      return fields.addUrl(name, common);
    case 'person':
      return fields.addUser(name, { ...common, SelectionMode: PEOPLE_ONLY });
    case 'lookup': {
      const targetId = field.lookupList === undefined ? undefined : listIds.get(field.lookupList);
      if (targetId === undefined) {
        throw new Error(`Lookup column ${listTitle}.${name}: target list "${field.lookupList ?? '?'}" is not provisioned`);
      }
      return fields.addLookup(name, { Required: common.Required, LookupListId: targetId, LookupFieldName: 'Title' });
    }
    default:
      throw new Error(`Column ${listTitle}.${name}: unsupported type`);
  }
}

/** Property changes that bring an existing column in line with the declaration (never loosening). */
function wantedChanges(field: CrmFieldSchema, site: SiteField, isNew: boolean): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (isNew && site.Title !== field.title) changes.Title = field.title;
  if (field.builtIn) return changes;
  if (field.indexed && site.Indexed !== true) changes.Indexed = true;
  if (field.unique && site.EnforceUniqueValues !== true) changes.EnforceUniqueValues = true;
  if (field.required && site.Required !== true) changes.Required = true;
  if (field.type === 'text' && typeof site.MaxLength === 'number' && site.MaxLength < (field.maxLength ?? 255)) {
    changes.MaxLength = field.maxLength ?? 255;
  }
  if (field.type === 'choice' && field.choices) {
    const present = site.Choices ?? [];
    const missing = field.choices.filter((c) => !present.includes(c));
    if (missing.length > 0) changes.Choices = [...present, ...missing];
  }
  return changes;
}

function describeChanges(changes: Record<string, unknown>): string[] {
  return Object.entries(changes).map(([key, value]) => `${key} -> ${Array.isArray(value) ? value.join('|') : String(value)}`);
}

async function ensureField(
  sp: SPFI,
  list: CrmListSchema,
  field: CrmFieldSchema,
  listIds: Map<string, string>,
  report: ListProvisionReport,
): Promise<void> {
  let site = await readField(sp, list.title, field.internalName);
  const isNew = site === undefined;
  if (site === undefined) {
    if (field.builtIn) {
      report.problems.push(`${list.title}.${field.internalName}: built-in column is missing`);
      return;
    }
    const added = siteFieldSchema.safeParse(await addField(sp, list.title, field, listIds));
    report.fieldsCreated.push(field.internalName);
    // A server that ignores creation properties shows it in its answer; re-read if the answer is thin.
    site = added.success ? added.data : await readField(sp, list.title, field.internalName);
    if (site === undefined) {
      report.problems.push(`${list.title}.${field.internalName}: created but not readable afterwards`);
      return;
    }
  }
  if (site.InternalName !== field.internalName) {
    // getByInternalNameOrTitle also matches display titles: this is someone else's column.
    report.problems.push(
      `${list.title}.${field.internalName}: a column titled "${site.Title}" has internal name ${site.InternalName}; rename it or remove it`,
    );
    return;
  }
  if (!field.builtIn && crmTypeOf(site) !== field.type) {
    report.problems.push(
      `${list.title}.${field.internalName}: exists as ${site.TypeAsString ?? `kind ${site.FieldTypeKind}`}, declared ${field.type}; not changed`,
    );
    return;
  }
  if (field.type === 'lookup' && field.lookupList !== undefined && !sameGuid(site.LookupList, listIds.get(field.lookupList))) {
    report.problems.push(
      `${list.title}.${field.internalName}: looks up list ${site.LookupList ?? '(none)'}, declared "${field.lookupList}" (${listIds.get(field.lookupList) ?? '?'})`,
    );
  }
  const changes = wantedChanges(field, site, isNew);
  if (Object.keys(changes).length === 0) {
    return;
  }
  await sp.web.lists
    .getByTitle(list.title)
    .fields.getByInternalNameOrTitle(field.internalName)
    .update(changes, FIELD_ODATA_TYPE[field.type]);
  const described = describeChanges(changes);
  // A rename right after creation is part of creating, not a change to report.
  const reported = isNew ? described.filter((c) => !c.startsWith('Title ->')) : described;
  if (reported.length > 0) {
    report.fieldsChanged.push({ field: field.internalName, changes: reported });
  }
}

/** Ensures every list of the schema and its columns; returns what it created or changed. */
export async function provisionCrm(sp: SPFI, schema: readonly CrmListSchema[] = crmSchema): Promise<ProvisionReport> {
  const listIds = new Map<string, string>();
  const lists: ListProvisionReport[] = [];
  for (const list of schema) {
    const { id, created } = await ensureList(sp, list);
    listIds.set(list.title, id);
    const report: ListProvisionReport = { title: list.title, id, created, fieldsCreated: [], fieldsChanged: [], problems: [] };
    for (const field of list.fields) {
      try {
        await ensureField(sp, list, field, listIds, report);
      } catch (error) {
        const failure = await describeSharePointError(error);
        report.problems.push(`${list.title}.${field.internalName}: ${failure.message}`);
      }
    }
    lists.push(report);
  }
  return {
    lists,
    changed: lists.some((l) => l.created || l.fieldsCreated.length > 0 || l.fieldsChanged.length > 0),
    problems: lists.flatMap((l) => l.problems),
  };
}
