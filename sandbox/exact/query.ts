/**
 * Runs one OData GET against a list of rows: `$filter`, `$orderby`, `$skiptoken`, `$top`,
 * `$select`, `$inlinecount`, then shapes Exact's envelope with an absolute `__next`.
 */
import { ODataError } from './errors';
import type { Endpoint } from './endpoint';
import { rightPadded } from './entities';
import {
  evaluate, fieldsIn, formatLiteral, parseFilter, parseOrderBy, parseSkipToken,
  unknownPropertyError, type Expr, type OrderKey, type ParseContext, type Value,
} from './odata';
import type { Row } from './seed';

export const modelType = (endpoint: Endpoint): string => `Exact.Web.Api.Models.${endpoint.model}`;

export function parseContext(endpoint: Endpoint): ParseContext {
  const names = new Map(Object.keys(endpoint.fields).map((name) => [name.toLowerCase(), name]));
  return {
    typeName: modelType(endpoint),
    fields: (name) => {
      // OData property names are case-sensitive; a wrong case is an unknown property.
      const canonical = names.get(name.toLowerCase());
      return canonical === name ? endpoint.fields[name] : undefined;
    },
  };
}

export interface ParsedQuery {
  filter?: Expr;
  select?: string[];
  orderBy: OrderKey[];
  top?: number;
  skip: number;
  skipToken?: Value[];
  inlineCount: boolean;
  expand: string[];
}

export function parseQuery(endpoint: Endpoint, params: URLSearchParams, byKey: boolean): ParsedQuery {
  const context = parseContext(endpoint);
  const filterText = params.get('$filter');
  const filter = filterText !== null && filterText.trim() !== '' ? parseFilter(filterText, context) : undefined;
  const selectText = params.get('$select');
  let select: string[] | undefined;
  if (selectText !== null && selectText.trim() !== '' && selectText.trim() !== '*') {
    select = selectText.split(',').map((s) => s.trim()).filter(Boolean);
    const expandable = endpoint.navigation ?? [];
    for (const name of select) {
      if (!context.fields(name) && !expandable.includes(name.split('/')[0])) {
        throw unknownPropertyError(name, context.typeName);
      }
    }
  }
  const topText = params.get('$top');
  let top: number | undefined;
  if (topText !== null) {
    if (!/^\d+$/.test(topText.trim())) {
      throw new ODataError(400, `Invalid integer value '${topText}' for $top.`);
    }
    top = Number(topText);
  }
  if (!byKey && endpoint.selectRequired && !select && top !== 1) {
    throw new ODataError(400, 'Please add a $select or a $top=1 statement to the query string.');
  }
  if (!byKey && endpoint.mandatoryFilter) {
    const mentioned = filter ? fieldsIn(filter) : [];
    if (!mentioned.some((name) => endpoint.mandatoryFilter?.includes(name))) {
      throw new ODataError(400, `This endpoint has mandatory filtering applied. A GET request for this endpoint must have a $filter parameter with one of the following fields in the url:${endpoint.mandatoryFilter.join(',')}`);
    }
  }
  const orderText = params.get('$orderby');
  const orderBy = orderText ? parseOrderBy(orderText, context) : [];
  if (!orderBy.some((key) => key.field === endpoint.key)) {
    orderBy.push({ field: endpoint.key, descending: false });
  }
  const skipText = params.get('$skip');
  const tokenText = params.get('$skiptoken');
  return {
    filter,
    select,
    orderBy,
    top,
    skip: skipText && /^\d+$/.test(skipText) ? Number(skipText) : 0,
    skipToken: tokenText ? parseSkipToken(tokenText) : undefined,
    inlineCount: params.get('$inlinecount') === 'allpages',
    expand: (params.get('$expand') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

export function filterRows(rows: Row[], filter: Expr | undefined): Row[] {
  return filter ? rows.filter((row) => evaluate(filter, row) === true) : rows;
}

/** Sort keys computed once per row: strings lowered, so sorting 10,000 rows stays cheap. */
type Keyed = { row: Row; keys: Value[] };

const sortKey = (value: Value | undefined): Value => (typeof value === 'string' ? value.toLowerCase() : value ?? null);

function compareKeys(a: Value[], b: Value[], orderBy: OrderKey[]): number {
  for (let i = 0; i < orderBy.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) {
      continue;
    }
    const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) {
      return orderBy[i].descending ? -order : order;
    }
  }
  return 0;
}

/** A guid that the filter pins with a top-level `Field eq guid'…'` (lets finance rows be generated per account). */
export function pinnedGuid(filter: Expr | undefined, fields: string[]): string | undefined {
  if (!filter || filter.kind !== 'binary') {
    return undefined;
  }
  if (filter.op === 'and') {
    return pinnedGuid(filter.left, fields) ?? pinnedGuid(filter.right, fields);
  }
  if (filter.op === 'eq') {
    const [field, literal] = filter.left.kind === 'field' ? [filter.left, filter.right] : [filter.right, filter.left];
    if (field.kind === 'field' && fields.includes(field.name) && literal.kind === 'literal' && literal.type === 'guid') {
      return literal.value as string;
    }
  }
  return undefined;
}

export interface Page {
  rows: Row[];
  total: number;
  /** Query string for the next page, or undefined on the last page. */
  nextQuery?: string;
}

/** Filters, orders and cuts one page; `rawQuery` is the request's own query string (without `?`). */
export function page(endpoint: Endpoint, rows: Row[], query: ParsedQuery, rawQuery: string): Page {
  const keyed: Keyed[] = filterRows(rows, query.filter).map((row) => ({ row, keys: query.orderBy.map((key) => sortKey(row[key.field])) }));
  keyed.sort((a, b) => compareKeys(a.keys, b.keys, query.orderBy));
  let start = query.skip;
  if (query.skipToken) {
    const token = query.orderBy.map((_, i) => sortKey(query.skipToken?.[i]));
    const index = keyed.findIndex((item) => compareKeys(item.keys, token, query.orderBy) > 0);
    start = index < 0 ? keyed.length : index;
  }
  const remaining = query.top ?? Number.POSITIVE_INFINITY;
  const size = Math.min(endpoint.pageSize, remaining);
  const slice = keyed.slice(start, start + size).map((item) => item.row);
  const more = start + size < keyed.length && remaining > size;
  let nextQuery: string | undefined;
  if (more && slice.length) {
    const last = slice[slice.length - 1];
    const token = query.orderBy.map((key) => formatLiteral(last[key.field] ?? null, endpoint.fields[key.field])).join(',');
    const kept = rawQuery
      .split('&')
      .filter((part) => part && !/^(\$|%24)(skiptoken|top|skip)=/i.test(part));
    if (query.top !== undefined) {
      kept.push(`$top=${query.top - size}`);
    }
    kept.push(`$skiptoken=${encodeURIComponent(token)}`);
    nextQuery = kept.join('&');
  }
  return { rows: slice, total: keyed.length, nextQuery };
}

/**
 * Exact's wire format: `/Date(ms)/` for DateTime, Int64 as a string, Edm.Byte as a number, fixed
 * char columns padded on the right; everything else as is.
 */
export function wireValue(value: Value, type: string | undefined, name?: string): Value {
  if (value === null || value === undefined) {
    return null;
  }
  if (type === 'datetime') {
    return `/Date(${String(value)})/`;
  }
  if (type === 'int64') {
    return String(value);
  }
  if (type === 'byte' && typeof value === 'boolean') {
    // Rows saved before Byte fields were modelled hold booleans.
    return value ? 1 : 0;
  }
  const width = name !== undefined ? rightPadded[name] : undefined;
  if (type === 'string' && width !== undefined && typeof value === 'string') {
    return value.padEnd(width, ' ');
  }
  return value;
}

export function keyLiteral(endpoint: Endpoint, row: Row): string {
  return formatLiteral(row[endpoint.key] ?? null, endpoint.fields[endpoint.key]);
}

export function serialize(endpoint: Endpoint, row: Row, entityUrl: string, select?: string[], nullAllBut?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    __metadata: { uri: `${entityUrl}(${keyLiteral(endpoint, row)})`, type: modelType(endpoint) },
  };
  const names = select ? select.filter((name) => name in endpoint.fields) : Object.keys(endpoint.fields);
  for (const name of names) {
    out[name] = nullAllBut && !nullAllBut.includes(name) ? null : wireValue(row[name] ?? null, endpoint.fields[name], name);
  }
  const uri = (out.__metadata as { uri: string }).uri;
  for (const name of endpoint.navigation ?? []) {
    if (!select || select.includes(name)) {
      out[name] = { __deferred: { uri: `${uri}/${name}` } };
    }
  }
  return out;
}
