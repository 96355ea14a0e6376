import { z } from 'zod';
import { SpError, SpCodes, badRequest, notFound } from './errors';
import { folderProps, queryEntities, selectEntity } from './entities';
import type { Entity } from './format';
import { collectionResponse, entityResponse, primitiveResponse } from './format';
import { addItem, assertEtag, getItem } from './items';
import { firstArg, namedArg, type Segment } from './paths';
import { entityQuery, jsonBody, queryParam, type ApiRequest } from './request';
import { emptyOk, methodNotAllowed, noContent, render } from './respond';
import { SITE_PATH, type Site } from './site';
import { newGuid, type ItemState, type ListState } from './state';

const fileMissing = (path: string): SpError => new SpError(404, '-2147024894, System.IO.FileNotFoundException', `File Not Found. (${path})`);

/** Server-relative, no trailing slash; accepts web-relative (`Shared Documents/x`) and absolute URLs too. */
export function normalizePath(path: string): string {
  let p = path.trim();
  if (/^https?:\/\//i.test(p)) p = decodeURIComponent(new URL(p).pathname);
  if (!p.startsWith('/')) p = `${SITE_PATH}/${p}`;
  return p.replace(/\/+$/, '');
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));
const leafOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

interface FolderRef { list: ListState; path: string; item?: ItemState }

function libraryFor(site: Site, path: string): ListState {
  const list = site.listByRootFolder(path);
  if (!list) throw fileMissing(path);
  return list;
}

function findFolder(site: Site, rawPath: string): FolderRef {
  const path = normalizePath(rawPath);
  const list = libraryFor(site, path);
  if (same(path, list.RootFolderUrl)) return { list, path: list.RootFolderUrl };
  const item = list.items.find((i) => i.FileSystemObjectType === 1 && i.FileRef && same(i.FileRef, path));
  if (!item?.FileRef) throw fileMissing(path);
  return { list, path: item.FileRef, item };
}

function findFile(site: Site, rawPath: string): { list: ListState; item: ItemState } {
  const path = normalizePath(rawPath);
  const list = libraryFor(site, path);
  const item = list.items.find((i) => i.FileSystemObjectType === 0 && i.FileRef && same(i.FileRef, path));
  if (!item) throw fileMissing(path);
  return { list, item };
}

function folderEntity(req: ApiRequest, folder: FolderRef): Entity {
  const editLink = `Web/GetFolderByServerRelativePath(decodedurl='${folder.path.replace(/'/g, "''")}')`;
  const count = folder.list.items.filter((i) => i.FileRef && same(parentOf(i.FileRef), folder.path)).length;
  return { type: 'SP.Folder', id: `${req.webUrl}/_api/${editLink}`, editLink, props: folderProps(folder.path, count, folder.item?.GUID ?? folder.list.Id) };
}

function fileEntity(req: ApiRequest, item: ItemState): Entity {
  const path = item.FileRef ?? '';
  const editLink = `Web/GetFileByServerRelativePath(decodedurl='${path.replace(/'/g, "''")}')`;
  const version = item.file?.version ?? 1;
  return {
    type: 'SP.File', id: `${req.webUrl}/_api/${editLink}`, editLink,
    props: {
      CheckInComment: '', CheckOutType: 2, ContentTag: `{${item.file?.uniqueId ?? item.GUID}},${version},${version}`,
      CustomizedPageStatus: 0, ETag: `"{${(item.file?.uniqueId ?? item.GUID).toUpperCase()}},${version}"`, Exists: true,
      IrmEnabled: false, Length: String(item.file?.length ?? 0), Level: 1, LinkingUri: null, LinkingUrl: '', MajorVersion: version,
      MinorVersion: 0, Name: leafOf(path), ServerRelativeUrl: path, TimeCreated: item.Created, TimeLastModified: item.Modified,
      Title: (item.values.Title as string | null | undefined) ?? null, UIVersion: version * 512, UIVersionLabel: `${version}.0`,
      UniqueId: item.file?.uniqueId ?? item.GUID,
    },
  };
}

function ensureFolder(site: Site, rawPath: string): FolderRef {
  const path = normalizePath(rawPath);
  const list = libraryFor(site, path);
  if (same(path, list.RootFolderUrl)) return { list, path: list.RootFolderUrl };
  const existing = list.items.find((i) => i.FileRef && same(i.FileRef, path));
  if (existing) {
    if (existing.FileSystemObjectType !== 1) throw badRequest(SpCodes.fileExists, `A file with the name '${path}' already exists.`);
    return { list, path: existing.FileRef!, item: existing };
  }
  const parent = ensureFolder(site, parentOf(path));
  const item = addItem(site, list, {}, { FileSystemObjectType: 1, FileRef: `${parent.path}/${leafOf(path)}` });
  return { list, path: item.FileRef!, item };
}

function addFile(site: Site, folder: FolderRef, name: string, content: Uint8Array, overwrite: boolean): ItemState {
  if (name.includes('/') || name.trim() === '') throw badRequest(SpCodes.generic, `The file name '${name}' is not valid.`);
  const path = `${folder.path}/${name}`;
  const existing = folder.list.items.find((i) => i.FileRef && same(i.FileRef, path));
  const file = { content: Buffer.from(content).toString('base64'), length: content.byteLength };
  if (existing) {
    site.demand('EditListItems', folder.list);
    if (!overwrite || existing.FileSystemObjectType !== 0) {
      throw badRequest(SpCodes.fileExists, `A file with the name ${path} already exists. It was last modified by Sandbox Admin on ${existing.Modified}.`);
    }
    const version = (existing.file?.version ?? 1) + 1;
    existing.file = { ...file, uniqueId: existing.file?.uniqueId ?? newGuid(), version };
    existing.version += 1;
    existing.Modified = site.nowIso();
    existing.EditorId = site.actingUserId;
    site.touch(folder.list, existing);
    return existing;
  }
  return addItem(site, folder.list, {}, { FileRef: path, file: { ...file, uniqueId: newGuid(), version: 1 } });
}

const isTrue = (value: string | undefined): boolean => (value ?? '').toLowerCase() === 'true';

/** `web/getFolderBy…`, `web/getFileBy…`, `web/folders/…` and list `rootFolder` routes. */
export function routeFiles(req: ApiRequest, segments: Segment[]): Response {
  const [head, ...rest] = segments;
  switch (head.lower) {
    case 'getfolderbyserverrelativepath':
    case 'getfolderbyserverrelativeurl':
      return routeFolder(req, findFolder(req.site, firstArg(head)), rest);
    case 'getfilebyserverrelativepath':
    case 'getfilebyserverrelativeurl':
      return routeFile(req, findFile(req.site, firstArg(head)).item, rest);
    case 'folders':
      if (rest[0]?.lower === 'addusingpath' || rest[0]?.lower === 'add') {
        if (req.method !== 'POST') throw methodNotAllowed(req, 'folders/addUsingPath');
        return entityResponse(folderEntity(req, ensureFolder(req.site, firstArg(rest[0]))), render(req, 'SP.ApiData.Folders'));
      }
      break;
    default:
      break;
  }
  throw notFound(SpCodes.generic, `The endpoint '${segments.map((s) => s.name).join('/')}' is not supported by the emulator.`);
}

const subFolderSchema = z.object({ leafPath: z.object({ DecodedUrl: z.string() }).passthrough() });

function routeFolder(req: ApiRequest, folder: FolderRef, segments: Segment[]): Response {
  const { site } = req;
  const [next, ...rest] = segments;
  if (!next) {
    if (req.method === 'GET') return entityResponse(selectEntity(folderEntity(req, folder), queryParam(req, '$select')), render(req, 'SP.ApiData.Folders'));
    if (req.method === 'DELETE' && folder.item) {
      const prefix = `${folder.path.toLowerCase()}/`;
      for (const item of folder.list.items.filter((i) => i.FileRef?.toLowerCase().startsWith(prefix))) site.removeItem(folder.list, item);
      site.removeItem(folder.list, folder.item);
      return emptyOk();
    }
    throw methodNotAllowed(req, `folder '${folder.path}'`);
  }
  const children = (type: number) =>
    folder.list.items.filter((i) => i.FileSystemObjectType === type && i.FileRef && same(parentOf(i.FileRef), folder.path));
  switch (next.lower) {
    case 'files': {
      if (next.args) return routeFile(req, findFile(site, `${folder.path}/${firstArg(next)}`).item, rest);
      const action = rest[0];
      if (!action) {
        const entities = children(0).map((i) => fileEntity(req, i));
        return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Files12'));
      }
      if (action.lower === 'getbyurl') return routeFile(req, findFile(site, `${folder.path}/${firstArg(action)}`).item, rest.slice(1));
      if ((action.lower === 'addusingpath' || action.lower === 'add') && req.method === 'POST') {
        const name = namedArg(action, 'decodedurl', 'url') ?? firstArg(action);
        const item = addFile(site, folder, name, req.body, isTrue(namedArg(action, 'overwrite')));
        return entityResponse(fileEntity(req, item), render(req, 'SP.ApiData.Files12'));
      }
      break;
    }
    case 'folders': {
      const action = rest[0];
      if (!action) {
        const entities = children(1).map((i) => folderEntity(req, { list: folder.list, path: i.FileRef!, item: i }));
        return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Folders'));
      }
      if ((action.lower === 'addusingpath' || action.lower === 'add') && req.method === 'POST') {
        const target = firstArg(action);
        const path = target.startsWith('/') || /^https?:/i.test(target) ? target : `${folder.path}/${target}`;
        return entityResponse(folderEntity(req, ensureFolder(site, path)), render(req, 'SP.ApiData.Folders'));
      }
      if (action.lower === 'getbyurl') return routeFolder(req, findFolder(site, `${folder.path}/${firstArg(action)}`), rest.slice(1));
      break;
    }
    case 'addsubfolderusingpath': {
      const { leafPath } = jsonBody(req, subFolderSchema, `a new sub folder of '${folder.path}'`);
      ensureFolder(site, `${folder.path}/${leafPath.DecodedUrl}`);
      return noContent();
    }
    case 'listitemallfields':
      if (!folder.item) throw notFound(SpCodes.itemMissing, `The root folder of '${folder.list.Title}' has no list item.`);
      return entityResponse(getItem(site, folder.list, req.webUrl, folder.item.Id, { select: queryParam(req, '$select') }), render(req, `SP.ListData.${folder.list.EntityTypeName}Items`));
    case 'parentfolder':
      return routeFolder(req, findFolder(site, parentOf(folder.path)), rest);
    default:
      break;
  }
  throw notFound(SpCodes.generic, `The endpoint '${next.name}' of folder '${folder.path}' is not supported by the emulator.`);
}

function routeFile(req: ApiRequest, item: ItemState, segments: Segment[]): Response {
  const { site } = req;
  const list = libraryFor(site, item.FileRef ?? '');
  const [next] = segments;
  if (!next) {
    if (req.method === 'GET') return entityResponse(selectEntity(fileEntity(req, item), queryParam(req, '$select')), render(req, 'SP.ApiData.Files12'));
    if (req.method === 'DELETE') {
      assertEtag(req.headers.get('if-match'), item.version);
      site.removeItem(list, item);
      return emptyOk();
    }
    throw methodNotAllowed(req, `file '${item.FileRef}'`);
  }
  switch (next.lower) {
    case '$value':
    case 'openbinarystream':
      if (req.method === 'GET') {
        const bytes = Buffer.from(item.file?.content ?? '', 'base64');
        return new Response(bytes, { status: 200, headers: { 'content-type': 'application/octet-stream', ETag: `"${item.version}"` } });
      }
      if (req.method === 'PUT' || req.method === 'POST') {
        addFile(site, { list, path: parentOf(item.FileRef ?? '') }, leafOf(item.FileRef ?? ''), req.body, true);
        return noContent();
      }
      break;
    case 'recycle':
      if (req.method === 'POST') {
        site.removeItem(list, item);
        return primitiveResponse('Recycle', 'Edm.Guid', item.GUID, render(req, 'Edm.Guid'));
      }
      break;
    case 'listitemallfields':
      return entityResponse(getItem(site, list, req.webUrl, item.Id, { select: queryParam(req, '$select') }), render(req, `SP.ListData.${list.EntityTypeName}Items`));
    default:
      break;
  }
  throw notFound(SpCodes.generic, `The endpoint '${next.name}' of file '${item.FileRef}' is not supported by the emulator.`);
}
