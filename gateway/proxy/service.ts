/**
 * `/exact/{division}/{service}/{entity}…` and `/exact/current/Me`: the caller's tenant must own
 * the division; the call waits its turn in the division's queue, GETs are retried on 5xx and on
 * no answer, writes never blindly; a breaker per endpoint keeps us under Exact's error block; the
 * customer panel's finance reads are cached briefly. The Exact token is added here and never
 * leaves the gateway.
 *
 * The parts: target.ts (what is asked, and whether it may be), connections.ts (whose connection),
 * cache.ts, exactCall.ts (queue, Exact, retries), answer.ts (what the caller gets), accountAudit.ts.
 */
import type { ExactMethod } from '../../src/exact/transport';
import { ExactErrorBudget } from '../errorBudget';
import { accountCreateAudit } from '../financePolicy';
import { ShortCache, type CachedResponse } from '../guards';
import { HttpError } from '../http';
import type { ConnectionRecord } from '../store/types';
import { SingleFlight } from '../singleFlight';
import { logAccountCreated } from './accountAudit';
import { toResponse } from './answer';
import { cacheKeyOf, sharedRead } from './cache';
import { connectedConnection } from './connections';
import type { ProxyContext, ProxyDeps, ProxyRequest } from './context';
import { callExact } from './exactCall';
import { budgetsOf } from './queues';
import { forwardedHeaders, parseTarget, readWriteBody } from './target';

export type { ProxyDeps, ProxyRequest } from './context';

export function createProxy(deps: ProxyDeps) {
  const { config, clock } = deps;
  const context: ProxyContext = {
    ...deps,
    queues: new Map(),
    errorBudget: new ExactErrorBudget(clock, { sharedThreshold: config.breakerThreshold, callerThreshold: config.callerErrorThreshold }),
    cache: new ShortCache(clock, config.cacheTtlMs),
    flights: new SingleFlight<CachedResponse>(),
  };
  const { queues, cache, flights } = context;
  return {
    handle: (request: ProxyRequest): Promise<Response> => handle(context, request),
    /** Budget left per division for the status page. */
    budgets: (connection: ConnectionRecord) => budgetsOf(context, connection),
    queues,
    cache,
    flights,
    dropTenant: (tenantId: string) => cache.dropTenant(tenantId),
  };
}

export type Proxy = ReturnType<typeof createProxy>;

async function handle(context: ProxyContext, proxied: ProxyRequest): Promise<Response> {
  const { request, caller, logger } = proxied;
  const method = request.method as ExactMethod;
  const target = parseTarget(method, proxied.subPath, new URL(request.url).search);
  const connection = await connectedConnection(context.store, { caller, division: target.division, connectionId: proxied.connectionId });
  const endpointKey = `${connection.tenantId}/${connection.connectionId}/${target.division ?? 'current'}/${target.endpoint}`;
  refuseWhilePaused(context, { endpointKey, userId: caller.userId, endpoint: target.endpoint });
  const forwarded = forwardedHeaders(request);
  const cacheKey = cacheKeyOf({ connection, method, target, accept: forwarded.Accept });
  const hit = cacheKey ? context.cache.get(cacheKey) : undefined;
  if (hit) {
    return toResponse(hit, { 'x-gateway-cache': 'hit' });
  }
  const body = method === 'POST' || method === 'PUT' ? await readWriteBody(request, context.config.maxProxyBodyBytes) : undefined;
  const audit = accountCreateAudit(caller, method, target.endpoint, body);
  const exchange = (signal: AbortSignal): Promise<CachedResponse> =>
    callExact(context, { ...target, connection, caller, method, body, forwarded, logger, endpointKey, signal });
  if (cacheKey) {
    return sharedRead(context, { key: cacheKey, signal: request.signal, exchange });
  }
  const answer = await exchange(request.signal);
  if (audit) {
    logAccountCreated(logger, audit, answer);
  }
  return toResponse(answer, {});
}

interface BreakerCheck {
  endpointKey: string;
  userId: string;
  endpoint: string;
}

/** Exact blocks the app after too many errors; errorBudget.ts pauses us (or one caller) first. */
function refuseWhilePaused(context: ProxyContext, { endpointKey, userId, endpoint }: BreakerCheck): void {
  const pause = context.errorBudget.check(endpointKey, userId, endpoint);
  if (pause) {
    throw new HttpError(pause.status, pause.code, pause.message, { 'retry-after': String(Math.max(1, Math.ceil((pause.until - context.clock.now()) / 1000))) });
  }
}
