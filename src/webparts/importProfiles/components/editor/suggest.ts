import type { CrmFieldInfo, CrmFieldType, ExactEntityInfo, ExactFieldInfo, ExactFieldType } from '../../../../sync';
import { DIVISION_FIELD } from '../../../../sync/model';
import { defaultProfiles } from '../../../../sync/profile/defaults';
import { masterDefaultProfile, masterSources } from '../../../../sync/profile/masterDefaults';
import { draftFromData, type MappingDraft, type ProfileDraft } from './draft';
import { captionOf } from './exactCaptions';
import { startingMapping } from './startingMapping';

/**
 * The automatic mapping: for each CRM column not mapped yet, the Exact field that is the same
 * thing, found by name (`Email` = `Email`), by Exact's English or Dutch caption or a usual CRM
 * name for it (`KvK number` = ChamberOfCommerce) and only where the types fit. Offered as
 * suggestions the admin accepts, never written into the profile unasked.
 */

export interface Suggestion {
  mapping: MappingDraft;
  /** The Exact field it reads, for the row's words. */
  field: ExactFieldInfo;
  /** `name`: the column is called what the field is; `caption`: by Exact's caption or a usual name. */
  by: 'name' | 'caption';
}

const norm = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

const NUMERIC: ExactFieldType[] = ['int', 'int64', 'double'];

/** Whether a value of the Exact type can be written to the column as it is, or with the column's usual transform. */
export function typesFit(exact: ExactFieldType, column: CrmFieldType): boolean {
  switch (column) {
    case 'number':
    case 'currency':
      return NUMERIC.indexOf(exact) >= 0;
    case 'boolean':
      return exact === 'boolean';
    case 'datetime':
      return exact === 'datetime';
    case 'lookup':
      return exact === 'guid';
    case 'text':
    case 'note':
    case 'choice':
    case 'url':
      return exact === 'string' || exact === 'guid' || NUMERIC.indexOf(exact) >= 0;
    default:
      return false;
  }
}

function score(entity: string, field: ExactFieldInfo, column: CrmFieldInfo): Suggestion['by'] | undefined {
  // Every SharePoint list has a column named Title, whatever it holds ("Full name", "Company
  // name"): its display name says what it is, its internal name does not (Exact's Contact.Title is the salutation).
  const titleColumn = column.internalName === 'Title';
  const names = titleColumn ? [norm(column.title)] : [norm(column.internalName), norm(column.title)];
  if (names.indexOf(norm(field.name)) >= 0 && !(titleColumn && norm(field.name) === 'title')) return 'name';
  const caption = captionOf(entity, field.name);
  if (!caption) return undefined;
  const words = [caption.en, caption.nl, ...(caption.aka ?? [])].map(norm);
  return names.some((n) => words.indexOf(n) >= 0) ? 'caption' : undefined;
}

/**
 * What the shipped profile of the list writes to this column from this field (the Companies
 * profile's value map for the customer status, a master-data list's for its choice columns), so a suggestion is the proven one when there is one.
 */
function shippedMapping(targetList: string, column: string, source: string): MappingDraft | undefined {
  const shipped = [...defaultProfiles(1), ...masterSources.map((source) => masterDefaultProfile(source.id, 1))].find((p) => p.targetList === targetList);
  const draft = shipped ? draftFromData(shipped) : undefined;
  return draft?.mappings.find((m) => m.target === column && m.sources.length === 1 && m.sources[0] === source);
}

/** A suggestion for every column the admin can map that has none yet and whose field is plain to see. */
export function suggestMappings(input: { draft: ProfileDraft; entity?: ExactEntityInfo; columns?: CrmFieldInfo[] }): Suggestion[] {
  const { draft, entity, columns } = input;
  if (!entity || !columns) return [];
  const mapped = new Set(draft.mappings.map((m) => m.target));
  const out: Suggestion[] = [];
  for (const column of columns) {
    if (column.readOnly || column.internalName === DIVISION_FIELD || column.internalName === draft.keyCrmField || mapped.has(column.internalName)) continue;
    let best: { field: ExactFieldInfo; by: Suggestion['by'] } | undefined;
    for (const field of entity.fields) {
      if (field.name === entity.key || !typesFit(field.type, column.type)) continue;
      const by = score(entity.name, field, column);
      if (by && (!best || (by === 'name' && best.by !== 'name'))) best = { field, by };
    }
    if (!best) continue;
    const shipped = shippedMapping(draft.targetList, column.internalName, best.field.name);
    // A choice column takes only its own choices; Exact's codes fit only through a known value map.
    if (!shipped && column.type === 'choice') continue;
    const mapping = shipped ?? startingMapping(column, best.field.name);
    out.push({ mapping, field: best.field, by: best.by });
  }
  return out;
}

/**
 * The key pair to start with: the entity's own key, and the list's text column that holds it
 * (named for it: `ExactId`, "Exact ID"). Undefined parts are left for the admin.
 */
export function suggestKey(entity: ExactEntityInfo | undefined, columns: CrmFieldInfo[] | undefined): { exactField?: string; crmField?: string } {
  if (!entity) return {};
  const column = columns?.find((c) => c.type === 'text' && !c.readOnly && score(entity.name, { name: entity.key, type: 'guid' }, c) !== undefined);
  return { exactField: entity.key, crmField: column?.internalName };
}
