import { SpCodes, badRequest } from './errors';
import { entityPropertyName, idPropertyName, isReference } from './fields';
import type { Entity } from './format';
import type { Site } from './site';
import type { SiteUser } from './state';
import type { FieldState, ItemState, ListState } from './state';

/** One readable property of an item as SharePoint names it in REST payloads. */
export interface ItemProp {
  name: string;
  type: string;
  get: (item: ItemState) => unknown;
  /** Lookup or person column behind `X` (expandable) and `XId`. */
  reference?: FieldState;
  /** Part of the property set returned when the caller gives no $select. */
  byDefault: boolean;
}

export const itemEntityType = (list: ListState): string => `SP.Data.${list.EntityTypeName}Item`;
export const listPath = (list: ListState): string => `Web/Lists(guid'${list.Id}')`;

export function itemEntity(webUrl: string, list: ListState, item: ItemState, props: Record<string, unknown>): Entity {
  const editLink = `${listPath(list)}/Items(${item.Id})`;
  return { type: itemEntityType(list), id: `${webUrl}/_api/${editLink}`, editLink, etag: `"${item.version}"`, props };
}

const fileLeaf = (item: ItemState): string | null => (item.FileRef ? item.FileRef.slice(item.FileRef.lastIndexOf('/') + 1) : null);
const fileDir = (item: ItemState): string | null => (item.FileRef ? item.FileRef.slice(0, item.FileRef.lastIndexOf('/')) : null);

/** Property table for one list, in the order SharePoint returns them, keyed by exact name. */
export function itemProps(list: ListState): Map<string, ItemProp> {
  const props: ItemProp[] = [];
  const add = (name: string, type: string, get: (item: ItemState) => unknown, byDefault = true, reference?: FieldState) =>
    props.push({ name, type, get, byDefault, reference });
  const library = list.BaseTemplate === 101;
  add('FileSystemObjectType', 'Integer', (i) => i.FileSystemObjectType);
  add('Id', 'Counter', (i) => i.Id);
  add('ServerRedirectedEmbedUri', 'Text', () => null);
  add('ServerRedirectedEmbedUrl', 'Text', () => '');
  add('ContentTypeId', 'ContentTypeId', (i) => (i.FileSystemObjectType === 1 ? '0x0120' : library ? '0x0101' : '0x0100'));
  for (const field of list.fields) {
    if (field.BuiltIn) continue;
    const key = field.InternalName;
    if (isReference(field)) {
      add(idPropertyName(field), field.TypeAsString, (i) => i.values[key] ?? null, true, field);
      if (field.TypeAsString === 'User') {
        add(`${idPropertyName(field).slice(0, -2)}StringId`, 'Text', (i) => (i.values[key] == null ? null : String(i.values[key])));
      }
    } else {
      add(entityPropertyName(field), field.TypeAsString, (i) => i.values[key] ?? null);
    }
  }
  add('ComplianceAssetId', 'Text', () => null);
  add('ID', 'Counter', (i) => i.Id);
  add('Modified', 'DateTime', (i) => i.Modified);
  add('Created', 'DateTime', (i) => i.Created);
  const author = list.fields.find((f) => f.InternalName === 'Author');
  const editor = list.fields.find((f) => f.InternalName === 'Editor');
  add('AuthorId', 'User', (i) => i.AuthorId, true, author);
  add('EditorId', 'User', (i) => i.EditorId, true, editor);
  add('OData__UIVersionString', 'Text', (i) => `${i.version}.0`);
  add('Attachments', 'Boolean', () => false);
  add('GUID', 'Guid', (i) => i.GUID);
  if (library) {
    add('FileLeafRef', 'File', fileLeaf, false);
    add('FileRef', 'Text', (i) => i.FileRef ?? null, false);
    add('FileDirRef', 'Text', fileDir, false);
    add('FSObjType', 'Integer', (i) => i.FileSystemObjectType, false);
  }
  return new Map(props.map((p) => [p.name, p]));
}

/** Exact name first (`Id` and `ID` are both real), then case-insensitively. */
export function findProp(props: Map<string, ItemProp>, name: string): ItemProp | undefined {
  const exact = props.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const p of props.values()) if (p.name.toLowerCase() === lower) return p;
  return undefined;
}

/** `Company` / `Author` → the column an expand or `X/Sub` path refers to. */
export function referenceByName(list: ListState, name: string): FieldState | undefined {
  const lower = name.toLowerCase();
  return list.fields.find((f) => isReference(f) && entityPropertyName(f).toLowerCase() === lower);
}

export interface SubAccessor {
  name: string;
  type: string;
  get: (targetId: number) => unknown;
}

/** Accessor for `X/Sub` where X is a lookup (reads the target list) or a person column. */
export function subAccessor(site: Site, list: ListState, field: FieldState, sub: string): SubAccessor {
  const lower = sub.toLowerCase();
  if (field.TypeAsString === 'User') {
    const userProps: Record<string, (u: SiteUser) => unknown> = {
      id: (u) => u.Id, title: (u) => u.Title, email: (u) => u.EMail, name: (u) => u.LoginName, loginname: (u) => u.LoginName,
    };
    const get = userProps[lower];
    if (!get) throw badRequest(SpCodes.generic, `The field or property '${sub}' does not exist on person column '${field.Title}'.`);
    const canonical = { id: 'Id', title: 'Title', email: 'EMail', name: 'Name', loginname: 'LoginName' }[lower] ?? sub;
    return {
      name: canonical,
      type: lower === 'id' ? 'Counter' : 'Text',
      get: (id) => {
        const user = site.userById(id) ?? { Id: id, Title: `User ${id}`, EMail: '', LoginName: '' };
        return get(user);
      },
    };
  }
  const target = site.listById(field.LookupList ?? '');
  const prop = findProp(itemProps(target), sub);
  if (!prop || prop.reference) {
    throw badRequest(SpCodes.generic, `The field or property '${sub}' does not exist in list '${target.Title}' (lookup column '${field.Title}').`);
  }
  const index = site.itemIndex(target);
  return {
    name: prop.name,
    type: prop.type,
    get: (id) => {
      const item = index.get(id);
      return item ? prop.get(item) : null;
    },
  };
}

export function referencedId(field: FieldState, item: ItemState): number | null {
  if (field.InternalName === 'Author') return item.AuthorId;
  if (field.InternalName === 'Editor') return item.EditorId;
  const value = item.values[field.InternalName];
  return typeof value === 'number' ? value : null;
}

export function expandedEntity(webUrl: string, site: Site, field: FieldState, id: number, subs: SubAccessor[]): Entity {
  const props: Record<string, unknown> = {};
  for (const s of subs) props[s.name] = s.get(id);
  if (field.TypeAsString === 'User') {
    return { type: 'SP.Data.UserInfoItem', id: `${webUrl}/_api/Web/GetUserById(${id})`, editLink: `Web/GetUserById(${id})`, props };
  }
  const target = site.listById(field.LookupList ?? '');
  const editLink = `${listPath(target)}/Items(${id})`;
  return { type: itemEntityType(target), id: `${webUrl}/_api/${editLink}`, editLink, props };
}

