import { z } from 'zod';
import { validateFilter } from './filter';
import { formatZodIssues, zodIssues } from './issues';
import type { Issue } from './issues';
import type { CrmFieldInfo, ExactEntityInfo } from '../model';

/** The one definition of an import profile; the UI, the stores and the engine derive from it. */

export const modeSchema = z.enum(['Import', 'ImportAndUpdate', 'Update']);
export type SyncMode = z.infer<typeof modeSchema>;

const fieldName = z.string().min(1).max(100);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const transformSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('copy'), source: fieldName }),
  z.object({ kind: z.literal('trim'), source: fieldName }),
  z.object({ kind: z.literal('upper'), source: fieldName }),
  z.object({ kind: z.literal('lower'), source: fieldName }),
  /** `format` is a date-fns pattern (text columns); without it an ISO date-time (date columns). */
  z.object({ kind: z.literal('date'), source: fieldName, format: z.string().min(1).max(40).optional() }),
  z.object({ kind: z.literal('number'), source: fieldName, decimals: z.number().int().min(0).max(10).optional() }),
  z.object({ kind: z.literal('currency'), source: fieldName }),
  /** Exact keeps websites as typed (`www.bakkerij.nl`); SharePoint URL columns need a scheme. */
  z.object({ kind: z.literal('url'), source: fieldName }),
  z.object({
    kind: z.literal('valueMap'),
    source: fieldName,
    map: z.record(z.string(), scalar),
    /** Used for values not in the map; without it such a value is a problem for the record. */
    default: scalar.optional(),
  }),
  z.object({ kind: z.literal('constant'), value: scalar }),
  z.object({
    kind: z.literal('concat'),
    sources: z.array(fieldName).min(1),
    separator: z.string().max(10).default(' '),
  }),
  /** Exact value -> the item of `list` whose `keyField` equals it -> that item's id (a lookup column). */
  z.object({
    kind: z.literal('lookup'),
    source: fieldName,
    list: z.string().min(1),
    keyField: fieldName,
    /** `empty` writes no link when no item matches (yet); `error` reports the record. */
    onMissing: z.enum(['empty', 'error']).default('error'),
  }),
]);
export type Transform = z.infer<typeof transformSchema>;

export const mappingSchema = z.object({
  target: fieldName,
  transform: transformSchema,
  /** Do not overwrite a CRM value that was changed in the CRM since a run last wrote it. */
  keepCrmEdits: z.boolean().default(false),
});
export type FieldMapping = z.infer<typeof mappingSchema>;

export const matchRuleSchema = z.object({
  signal: z.enum(['exactId', 'code', 'kvk', 'vat', 'emailDomainAndName', 'nameAndPostcode']),
  /** Exact fields the signal reads: one, or two for the combined signals (domain+name, name+postcode). */
  exact: z.array(fieldName).min(1).max(2),
  crm: z.array(fieldName).min(1).max(2),
});
export type MatchRule = z.infer<typeof matchRuleSchema>;

export const profileSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
  title: z.string().min(1).max(255),
  division: z.number().int().positive(),
  source: z.object({
    entity: z.string().min(1),
    filter: z.string().max(255).optional(),
  }),
  targetList: z.string().min(1),
  key: z.object({ crmField: fieldName, exactField: fieldName }),
  mappings: z.array(mappingSchema).min(1),
  mode: modeSchema,
  /** Cascade for Exact records whose key is not in the CRM yet; empty = no linking. */
  matching: z.array(matchRuleSchema).default([]),
  /** Matches below this confidence go to the review list instead of being linked. */
  autoLinkConfidence: z.number().min(0).max(1).default(0.9),
  /** Boolean column set to true on items whose Exact record was deleted; unset = report only. */
  deletedFlagField: fieldName.optional(),
  batchSize: z.number().int().min(1).max(1000).default(100),
});
export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

/** Where in the profile (`mappings[3].transform.source`; empty for the profile as a whole) and what. */
export type ProfileProblem = Issue;

export class ProfileError extends Error {
  public readonly problems: ProfileProblem[];
  public constructor(title: string, problems: ProfileProblem[]) {
    super(formatZodIssues(problems, { record: `Profile "${title}" cannot run` }));
    this.name = 'ProfileError';
    this.problems = problems;
  }
}

/** Parses untrusted JSON (stored document, editor input); a bad profile is a ProfileError. */
export function parseProfile(input: unknown): Profile {
  const result = profileSchema.safeParse(input);
  if (result.success) return result.data;
  const title = typeof input === 'object' && input !== null && 'title' in input ? String((input as { title: unknown }).title) : '(untitled)';
  throw new ProfileError(title, zodIssues(result.error));
}

export function transformSources(transform: Transform): string[] {
  switch (transform.kind) {
    case 'constant':
      return [];
    case 'concat':
      return transform.sources;
    default:
      return [transform.source];
  }
}

export interface ProfileCheck {
  /** Problems that make the profile unusable (key, entity, list, filter). */
  fatal: ProfileProblem[];
  /** Mappings that cannot work; the run leaves them out and reports them. */
  mappings: Array<ProfileProblem & { index: number }>;
}

/**
 * Checks a profile against the Exact catalog and the target list. Lookup lists are checked
 * by the engine when it opens them.
 */
export function checkProfile(
  profile: Profile,
  entity: ExactEntityInfo | undefined,
  listFields: CrmFieldInfo[] | undefined,
): ProfileCheck {
  const fatal: ProfileProblem[] = [];
  const mappings: ProfileCheck['mappings'] = [];
  if (!entity) {
    fatal.push({ path: 'source.entity', message: `Exact entity "${profile.source.entity}" is not in the catalog`, code: 'unknownEntity', args: [profile.source.entity] });
  }
  if (!listFields) {
    fatal.push({ path: 'targetList', message: `CRM list "${profile.targetList}" does not exist`, code: 'listMissing', args: [profile.targetList] });
  }
  if (!entity || !listFields) return { fatal, mappings };
  const exactFields = new Set(entity.fields.map((f) => f.name));
  const crmByName = new Map(listFields.map((f) => [f.internalName, f] as const));
  if (!exactFields.has(profile.key.exactField)) {
    fatal.push({ path: 'key.exactField', message: `field "${profile.key.exactField}" does not exist in Exact entity ${entity.name}`, code: 'unknownField', args: [profile.key.exactField, entity.name] });
  }
  const keyColumn = crmByName.get(profile.key.crmField);
  if (!keyColumn) {
    fatal.push({ path: 'key.crmField', message: `column "${profile.key.crmField}" does not exist in list ${profile.targetList}`, code: 'unknownColumn', args: [profile.key.crmField, profile.targetList] });
  } else if (keyColumn.type !== 'text') {
    fatal.push({ path: 'key.crmField', message: `column "${profile.key.crmField}" must be a text column to hold the key`, code: 'keyNotText', args: [profile.key.crmField] });
  }
  if (profile.source.filter) {
    for (const message of validateFilter(profile.source.filter, entity)) fatal.push({ path: 'source.filter', message, code: 'filter', args: [message] });
  }
  if (profile.deletedFlagField) {
    const column = crmByName.get(profile.deletedFlagField);
    if (!column || column.type !== 'boolean') {
      fatal.push({ path: 'deletedFlagField', message: `"${profile.deletedFlagField}" is not a yes/no column of ${profile.targetList}`, code: 'notYesNoColumn', args: [profile.deletedFlagField, profile.targetList] });
    }
  }
  profile.matching.forEach((rule, i) => {
    for (const f of rule.exact) {
      if (!exactFields.has(f)) fatal.push({ path: `matching[${i}].exact`, message: `field "${f}" does not exist in Exact entity ${entity.name}`, code: 'unknownField', args: [f, entity.name] });
    }
    for (const f of rule.crm) {
      if (!crmByName.has(f)) fatal.push({ path: `matching[${i}].crm`, message: `column "${f}" does not exist in list ${profile.targetList}`, code: 'unknownColumn', args: [f, profile.targetList] });
    }
  });
  const seenTargets = new Set<string>();
  profile.mappings.forEach((mapping, index) => {
    const column = crmByName.get(mapping.target);
    if (!column) {
      mappings.push({ index, path: `mappings[${index}].target`, message: `column "${mapping.target}" does not exist in list ${profile.targetList}`, code: 'unknownColumn', args: [mapping.target, profile.targetList] });
    } else if (column.readOnly) {
      mappings.push({ index, path: `mappings[${index}].target`, message: `column "${mapping.target}" is read-only`, code: 'readOnlyColumn', args: [mapping.target] });
    } else if (mapping.target === profile.key.crmField) {
      mappings.push({ index, path: `mappings[${index}].target`, message: `column "${mapping.target}" is the key; the engine writes it`, code: 'keyColumnMapped', args: [mapping.target] });
    } else if (seenTargets.has(mapping.target)) {
      mappings.push({ index, path: `mappings[${index}].target`, message: `column "${mapping.target}" is mapped twice`, code: 'mappedTwice', args: [mapping.target] });
    }
    seenTargets.add(mapping.target);
    for (const source of transformSources(mapping.transform)) {
      if (!exactFields.has(source)) {
        mappings.push({ index, path: `mappings[${index}].transform`, message: `field "${source}" does not exist in Exact entity ${entity.name}`, code: 'unknownField', args: [source, entity.name] });
      }
    }
    if (mapping.transform.kind === 'lookup' && column && column.type !== 'lookup') {
      mappings.push({ index, path: `mappings[${index}].transform`, message: `column "${mapping.target}" is not a lookup column`, code: 'notLookupColumn', args: ['', '', mapping.target] });
    }
  });
  return { fatal, mappings };
}
