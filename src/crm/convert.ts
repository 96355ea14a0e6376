import { fieldProblem, type CrmFieldInfo, type FieldProblem, type FieldProblemArgs, type FieldProblemCode, type FieldValue } from '../sync/ports';
import { readIsoDate } from './isoDate';
import { TEXT_MAX_LENGTH } from './schema';

/**
 * Conversion between the engine's values (ports.ts conventions) and what SharePoint columns
 * accept. Two layers:
 * - `convertValue`/`convertValues`: validation and normalisation in the engine's value space
 *   (what `CrmList.convert` returns, still plain `FieldValue`s, so the planner can compare);
 * - `toRestBody`/`fromRestItem`: the wire shape PnPjs sends and receives (lookup and person
 *   columns travel as `<Name>Id`, URLs as `{ Url, Description }`).
 */

/** A failure carries its code and parts (worded in the reader's language) and its English sentence. */
export type ConvertResult = { ok: true; value: FieldValue } | { ok: false; reason: string; code: FieldProblemCode; args: Array<string | number> };

function fail<C extends FieldProblemCode>(code: C, ...args: FieldProblemArgs[C]): ConvertResult {
  const { reason } = fieldProblem('', code, ...args);
  return { ok: false, reason, code, args };
}

export interface ConvertContext {
  /**
   * Item ids that exist in each lookup target list (keyed by list title). When a target list
   * is absent here, lookup ids are only checked for shape, and SharePoint has the last word.
   */
  lookupTargets?: ReadonlyMap<string, ReadonlySet<number>>;
}

/** SharePoint stores dates from 1900-01-01 to 8900-12-31 (older/later values are rejected). */
const MIN_DATE = Date.UTC(1900, 0, 1);
const MAX_DATE = Date.UTC(8900, 11, 31, 23, 59, 59);
/** SharePoint currency columns are 64-bit fixed point with 4 decimals. */
const CURRENCY_LIMIT = 922337203685477;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function describe(value: FieldValue): string {
  return typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : String(value);
}

function toNumber(value: FieldValue): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  // Exact sends numbers as numbers; decimal strings come from CSV-like sources and are unambiguous.
  if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    return Number(value.trim());
  }
  return undefined;
}

function checkRange(field: CrmFieldInfo, n: number, limit?: number): ConvertResult | undefined {
  const min = field.min ?? (limit === undefined ? undefined : -limit);
  const max = field.max ?? limit;
  if (min !== undefined && n < min) {
    return fail('numberBelow', n, min);
  }
  if (max !== undefined && n > max) {
    return fail('numberAbove', n, max);
  }
  return undefined;
}

/** Rounds half away from zero on the decimal value, not on its binary approximation (1.005 -> 1.01). */
export function roundCurrency(n: number): number {
  const sign = n < 0 ? -1 : 1;
  const rounded = Math.round(Number(`${Math.abs(n)}e2`));
  return (sign * Number(`${rounded}e-2`)) || 0;
}

function convertText(field: CrmFieldInfo, value: FieldValue, limit: number | undefined): ConvertResult {
  let s: string;
  if (typeof value === 'string') {
    s = value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    s = String(value);
  } else {
    return fail('notText', typeof value, describe(value));
  }
  if (limit !== undefined && s.length > limit) {
    return fail('textTooLong', s.length, limit);
  }
  return { ok: true, value: s };
}

function convertDate(value: FieldValue): ConvertResult {
  if (typeof value !== 'string') {
    return fail('notDateText', typeof value, describe(value));
  }
  const date = readIsoDate(value);
  if (date === undefined) {
    return fail('notIsoDate', describe(value));
  }
  if (date.ms < MIN_DATE || date.ms > MAX_DATE) {
    return fail('dateOutOfRange', describe(value));
  }
  // SharePoint keeps date-time columns to the second. Writing (and remembering) the value it will
  // give back keeps undo and "keep CRM edits" from reading the lost milliseconds as an edit.
  // (Years 1900..8900 have four digits in toISOString, so the milliseconds are characters 20 to 22.)
  return { ok: true, value: `${date.iso.slice(0, 20)}000Z` };
}

function convertUrl(field: CrmFieldInfo, value: FieldValue): ConvertResult {
  if (typeof value !== 'string') {
    return fail('notUrlText', typeof value, describe(value));
  }
  const trimmed = value.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return fail('urlNotAbsolute', describe(value));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return fail('urlScheme', describe(value));
  }
  const limit = field.maxLength ?? TEXT_MAX_LENGTH;
  if (trimmed.length > limit) {
    return fail('urlTooLong', trimmed.length, limit);
  }
  return { ok: true, value: trimmed };
}

function convertId(field: CrmFieldInfo, value: FieldValue, context: ConvertContext): ConvertResult {
  const n = toNumber(value);
  if (n === undefined || !Number.isInteger(n) || n <= 0) {
    return fail(field.type === 'person' ? 'notUserId' : 'notItemId', typeof value, describe(value));
  }
  if (field.type === 'lookup' && field.lookupList !== undefined) {
    const known = context.lookupTargets?.get(field.lookupList);
    if (known !== undefined && !known.has(n)) {
      return fail('lookupMissing', n, field.lookupList);
    }
  }
  return { ok: true, value: n };
}

/** Converts one engine value for one column, or says why it does not fit. */
export function convertValue(field: CrmFieldInfo, value: FieldValue, context: ConvertContext = {}): ConvertResult {
  // An empty string is how Exact and CSV say "no value" for non-text fields; SharePoint stores null.
  if (value === null || (typeof value === 'string' && value === '' && field.type !== 'text' && field.type !== 'note')) {
    return field.required ? fail('required') : { ok: true, value: null };
  }
  switch (field.type) {
    case 'text': {
      const result = convertText(field, value, field.maxLength ?? TEXT_MAX_LENGTH);
      return result.ok && result.value === '' && field.required
        ? fail('required')
        : result;
    }
    case 'note':
      return convertText(field, value, field.maxLength);
    case 'number':
    case 'currency': {
      const n = toNumber(value);
      if (n === undefined) {
        return fail('notNumber', typeof value, describe(value));
      }
      // Range first: rounding 1e20 to cents gave NaN, which `|| 0` turned into a credit line of 0.
      const rangeError = checkRange(field, n, field.type === 'currency' ? CURRENCY_LIMIT : undefined);
      if (rangeError !== undefined) return rangeError;
      return { ok: true, value: field.type === 'currency' ? roundCurrency(n) : n };
    }
    case 'boolean':
      // "ja", "1", "true" are deliberately not guessed: a wrong mapping must surface, not flip flags.
      return typeof value === 'boolean'
        ? { ok: true, value }
        : fail('notYesNo', typeof value, describe(value));
    case 'datetime':
      return convertDate(value);
    case 'choice': {
      if (typeof value !== 'string') {
        return fail('notChoiceText', typeof value, describe(value));
      }
      const choices = field.choices ?? [];
      return choices.includes(value)
        ? { ok: true, value }
        : fail('unknownChoice', describe(value), choices.join(', '));
    }
    case 'url':
      return convertUrl(field, value);
    case 'lookup':
    case 'person':
      return convertId(field, value, context);
    default:
      return assertNever(field.type);
  }
}

function assertNever(type: never): ConvertResult {
  return fail('unsupportedType', String(type));
}

const indexes = new WeakMap<readonly CrmFieldInfo[], { fields: CrmFieldInfo[]; byName: Map<string, CrmFieldInfo> }>();

/**
 * The columns of a field list by internal name, built once per list rather than once per record
 * (conversion runs twice per written record). Kept with a copy of the list it was built from, so
 * a list edited in place is indexed again rather than answered from a stale index.
 */
function columnsByName(fields: readonly CrmFieldInfo[]): ReadonlyMap<string, CrmFieldInfo> {
  const cached = indexes.get(fields);
  if (cached !== undefined && cached.fields.length === fields.length && cached.fields.every((f, i) => f === fields[i])) {
    return cached.byName;
  }
  const byName = new Map(fields.map((f) => [f.internalName, f] as const));
  indexes.set(fields, { fields: [...fields], byName });
  return byName;
}

/** Converts a set of values; unknown and read-only columns are problems too, never silently sent. */
export function convertValues(
  fields: readonly CrmFieldInfo[],
  values: Record<string, FieldValue>,
  context: ConvertContext = {},
): { values: Record<string, FieldValue>; problems: FieldProblem[] } {
  const byName = columnsByName(fields);
  const out: Record<string, FieldValue> = {};
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const field = byName.get(name);
    if (field === undefined) {
      problems.push(fieldProblem(name, 'unknownColumn'));
      continue;
    }
    if (field.readOnly) {
      problems.push(fieldProblem(name, 'readOnlyColumn'));
      continue;
    }
    const result = convertValue(field, value, context);
    if (result.ok) {
      out[name] = result.value;
    } else {
      problems.push({ field: name, reason: result.reason, code: result.code, args: result.args });
    }
  }
  return { values: out, problems };
}

/** The REST property a column travels as (`CompanyId` for the lookup column `Company`). */
export function restPropertyName(field: CrmFieldInfo): string {
  return field.type === 'lookup' || field.type === 'person' ? `${field.internalName}Id` : field.internalName;
}

export type RestValue = FieldValue | { Url: string; Description: string };

/** Converted values -> the JSON body of an item add/update. */
export function toRestBody(
  fields: readonly CrmFieldInfo[],
  values: Record<string, FieldValue>,
): Record<string, RestValue> {
  const byName = columnsByName(fields);
  const body: Record<string, RestValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = byName.get(name);
    if (field === undefined) {
      body[name] = value;
    } else if (field.type === 'url') {
      body[name] = typeof value === 'string' ? { Url: value, Description: value } : null;
    } else {
      body[restPropertyName(field)] = value;
    }
  }
  return body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One REST item property -> the engine's value for that column. */
export function fromRestValue(field: CrmFieldInfo, raw: unknown): FieldValue {
  if (raw === undefined || raw === null) {
    return null;
  }
  if (field.type === 'url') {
    return isRecord(raw) && typeof raw.Url === 'string' ? raw.Url : typeof raw === 'string' ? raw : null;
  }
  if (field.type === 'datetime' && typeof raw === 'string') {
    return readIsoDate(raw)?.iso ?? raw;
  }
  if ((field.type === 'number' || field.type === 'currency') && typeof raw === 'string') {
    return toNumber(raw) ?? null;
  }
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
    return raw;
  }
  return null;
}

export function fromRestItem(fields: readonly CrmFieldInfo[], item: Record<string, unknown>): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    values[field.internalName] = fromRestValue(field, item[restPropertyName(field)]);
  }
  return values;
}
