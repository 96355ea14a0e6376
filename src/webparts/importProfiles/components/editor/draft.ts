import { CONTACTS_PROFILE_ID, defaultProfiles } from '../../../../sync/profile/defaults';
import { matchRuleSchema, modeSchema, transformSchema } from '../../../../sync/profile/profile';
import type { FieldValue, MatchRule, ProfileEntry, ProfileInput, SyncMode, Transform } from '../../../../sync';

/**
 * The editor's working copy of a profile: every control edits one plain field here, so a half
 * finished profile (no source yet, a typed-in number) can be held, checked and shown. It turns into
 * profile input (`toProfileInput`) for `ProfileService.check` and `save`, which stay the authority.
 */

export type TransformKind = Transform['kind'];
export const TRANSFORM_KINDS: readonly TransformKind[] = transformSchema.options.map((o) => o.shape.kind.value);
export type MatchSignal = MatchRule['signal'];
export const MATCH_SIGNALS: readonly MatchSignal[] = matchRuleSchema.shape.signal.options;
export const SYNC_MODES: readonly SyncMode[] = modeSchema.options;
/** The signals that read two fields (domain + name, name + postcode). */
export const PAIRED_SIGNALS: readonly MatchSignal[] = ['emailDomainAndName', 'nameAndPostcode'];

export interface MappingDraft {
  target: string;
  kind: TransformKind;
  /** One field for most transforms, several for `concat`, none for `constant`. */
  sources: string[];
  /** `date`: date-fns pattern; empty = ISO. */
  format: string;
  /** `number`: decimals as typed; empty = as Exact sends it. */
  decimals: string;
  separator: string;
  /** `valueMap`: one `Exact value = CRM value` pair per line (see `formatScalar`). */
  valueMap: string;
  /** `valueMap` default and `constant` value, written as `formatScalar` writes them; empty = none. */
  value: string;
  lookupList: string;
  lookupKeyField: string;
  onMissing: 'empty' | 'error';
  keepCrmEdits: boolean;
}

export interface MatchDraft {
  signal: MatchSignal;
  enabled: boolean;
  exact: string[];
  crm: string[];
}

export interface ProfileDraft {
  id: string;
  title: string;
  division?: number;
  entity: string;
  filter: string;
  targetList: string;
  keyCrmField: string;
  keyExactField: string;
  mode: SyncMode;
  mappings: MappingDraft[];
  /** One row per signal, in cascade order; the profile keeps the enabled ones. */
  matching: MatchDraft[];
  /** Kept as they were: the editor does not offer them, a save must not drop them. */
  autoLinkConfidence?: number;
  deletedFlagField: string;
  batchSize?: number;
}

export function emptyMapping(target: string): MappingDraft {
  return { target, kind: 'copy', sources: [''], format: '', decimals: '', separator: ' ', valueMap: '', value: '', lookupList: '', lookupKeyField: '', onMissing: 'error', keepCrmEdits: false };
}

/**
 * A scalar as the editor shows it: text as is, unless it would read back as something else
 * (`1`, `true`, `null`, or text that is quoted already), which is written as a JSON string.
 */
export function formatScalar(value: FieldValue): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return looksLikeLiteral(value) ? JSON.stringify(value) : value;
}

/** The reverse of `formatScalar`: numbers, `true`, `false`, `null` and "quoted text" are literals. */
export function parseScalar(text: string): FieldValue {
  const trimmed = text.trim();
  if (looksLikeLiteral(trimmed)) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed === null || typeof parsed === 'string' || typeof parsed === 'number' || typeof parsed === 'boolean') return parsed;
    } catch {
      // Not a literal after all (`"half`): the text itself.
    }
  }
  return trimmed;
}

function looksLikeLiteral(text: string): boolean {
  return /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(text) || (text.startsWith('"') && text.length > 1);
}

export function formatValueMap(map: Record<string, FieldValue>): string {
  return Object.entries(map)
    .map(([from, to]) => `${from} = ${formatScalar(to)}`)
    .join('\n');
}

/** `C = Customer` per line; a line without `=` is reported by `valueMapProblems`. */
export function parseValueMap(text: string): Record<string, FieldValue> {
  const map: Record<string, FieldValue> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const from = line.slice(0, at).trim();
    if (from !== '') map[from] = parseScalar(line.slice(at + 1));
  }
  return map;
}

/** Line numbers (1-based) of valueMap lines that are neither blank nor `from = to`. */
export function valueMapProblems(text: string): number[] {
  const bad: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const at = line.indexOf('=');
    if (at < 0 || line.slice(0, at).trim() === '') bad.push(i + 1);
  });
  return bad;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : []);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const scalarOf = (value: unknown): FieldValue | undefined =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;

function mappingFrom(raw: unknown): MappingDraft {
  const m = record(raw);
  const t = record(m.transform);
  const kind = (TRANSFORM_KINDS as readonly string[]).indexOf(str(t.kind)) >= 0 ? (t.kind as TransformKind) : 'copy';
  const draft = emptyMapping(str(m.target));
  draft.kind = kind;
  draft.keepCrmEdits = m.keepCrmEdits === true;
  draft.sources = kind === 'concat' ? strings(t.sources) : kind === 'constant' ? [] : [str(t.source)];
  draft.format = str(t.format);
  draft.decimals = typeof t.decimals === 'number' ? String(t.decimals) : '';
  if (typeof t.separator === 'string') draft.separator = t.separator;
  const map = record(t.map);
  draft.valueMap = formatValueMap(Object.fromEntries(Object.entries(map).map(([k, v]) => [k, scalarOf(v) ?? null])));
  const value = kind === 'constant' ? scalarOf(t.value) : scalarOf(t.default);
  draft.value = value === undefined ? '' : formatScalar(value);
  draft.lookupList = str(t.list);
  draft.lookupKeyField = str(t.keyField);
  draft.onMissing = t.onMissing === 'empty' ? 'empty' : 'error';
  return draft;
}

function matchingFrom(raw: unknown): MatchDraft[] {
  const rules = Array.isArray(raw) ? raw.map(record) : [];
  const rows: MatchDraft[] = rules
    .filter((r) => (MATCH_SIGNALS as readonly string[]).indexOf(str(r.signal)) >= 0)
    .map((r) => ({ signal: r.signal as MatchSignal, enabled: true, exact: strings(r.exact), crm: strings(r.crm) }));
  // The signals the profile does not use follow, switched off, so each can be turned on.
  for (const signal of MATCH_SIGNALS) {
    if (!rows.some((r) => r.signal === signal)) rows.push({ signal, enabled: false, exact: [], crm: [] });
  }
  return rows;
}

/**
 * Reads anything that looks like a profile (a valid one, or the JSON of a stored profile that
 * no longer fits the schema) into a draft; what does not fit is left empty for the editor to show.
 */
export function draftFromData(data: unknown): ProfileDraft {
  const p = record(data);
  const source = record(p.source);
  const key = record(p.key);
  return {
    id: str(p.id),
    title: str(p.title),
    division: typeof p.division === 'number' ? p.division : undefined,
    entity: str(source.entity),
    filter: str(source.filter),
    targetList: str(p.targetList),
    keyCrmField: str(key.crmField),
    keyExactField: str(key.exactField),
    mode: (SYNC_MODES as readonly string[]).indexOf(str(p.mode)) >= 0 ? (p.mode as SyncMode) : 'ImportAndUpdate',
    mappings: Array.isArray(p.mappings) ? p.mappings.map(mappingFrom) : [],
    matching: matchingFrom(p.matching),
    autoLinkConfidence: typeof p.autoLinkConfidence === 'number' ? p.autoLinkConfidence : undefined,
    deletedFlagField: str(p.deletedFlagField),
    batchSize: typeof p.batchSize === 'number' ? p.batchSize : undefined,
  };
}

/** The draft of a stored entry; an invalid one is read from its stored text (or empty if that is not JSON). */
export function draftFromEntry(entry: ProfileEntry): ProfileDraft {
  if (entry.valid) return draftFromData(entry.profile);
  let data: unknown = {};
  try {
    data = entry.definition ? JSON.parse(entry.definition) : {};
  } catch {
    data = {};
  }
  const draft = draftFromData(data);
  // The list item's id and title are what the store lists it by, even when the text lost them.
  return { ...draft, id: draft.id || entry.id, title: draft.title || entry.title };
}

/** A new profile: no source or list yet, every signal off. */
export function newDraft(division: number | undefined): ProfileDraft {
  return { ...draftFromData({ mode: 'ImportAndUpdate' }), division };
}

function transformOf(m: MappingDraft): Record<string, unknown> {
  const source = m.sources[0] ?? '';
  switch (m.kind) {
    case 'constant':
      return { kind: 'constant', value: parseScalar(m.value) };
    case 'concat':
      return { kind: 'concat', sources: m.sources.filter((s) => s !== ''), separator: m.separator };
    case 'date':
      return m.format.trim() === '' ? { kind: 'date', source } : { kind: 'date', source, format: m.format.trim() };
    case 'number':
      return m.decimals.trim() === '' ? { kind: 'number', source } : { kind: 'number', source, decimals: Number(m.decimals) };
    case 'valueMap':
      return m.value.trim() === '' ? { kind: 'valueMap', source, map: parseValueMap(m.valueMap) } : { kind: 'valueMap', source, map: parseValueMap(m.valueMap), default: parseScalar(m.value) };
    case 'lookup':
      return { kind: 'lookup', source, list: m.lookupList, keyField: m.lookupKeyField, onMissing: m.onMissing };
    default:
      return { kind: m.kind, source };
  }
}

/** Profile input as `ProfileService.check`/`save` take it; empty optional fields are left out. */
export function toProfileInput(draft: ProfileDraft): ProfileInput {
  const input: Record<string, unknown> = {
    id: draft.id,
    title: draft.title.trim(),
    division: draft.division,
    source: draft.filter.trim() === '' ? { entity: draft.entity } : { entity: draft.entity, filter: draft.filter.trim() },
    targetList: draft.targetList,
    key: { crmField: draft.keyCrmField, exactField: draft.keyExactField },
    mappings: draft.mappings.map((m) => ({ target: m.target, transform: transformOf(m), keepCrmEdits: m.keepCrmEdits })),
    mode: draft.mode,
    matching: draft.matching.filter((r) => r.enabled).map((r) => ({ signal: r.signal, exact: r.exact, crm: r.crm })),
  };
  if (draft.autoLinkConfidence !== undefined) input.autoLinkConfidence = draft.autoLinkConfidence;
  if (draft.deletedFlagField !== '') input.deletedFlagField = draft.deletedFlagField;
  if (draft.batchSize !== undefined) input.batchSize = draft.batchSize;
  // The shape is checked by ProfileService.check; until then a draft may be incomplete.
  return input as unknown as ProfileInput;
}

/**
 * How a contact links to its company: the lookup column's list is matched on the key column the
 * shipped companies profile writes, so the link follows the same key as the companies import.
 */
export function companyLinkFor(list: string): { list: string; keyField: string } {
  const contacts = defaultProfiles(1).find((p) => p.id === CONTACTS_PROFILE_ID);
  const shipped = contacts?.mappings.map((m) => m.transform).find((t): t is Extract<Transform, { kind: 'lookup' }> => t.kind === 'lookup' && t.list === list);
  const companies = defaultProfiles(1).find((p) => p.targetList === list);
  return { list, keyField: shipped?.keyField ?? companies?.key.crmField ?? '' };
}

/** The key column the shipped profile of a list uses (`ExactId`), to start a new profile on that list with. */
export function shippedKeyColumn(list: string): string {
  return defaultProfiles(1).find((p) => p.targetList === list)?.key.crmField ?? '';
}

/** The lists the shipped profiles write to: the CRM's importable lists. */
export function knownTargetLists(): string[] {
  return defaultProfiles(1).map((p) => p.targetList);
}
