import { z } from 'zod';
import { SpCodes, SpError, badRequest, notFound } from './errors';
import { createField, createFieldFromXml, fieldInputSchema } from './fields';
import { fieldEntity, listEntity, queryEntities, selectEntity, webEntity } from './entities';
import { collectionResponse, entityResponse, primitiveResponse } from './format';
import { normalizePath, routeFiles } from './files';
import { addItem, deleteItem, getItem, itemBodySchema, queryItems, updateItem } from './items';
import { firstArg, parseApiPath, type Segment } from './paths';
import { entityQuery, jsonBody, queryParam, type ApiRequest } from './request';
import { emptyOk, methodNotAllowed, noContent, render } from './respond';
import { SITE_PATH } from './site';
import { routeGroups } from './groups';
import { routeSecurity } from './security';
import { routeUsers } from './users';
import type { FieldState, ListState } from './state';

export function routeApi(req: ApiRequest, apiPath: string): Response {
  const segments = parseApiPath(apiPath);
  const [head, ...rest] = segments;
  if (!head) throw notFound(SpCodes.generic, 'The endpoint is not found.');
  if (head.lower === 'contextinfo') {
    throw badRequest(SpCodes.generic, 'contextinfo is answered before routing.');
  }
  if (head.lower !== 'web') throw notFound(SpCodes.generic, `The endpoint '${head.name}' is not supported by the emulator.`);
  return routeWeb(req, rest);
}

function routeWeb(req: ApiRequest, segments: Segment[]): Response {
  const { site } = req;
  if (segments.length === 0) {
    if (req.method !== 'GET') throw methodNotAllowed(req, 'the web');
    const lastModified = site.state.lists.reduce((m, l) => (l.LastItemModifiedDate > m ? l.LastItemModifiedDate : m), site.state.created);
    return entityResponse(selectEntity(webEntity(req.webUrl, site.state, lastModified), queryParam(req, '$select')), render(req, 'SP.ApiData.Webs'));
  }
  const [next, ...rest] = segments;
  switch (next.lower) {
    case 'lists':
      if (next.args) return routeList(req, site.listById(firstArg(next)), rest);
      if (rest.length === 0) return routeLists(req);
      if (rest[0].lower === 'getbytitle') return routeList(req, site.listByTitle(firstArg(rest[0])), rest.slice(1));
      if (rest[0].lower === 'getbyid') return routeList(req, site.listById(firstArg(rest[0])), rest.slice(1));
      break;
    case 'getlist': {
      const path = normalizePath(firstArg(next));
      const list = site.state.lists.find((l) => l.RootFolderUrl.toLowerCase() === path.toLowerCase());
      if (!list) throw notFound(SpCodes.argument, `List '${path}' does not exist at site with URL '${SITE_PATH}'.`);
      return routeList(req, list, rest);
    }
    case 'getstorageentity': {
      if (req.method !== 'GET' || rest.length > 0) throw methodNotAllowed(req, 'getstorageentity');
      const key = firstArg(next);
      const entity = Object.entries(site.state.storageEntities).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
      // SharePoint answers a key nobody set with a null entity, not a 404.
      if (!entity) return Response.json({ 'odata.null': true });
      const path = `web/getstorageentity('${key}')`;
      return entityResponse(
        { type: 'Microsoft.SharePoint.ClientSideComponent.StorageEntity', id: `${req.webUrl}/_api/${path}`, editLink: path, props: { Comment: entity.Comment, Description: entity.Description, Value: entity.Value } },
        render(req, 'SP.ApiData.StorageEntitys'),
      );
    }
    default:
      return routeUsers(req, next, rest) ?? routeGroups(req, next, rest) ?? routeSecurity(req, undefined, next, rest) ?? routeFiles(req, segments);
  }
  throw notFound(SpCodes.generic, `The endpoint '${segments.map((s) => s.name).join('/')}' is not supported by the emulator.`);
}

const listCreateSchema = z
  .object({
    Title: z.string().min(1),
    BaseTemplate: z.number().default(100),
    Description: z.string().default(''),
    ContentTypesEnabled: z.boolean().default(false),
    AllowContentTypes: z.boolean().optional(),
  })
  .passthrough();

function routeLists(req: ApiRequest): Response {
  if (req.method === 'GET') {
    const entities = req.site.state.lists.filter((l) => req.site.canView(l)).map((l) => listEntity(req.webUrl, l, (queryParam(req, '$expand') ?? '').split(',')));
    return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Lists'));
  }
  if (req.method === 'POST') {
    const input = jsonBody(req, listCreateSchema, 'a new list');
    const list = req.site.addList(input);
    return entityResponse(listEntity(req.webUrl, list), render(req, 'SP.ApiData.Lists', { status: 201 }));
  }
  throw methodNotAllowed(req, 'the lists collection');
}

const listUpdateSchema = z
  .object({ Title: z.string().min(1).optional(), Description: z.string().optional(), ContentTypesEnabled: z.boolean().optional(), Hidden: z.boolean().optional() })
  .passthrough();

function routeList(req: ApiRequest, list: ListState, segments: Segment[]): Response {
  const { site } = req;
  if (segments.length === 0) {
    if (req.method === 'GET') {
      const entity = listEntity(req.webUrl, list, (queryParam(req, '$expand') ?? '').split(','));
      return entityResponse(selectEntity(entity, queryParam(req, '$select')), render(req, 'SP.ApiData.Lists'));
    }
    if (req.method === 'MERGE' || req.method === 'PATCH') {
      site.demand('ManageLists', list);
      const input = jsonBody(req, listUpdateSchema, `an update of list '${list.Title}'`);
      if (input.Title && input.Title.toLowerCase() !== list.Title.toLowerCase() && site.state.lists.some((l) => l.Title.toLowerCase() === input.Title!.toLowerCase())) {
        throw new SpError(500, SpCodes.listExists, 'A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.');
      }
      Object.assign(list, {
        Title: input.Title ?? list.Title, Description: input.Description ?? list.Description,
        ContentTypesEnabled: input.ContentTypesEnabled ?? list.ContentTypesEnabled, Hidden: input.Hidden ?? list.Hidden,
      });
      list.version += 1;
      site.listChanged(list);
      return noContent({ ETag: `"${list.version}"` });
    }
    if (req.method === 'DELETE') {
      site.deleteList(list);
      return emptyOk();
    }
    throw methodNotAllowed(req, `list '${list.Title}'`);
  }
  const [next, ...rest] = segments;
  if (next.lower === 'items') return routeItems(req, list, next, rest);
  if (next.lower === 'getitembyid') return routeItem(req, list, Number(firstArg(next)), rest);
  if (next.lower === 'fields') return routeFields(req, list, next, rest);
  if (next.lower === 'rootfolder') return routeFiles(req, [{ name: 'getFolderByServerRelativePath', lower: 'getfolderbyserverrelativepath', args: { positional: [list.RootFolderUrl], named: new Map() } }, ...rest]);
  const security = routeSecurity(req, list, next, rest);
  if (security) return security;
  throw notFound(SpCodes.generic, `The endpoint '${next.name}' of list '${list.Title}' is not supported by the emulator.`);
}

function routeItems(req: ApiRequest, list: ListState, segment: Segment, rest: Segment[]): Response {
  if (segment.args) return routeItem(req, list, Number(firstArg(segment)), rest);
  if (rest.length > 0) {
    if (rest[0].lower === 'getbyid') return routeItem(req, list, Number(firstArg(rest[0])), rest.slice(1));
    throw notFound(SpCodes.generic, `The endpoint 'items/${rest[0].name}' is not supported by the emulator.`);
  }
  const metadata = `SP.ListData.${list.EntityTypeName}Items`;
  if (req.method === 'GET') {
    const page = queryItems(req.site, list, req.webUrl, {
      select: queryParam(req, '$select'), expand: queryParam(req, '$expand'), filter: queryParam(req, '$filter'), orderby: queryParam(req, '$orderby'),
      top: queryParam(req, '$top'), skiptoken: queryParam(req, '$skiptoken'),
    }, req.listViewThreshold);
    let nextLink: string | undefined;
    if (page.skiptoken) {
      const next = new URL(req.url.href);
      next.searchParams.delete('$skiptoken');
      next.searchParams.set('$skiptoken', page.skiptoken);
      next.searchParams.set('$top', String(page.top));
      nextLink = next.href;
    }
    return collectionResponse(page.entities, render(req, metadata, { nextLink }));
  }
  if (req.method === 'POST') {
    if (list.BaseTemplate === 101) {
      throw badRequest(SpCodes.notSupported, `To add an item to a document library ('${list.Title}'), use SPFileCollection.Add().`);
    }
    const item = addItem(req.site, list, jsonBody(req, itemBodySchema, `a new item in list '${list.Title}'`));
    const entity = getItem(req.site, list, req.webUrl, item.Id, {});
    return entityResponse(entity, render(req, metadata, { status: 201, headers: { ETag: `"${item.version}"` } }));
  }
  throw methodNotAllowed(req, `the items of list '${list.Title}'`);
}

function routeItem(req: ApiRequest, list: ListState, id: number, rest: Segment[]): Response {
  const { site } = req;
  if (!Number.isInteger(id)) throw badRequest(SpCodes.generic, `The item id in list '${list.Title}' must be a number.`);
  const item = site.item(list, id);
  const metadata = `SP.ListData.${list.EntityTypeName}Items`;
  if (rest.length > 0) {
    if (rest[0].lower === 'recycle' && req.method === 'POST') {
      site.removeItem(list, item);
      return primitiveResponse('Recycle', 'Edm.Guid', item.GUID, render(req, 'Edm.Guid'));
    }
    if (rest[0].lower === 'file') {
      if (!item.FileRef) throw notFound(SpCodes.fileMissing, `Item ${id} in list '${list.Title}' has no file.`);
      return routeFiles(req, [{ name: 'getFileByServerRelativePath', lower: 'getfilebyserverrelativepath', args: { positional: [item.FileRef], named: new Map() } }, ...rest.slice(1)]);
    }
    throw notFound(SpCodes.generic, `The endpoint 'items(${id})/${rest[0].name}' is not supported by the emulator.`);
  }
  const ifMatch = req.headers.get('if-match');
  switch (req.method) {
    case 'GET': {
      const entity = getItem(site, list, req.webUrl, id, { select: queryParam(req, '$select'), expand: queryParam(req, '$expand') });
      return entityResponse(entity, render(req, metadata, { headers: { ETag: `"${item.version}"` } }));
    }
    case 'MERGE':
    case 'PATCH': {
      const updated = updateItem(site, list, item, jsonBody(req, itemBodySchema, `an update of item ${id} in list '${list.Title}'`), ifMatch);
      return noContent({ ETag: `"${updated.version}"` });
    }
    case 'DELETE':
      deleteItem(site, list, item, ifMatch);
      return emptyOk();
    default:
      throw methodNotAllowed(req, `item ${id} of list '${list.Title}'`);
  }
}

const addFieldSchema = z.object({ parameters: fieldInputSchema });
const xmlFieldSchema = z.object({ parameters: z.object({ SchemaXml: z.string(), Options: z.number().optional() }).passthrough() });
const fieldUpdateSchema = z
  .object({
    Title: z.string().min(1).optional(), Description: z.string().optional(), Required: z.boolean().optional(),
    Indexed: z.boolean().optional(), EnforceUniqueValues: z.boolean().optional(), Hidden: z.boolean().optional(),
    MaxLength: z.number().optional(), DefaultValue: z.string().nullable().optional(),
    Choices: z.union([z.array(z.string()), z.object({ results: z.array(z.string()) }).transform((c) => c.results)]).optional(),
  })
  .passthrough();

function findField(list: ListState, name: string, byTitleOnly = false): FieldState {
  const lower = name.toLowerCase();
  const field =
    (byTitleOnly ? undefined : list.fields.find((f) => f.InternalName.toLowerCase() === lower)) ??
    list.fields.find((f) => f.Title.toLowerCase() === lower) ??
    list.fields.find((f) => f.Id === lower.replace(/[{}]/g, ''));
  if (!field) throw notFound(SpCodes.fieldMissing, `Column '${name}' does not exist. It may have been deleted by another user.  /sites/crm/Lists/${list.Title}`);
  return field;
}

function routeFields(req: ApiRequest, list: ListState, segment: Segment, rest: Segment[]): Response {
  const { site } = req;
  if (req.method !== 'GET') site.demand('ManageLists', list);
  const created = (field: FieldState) => {
    list.fields.push(field);
    list.version += 1;
    site.invalidateUnique(list);
    site.listChanged(list);
    return entityResponse(fieldEntity(req.webUrl, list, field), render(req, 'SP.ApiData.Fields', { status: 201 }));
  };
  if (segment.args) return routeField(req, list, findField(list, firstArg(segment)), rest);
  if (rest.length === 0) {
    if (req.method === 'GET') {
      const entities = list.fields.map((f) => fieldEntity(req.webUrl, list, f));
      return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Fields'));
    }
    if (req.method === 'POST') {
      const input = jsonBody(req, fieldInputSchema, `a new column in list '${list.Title}'`);
      return created(createField(list, input));
    }
    throw methodNotAllowed(req, `the fields of list '${list.Title}'`);
  }
  const [next, ...more] = rest;
  switch (next.lower) {
    case 'getbyinternalnameortitle': return routeField(req, list, findField(list, firstArg(next)), more);
    case 'getbytitle': return routeField(req, list, findField(list, firstArg(next), true), more);
    case 'getbyid': return routeField(req, list, findField(list, firstArg(next)), more);
    case 'addfield': {
      const { parameters } = jsonBody(req, addFieldSchema, `a new column in list '${list.Title}'`);
      return created(createField(list, parameters));
    }
    case 'createfieldasxml': {
      const { parameters } = jsonBody(req, xmlFieldSchema, `a new column (SchemaXml) in list '${list.Title}'`);
      return created(createFieldFromXml(list, parameters.SchemaXml, parameters.Options ?? 0));
    }
    default:
      throw notFound(SpCodes.generic, `The endpoint 'fields/${next.name}' is not supported by the emulator.`);
  }
}

function routeField(req: ApiRequest, list: ListState, field: FieldState, rest: Segment[]): Response {
  if (rest.length > 0) throw notFound(SpCodes.generic, `The endpoint '${rest[0].name}' of column '${field.Title}' is not supported by the emulator.`);
  const { site } = req;
  if (req.method === 'GET') {
    return entityResponse(selectEntity(fieldEntity(req.webUrl, list, field), queryParam(req, '$select')), render(req, 'SP.ApiData.Fields'));
  }
  if (req.method === 'MERGE' || req.method === 'PATCH') {
    const input = jsonBody(req, fieldUpdateSchema, `an update of column '${field.Title}' in list '${list.Title}'`);
    const indexed = input.Indexed ?? field.Indexed;
    if ((input.EnforceUniqueValues ?? field.EnforceUniqueValues) && !indexed) {
      throw badRequest(SpCodes.generic, `The column '${field.Title}' must be indexed before it can enforce unique values.`);
    }
    if (input.EnforceUniqueValues && !field.EnforceUniqueValues) assertNoDuplicates(list, field);
    const { Title, Description, Required, Indexed, EnforceUniqueValues, Hidden, MaxLength, DefaultValue, Choices } = input;
    Object.assign(field, Object.fromEntries(Object.entries({ Title, Description, Required, Indexed, EnforceUniqueValues, Hidden, MaxLength, DefaultValue, Choices }).filter(([, v]) => v !== undefined)));
    site.invalidateUnique(list);
    site.listChanged(list);
    return noContent();
  }
  if (req.method === 'DELETE') {
    if (!field.CanBeDeleted) throw badRequest(SpCodes.generic, `The column '${field.Title}' of list '${list.Title}' cannot be deleted.`);
    list.fields = list.fields.filter((f) => f !== field);
    for (const item of list.items) delete item.values[field.InternalName];
    site.invalidateUnique(list);
    site.listChanged(list, { withItems: true });
    return emptyOk();
  }
  throw methodNotAllowed(req, `column '${field.Title}'`);
}

function assertNoDuplicates(list: ListState, field: FieldState): void {
  const seen = new Set<string>();
  for (const item of list.items) {
    const v = item.values[field.InternalName];
    if (v === null || v === undefined || v === '') continue;
    const key = typeof v === 'string' ? v.toLowerCase() : JSON.stringify(v);
    if (seen.has(key)) {
      throw badRequest(SpCodes.unique, `Column '${field.Title}' of list '${list.Title}' has duplicate values ('${String(v)}'), so it cannot enforce unique values.`);
    }
    seen.add(key);
  }
}
