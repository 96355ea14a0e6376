/**
 * `/exact/{division}/{service}/{entity}…` and `/exact/current/Me`: the caller's tenant must own
 * the division; the call waits its turn in the division's queue, GETs are retried on 5xx and on
 * no answer, writes never blindly; a breaker per endpoint keeps us under Exact's error block; the
 * customer panel's finance reads are cached briefly. The Exact token is added here and never
 * leaves the gateway.
 */
import { createAxiosTransport } from '../src/exact/axiosTransport';
import type { ExactMethod, ExactResponse } from '../src/exact/transport';
import type { Clock } from '../src/core/clock';
import type { Caller } from './auth';
import type { GatewayConfig } from './config';
import { CircuitBreaker, countsAsExactError, exactQuery, isAllowed, isCacheable, parseEndpoint, ShortCache, type CachedResponse } from './guards';
import { accountCreateAudit, createdAccountId, isPanelAccountRead } from './financePolicy';
import { HttpError } from './http';
import type { Logger } from './log';
import { BudgetExhaustedError, DivisionQueue } from './queue';
import type { Sleeper } from './sleeper';
import type { ConnectionRecord, GatewayStore } from './store/types';
import { ConnectionUnavailableError, type TokenService } from './tokens';

export interface ProxyDeps {
  config: GatewayConfig;
  clock: Clock;
  sleeper: Sleeper;
  store: GatewayStore;
  tokens: TokenService;
}

// Exact explains a 403 in a Reason header; the rate-limit headers are per-division facts, not secrets.
const passHeaders = /^(content-type|reason|x-ratelimit-[a-z-]+)$/;

function toResponse(cached: CachedResponse, extra: Record<string, string>): Response {
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

export function createProxy(deps: ProxyDeps) {
  const { config, clock, sleeper, store, tokens } = deps;
  const queues = new Map<string, DivisionQueue>();
  const breaker = new CircuitBreaker(clock, config.breakerThreshold);
  const cache = new ShortCache(clock, config.cacheTtlMs);

  const queueFor = (connection: ConnectionRecord, division: number): DivisionQueue => {
    const key = `${connection.exactBaseUrl}|${division}`;
    let queue = queues.get(key);
    if (!queue) {
      queue = new DivisionQueue(clock, sleeper, config.budget);
      queues.set(key, queue);
    }
    return queue;
  };

  async function findConnection(caller: Caller, division: number | undefined, connectionId: string): Promise<ConnectionRecord> {
    if (division === undefined) {
      const connection = await store.getConnection(caller.tenantId, connectionId);
      if (!connection) {
        throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
      }
      return connection;
    }
    const owned = (await store.listConnections(caller.tenantId)).filter((c) => c.divisions.some((d) => d.code === division));
    const connection = owned.find((c) => c.status === 'connected') ?? owned[0];
    if (!connection) {
      throw new HttpError(403, 'division-not-allowed', `Division ${division} does not belong to your organisation's Exact connection.`);
    }
    return connection;
  }

  async function noteError(connection: ConnectionRecord, where: string, status: number, message: string): Promise<void> {
    const latest = await store.getConnection(connection.tenantId, connection.connectionId);
    if (!latest) {
      return;
    }
    const now = clock.now();
    await store.putConnection({ ...latest, recentErrors: [{ at: now, where, status, message }, ...latest.recentErrors].slice(0, 20), updatedAt: now });
  }

  async function send(connection: ConnectionRecord, method: ExactMethod, path: string, body: unknown, forwarded: Record<string, string>): Promise<ExactResponse> {
    const transport = createAxiosTransport({
      baseUrl: `${connection.exactBaseUrl.replace(/\/+$/, '')}/api/v1/`,
      getAccessToken: () => tokens.getAccessToken(connection),
      timeoutMs: config.upstreamTimeoutMs,
    });
    const headers: Record<string, string> = { ...forwarded };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    return transport.send({ method, path, headers, body });
  }

  async function handle(request: Request, caller: Caller, subPath: string, logger: Logger, connectionId: string): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method as ExactMethod;
    let division: number | undefined;
    let endpoint: string;
    let exactPath: string;
    const query = exactQuery(url.search);
    if (query === undefined) {
      throw new HttpError(400, 'bad-request', `Only the OData options $select, $filter, $top, $skiptoken, $orderby, $inlinecount and $expand go to Exact; got ${url.search}`);
    }
    if (subPath === 'current/Me') {
      if (method !== 'GET') {
        throw new HttpError(405, 'method-not-allowed', 'current/Me is read-only.');
      }
      endpoint = 'current/Me';
      exactPath = `current/Me${query}`;
    } else {
      const match = /^(\d+)\/(.+)$/.exec(subPath);
      const parsed = match ? parseEndpoint(match[2]!) : undefined;
      if (!match || !parsed) {
        throw new HttpError(404, 'unknown-endpoint', `Not an Exact endpoint path: ${subPath}`);
      }
      if (!isAllowed(method, parsed.endpoint)) {
        throw new HttpError(403, 'endpoint-not-allowed', `${method} ${parsed.endpoint} is not an endpoint this connector uses.`);
      }
      division = Number(match[1]);
      endpoint = parsed.endpoint;
      exactPath = `${division}/${parsed.rest}${query}`;
    }
    const connection = await findConnection(caller, division, connectionId);
    if (connection.status !== 'connected') {
      throw new HttpError(409, 'needs-consent', `Exact needs a new consent: ${connection.needsConsentReason ?? 'the connection was lost'}. An admin must connect again.`);
    }
    const breakerKey = `${connection.tenantId}/${division ?? 'current'}/${endpoint}`;
    const openUntil = breaker.openUntil(breakerKey);
    if (openUntil !== undefined) {
      throw new HttpError(503, 'endpoint-paused', `Exact answered ${endpoint} with ${config.breakerThreshold} errors in the last hour; calls are paused until ${new Date(openUntil).toISOString()} so Exact does not block this app (it blocks at 10 an hour).`, { 'retry-after': String(Math.ceil((openUntil - clock.now()) / 1000)) });
    }
    // Exact reads Accept (JSON vs Atom) and Prefer (return=representation on POST, without
    // which a created record comes back almost all null); nothing else from the caller goes on.
    const forwarded: Record<string, string> = {};
    for (const [name, header] of [['accept', 'Accept'], ['prefer', 'Prefer']] as const) {
      const value = request.headers.get(name);
      if (value) {
        forwarded[header] = value;
      }
    }
    // Accept is part of the key: an Atom answer must never be served to a JSON caller.
    const cacheKey = method === 'GET' && (isCacheable(endpoint) || isPanelAccountRead(method, exactPath)) ? `${connection.tenantId}|${forwarded.Accept ?? ''}|${exactPath}` : undefined;
    const hit = cacheKey ? cache.get(cacheKey) : undefined;
    if (hit) {
      return toResponse(hit, { 'x-gateway-cache': 'hit' });
    }
    const body = method === 'POST' || method === 'PUT' ? await request.json().catch(() => { throw new HttpError(400, 'bad-request', 'The request body must be JSON.'); }) : undefined;
    const audit = accountCreateAudit(caller, method, endpoint, body);

    const attempts = method === 'GET' ? config.getAttempts : 1;
    let response: ExactResponse | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        response =
          division === undefined
            ? await send(connection, method, exactPath, body, forwarded) // no division: not in Exact's budget
            : await queueFor(connection, division).enqueue({
                callerId: caller.userId,
                run: async () => {
                  const result = await send(connection, method, exactPath, body, forwarded);
                  return { result, headers: result.headers, status: result.status };
                },
              });
      } catch (error) {
        if (error instanceof ConnectionUnavailableError) {
          throw new HttpError(error.status, error.code, error.message);
        }
        if (error instanceof BudgetExhaustedError) {
          throw new HttpError(429, 'budget-spent', error.message, { 'retry-after': String(Math.ceil((error.resetAt - clock.now()) / 1000)) });
        }
        logger.log('warn', 'exact.no-answer', { endpoint, attempt, error: error instanceof Error ? error.name : 'unknown' });
        if (attempt < attempts) {
          await sleeper.sleep(1000 * 2 ** (attempt - 1));
          continue;
        }
        await noteError(connection, endpoint, 0, 'Exact did not answer').catch(() => undefined);
        throw new HttpError(method === 'GET' ? 504 : 502, 'exact-no-answer', method === 'GET' ? `Exact did not answer ${endpoint}.` : `Exact did not answer ${method} ${endpoint}; it may or may not have been applied. Check in Exact before sending it again.`);
      }
      if (response.status >= 500 && attempt < attempts) {
        logger.log('warn', 'exact.retry', { endpoint, attempt, status: response.status });
        await sleeper.sleep(1000 * 2 ** (attempt - 1));
        continue;
      }
      break;
    }
    if (countsAsExactError(response.status)) {
      breaker.recordError(breakerKey);
    }
    if (response.status >= 400) {
      logger.log('warn', 'exact.error', { endpoint, status: response.status });
      await noteError(connection, endpoint, response.status, `HTTP ${response.status}`).catch(() => undefined);
    }
    if (audit) logger.log('info', 'exact.account-created', { ...audit, status: response.status, id: createdAccountId(response) });
    const out = fromExact(response);
    if (cacheKey && response.status === 200) {
      cache.set(cacheKey, out);
    }
    if (method !== 'GET') {
      cache.dropTenant(connection.tenantId);
    }
    return toResponse(out, cacheKey ? { 'x-gateway-cache': 'miss' } : {});
  }

  /** Budget left per division for the status page. */
  function budgets(connection: ConnectionRecord) {
    return connection.divisions.map((d) => {
      const queue = queues.get(`${connection.exactBaseUrl}|${d.code}`) ?? new DivisionQueue(clock, sleeper, config.budget);
      return { division: d.code, ...queue.windows(), queued: queue.queued };
    });
  }

  return { handle, budgets, queues, cache, dropTenant: (tenantId: string) => cache.dropTenant(tenantId) };
}

export type Proxy = ReturnType<typeof createProxy>;
