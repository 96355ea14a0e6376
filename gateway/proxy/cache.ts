/** The short cache in front of Exact for the customer panel's finance reads, and one Exact call per cold key. */
import type { ExactMethod } from '../../src/exact/transport';
import { isPanelAccountRead } from '../financePolicy';
import { isCacheable, type CachedResponse } from '../guards';
import type { ConnectionRecord } from '../store/types';
import { toResponse } from './answer';
import type { ProxyContext } from './context';
import type { ExactTarget } from './target';

export interface CacheKeyParts {
  connection: ConnectionRecord;
  method: ExactMethod;
  target: ExactTarget;
  accept: string | undefined;
}

/** Undefined when the answer is not to be cached. */
export function cacheKeyOf({ connection, method, target, accept }: CacheKeyParts): string | undefined {
  const cacheable = method === 'GET' && (isCacheable(target.endpoint) || isPanelAccountRead(method, target.exactPath));
  // Accept is part of the key: an Atom answer must never be served to a JSON caller. The tenant
  // leads the key (dropTenant) and the connection follows: never shared across either.
  return cacheable ? `${connection.tenantId}|${connection.connectionId}|${accept ?? ''}|${target.exactPath}` : undefined;
}

export interface SharedRead {
  key: string;
  signal: AbortSignal;
  exchange: (signal: AbortSignal) => Promise<CachedResponse>;
}

/** A miss: concurrent callers of the same key share one Exact call; a 200 is kept for the next. */
export async function sharedRead(context: ProxyContext, { key, signal, exchange }: SharedRead): Promise<Response> {
  const { answer, shared } = await context.flights.run(key, signal, exchange);
  if (answer.status === 200) {
    context.cache.set(key, answer);
  }
  return toResponse(answer, { 'x-gateway-cache': shared ? 'shared' : 'miss' });
}
