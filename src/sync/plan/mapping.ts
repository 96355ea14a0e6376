import { format as formatDate } from 'date-fns';
import { normalizeKey, unreadableFields } from '../model';
import { transformSources } from '../profile/profile';
import type { FieldMapping, Transform } from '../profile/profile';
import type { ExactRecord, FieldProblem, FieldValue } from '../model';

/** Key index of another list, for lookup transforms: normalised key -> item id. */
export type LookupIndex = Map<string, number>;

export function lookupIndexName(list: string, keyField: string): string {
  return `${list}\u0000${keyField}`;
}

export interface MappedValues {
  values: Record<string, FieldValue>;
  problems: FieldProblem[];
}

/** Applies the profile's transforms to one Exact record; a value that fails names its field. */
export function mapRecord(
  record: ExactRecord,
  mappings: FieldMapping[],
  lookups: Map<string, LookupIndex>,
): MappedValues {
  const values: Record<string, FieldValue> = {};
  const problems: FieldProblem[] = [];
  const unreadable = unreadableFields(record);
  for (const mapping of mappings) {
    // Exact did not let the user read a source (role-gated): the column is left as it is.
    if (unreadable.length > 0 && transformSources(mapping.transform).some((source) => unreadable.includes(source))) continue;
    try {
      values[mapping.target] = applyTransform(mapping.transform, record, lookups);
    } catch (error) {
      problems.push({ field: mapping.target, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { values, problems };
}

function read(record: ExactRecord, field: string): FieldValue {
  const value = record[field];
  return value === undefined ? null : value;
}

function text(value: FieldValue): string | null {
  if (value === null) return null;
  return String(value);
}

export function applyTransform(transform: Transform, record: ExactRecord, lookups: Map<string, LookupIndex>): FieldValue {
  switch (transform.kind) {
    case 'copy':
      return read(record, transform.source);
    case 'trim': {
      const value = text(read(record, transform.source));
      return value === null ? null : value.trim();
    }
    case 'upper': {
      const value = text(read(record, transform.source));
      return value === null ? null : value.trim().toUpperCase();
    }
    case 'lower': {
      const value = text(read(record, transform.source));
      return value === null ? null : value.trim().toLowerCase();
    }
    case 'date': {
      const value = read(record, transform.source);
      if (value === null || value === '') return null;
      const ms = typeof value === 'number' ? value : Date.parse(String(value));
      if (isNaN(ms)) throw new Error(`"${String(value)}" from ${transform.source} is not a date`);
      const date = new Date(ms);
      if (!transform.format) return date.toISOString();
      // Exact dates are UTC midnight; format in UTC so a date never moves a day.
      const utc = new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
      return formatDate(utc, transform.format);
    }
    case 'number':
    case 'currency': {
      const value = read(record, transform.source);
      if (value === null || value === '') return null;
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (typeof value === 'boolean' || isNaN(n)) throw new Error(`"${String(value)}" from ${transform.source} is not a number`);
      const decimals = transform.kind === 'currency' ? 2 : transform.decimals;
      if (decimals === undefined) return n;
      return roundHalfAwayFromZero(n, decimals);
    }
    case 'url': {
      const value = text(read(record, transform.source));
      const trimmed = value === null ? '' : value.trim();
      if (!trimmed) return null;
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
    }
    case 'valueMap': {
      const value = read(record, transform.source);
      const key = value === null ? '' : String(value).trim();
      if (Object.prototype.hasOwnProperty.call(transform.map, key)) return transform.map[key];
      if (transform.default !== undefined) return transform.default;
      throw new Error(`value "${key}" of ${transform.source} is not in the value map`);
    }
    case 'constant':
      return transform.value;
    case 'concat': {
      const parts = transform.sources
        .map((s) => text(read(record, s)))
        .map((s) => (s === null ? '' : s.trim()))
        .filter((s) => s.length > 0);
      return parts.length === 0 ? null : parts.join(transform.separator);
    }
    case 'lookup': {
      const value = read(record, transform.source);
      if (value === null || value === '') return null;
      const index = lookups.get(lookupIndexName(transform.list, transform.keyField));
      const id = index ? index.get(normalizeKey(value)) : undefined;
      if (id !== undefined) return id;
      if (transform.onMissing === 'empty') return null;
      throw new Error(`no item in ${transform.list} has ${transform.keyField} "${String(value)}"`);
    }
  }
}

/**
 * Rounds as a person reading the decimal would (1.005 -> 1.01, -2.5 -> -3). Shifting through the
 * decimal string avoids binary fractions: 1.005 * 100 is 100.49999999999999 in floating point.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  const digits = String(Math.abs(value));
  if (digits.indexOf('e') >= 0) {
    // 1e-7 or 1e+21: far from any half cent, and the string shift would not parse.
    const factor = Math.pow(10, decimals);
    return Math.round(value * factor) / factor;
  }
  const shifted = Math.round(Number(`${digits}e${decimals}`));
  // Beyond 2^53 there is no fraction left to round, and `${1e22}e-2` would not parse (NaN).
  if (!Number.isSafeInteger(shifted)) return value;
  const result = Number(`${shifted}e-${decimals}`);
  return value < 0 ? -result : result;
}
