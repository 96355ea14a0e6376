import type { ExactFieldType } from '../sync/ports';
import { toWireValue, type EntityDefinition } from './entity';
import { isIntegerText, normaliseDecimal, padAccountCode } from './values';

/**
 * OData v2 literals and query strings as Exact expects them (reference §5.4). Every literal goes
 * through here, so a quote in a name can never break out of a filter.
 */

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const literal = {
  /** `'O''Brien'`: single quotes doubled. */
  string(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  },
  guid(value: string): string {
    if (!guidPattern.test(value)) {
      throw new RangeError(`"${value}" is not a GUID`);
    }
    return `guid'${value.toLowerCase()}'`;
  },
  /**
   * `datetime'2026-11-21T08:30:00'` in UTC, always with a time part: date-only literals are
   * reported unreliable, and Exact's date-only values sit at UTC midnight.
   */
  datetime(value: Date | string): string {
    const date = typeof value === 'string' ? parseIsoUtc(value) : value;
    if (date === undefined || Number.isNaN(date.getTime())) {
      throw new RangeError(`"${String(value)}" is not a date`);
    }
    // toISOString is zone-independent; Exact's literal takes no zone suffix.
    const text = date.toISOString().slice(0, 23).replace(/\.000$/, '');
    return `datetime'${text}'`;
  },
  int64(value: string | number | bigint): string {
    const text = String(value);
    if (!isIntegerText(text)) {
      throw new RangeError(`"${text}" is not an Int64`);
    }
    return `${normaliseDecimal(text)}L`;
  },
  number(value: number): string {
    if (!Number.isFinite(value)) {
      throw new RangeError(`${value} is not a finite number`);
    }
    return String(value);
  },
  boolean(value: boolean): string {
    return value ? 'true' : 'false';
  },
  null(): string {
    return 'null';
  },
};

export type FilterValue = string | number | boolean | null | Date | bigint;

/** A literal for a value compared with a field of the given Edm type. */
export function literalFor(type: ExactFieldType, value: FilterValue, fieldName = 'value'): string {
  if (value === null) {
    return literal.null();
  }
  switch (type) {
    case 'guid':
      return literal.guid(expectString(value, fieldName));
    case 'string':
      return literal.string(expectString(value, fieldName));
    case 'datetime':
      if (value instanceof Date || typeof value === 'string') {
        return literal.datetime(value);
      }
      break;
    case 'int64':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
        return literal.int64(value);
      }
      break;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) {
        return literal.number(value);
      }
      break;
    case 'double':
      if (typeof value === 'number') {
        return literal.number(value);
      }
      break;
    case 'boolean':
      if (typeof value === 'boolean') {
        return literal.boolean(value);
      }
      break;
  }
  throw new TypeError(`${fieldName}: ${String(value)} is not a valid ${type} value`);
}

function expectString(value: FilterValue, fieldName: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${fieldName}: expected text, got ${String(value)}`);
  }
  return value;
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/**
 * Builds filters that know the entity's field types, so `Code` on accounts is padded to 18
 * characters, guids get `guid'…'`, Int64 gets `L` and so on.
 */
export function filterFor(entity: Pick<EntityDefinition, 'name' | 'fields'>): {
  compare(fieldName: string, operator: ComparisonOperator, value: FilterValue): string;
  eq(fieldName: string, value: FilterValue): string;
} {
  const compare = (fieldName: string, operator: ComparisonOperator, value: FilterValue): string => {
    const f = entity.fields[fieldName];
    if (!f) {
      throw new RangeError(`${entity.name} has no field ${fieldName}`);
    }
    let v: FilterValue = typeof value === 'boolean' ? toWireValue(f, value) : value;
    // Account codes only match in their padded form; an unpadded literal silently matches nothing.
    if (entity.name === 'Account' && fieldName === 'Code' && typeof v === 'string') {
      v = padAccountCode(v);
    }
    const type = f.edm === 'Edm.Byte' ? 'int' : f.type;
    return `${fieldName} ${operator} ${literalFor(type, v, `${entity.name}.${fieldName}`)}`;
  };
  return { compare, eq: (fieldName, value) => compare(fieldName, 'eq', value) };
}

/** `a and b`, each part parenthesised when it has its own `or`; empty parts are dropped. */
export function and(...parts: Array<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  if (present.length === 0) {
    return undefined;
  }
  return present.length === 1 ? present[0] : present.map((p) => `(${p})`).join(' and ');
}

export function or(...parts: string[]): string {
  return parts.length === 1 ? parts[0] : parts.map((p) => `(${p})`).join(' or ');
}

export interface ODataQuery {
  select?: readonly string[];
  filter?: string;
  orderBy?: string;
  top?: number;
  expand?: string;
}

/** Encodes a query the way Exact's `__next` links look: `$` names literal, values percent-encoded. */
export function buildQueryString(query: ODataQuery, extra: Record<string, string> = {}): string {
  const params: Array<[string, string]> = [];
  if (query.filter !== undefined && query.filter !== '') {
    params.push(['$filter', query.filter]);
  }
  if (query.select !== undefined && query.select.length > 0) {
    params.push(['$select', query.select.join(',')]);
  }
  if (query.expand !== undefined) {
    params.push(['$expand', query.expand]);
  }
  if (query.orderBy !== undefined) {
    params.push(['$orderby', query.orderBy]);
  }
  if (query.top !== undefined) {
    if (!Number.isInteger(query.top) || query.top < 1) {
      throw new RangeError(`$top must be a positive integer, got ${query.top}`);
    }
    params.push(['$top', String(query.top)]);
  }
  for (const [name, value] of Object.entries(extra)) {
    params.push([name, value]);
  }
  if (params.length === 0) {
    return '';
  }
  return `?${params.map(([name, value]) => `${name}=${encodeQueryValue(value)}`).join('&')}`;
}

function encodeQueryValue(value: string): string {
  // Keep the characters OData expressions use readable; everything else (spaces, quotes, &, #, +) is encoded.
  return encodeURIComponent(value).replace(/%2C/g, ',').replace(/%2F/g, '/').replace(/%24/g, '$').replace(/%3A/g, ':');
}

const isoDateTime = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * ISO 8601 text as an instant, reading a value without a zone as UTC (JavaScript would read a
 * zone-less date-time as the machine's local time and shift it). Anything else is refused.
 */
export function parseIsoUtc(value: string): Date | undefined {
  const match = isoDateTime.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, day, time, , , zone] = match;
  return new Date(`${day}${time ?? 'T00:00:00'}${zone ?? 'Z'}`);
}
