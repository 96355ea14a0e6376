import { lookupIndexName } from '../plan/mapping';
import type { LookupIndex } from '../plan/mapping';
import { DIVISION_FIELD, hasDivision, LABEL_FIELDS, normalizeKey, unique } from '../model';
import type { CrmItem, ExactEntityInfo } from '../model';
import { checkProfile, ProfileError, transformSources } from '../profile/profile';
import type { FieldMapping, Profile, ProfileProblem } from '../profile/profile';
import { ListNotFoundError } from '../ports';
import type { CrmList, CrmTarget, ExactReadRequest, ExactRecordSource } from '../ports';

/** Step 1 of a run: the profile checked against Exact's catalog and the CRM list, and what it reads. */

/** A profile with its entity, its list and the mappings that passed the check. */
export interface PreparedProfile {
  profile: Profile;
  entity: ExactEntityInfo;
  list: CrmList;
  mappings: FieldMapping[];
  /** Mappings left out, with the reason; the run reports them. */
  problems: ProfileProblem[];
  /** Where each lookup mapping finds its target items (read only when records need them). */
  lookups: Map<string, LookupSource>;
  /** CRM columns the run reads. */
  crmFields: string[];
  /** How the list records divisions; see `DivisionScope`. */
  division: DivisionScope;
  /** The Exact read, without its window. */
  request: ExactReadRequest;
}

/**
 * A run of one division reads, plans and writes only the items of that division. `field` is the
 * list's division column (undefined: a list without one, read as a whole as before divisions).
 * Items without a division were linked before divisions were recorded (or are not linked): a run
 * sees them too, takes one over when its own Exact read has the item's key (Exact IDs are
 * unique across divisions) and records its division then; it never takes one for absent.
 */
export interface DivisionScope {
  value: number;
  field: string | undefined;
}

export interface LookupSource {
  list: CrmList;
  keyField: string;
  /** A list that records divisions: only its items of this division (or of none) are linked to. */
  division?: number;
}

/** The list, or undefined when it does not exist; no access, throttling or no network are thrown as they are. */
export async function openTarget(crm: CrmTarget, title: string): Promise<CrmList | undefined> {
  try {
    return await crm.openList(title);
  } catch (error) {
    if (error instanceof ListNotFoundError) return undefined;
    throw error;
  }
}

/** Checks the profile against Exact's catalog and the list; fatal problems throw a ProfileError. */
export async function prepareProfile({ exact, crm, profile }: { exact: ExactRecordSource; crm: CrmTarget; profile: Profile }): Promise<PreparedProfile> {
  const entity = exact.describeEntity(profile.source.entity);
  const list = await openTarget(crm, profile.targetList);
  const check = checkProfile(profile, entity, list?.fields);
  if (check.fatal.length > 0 || !entity || !list) throw new ProfileError(profile.title, check.fatal);
  const dropped = new Set(check.mappings.map((m) => m.index));
  const problems: ProfileProblem[] = check.mappings.map((m) => ({ path: m.path, message: `${m.message}; this mapping is left out` }));
  const lookups = new Map<string, LookupSource>();
  for (let i = 0; i < profile.mappings.length; i++) {
    const t = profile.mappings[i].transform;
    if (dropped.has(i) || t.kind !== 'lookup') continue;
    const name = lookupIndexName(t.list, t.keyField);
    if (lookups.has(name)) continue;
    const other = t.list === profile.targetList ? list : await openTarget(crm, t.list);
    if (!other || !other.fields.some((f) => f.internalName === t.keyField)) {
      dropped.add(i);
      problems.push({ path: `mappings[${i}].transform`, message: `lookup list ${t.list} or its column ${t.keyField} does not exist; this mapping is left out` });
      continue;
    }
    const divided = other.fields.some((f) => f.internalName === DIVISION_FIELD);
    lookups.set(name, divided ? { list: other, keyField: t.keyField, division: profile.division } : { list: other, keyField: t.keyField });
  }
  profile.mappings.forEach((m, i) => {
    if (dropped.has(i)) return;
    for (const source of transformSources(m.transform)) {
      if (entity.fields.some((f) => f.name === source && f.restricted)) {
        problems.push({ path: `mappings[${i}].transform`, message: `${source} is readable only for users with the right role in Exact (HR rights); where Exact does not allow reading it, ${m.target} is left as it is` });
      }
    }
  });
  const mappings = profile.mappings.filter((_, i) => !dropped.has(i));
  const field = list.fields.some((f) => f.internalName === DIVISION_FIELD) && !mappings.some((m) => m.target === DIVISION_FIELD) ? DIVISION_FIELD : undefined;
  const division: DivisionScope = { value: profile.division, field };
  const shape = readShape({ profile, entity, list, mappings });
  return { profile, entity, list, mappings, problems, lookups, ...shape, crmFields: field ? unique([...shape.crmFields, field]) : shape.crmFields, division };
}

/** Which CRM columns and Exact fields a profile reads, and the Exact request. */
function readShape(
  { profile, entity, list, mappings }: { profile: Profile; entity: ExactEntityInfo; list: CrmList; mappings: FieldMapping[] },
): { crmFields: string[]; request: ExactReadRequest } {
  const crmFields = unique([
    profile.key.crmField,
    'Title',
    ...mappings.map((m) => m.target),
    ...profile.matching.flatMap((r) => r.crm),
    ...(profile.deletedFlagField ? [profile.deletedFlagField] : []),
  ]).filter((f) => list.fields.some((c) => c.internalName === f));
  const entityFields = new Set(entity.fields.map((f) => f.name));
  const exactFields = unique([
    ...mappings.flatMap((m) => transformSources(m.transform)),
    ...profile.matching.flatMap((r) => r.exact),
    ...LABEL_FIELDS,
  ]).filter((f) => entityFields.has(f) && f !== entity.key && f !== 'Timestamp');
  if (profile.key.exactField !== entity.key && exactFields.indexOf(profile.key.exactField) < 0) exactFields.push(profile.key.exactField);
  return { crmFields, request: { division: profile.division, entity: entity.name, fields: exactFields, filter: profile.source.filter } };
}

export async function readLookupIndexes(sources: Map<string, LookupSource>): Promise<Map<string, LookupIndex>> {
  const lookups = new Map<string, LookupIndex>();
  for (const [name, source] of sources) {
    const index: LookupIndex = new Map();
    const divided = source.division !== undefined;
    for (const item of await source.list.readItems(divided ? [source.keyField, DIVISION_FIELD] : [source.keyField])) {
      // Codes repeat across divisions (VAT code 2 in NL and BE); Exact IDs do not, so this only narrows.
      if (divided && hasDivision(item, DIVISION_FIELD) && Number(item.values[DIVISION_FIELD]) !== source.division) continue;
      const key = normalizeKey(item.values[source.keyField]);
      if (key) index.set(key, item.id);
    }
    lookups.set(name, index);
  }
  return lookups;
}

/** The items a run of this division sees: its own and those without a division (see DivisionScope). */
export function itemsOfDivision(items: CrmItem[], prepared: PreparedProfile): CrmItem[] {
  const { field, value } = prepared.division;
  if (!field) return items;
  return items.filter((item) => !hasDivision(item, field) || Number(item.values[field]) === value);
}
