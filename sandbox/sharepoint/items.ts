import { z } from 'zod';
import { SpCodes, SpError, badRequest } from './errors';
import { coerceValue, entityPropertyName, idPropertyName, isReference } from './fields';
import { evaluate, filterFields, idEquality, literalKey, parseFilter, requiredEquality, valueKey, type Resolved } from './filter';
import type { Entity } from './format';
import {
  expandedEntity, findProp, itemEntity, itemProps, referenceByName, referencedId, subAccessor, type SubAccessor,
} from './itemProps';
import { uniqueKey, type Site } from './site';
import { newGuid, type FieldState, type ItemState, type ListState } from './state';

export interface ItemQuery {
  select?: string | null;
  expand?: string | null;
  filter?: string | null;
  orderby?: string | null;
  top?: string | null;
  skiptoken?: string | null;
}

type Accessor = (item: ItemState) => Resolved;

const splitList = (text: string | null | undefined): string[] =>
  (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** Resolves a property path (`Title`, `CompanyId`, `Company/Id`, `Author/Title`) to a value reader. */
function compileAccessor(site: Site, list: ListState, path: string, expanded?: Set<string>): Accessor {
  const props = itemProps(list);
  const slash = path.indexOf('/');
  if (slash < 0) {
    const prop = findProp(props, path) ?? referenceIdAlias(list, props, path);
    if (!prop) throw badRequest(SpCodes.fieldMissing, `Column '${path}' does not exist. It may have been deleted by another user.`);
    return (item) => ({ value: prop.get(item), type: prop.type });
  }
  const head = path.slice(0, slash);
  const field = referenceByName(list, head);
  if (!field) throw badRequest(SpCodes.fieldMissing, `Column '${head}' does not exist. It may have been deleted by another user.`);
  if (expanded && !expanded.has(head.toLowerCase())) {
    throw badRequest(SpCodes.generic,
      `The query to field '${path}' is not valid. The $select query string must specify the target fields and the $expand query string must contains ${head}.`);
  }
  const sub = subAccessor(site, list, field, path.slice(slash + 1));
  return (item) => {
    const id = referencedId(field, item);
    return { value: id === null ? null : sub.get(id), type: sub.type };
  };
}

/** `Company` alone in $filter means the lookup's id, as in SharePoint. */
function referenceIdAlias(list: ListState, props: ReturnType<typeof itemProps>, name: string) {
  const field = referenceByName(list, name);
  return field ? findProp(props, idPropertyName(field)) : undefined;
}

interface Projection {
  build: (item: ItemState) => Record<string, unknown>;
}

function compileProjection(site: Site, list: ListState, webUrl: string, query: ItemQuery): Projection {
  const props = itemProps(list);
  const expands = new Set(splitList(query.expand).map((e) => e.toLowerCase()));
  for (const e of expands) {
    if (!referenceByName(list, e)) throw badRequest(SpCodes.generic, `The field or property '${e}' does not exist.`);
  }
  const selects = splitList(query.select);
  const plain: { name: string; get: (item: ItemState) => unknown }[] = [];
  const nested = new Map<string, { field: FieldState; name: string; subs: SubAccessor[] }>();
  const all = selects.length === 0 || selects.includes('*');
  if (all) {
    for (const p of props.values()) if (p.byDefault) plain.push({ name: p.name, get: p.get });
  }
  for (const sel of selects) {
    if (sel === '*') continue;
    const slash = sel.indexOf('/');
    if (slash < 0) {
      const ref = referenceByName(list, sel);
      if (ref && expands.has(sel.toLowerCase())) {
        // `$select=Company&$expand=Company` returns the lookup with its default shown field.
        addNested(site, list, nested, ref, entityPropertyName(ref), ref.TypeAsString === 'User' ? 'Title' : ref.LookupField ?? 'Title');
        continue;
      }
      const prop = findProp(props, sel);
      if (!prop) throw badRequest(SpCodes.generic, `The field or property '${sel}' does not exist.`);
      if (!plain.some((p) => p.name === prop.name)) plain.push({ name: prop.name, get: prop.get });
      continue;
    }
    const head = sel.slice(0, slash);
    const ref = referenceByName(list, head);
    if (!ref) throw badRequest(SpCodes.generic, `The field or property '${head}' does not exist.`);
    if (!expands.has(head.toLowerCase())) {
      throw badRequest(SpCodes.generic,
        `The query to field '${sel}' is not valid. The $select query string must specify the target fields and the $expand query string must contains ${head}.`);
    }
    addNested(site, list, nested, ref, entityPropertyName(ref), sel.slice(slash + 1));
  }
  return {
    build: (item) => {
      const out: Record<string, unknown> = {};
      for (const p of plain) out[p.name] = p.get(item);
      for (const n of nested.values()) {
        const id = referencedId(n.field, item);
        out[n.name] = id === null ? null : expandedEntity(webUrl, site, n.field, id, n.subs);
      }
      return out;
    },
  };
}

function addNested(site: Site, list: ListState, nested: Map<string, { field: FieldState; name: string; subs: SubAccessor[] }>,
  field: FieldState, name: string, sub: string): void {
  const entry = nested.get(name) ?? { field, name, subs: [] };
  const accessor = subAccessor(site, list, field, sub);
  if (!entry.subs.some((s) => s.name === accessor.name)) entry.subs.push(accessor);
  nested.set(name, entry);
}

interface Ordering { accessor: Accessor; desc: boolean; path: string }

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Skiptoken values travel as text; compare them as the column's own type (numbers, booleans). */
function tokenValueLike(text: string | undefined, sample: unknown): unknown {
  if (text === undefined || text === '') return null;
  if (typeof sample === 'number') return Number(text);
  if (typeof sample === 'boolean') return text === 'true';
  return text;
}

function parseSkipToken(token: string): Map<string, string> {
  const params = new URLSearchParams(token);
  return new Map([...params.entries()].map(([k, v]) => [k.toLowerCase(), v]));
}

export interface ItemPage {
  entities: Entity[];
  /** Skiptoken for the next page, if there is one. */
  skiptoken?: string;
  top: number;
}

export const MAX_TOP = 5000;
export const DEFAULT_TOP = 100;

export function queryItems(site: Site, list: ListState, webUrl: string, query: ItemQuery, throttleAbove?: number): ItemPage {
  const projection = compileProjection(site, list, webUrl, query);
  let candidates: ItemState[] = list.items;
  if (query.filter) {
    const node = parseFilter(query.filter);
    const paths = filterFields(node);
    const accessors = new Map(paths.map((p) => [p, compileAccessor(site, list, p)]));
    if (throttleAbove !== undefined && list.items.length > throttleAbove) assertIndexed(list, paths);
    const id = idEquality(node);
    if (id !== undefined) {
      const hit = site.itemIndex(list).get(id);
      candidates = hit ? [hit] : [];
    } else {
      // Repeated `Key eq 'x'` lookups (how a sync matches records) stay O(1) per query between writes.
      const eq = requiredEquality(node);
      if (eq && list.items.length > 200) {
        const accessor = accessors.get(eq.path)!;
        const index = site.equalityIndex(list, eq.path, () => {
          const built = new Map<string, ItemState[]>();
          for (const item of list.items) {
            const r = accessor(item);
            const k = valueKey(r.value, r.type);
            const bucket = built.get(k);
            if (bucket) bucket.push(item);
            else built.set(k, [item]);
          }
          return built;
        });
        const sample = list.items[0] ? accessor(list.items[0]).type : undefined;
        candidates = index.get(literalKey(eq.literal, sample)) ?? [];
      }
      candidates = candidates.filter((item) => evaluate(node, (path) => accessors.get(path)!(item)));
    }
  }
  const orderings: Ordering[] = splitList(query.orderby).map((part) => {
    const [path, dir] = part.split(/\s+/);
    return { path, accessor: compileAccessor(site, list, path), desc: (dir ?? '').toLowerCase() === 'desc' };
  });
  // An indexed filter already narrowed the rows; without one, sorting scans the list.
  if (throttleAbove !== undefined && list.items.length > throttleAbove && orderings.length && !query.filter) {
    assertIndexed(list, orderings.map((o) => o.path), 'every');
  }
  const compare = (a: ItemState, b: ItemState): number => {
    for (const o of orderings) {
      const c = compareValues(o.accessor(a).value, o.accessor(b).value);
      if (c !== 0) return o.desc ? -c : c;
    }
    return a.Id - b.Id;
  };
  if (orderings.length) candidates = [...candidates].sort(compare);
  let start = 0;
  if (query.skiptoken) {
    const token = parseSkipToken(query.skiptoken);
    const lastId = Number(token.get('p_id'));
    if (!Number.isFinite(lastId)) throw badRequest(SpCodes.generic, `The skiptoken '${query.skiptoken}' is not valid.`);
    const after = (item: ItemState): boolean => {
      for (const o of orderings) {
        const own = o.accessor(item).value ?? null;
        const c = compareValues(own, tokenValueLike(token.get(`p_${o.path.replace(/\//g, '_')}`.toLowerCase()), own));
        if (c !== 0) return o.desc ? c < 0 : c > 0;
      }
      return item.Id > lastId;
    };
    start = candidates.findIndex(after);
    if (start < 0) start = candidates.length;
  }
  const requested = query.top ? Number(query.top) : DEFAULT_TOP;
  if (!Number.isInteger(requested) || requested < 0) throw badRequest(SpCodes.generic, `The $top value '${query.top}' is not valid.`);
  const top = Math.min(requested, MAX_TOP);
  const page = candidates.slice(start, start + top);
  const result: ItemPage = { entities: page.map((item) => itemEntity(webUrl, list, item, projection.build(item))), top };
  if (start + top < candidates.length && page.length > 0) {
    const last = page[page.length - 1];
    const parts = [`Paged=TRUE`, `p_ID=${last.Id}`];
    for (const o of orderings) {
      const v = o.accessor(last).value;
      parts.push(`p_${o.path.replace(/\//g, '_')}=${encodeURIComponent(v === null || v === undefined ? '' : String(v))}`);
    }
    result.skiptoken = parts.join('&');
  }
  return result;
}

/** On big lists SharePoint filters only through an indexed column and sorts only on indexed ones (list view threshold). */
function assertIndexed(list: ListState, paths: string[], rule: 'some' | 'every' = 'some'): void {
  const indexed = paths[rule]((p) => {
    const name = p.split('/')[0].toLowerCase();
    if (name === 'id') return true;
    return list.fields.some((f) => f.Indexed && [f.InternalName.toLowerCase(), `${f.InternalName.toLowerCase()}id`].includes(name));
  });
  if (!indexed) {
    throw new SpError(500, SpCodes.throttled,
      'The attempted operation is prohibited because it exceeds the list view threshold.');
  }
}

export function getItem(site: Site, list: ListState, webUrl: string, id: number, query: ItemQuery): Entity {
  const item = site.item(list, id);
  return itemEntity(webUrl, list, item, compileProjection(site, list, webUrl, query).build(item));
}

export const itemBodySchema = z.record(z.unknown());

const readOnlyProps = new Set(['id', 'created', 'modified', 'authorid', 'editorid', 'guid', 'attachments', 'filesystemobjecttype', 'odata__uiversionstring']);

/** Maps a REST body onto column values, validating each one the way its column type demands. */
function coerceBody(site: Site, list: ListState, body: Record<string, unknown>, current?: ItemState): Record<string, unknown> {
  const writable = new Map<string, FieldState>();
  for (const field of list.fields) {
    if (field.BuiltIn || field.ReadOnlyField) continue;
    if (isReference(field)) {
      writable.set(idPropertyName(field), field);
      if (field.TypeAsString === 'User') writable.set(`${entityPropertyName(field)}StringId`, field);
    } else {
      writable.set(entityPropertyName(field), field);
    }
  }
  const changes: Record<string, unknown> = {};
  const declared = body.__metadata;
  if (typeof declared === 'object' && declared !== null && 'type' in declared && declared.type !== `SP.Data.${list.EntityTypeName}Item`) {
    throw badRequest(SpCodes.clientQuery,
      `A type named '${String(declared.type)}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type. (list '${list.Title}' expects 'SP.Data.${list.EntityTypeName}Item')`);
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === '__metadata' || key === 'ContentTypeId') continue;
    const field = writable.get(key);
    if (!field) {
      if (readOnlyProps.has(key.toLowerCase()) || list.fields.some((f) => entityPropertyName(f) === key)) {
        throw badRequest(SpCodes.clientQuery, `The property '${key}' of list '${list.Title}' is read-only and cannot be set.`);
      }
      throw badRequest(SpCodes.clientQuery,
        `The property '${key}' does not exist on type '${`SP.Data.${list.EntityTypeName}Item`}'. Make sure to only use property names that are defined by the type.`);
    }
    changes[field.InternalName] = coerceValue(list, field, value);
  }
  for (const field of list.fields) {
    if (!field.EnforceUniqueValues || !(field.InternalName in changes)) continue;
    const key = uniqueKey(changes[field.InternalName]);
    const owner = key === undefined ? undefined : site.uniqueIndex(list, field).get(key);
    if (owner !== undefined && owner !== current?.Id) {
      // SharePoint answers 500 and names the column by its internal name in brackets.
      throw new SpError(500, SpCodes.unique,
        `The list item could not be added or updated because duplicate values were found in the following field(s) in the list: [${field.InternalName}].`);
    }
  }
  return changes;
}

function defaultValue(field: FieldState): unknown {
  if (field.DefaultValue === null || field.DefaultValue === '') return undefined;
  switch (field.TypeAsString) {
    case 'Number': case 'Currency': case 'Integer': return Number(field.DefaultValue);
    case 'Boolean': return field.DefaultValue === '1' || field.DefaultValue.toLowerCase() === 'true';
    case 'Text': case 'Note': case 'Choice': return field.DefaultValue;
    default: return undefined;
  }
}

function rememberUnique(site: Site, list: ListState, item: ItemState): void {
  for (const field of list.fields) {
    if (!field.EnforceUniqueValues) continue;
    const key = uniqueKey(item.values[field.InternalName]);
    if (key !== undefined) site.uniqueIndex(list, field).set(key, item.Id);
  }
}

export function addItem(site: Site, list: ListState, body: Record<string, unknown>, extra: Partial<ItemState> = {}): ItemState {
  site.demand('AddListItems', list);
  const changes = coerceBody(site, list, body);
  const values: Record<string, unknown> = {};
  for (const field of list.fields) {
    const d = field.BuiltIn ? undefined : defaultValue(field);
    if (d !== undefined) values[field.InternalName] = d;
  }
  Object.assign(values, changes);
  const now = site.nowIso();
  const item: ItemState = {
    Id: list.nextItemId++, version: 1, GUID: newGuid(), Created: now, Modified: now, AuthorId: site.actingUserId,
    EditorId: site.actingUserId, values, FileSystemObjectType: 0, ...extra,
  };
  site.insertItem(list, item);
  rememberUnique(site, list, item);
  return item;
}

const stripQuotes = (etag: string): string => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

export function assertEtag(ifMatch: string | null, version: number): void {
  if (ifMatch === null || ifMatch.trim() === '*' || ifMatch.trim() === '') return;
  if (stripQuotes(ifMatch) !== String(version)) {
    throw new SpError(412, SpCodes.etag, `The request ETag value '${ifMatch}' does not match the object's ETag value '"${version}"'.`);
  }
}

export function updateItem(site: Site, list: ListState, item: ItemState, body: Record<string, unknown>, ifMatch: string | null): ItemState {
  site.demand('EditListItems', list);
  assertEtag(ifMatch, item.version);
  const changes = coerceBody(site, list, body, item);
  site.forgetUnique(list, item);
  Object.assign(item.values, changes);
  rememberUnique(site, list, item);
  item.version += 1;
  item.Modified = site.nowIso();
  item.EditorId = site.actingUserId;
  site.touch(list, item);
  return item;
}

export function deleteItem(site: Site, list: ListState, item: ItemState, ifMatch: string | null): void {
  assertEtag(ifMatch, item.version);
  site.removeItem(list, item);
}
