/**
 * One `_api` call as every route module sees it, and the ways routes read it: query options and a
 * JSON body checked against a schema. Routes import this, never the router that dispatches to them.
 */
import { z } from 'zod';
import { SpCodes, badRequest } from './errors';
import type { Dialect } from './format';
import type { Site } from './site';

export interface ApiRequest {
  site: Site;
  /** Absolute URL of the site, e.g. `http://127.0.0.1:4321/sites/crm`. */
  webUrl: string;
  url: URL;
  /** Effective method: X-HTTP-Method (MERGE, DELETE, PUT) wins over POST. */
  method: string;
  headers: Headers;
  body: Uint8Array;
  dialect: Dialect;
  /** Item count above which a filter on non-indexed columns fails (list view threshold); undefined = off. */
  listViewThreshold?: number;
}

const bodyText = (req: ApiRequest): string => new TextDecoder().decode(req.body);

export function jsonBody<S extends z.ZodTypeAny>(req: ApiRequest, schema: S, what: string): z.output<S> {
  let raw: unknown;
  try {
    const text = bodyText(req);
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest(SpCodes.clientQuery, `Invalid JSON in the body of ${what}.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(SpCodes.clientQuery, `The body of ${what} is not valid: ${issue.path.join('.') || '(root)'} ${issue.message}.`);
  }
  return parsed.data as z.output<S>;
}

export const queryParam = (req: ApiRequest, name: string): string | null => req.url.searchParams.get(name);

export const entityQuery = (req: ApiRequest) => ({
  select: queryParam(req, '$select'), filter: queryParam(req, '$filter'), top: queryParam(req, '$top'), orderby: queryParam(req, '$orderby'),
});
