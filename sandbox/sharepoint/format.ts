/**
 * Entities are built once as plain data and rendered in the dialect the caller's Accept header asks
 * for: minimal metadata (`application/json`, SharePoint Online's default), verbose, or no metadata.
 */
export type Dialect = 'minimal' | 'verbose' | 'nometadata';

export interface Entity {
  /** OData type, e.g. `SP.Data.CompaniesListItem`. */
  type: string;
  /** Absolute `odata.id`. */
  id: string;
  /** Relative `odata.editLink`. */
  editLink: string;
  etag?: string;
  props: Record<string, unknown>;
}

export const isEntity = (value: unknown): value is Entity =>
  typeof value === 'object' && value !== null && 'props' in value && 'editLink' in value && 'type' in value;

export function dialectOf(accept: string | null): Dialect {
  const a = (accept ?? '').toLowerCase();
  if (a.includes('odata=verbose')) return 'verbose';
  if (a.includes('odata=nometadata')) return 'nometadata';
  return 'minimal';
}

export const contentTypeOf = (dialect: Dialect): string =>
  dialect === 'verbose'
    ? 'application/json;odata=verbose;charset=utf-8'
    : `application/json;odata=${dialect === 'minimal' ? 'minimalmetadata' : 'nometadata'};streaming=true;charset=utf-8`;

function renderValue(value: unknown, dialect: Dialect): unknown {
  if (isEntity(value)) return renderEntity(value, dialect);
  if (Array.isArray(value)) return dialect === 'verbose' ? { results: value.map((v) => renderValue(v, dialect)) } : value.map((v) => renderValue(v, dialect));
  return value;
}

export function renderEntity(entity: Entity, dialect: Dialect): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (dialect === 'verbose') {
    out.__metadata = { id: entity.id, uri: entity.id, ...(entity.etag ? { etag: entity.etag } : {}), type: entity.type };
  } else if (dialect === 'minimal') {
    out['odata.type'] = entity.type;
    out['odata.id'] = entity.id;
    if (entity.etag) out['odata.etag'] = entity.etag;
    out['odata.editLink'] = entity.editLink;
  }
  for (const [key, value] of Object.entries(entity.props)) {
    out[key] = renderValue(value, dialect);
  }
  return out;
}

export interface RenderOptions {
  dialect: Dialect;
  /** `<web>/_api/$metadata#…` fragment, e.g. `SP.ListData.CompaniesListItems`. */
  metadata: string;
  webUrl: string;
  nextLink?: string;
  status?: number;
  headers?: Record<string, string>;
}

function respond(body: unknown, options: RenderOptions): Response {
  return new Response(JSON.stringify(body), {
    status: options.status ?? 200,
    headers: { 'content-type': contentTypeOf(options.dialect), ...options.headers },
  });
}

export function entityResponse(entity: Entity, options: RenderOptions): Response {
  const rendered = renderEntity(entity, options.dialect);
  if (options.dialect === 'verbose') return respond({ d: rendered }, options);
  if (options.dialect === 'minimal') {
    return respond({ 'odata.metadata': `${options.webUrl}/_api/$metadata#${options.metadata}/@Element`, ...rendered }, options);
  }
  return respond(rendered, options);
}

export function collectionResponse(entities: Entity[], options: RenderOptions): Response {
  const values = entities.map((e) => renderEntity(e, options.dialect));
  if (options.dialect === 'verbose') {
    return respond({ d: { results: values, ...(options.nextLink ? { __next: options.nextLink } : {}) } }, options);
  }
  const body: Record<string, unknown> = {};
  if (options.dialect === 'minimal') body['odata.metadata'] = `${options.webUrl}/_api/$metadata#${options.metadata}`;
  body.value = values;
  if (options.nextLink) body['odata.nextLink'] = options.nextLink;
  return respond(body, options);
}

/** Primitive results such as the recycle-bin GUID: `{ value }` / `{ d: { Recycle } }`. */
export function primitiveResponse(name: string, edmType: string, value: unknown, options: RenderOptions): Response {
  if (options.dialect === 'verbose') return respond({ d: { [name]: value } }, options);
  if (options.dialect === 'minimal') {
    return respond({ 'odata.metadata': `${options.webUrl}/_api/$metadata#${edmType}`, value }, options);
  }
  return respond({ value }, options);
}
