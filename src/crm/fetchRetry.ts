import { delay } from '@pnp/core';
import type { Queryable } from '@pnp/queryable';

/**
 * PnPjs's BrowserFetchWithRetry, except that a request which got no answer at all (dropped
 * connection, network gone) is sent again only when it is safe to repeat: reads, and writes
 * SharePoint applies idempotently (PUT/MERGE, a file upload with overwrite). A `$batch` or an
 * item add that may already have been applied is not replayed: a replay turned applied creates
 * into "duplicate value" failures and left the engine with no record of its own writes (so it
 * later kept the stale values as if someone had edited them). The caller sees the error; the
 * engine's checkpoint and resume find out what SharePoint did. Throttling (429) and 503/504 are
 * answered before SharePoint does anything, so those are retried for every method, after
 * Retry-After.
 */
export function FetchWithSafeRetry(options: { retries?: number; intervalMs?: number; fetch?: (url: string, init: RequestInit) => Promise<Response> } = {}) {
  // Sends in all, as PnPjs counts them (3: the first and two retries).
  const retries = options.retries ?? 3;
  const interval = options.intervalMs ?? 200;
  // The gateway passes a fetch that adds its app-only token (gateway/background/sharePointApp.ts).
  const send = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  return (instance: Queryable): Queryable => {
    instance.on.send.clear();
    instance.on.send(async (url: URL, init: RequestInit): Promise<Response> => {
      let wait = interval;
      for (let attempt = 0; ; attempt++) {
        let response: Response;
        try {
          response = await send(url.toString(), init);
        } catch (error) {
          if (error instanceof Error && /AbortError/.test(error.name)) throw error;
          if (attempt >= retries - 1 || !repeatable(url, init)) throw error;
          await delay(wait);
          wait *= 2;
          continue;
        }
        if (response.ok || ![429, 503, 504].includes(response.status) || attempt >= retries - 1) return response;
        const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
        wait = Number.isFinite(retryAfter) ? retryAfter * 1000 : wait * 2;
        await delay(wait);
      }
    });
    return instance;
  };
}

/** Safe to send twice: a GET, or a write whose second arrival leaves the same state as the first. */
function repeatable(url: URL, init: RequestInit): boolean {
  const method = (init.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return true;
  const override = new Headers(init.headers).get('X-HTTP-Method')?.toUpperCase();
  if (method === 'PUT' || override === 'MERGE' || override === 'PUT') return true;
  // A file upload that overwrites (`files/add(overwrite=true,...)`) ends in the same file either way.
  return /\/files\/add(using\w*)?\(.*overwrite=true/i.test(decodeURIComponent(url.toString()));
}
