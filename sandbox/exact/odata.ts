/**
 * The slice of OData v2 that Exact Online speaks: `$filter` expressions (parsed once, checked
 * against the entity's fields, then evaluated per record), `$orderby`, `$select` and the literal
 * syntax shared by filters and `$skiptoken` (`guid'…'`, `datetime'…'`, `123L`, `'it''s'`).
 *
 * Exact runs on SQL Server with a case-insensitive collation, so string comparisons here ignore
 * case (an inference; the reference does not say). Padding is NOT ignored: `Code eq '25'` does not
 * match `'                25'`, which is the trap the reference warns about.
 */
import { ODataError } from './errors';
import {
  FilterProblem, exactFilterMessage, parseFilterExpression, tokenize,
  type Expr, type FieldLookup, type FilterFieldType, type Value,
} from '../../src/sync/odata';

export type { Expr, FieldLookup, Value } from '../../src/sync/odata';
export { fieldsIn, kindOf, MAX_FILTER_DEPTH, parseDateTimeLiteral } from '../../src/sync/odata';
export type FieldType = FilterFieldType;

/** Each emulated property type under the Edm name Exact's reference and `$metadata` use. */
export const edmTypeName: Record<FieldType, string> = {
  guid: 'Edm.Guid', string: 'Edm.String', byte: 'Edm.Byte', int: 'Edm.Int32', int64: 'Edm.Int64', double: 'Edm.Double', boolean: 'Edm.Boolean', datetime: 'Edm.DateTime',
};

export interface ParseContext {
  fields: FieldLookup;
  /** e.g. `Exact.Web.Api.Models.Account`, for error texts. */
  typeName: string;
}

export function unknownPropertyError(name: string, typeName: string): ODataError {
  return new ODataError(400, `Could not find a property named '${name}' on type '${typeName}'.`);
}

/**
 * Parses a `$filter` value with the grammar the profile's filter check uses (src/sync/odata), so
 * a filter the check passes is one this stand-in takes. A problem is Exact's 400 with its words.
 */
export function parseFilter(source: string, context: ParseContext): Expr {
  try {
    return parseFilterExpression(source, { fields: context.fields, entity: context.typeName.replace(/^.*\./, '') });
  } catch (error) {
    if (error instanceof FilterProblem) throw new ODataError(400, exactFilterMessage(error, source, context.typeName));
    throw error;
  }
}

/**
 * Compares two non-null values of one kind; strings and guids ignore case. Trailing spaces do not
 * count (SQL Server pads the shorter string before comparing), so `Country eq 'NL'` matches
 * `'NL '`; leading spaces do count, so an unpadded account Code still matches nothing.
 */
export function compareValues(a: Value, b: Value): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? -1 : 1;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.replace(/ +$/, '').toLowerCase();
    const y = b.replace(/ +$/, '').toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return Number(a) - Number(b);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export function evaluate(expr: Expr, record: Record<string, Value>): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field':
      return record[expr.name] ?? null;
    case 'not':
      return !evaluate(expr.operand, record);
    case 'call': {
      const args = expr.args.map((arg) => evaluate(arg, record));
      if (args.some((arg) => arg === null)) {
        return expr.type === 'boolean' ? false : null;
      }
      const [a, b] = args.map((arg) => String(arg));
      switch (expr.name) {
        case 'year':
          return new Date(Number(args[0])).getUTCFullYear();
        case 'month':
          return new Date(Number(args[0])).getUTCMonth() + 1;
        case 'day':
          return new Date(Number(args[0])).getUTCDate();
        case 'substringof':
          return b.toLowerCase().includes(a.toLowerCase());
        case 'startswith':
          return a.toLowerCase().startsWith(b.toLowerCase());
        case 'endswith':
          return a.toLowerCase().endsWith(b.toLowerCase());
        case 'tolower':
          return a.toLowerCase();
        case 'toupper':
          return a.toUpperCase();
        case 'trim':
          return a.trim();
        default:
          return a.length;
      }
    }
    case 'binary': {
      if (expr.op === 'and') {
        return Boolean(evaluate(expr.left, record)) && Boolean(evaluate(expr.right, record));
      }
      if (expr.op === 'or') {
        return Boolean(evaluate(expr.left, record)) || Boolean(evaluate(expr.right, record));
      }
      const left = evaluate(expr.left, record);
      const right = evaluate(expr.right, record);
      if (expr.op === 'eq') {
        return compareValues(left, right) === 0;
      }
      if (expr.op === 'ne') {
        return compareValues(left, right) !== 0;
      }
      if (left === null || right === null) {
        return false;
      }
      const order = compareValues(left, right);
      return expr.op === 'gt' ? order > 0 : expr.op === 'ge' ? order >= 0 : expr.op === 'lt' ? order < 0 : order <= 0;
    }
  }
}

export interface OrderKey {
  field: string;
  descending: boolean;
}

export function parseOrderBy(source: string, context: ParseContext): OrderKey[] {
  return source.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const [field, direction = 'asc'] = words;
    if (!field || words.length > 2 || !/^(asc|desc)$/i.test(direction)) {
      throw new ODataError(400, `Syntax error in '$orderby=${source}'.`);
    }
    if (!context.fields(field)) {
      throw unknownPropertyError(field, context.typeName);
    }
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
}

/** Writes a value as an OData literal, typed by its field (`guid'…'`, `42L`, `'O''Neil'`). */
export function formatLiteral(value: Value, type: FieldType): string {
  if (value === null) {
    return 'null';
  }
  switch (type) {
    case 'guid':
      return `guid'${String(value)}'`;
    case 'int64':
      return `${String(value)}L`;
    case 'datetime':
      return `datetime'${new Date(value as number).toISOString().replace(/Z$/, '')}'`;
    case 'string':
      return `'${String(value).replace(/'/g, "''")}'`;
    default:
      return String(value);
  }
}

/** Reads a `$skiptoken`: comma-separated literals, one per sort key (the entity key last). */
export function parseSkipToken(source: string): Value[] {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(source);
  } catch (error) {
    if (error instanceof FilterProblem) throw new ODataError(400, `The $skiptoken '${source}' is not valid.`);
    throw error;
  }
  const values: Value[] = [];
  let at = 0;
  for (;;) {
    const token = tokens[at++];
    if (token.kind !== 'literal' || !token.literal) {
      throw new ODataError(400, `The $skiptoken '${source}' is not valid.`);
    }
    values.push(token.literal.value);
    const separator = tokens[at++];
    if (separator.kind === 'end') {
      return values;
    }
    if (separator.kind !== 'comma') {
      throw new ODataError(400, `The $skiptoken '${source}' is not valid.`);
    }
  }
}
