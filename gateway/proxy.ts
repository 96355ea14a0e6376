/**
 * `/exact/{division}/{service}/{entity}…` and `/exact/current/Me`: the caller's tenant must own
 * the division; the call waits its turn in the division's queue, GETs are retried on 5xx and on
 * no answer, writes never blindly; a breaker per endpoint keeps us under Exact's error block; the
 * customer panel's finance reads are cached briefly. The Exact token is added here and never
 * leaves the gateway.
 */
import axios from 'axios';
import { createAxiosTransport } from '../src/exact/axiosTransport';
import type { ExactMethod, ExactResponse } from '../src/exact/transport';
import type { Clock } from '../src/sync/clock';
import type { Caller } from './auth';
import type { GatewayConfig } from './config';
import { ExactErrorBudget } from './errorBudget';
import { accountCreateAudit, createdAccountId, isPanelAccountRead } from './financePolicy';
import { exactQuery, isAllowed, isCacheable, parseEndpoint, ShortCache, type CachedResponse } from './guards';
import { HttpError, readBoundedText } from './http';
import type { Logger } from './log';
import { BudgetExhaustedError, CallAbortedError, DivisionQueue } from './queue';
import { callerGone, SingleFlight } from './singleFlight';
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

/** Exact's OData error text (`{error: {message: {value}}}`), if the body has one. */
function exactErrorMessage(data: unknown): string | undefined {
  const error = typeof data === 'object' && data !== null ? (data as { error?: { message?: { value?: unknown } } }).error : undefined;
  const value = error?.message?.value;
  return typeof value === 'string' ? value.slice(0, 300) : undefined;
}

/**
 * Whether a failed call may have reached Exact. Anything thrown before axios sent the request
 * (preparing the body) or a refused connection means Exact never saw it.
 */
function reachedExact(error: unknown): boolean {
  return axios.isAxiosError(error) && error.code !== 'ECONNREFUSED';
}

export function createProxy(deps: ProxyDeps) {
  const { config, clock, sleeper, store, tokens } = deps;
  const queues = new Map<string, DivisionQueue>();
  const errorBudget = new ExactErrorBudget(clock, { sharedThreshold: config.breakerThreshold, callerThreshold: config.callerErrorThreshold });
  const cache = new ShortCache(clock, config.cacheTtlMs);
  const flights = new SingleFlight<CachedResponse>();

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

  /** Exact answered; the caller gets Exact's JSON, or the gateway's JSON error for a 5xx (Exact's may be an HTML page). */
  function answerOf(response: ExactResponse, method: ExactMethod, endpoint: string): CachedResponse {
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

  async function handle(request: Request, caller: Caller, subPath: string, logger: Logger, connectionId: string): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method as ExactMethod;
    const { signal } = request;
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
    const endpointKey = `${connection.tenantId}/${connection.connectionId}/${division ?? 'current'}/${endpoint}`;
    const pause = errorBudget.check(endpointKey, caller.userId, endpoint);
    if (pause) {
      throw new HttpError(pause.status, pause.code, pause.message, { 'retry-after': String(Math.max(1, Math.ceil((pause.until - clock.now()) / 1000))) });
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
    // Accept is part of the key: an Atom answer must never be served to a JSON caller. The tenant
    // leads the key (dropTenant) and the connection follows: never shared across either.
    const cacheable = method === 'GET' && (isCacheable(endpoint) || isPanelAccountRead(method, exactPath));
    const cacheKey = cacheable ? `${connection.tenantId}|${connection.connectionId}|${forwarded.Accept ?? ''}|${exactPath}` : undefined;
    const hit = cacheKey ? cache.get(cacheKey) : undefined;
    if (hit) {
      return toResponse(hit, { 'x-gateway-cache': 'hit' });
    }
    const body = method === 'POST' || method === 'PUT' ? await writeBody(request) : undefined;
    const audit = accountCreateAudit(caller, method, endpoint, body);
    const exchange = (callSignal: AbortSignal): Promise<CachedResponse> => callExact({ connection, caller, method, endpoint, exactPath, division, body, forwarded, logger, endpointKey, signal: callSignal });
    if (!cacheKey) {
      const answer = await exchange(signal);
      if (audit) {
        logger.log('info', 'exact.account-created', { ...audit, status: answer.status, id: createdAccountIdOf(answer) });
      }
      return toResponse(answer, {});
    }
    const { answer, shared } = await flights.run(cacheKey, signal, exchange);
    if (answer.status === 200) {
      cache.set(cacheKey, answer);
    }
    return toResponse(answer, { 'x-gateway-cache': shared ? 'shared' : 'miss' });
  }

  async function writeBody(request: Request): Promise<unknown> {
    const text = await readBoundedText(request, config.maxProxyBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(400, 'bad-request', 'The request body must be JSON.');
    }
    try {
      // Serialised here once so a body that cannot be (nested too deeply) fails before anything is
      // queued or sent, and the caller is told so.
      JSON.stringify(body);
    } catch {
      throw new HttpError(400, 'bad-request', 'The request body is nested too deeply to send; nothing was sent to Exact.');
    }
    return body;
  }

  interface ExactCall {
    connection: ConnectionRecord;
    caller: Caller;
    method: ExactMethod;
    endpoint: string;
    exactPath: string;
    division: number | undefined;
    body: unknown;
    forwarded: Record<string, string>;
    logger: Logger;
    endpointKey: string;
    signal: AbortSignal;
  }

  async function callExact(c: ExactCall): Promise<CachedResponse> {
    const { connection, method, endpoint, division, logger, signal } = c;
    const attempts = method === 'GET' ? config.getAttempts : 1;
    let response: ExactResponse | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) {
        throw callerGone();
      }
      try {
        response =
          division === undefined
            ? await send(connection, method, c.exactPath, c.body, c.forwarded) // no division: not in Exact's budget
            : await queueFor(connection, division).enqueue({
                callerId: c.caller.userId,
                signal,
                run: async () => {
                  const result = await send(connection, method, c.exactPath, c.body, c.forwarded);
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
        if (error instanceof CallAbortedError) {
          throw callerGone();
        }
        const sent = reachedExact(error);
        logger.log('warn', sent ? 'exact.no-answer' : 'exact.not-sent', { endpoint, attempt, error: error instanceof Error ? error.name : 'unknown' });
        if (attempt < attempts || (!sent && attempt < config.getAttempts)) {
          await sleeper.sleep(1000 * 2 ** (attempt - 1));
          continue;
        }
        await noteError(connection, endpoint, 0, sent ? 'Exact did not answer' : 'Exact could not be reached').catch(() => undefined);
        if (!sent) {
          throw new HttpError(502, 'exact-not-sent', `The gateway could not reach Exact for ${method} ${endpoint}; nothing was sent, so it is safe to try again.`);
        }
        throw new HttpError(method === 'GET' ? 504 : 502, 'exact-no-answer', method === 'GET' ? `Exact did not answer ${endpoint}.` : `Exact did not answer ${method} ${endpoint}; it may or may not have been applied. Check in Exact before sending it again.`);
      }
      if (response.status >= 500 && attempt < attempts) {
        logger.log('warn', 'exact.retry', { endpoint, attempt, status: response.status });
        await sleeper.sleep(1000 * 2 ** (attempt - 1));
        continue;
      }
      break;
    }
    errorBudget.record(c.endpointKey, c.caller.userId, response.status);
    if (response.status >= 400) {
      logger.log('warn', 'exact.error', { endpoint, status: response.status });
      await noteError(connection, endpoint, response.status, `HTTP ${response.status}`).catch(() => undefined);
    }
    if (method !== 'GET') {
      cache.dropTenant(connection.tenantId);
    }
    return answerOf(response, method, endpoint);
  }

  /** Budget left per division for the status page. */
  function budgets(connection: ConnectionRecord) {
    return connection.divisions.map((d) => {
      const queue = queues.get(`${connection.exactBaseUrl}|${d.code}`) ?? new DivisionQueue(clock, sleeper, config.budget);
      return { division: d.code, ...queue.windows(), queued: queue.queued };
    });
  }

  return { handle, budgets, queues, cache, flights, dropTenant: (tenantId: string) => cache.dropTenant(tenantId) };
}

/** The new account's ID from Exact's answer (who created which account goes in the log). */
function createdAccountIdOf(answer: CachedResponse): string | undefined {
  try {
    return createdAccountId({ status: answer.status, headers: answer.headers, data: JSON.parse(answer.body) as unknown });
  } catch {
    return undefined;
  }
}

export type Proxy = ReturnType<typeof createProxy>;
