import type { ExactEntityInfo, ExactFieldInfo } from '../../../../sync';

/**
 * The editor's small filter builder: a list of `field operator value` conditions joined by one
 * `and` or `or`, written as the OData v2 `$filter` Exact takes. `parseFilter` reads such a text
 * back; text an expert typed that the builder cannot show (parentheses, mixed and/or, other
 * functions) stays raw text, checked by core's `validateFilter`.
 */

export const FILTER_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'startswith', 'endswith', 'substringof'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  field: string;
  operator: FilterOperator;
  /** As a person types it: `Amsterdam`, `2026-01-01`, `12.5`, `true`. */
  value: string;
}

export interface FilterModel {
  join: 'and' | 'or';
  conditions: FilterCondition[];
}

/** Operators that make sense for a field of this type (text functions only on text). */
export function operatorsFor(field: ExactFieldInfo | undefined): FilterOperator[] {
  if (!field) return [...FILTER_OPERATORS];
  if (field.type === 'string') return [...FILTER_OPERATORS];
  if (field.type === 'boolean' || field.type === 'guid') return ['eq', 'ne'];
  return ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
}

/** The OData literal of a typed value, or a reason it is not one for this field. */
export function literalFor(field: ExactFieldInfo, value: string): { ok: true; literal: string } | { ok: false; reason: string } {
  const v = value.trim();
  switch (field.type) {
    case 'string':
      return { ok: true, literal: `'${value.replace(/'/g, "''")}'` };
    case 'guid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v) ? { ok: true, literal: `guid'${v.toLowerCase()}'` } : { ok: false, reason: 'guid' };
    case 'boolean':
      return v === 'true' || v === 'false' ? { ok: true, literal: v } : { ok: false, reason: 'boolean' };
    case 'datetime': {
      const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2})?)?$/.exec(v);
      if (!match) return { ok: false, reason: 'datetime' };
      const time = match[2] ? (match[3] ? match[2] : `${match[2]}:00`) : 'T00:00:00';
      return { ok: true, literal: `datetime'${match[1]}${time}'` };
    }
    case 'int':
    case 'int64':
      return /^-?\d+$/.test(v) ? { ok: true, literal: v } : { ok: false, reason: 'int' };
    default:
      return /^-?\d+(\.\d+)?$/.test(v) ? { ok: true, literal: v } : { ok: false, reason: 'double' };
  }
}

function conditionText(c: FilterCondition, field: ExactFieldInfo): string | undefined {
  const literal = literalFor(field, c.value);
  if (!literal.ok) return undefined;
  if (c.operator === 'substringof') return `substringof(${literal.literal}, ${c.field}) eq true`;
  if (c.operator === 'startswith' || c.operator === 'endswith') return `${c.operator}(${c.field}, ${literal.literal}) eq true`;
  return `${c.field} ${c.operator} ${literal.literal}`;
}

/** Index of each condition that cannot be written yet (no field, unknown field, value of the wrong type). */
export function incompleteConditions(model: FilterModel, entity: ExactEntityInfo): number[] {
  return model.conditions.flatMap((c, i) => {
    const field = entity.fields.find((f) => f.name === c.field);
    return !field || conditionText(c, field) === undefined ? [i] : [];
  });
}

/** The `$filter` text of the complete conditions; empty when there are none. */
export function buildFilter(model: FilterModel, entity: ExactEntityInfo): string {
  const parts: string[] = [];
  for (const c of model.conditions) {
    const field = entity.fields.find((f) => f.name === c.field);
    const text = field ? conditionText(c, field) : undefined;
    if (text !== undefined) parts.push(text);
  }
  return parts.join(` ${model.join} `);
}

const STRING = "'((?:[^']|'')*)'";
const VALUE = `(${STRING}|guid'([^']*)'|datetime'([^']*)'|true|false|-?\\d+(?:\\.\\d+)?)`;
const COMPARISON = new RegExp(`^([A-Za-z_][A-Za-z0-9_]*)\\s+(eq|ne|gt|ge|lt|le)\\s+${VALUE}$`);
const SUBSTRING = new RegExp(`^substringof\\(\\s*${STRING}\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)(?:\\s+eq\\s+true)?$`);
const STARTS_ENDS = new RegExp(`^(startswith|endswith)\\(\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,\\s*${STRING}\\s*\\)(?:\\s+eq\\s+true)?$`);

function valueOf(groups: Array<string | undefined>): string {
  const [whole, str, guid, datetime] = groups;
  if (str !== undefined) return str.replace(/''/g, "'");
  if (guid !== undefined) return guid;
  if (datetime !== undefined) return datetime.replace(/T00:00:00$/, '').replace(/(T\d{2}:\d{2}):00$/, '$1');
  return whole ?? '';
}

function parseCondition(text: string): FilterCondition | undefined {
  const t = text.trim();
  let m = COMPARISON.exec(t);
  if (m) return { field: m[1]!, operator: m[2] as FilterOperator, value: valueOf(m.slice(3)) };
  m = SUBSTRING.exec(t);
  if (m) return { field: m[2]!, operator: 'substringof', value: m[1]!.replace(/''/g, "'") };
  m = STARTS_ENDS.exec(t);
  if (m) return { field: m[2]!, operator: m[1] as FilterOperator, value: m[3]!.replace(/''/g, "'") };
  return undefined;
}

/** Splits on ` and ` / ` or ` outside quotes; undefined when both occur (needs parentheses). */
function split(text: string): { join: 'and' | 'or'; parts: string[] } | undefined {
  const parts: string[] = [];
  const joins = new Set<'and' | 'or'>();
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") quoted = !quoted;
    if (quoted) continue;
    const rest = text.slice(i);
    const m = /^\s+(and|or)\s+/i.exec(rest);
    if (m && /\s/.test(text[i]!)) {
      parts.push(text.slice(start, i));
      joins.add(m[1]!.toLowerCase() as 'and' | 'or');
      i += m[0].length - 1;
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  if (joins.size > 1) return undefined;
  return { join: joins.has('or') ? 'or' : 'and', parts };
}

/** The builder's model of a filter text, or undefined when the text is more than the builder shows. */
export function parseFilter(text: string): FilterModel | undefined {
  if (text.trim() === '') return { join: 'and', conditions: [] };
  const pieces = split(text.trim());
  if (!pieces) return undefined;
  const conditions: FilterCondition[] = [];
  for (const part of pieces.parts) {
    const condition = parseCondition(part);
    if (!condition) return undefined;
    conditions.push(condition);
  }
  return { join: pieces.join, conditions };
}
