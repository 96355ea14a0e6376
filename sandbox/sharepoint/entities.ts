import { SpCodes, badRequest } from './errors';
import { entityPropertyName, fieldODataType } from './fields';
import { evaluate, parseFilter } from './filter';
import type { Entity } from './format';
import { itemEntityType, listPath } from './itemProps';
import { SITE_PATH } from './site';
import type { FieldState, ListState, SiteState } from './state';

export function webEntity(webUrl: string, state: SiteState, lastModified: string): Entity {
  return {
    type: 'SP.Web', id: `${webUrl}/_api/Web`, editLink: 'Web',
    props: {
      AllowRssFeeds: true, Created: state.created, CustomMasterUrl: `${SITE_PATH}/_catalogs/masterpage/seattle.master`,
      Description: 'CRM site served by the sandbox SharePoint emulator', Id: state.webId, IsMultilingual: false, Language: 1033,
      LastItemModifiedDate: lastModified, ServerRelativeUrl: SITE_PATH, Title: 'CRM', Url: webUrl, WebTemplate: 'STS', UIVersion: 15,
    },
  };
}

export function folderProps(serverRelativeUrl: string, itemCount: number, uniqueId: string): Record<string, unknown> {
  return {
    Exists: true, IsWOPIEnabled: false, ItemCount: itemCount, Name: serverRelativeUrl.slice(serverRelativeUrl.lastIndexOf('/') + 1),
    ProgID: null, ServerRelativeUrl: serverRelativeUrl, TimeCreated: null, TimeLastModified: null, UniqueId: uniqueId, WelcomePage: '',
  };
}

export function listEntity(webUrl: string, list: ListState, expand: string[] = []): Entity {
  const editLink = listPath(list);
  const props: Record<string, unknown> = {
    AllowContentTypes: list.ContentTypesEnabled, BaseTemplate: list.BaseTemplate, BaseType: list.BaseTemplate === 101 ? 1 : 0,
    ContentTypesEnabled: list.ContentTypesEnabled, Created: list.Created, Description: list.Description,
    EnableVersioning: list.BaseTemplate === 101, EntityTypeName: list.EntityTypeName, Hidden: list.Hidden, Id: list.Id,
    ItemCount: list.items.length, LastItemModifiedDate: list.LastItemModifiedDate, ListItemEntityTypeFullName: itemEntityType(list),
    HasUniqueRoleAssignments: list.HasUniqueRoleAssignments === true, ParentWebUrl: SITE_PATH, Title: list.Title,
  };
  if (expand.some((e) => e.toLowerCase() === 'rootfolder')) {
    props.RootFolder = {
      type: 'SP.Folder', id: `${webUrl}/_api/${editLink}/RootFolder`, editLink: `${editLink}/RootFolder`,
      props: folderProps(list.RootFolderUrl, list.items.length, list.Id),
    } satisfies Entity;
  }
  return { type: 'SP.List', id: `${webUrl}/_api/${editLink}`, editLink, etag: `"${list.version}"`, props };
}

export function fieldEntity(webUrl: string, list: ListState, field: FieldState): Entity {
  const editLink = `${listPath(list)}/Fields(guid'${field.Id}')`;
  const props: Record<string, unknown> = {
    CanBeDeleted: field.CanBeDeleted, DefaultValue: field.DefaultValue, Description: field.Description,
    EnforceUniqueValues: field.EnforceUniqueValues, EntityPropertyName: entityPropertyName(field), FieldTypeKind: field.FieldTypeKind,
    FromBaseType: field.BuiltIn || field.InternalName === 'Title',
    Group: field.Group, Hidden: field.Hidden, Id: field.Id, Indexed: field.Indexed, InternalName: field.InternalName,
    ReadOnlyField: field.ReadOnlyField, Required: field.Required, SchemaXml: field.SchemaXml ?? '', StaticName: field.StaticName,
    Title: field.Title, TypeAsString: field.TypeAsString, TypeDisplayName: field.TypeAsString,
  };
  if (field.MaxLength !== undefined) props.MaxLength = field.MaxLength;
  if (field.TypeAsString === 'Number' || field.TypeAsString === 'Currency') {
    props.MinimumValue = field.MinimumValue ?? -1.7976931348623157e308;
    props.MaximumValue = field.MaximumValue ?? 1.7976931348623157e308;
  }
  if (field.Choices) {
    props.Choices = field.Choices;
    props.FillInChoice = field.FillInChoice ?? false;
  }
  if (field.LookupList !== undefined) props.LookupList = field.LookupList;
  if (field.LookupField !== undefined) props.LookupField = field.LookupField;
  if (field.DisplayFormat !== undefined) props.DisplayFormat = field.DisplayFormat;
  return { type: fieldODataType(field), id: `${webUrl}/_api/${editLink}`, editLink, props };
}

const caseInsensitive = (props: Record<string, unknown>, name: string): [string, unknown] | undefined => {
  const lower = name.toLowerCase();
  const key = Object.keys(props).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : [key, props[key]];
};

export interface EntityQuery {
  select?: string | null;
  filter?: string | null;
  top?: string | null;
  orderby?: string | null;
}

/** $select / $filter / $orderby / $top over non-item collections (lists, fields, files, folders). */
export function queryEntities(entities: Entity[], query: EntityQuery): Entity[] {
  let out = entities;
  if (query.filter) {
    const node = parseFilter(query.filter);
    out = out.filter((e) =>
      evaluate(node, (path) => {
        const hit = caseInsensitive(e.props, path);
        if (!hit) throw badRequest(SpCodes.generic, `The field or property '${path}' does not exist.`);
        return { value: hit[1], type: typeof hit[1] === 'string' && /^\d{4}-\d\d-\d\dT/.test(hit[1]) ? 'DateTime' : undefined };
      }),
    );
  }
  if (query.orderby) {
    const [path, dir] = query.orderby.split(',')[0].trim().split(/\s+/);
    const sign = (dir ?? '').toLowerCase() === 'desc' ? -1 : 1;
    out = [...out].sort((a, b) => {
      const av = String(caseInsensitive(a.props, path)?.[1] ?? '');
      const bv = String(caseInsensitive(b.props, path)?.[1] ?? '');
      return av < bv ? -sign : av > bv ? sign : 0;
    });
  }
  if (query.top) out = out.slice(0, Number(query.top));
  return out.map((e) => selectEntity(e, query.select));
}

export function selectEntity(entity: Entity, select: string | null | undefined): Entity {
  const names = (select ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('*')) return entity;
  const props: Record<string, unknown> = {};
  for (const name of names) {
    const [head, sub] = name.split('/');
    const hit = caseInsensitive(entity.props, head);
    if (!hit) throw badRequest(SpCodes.generic, `The field or property '${head}' does not exist.`);
    if (sub && typeof hit[1] === 'object' && hit[1] !== null && 'props' in hit[1]) {
      const nested = hit[1] as Entity;
      const prior = props[hit[0]] as Entity | undefined;
      const subHit = caseInsensitive(nested.props, sub);
      if (!subHit) throw badRequest(SpCodes.generic, `The field or property '${sub}' does not exist.`);
      props[hit[0]] = { ...nested, props: { ...(prior?.props ?? {}), [subHit[0]]: subHit[1] } };
    } else {
      props[hit[0]] = hit[1];
    }
  }
  return { ...entity, props };
}
