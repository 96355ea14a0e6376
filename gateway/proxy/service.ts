/**
 * `/exact/{division}/{service}/{entity}…` and `/exact/current/Me`: the request must be one of the
 * connector's operations and the caller's app role must allow it (access/); the caller's tenant
 * must own the division and an admin must have enabled it; the call waits its turn in the
 * division's queue, GETs are retried on 5xx and on no answer, writes never blindly; a breaker per
 * endpoint keeps us under Exact's error block; the customer panel's finance reads are cached
 * briefly. A customer create goes its own way (customers/create.ts). The Exact token is added
 * here and never leaves the gateway.
 *
 * The parts: target.ts (what is asked), connections.ts (whose connection), cache.ts, exactCall.ts
 * (queue, Exact, retries), answer.ts (what the caller gets).
 */
import type { ExactMethod } from '../../src/exact/transport';
import { authorize, refuse } from '../access/authorize';
import { classifyExactRequest, type Operation } from '../access/operations';
import type { Caller } from '../auth';
import { createCustomer } from '../customers/create';
import { ExactErrorBudget } from '../errorBudget';
import { ShortCache, type CachedResponse } from '../guards';
import { HttpError } from '../http';
import type { Logger } from '../log';
import type { ConnectionRecord } from '../store/types';
import { SingleFlight } from '../singleFlight';
import { toResponse } from './answer';
import { cacheKeyOf, sharedRead } from './cache';
import { connectedConnection } from './connections';
import type { ProxyContext, ProxyDeps, ProxyRequest } from './context';
import { callExact } from './exactCall';
import { writeOrder } from './orders';
import { budgetsOf } from './queues';
import { forwardedHeaders, parseTarget, type ExactTarget } from './target';

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
    /** For the gateway's own Exact calls (background runs' webhook subscriptions). */
    context,
    /** Budget left per division for the status page. */
    budgets: (connection: ConnectionRecord) => budgetsOf(context, connection),
    queues,
    cache,
    flights,
    dropTenant: (tenantId: string) => cache.dropTenant(tenantId),
  };
}

export type Proxy = ReturnType<typeof createProxy>;

interface Classify {
  caller: Caller;
  logger: Logger;
  method: ExactMethod;
  target: ExactTarget;
  search: string;
}

/** The operation a request from outside is, or a refusal with its audit line. */
function operationOf({ caller, logger, method, target, search }: Classify): Operation {
  const classified = classifyExactRequest({ method, endpoint: target.endpoint, rest: target.rest, search });
  if ('refused' in classified) {
    refuse({ caller, operation: 'unknown', division: target.division, logger }, classified.refused, 'operation-not-allowed');
  }
  return classified.operation;
}

async function handle(context: ProxyContext, proxied: ProxyRequest): Promise<Response> {
  const { request, caller, logger } = proxied;
  const method = request.method as ExactMethod;
  const search = new URL(request.url).search;
  const target = parseTarget(method, proxied.subPath, search);
  const operation = proxied.operation ?? operationOf({ caller, logger, method, target, search });
  authorize({ caller, operation, division: target.division, logger });
  const connection = await connectedConnection(context.store, { caller, division: target.division, connectionId: proxied.connectionId, operation, logger });
  const endpointKey = `${connection.tenantId}/${connection.connectionId}/${target.division ?? 'current'}/${target.endpoint}`;
  refuseWhilePaused(context, { endpointKey, userId: caller.userId, endpoint: target.endpoint });
  if (operation === 'create-customer' && target.division !== undefined) {
    return createCustomer({ context, connection, caller, division: target.division, logger, signal: request.signal }, request);
  }
  if ((operation === 'send-orders' || operation === 'undo-orders') && target.division !== undefined) {
    return writeOrder(context, request, { operation, target: { ...target, division: target.division }, connection, caller, logger, endpointKey });
  }
  // Every other operation is a read.
  const forwarded = forwardedHeaders(request);
  // An order run's lookups decide whether to create: always Exact's answer of now, never a kept one.
  const cacheKey = operation === 'read-order-data' ? undefined : cacheKeyOf({ connection, method, target, accept: forwarded.Accept });
  const hit = cacheKey ? context.cache.get(cacheKey) : undefined;
  if (hit) {
    return toResponse(hit, { 'x-gateway-cache': 'hit' });
  }
  const exchange = (signal: AbortSignal): Promise<CachedResponse> =>
    callExact(context, { ...target, connection, caller, method, body: undefined, forwarded, logger, endpointKey, signal });
  if (cacheKey) {
    return sharedRead(context, { key: cacheKey, signal: request.signal, exchange });
  }
  return toResponse(await exchange(request.signal), {});
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
