/** Shapes Exact's answer into what the caller (and the short cache) gets. */
import type { ExactMethod, ExactResponse } from '../../src/exact/transport';
import type { CachedResponse } from '../guards';

// Exact explains a 403 in a Reason header; the rate-limit headers are per-division facts, not secrets.
const passHeaders = /^(content-type|reason|x-ratelimit-[a-z-]+)$/;

export function toResponse(cached: CachedResponse, extra: Record<string, string>): Response {
  return new Response(cached.body === '' ? null : cached.body, { status: cached.status, headers: { ...cached.headers, ...extra } });
}

function fromExact(response: ExactResponse): CachedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (passHeaders.test(name)) {
      headers[name] = value;
    }
  }
  const body = response.data === undefined ? '' : typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
  return { status: response.status, headers, body };
}

/** Exact's OData error text (`{error: {message: {value}}}`), if the body has one. */
function exactErrorMessage(data: unknown): string | undefined {
  const error = typeof data === 'object' && data !== null ? (data as { error?: { message?: { value?: unknown } } }).error : undefined;
  const value = error?.message?.value;
  return typeof value === 'string' ? value.slice(0, 300) : undefined;
}

/** Exact answered; the caller gets Exact's JSON, or the gateway's JSON error for a 5xx (Exact's may be an HTML page). */
export function answerOf(response: ExactResponse, method: ExactMethod, endpoint: string): CachedResponse {
  const out = fromExact(response);
  if (response.status < 500) {
    return out;
  }
  const said = exactErrorMessage(response.data);
  const write = method === 'GET' ? '' : ' It may or may not have been applied; check in Exact before sending it again.';
  const headers = Object.fromEntries(Object.entries(out.headers).filter(([name]) => name !== 'content-type'));
  return {
    status: response.status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: 'exact-error', message: `Exact answered ${method} ${endpoint} with HTTP ${response.status}${said ? `: ${said}` : ''}.${write}` }),
  };
}
