import { checkFilter } from '../../../../sync/profile/filter';
import type { FilterProblemCode } from '../../../../sync/odata';
import type { CrmFieldInfo, CrmFieldType, ExactEntityInfo, ExactFieldInfo, FieldValue } from '../../../../sync';
import { PAIRED_SIGNALS, parseScalar, parseValueMap, valueMapProblems, type MappingDraft, type ProfileDraft } from './draft';

/**
 * The checks the editor makes on every keystroke, before the debounced `ProfileService.check`
 * answers: the ones a person needs at once, next to the field they typed in. Each problem has the
 * profile path core uses (`mappings[2].transform`), a code the loc strings word, and the names
 * and values to put in the words.
 */

export type LocalProblemCode =
  | 'required'
  | 'unknownEntity'
  | 'unknownField'
  | 'unknownColumn'
  | 'readOnlyColumn'
  | 'keyColumnMapped'
  | 'mappedTwice'
  | 'keyNotText'
  | 'keyNotUnique'
  | 'textIntoNumber'
  | 'typeMismatch'
  | 'lookupNeeded'
  | 'notLookupColumn'
  | 'tooLong'
  | 'unknownChoice'
  | 'badValueMapLine'
  | 'badDecimals'
  | 'matchFieldCount'
  | 'filter'
  /** The shared filter grammar's problems (src/sync/odata), each worded on its own. */
  | `filter_${FilterProblemCode}`;

export interface LocalProblem {
  path: string;
  code: LocalProblemCode;
  args: string[];
}

export interface CheckContext {
  entity?: ExactEntityInfo;
  /** The target list's columns, once read; undefined while loading or when the list is missing. */
  columns?: CrmFieldInfo[];
}

const NUMERIC_EXACT = ['int', 'int64', 'double'];
const NUMERIC_CRM: CrmFieldType[] = ['number', 'currency'];
const TEXT_TRANSFORMS = ['copy', 'trim', 'upper', 'lower', 'concat', 'url'];

/** Fields that name one record: the entity's key, and Exact's `Code` (unique per division). */
export function uniqueExactFields(entity: ExactEntityInfo): string[] {
  return entity.fields.filter((f) => f.name === entity.key || f.name === 'Code').map((f) => f.name);
}

function typeProblem(m: MappingDraft, source: ExactFieldInfo | undefined, column: CrmFieldInfo): LocalProblemCode | undefined {
  if (column.type === 'lookup') return m.kind === 'lookup' ? undefined : 'lookupNeeded';
  if (m.kind === 'lookup') return 'notLookupColumn';
  if (m.kind === 'constant' || m.kind === 'valueMap') return undefined;
  const exactType = m.kind === 'concat' ? 'string' : source?.type;
  if (!exactType) return undefined;
  if (NUMERIC_CRM.indexOf(column.type) >= 0) {
    if (m.kind === 'number' || m.kind === 'currency') return undefined;
    return exactType === 'string' && TEXT_TRANSFORMS.indexOf(m.kind) >= 0 ? 'textIntoNumber' : NUMERIC_EXACT.indexOf(exactType) >= 0 ? undefined : 'typeMismatch';
  }
  if (column.type === 'boolean') return exactType === 'boolean' && m.kind === 'copy' ? undefined : 'typeMismatch';
  if (column.type === 'datetime') {
    if (m.kind === 'date') return m.format.trim() === '' ? undefined : 'typeMismatch';
    return exactType === 'datetime' && m.kind === 'copy' ? undefined : 'typeMismatch';
  }
  return undefined;
}

/** The longest text a mapping can write, when it is known. */
function longest(m: MappingDraft, fields: Map<string, ExactFieldInfo>): number | undefined {
  if (m.kind === 'constant') {
    const v = parseScalar(m.value);
    return typeof v === 'string' ? v.length : undefined;
  }
  if (m.kind === 'concat') {
    const lengths = m.sources.filter((s) => s !== '').map((s) => fields.get(s)?.maxLength);
    if (lengths.length === 0 || lengths.some((l) => l === undefined)) return undefined;
    return (lengths as number[]).reduce((a, b) => a + b, 0) + m.separator.length * (lengths.length - 1);
  }
  if (['copy', 'trim', 'upper', 'lower'].indexOf(m.kind) < 0) return undefined;
  return fields.get(m.sources[0] ?? '')?.maxLength;
}

function mappingProblems(m: MappingDraft, i: number, draft: ProfileDraft, ctx: CheckContext, seen: Set<string>): LocalProblem[] {
  const out: LocalProblem[] = [];
  const at = `mappings[${i}]`;
  const add = (path: string, code: LocalProblemCode, ...args: string[]): void => {
    out.push({ path: `${at}.${path}`, code, args });
  };
  const fields = new Map((ctx.entity?.fields ?? []).map((f) => [f.name, f] as const));
  const column = ctx.columns?.find((c) => c.internalName === m.target);
  if (m.target === '') add('target', 'required');
  else if (ctx.columns && !column) add('target', 'unknownColumn', m.target, draft.targetList);
  else if (column?.readOnly) add('target', 'readOnlyColumn', m.target);
  else if (m.target === draft.keyCrmField) add('target', 'keyColumnMapped', m.target);
  else if (seen.has(m.target)) add('target', 'mappedTwice', m.target);
  seen.add(m.target);

  const sources = m.kind === 'constant' ? [] : m.kind === 'concat' ? m.sources.filter((s) => s !== '') : [m.sources[0] ?? ''];
  if (m.kind === 'concat' && sources.length === 0) add('transform.sources', 'required');
  for (const s of sources) {
    if (s === '') add('transform.source', 'required');
    else if (ctx.entity && !fields.has(s)) add('transform.source', 'unknownField', s, ctx.entity.name);
  }
  if (m.kind === 'number' && m.decimals.trim() !== '' && !/^(10|\d)$/.test(m.decimals.trim())) add('transform.decimals', 'badDecimals', m.decimals);
  if (m.kind === 'lookup') {
    if (m.lookupList === '') add('transform.list', 'required');
    if (m.lookupKeyField === '') add('transform.keyField', 'required');
  }
  if (m.kind === 'valueMap') {
    for (const line of valueMapProblems(m.valueMap)) add('transform.map', 'badValueMapLine', String(line));
  }
  if (!column) return out;

  const source = fields.get(sources[0] ?? '');
  const mismatch = typeProblem(m, source, column);
  if (mismatch) add('transform', mismatch, sources.join(' + ') || m.value, source?.type ?? 'string', m.target, column.type);
  const length = longest(m, fields);
  if (column.maxLength !== undefined && length !== undefined && length > column.maxLength) {
    add('transform', 'tooLong', sources.join(' + ') || m.value, String(length), m.target, String(column.maxLength));
  }
  if (column.type === 'choice' && column.choices) {
    const values: FieldValue[] = m.kind === 'valueMap' ? Object.values(parseValueMap(m.valueMap)) : [];
    if ((m.kind === 'valueMap' || m.kind === 'constant') && m.value.trim() !== '') values.push(parseScalar(m.value));
    for (const v of values) {
      if (v !== null && column.choices.indexOf(String(v)) < 0) add('transform', 'unknownChoice', String(v), m.target, column.choices.join(', '));
    }
  }
  return out;
}

/** Every problem the editor can see without asking a service. */
export function localChecks(draft: ProfileDraft, ctx: CheckContext): LocalProblem[] {
  const out: LocalProblem[] = [];
  const add = (path: string, code: LocalProblemCode, ...args: string[]): void => {
    out.push({ path, code, args });
  };
  const { entity, columns } = ctx;
  if (draft.title.trim() === '') add('title', 'required');
  if (draft.division === undefined) add('division', 'required');
  if (draft.entity === '') add('source.entity', 'required');
  else if (!entity) add('source.entity', 'unknownEntity', draft.entity);
  if (draft.targetList === '') add('targetList', 'required');

  const fieldNames = new Set((entity?.fields ?? []).map((f) => f.name));
  if (draft.keyExactField === '') add('key.exactField', 'required');
  else if (entity && !fieldNames.has(draft.keyExactField)) add('key.exactField', 'unknownField', draft.keyExactField, entity.name);
  else if (entity && uniqueExactFields(entity).indexOf(draft.keyExactField) < 0) add('key.exactField', 'keyNotUnique', draft.keyExactField, uniqueExactFields(entity).join(', '));
  const keyColumn = columns?.find((c) => c.internalName === draft.keyCrmField);
  if (draft.keyCrmField === '') add('key.crmField', 'required');
  else if (columns && !keyColumn) add('key.crmField', 'unknownColumn', draft.keyCrmField, draft.targetList);
  else if (keyColumn && keyColumn.type !== 'text') add('key.crmField', 'keyNotText', draft.keyCrmField);

  if (draft.filter.trim() !== '' && entity) {
    // The grammar's arguments, then the 1-based position the words may name.
    for (const p of checkFilter(draft.filter.trim(), entity)) add('source.filter', `filter_${p.code}`, ...p.args, String(p.position + 1));
  }

  if (draft.mappings.length === 0) add('mappings', 'required');
  const seen = new Set<string>();
  draft.mappings.forEach((m, i) => out.push(...mappingProblems(m, i, draft, ctx, seen)));

  let index = 0;
  for (const rule of draft.matching) {
    if (!rule.enabled) continue;
    const wanted = PAIRED_SIGNALS.indexOf(rule.signal) >= 0 ? 2 : 1;
    const exact = rule.exact.filter((f) => f !== '');
    const crm = rule.crm.filter((f) => f !== '');
    if (exact.length !== wanted || crm.length !== wanted) add(`matching[${index}]`, 'matchFieldCount', rule.signal, String(wanted));
    for (const f of exact) if (entity && !fieldNames.has(f)) add(`matching[${index}].exact`, 'unknownField', f, entity.name);
    for (const f of crm) if (columns && !columns.some((c) => c.internalName === f)) add(`matching[${index}].crm`, 'unknownColumn', f, draft.targetList);
    index++;
  }
  return out;
}

/** Problems at a path or below it (`mappings[2]` takes `mappings[2].transform.source`). */
export function problemsAt<T extends { path: string }>(problems: readonly T[], path: string): T[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
}
