/**
 * What a proxied request asks of Exact: the OData options, the endpoint and key, the headers that
 * go on and the body of a write. Whether the connector does such a thing is access/operations.ts.
 */
import type { ExactMethod } from '../../src/exact/transport';
import { exactQuery, parseEndpoint } from '../guards';
import { HttpError, readJsonBody } from '../http';

export interface ExactTarget {
  /** Undefined for `current/Me`, which is outside every division (and its budget). */
  division: number | undefined;
  /** e.g. `crm/Accounts`: what the breaker, the cache and the operations look at. */
  endpoint: string;
  /** The endpoint with its key segment or `/$count`, without the query. */
  rest: string;
  /** Exact's path after `/api/v1/`, with the query string that goes to Exact. */
  exactPath: string;
}

/** `subPath` is the path after `/exact/`; `search` the caller's query string. */
export function parseTarget(method: ExactMethod, subPath: string, search: string): ExactTarget {
  const query = exactQuery(search);
  if (query === undefined) {
    throw new HttpError(400, 'bad-request', `Only the OData options $select, $filter, $top, $skiptoken, $orderby, $inlinecount and $expand go to Exact; got ${search}`);
  }
  if (subPath === 'current/Me') {
    if (method !== 'GET') {
      throw new HttpError(405, 'method-not-allowed', 'current/Me is read-only.');
    }
    return { division: undefined, endpoint: 'current/Me', rest: 'current/Me', exactPath: `current/Me${query}` };
  }
  const match = /^(\d+)\/(.+)$/.exec(subPath);
  const parsed = match ? parseEndpoint(match[2]!) : undefined;
  if (!match || !parsed) {
    throw new HttpError(404, 'unknown-endpoint', `Not an Exact endpoint path: ${subPath}`);
  }
  const division = Number(match[1]);
  return { division, endpoint: parsed.endpoint, rest: parsed.rest, exactPath: `${division}/${parsed.rest}${query}` };
}

/**
 * Exact reads Accept (JSON vs Atom) and Prefer (return=representation on POST, without which a
 * created record comes back almost all null); nothing else from the caller goes on.
 */
export function forwardedHeaders(request: Request): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, header] of [['accept', 'Accept'], ['prefer', 'Prefer']] as const) {
    const value = request.headers.get(name);
    if (value) {
      forwarded[header] = value;
    }
  }
  return forwarded;
}

/** The JSON body of a write, read up to `limit` bytes. */
export async function readWriteBody(request: Request, limit: number): Promise<unknown> {
  const body = await readJsonBody(request, limit);
  try {
    // Serialised here once so a body that cannot be (nested too deeply) fails before anything is
    // queued or sent, and the caller is told so.
    JSON.stringify(body);
  } catch {
    throw new HttpError(400, 'bad-request', 'The request body is nested too deeply to send; nothing was sent to Exact.');
  }
  return body;
}
