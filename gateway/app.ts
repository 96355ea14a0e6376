/**
 * The gateway as a Web-standard app: `createGatewayApp(config, deps)` returns a WebHandler that
 * the Node entry (sandbox, `npm start`) and the Azure Functions entry both wrap.
 *
 * Routes under `config.basePath`:
 *   GET  /health
 *   POST /connect/ticket                 admin; a one-time ticket for the connect popup
 *   GET  /connect?returnUrl=…[&ticket=…][&host=teams]  admin; redirects to Exact's consent page
 *   GET  /oauth/callback                 Exact redirects here; stores the connection
 *   GET  /connection                     status (anyone in the tenant)
 *   GET  /teams-js.js                    teams-js for the outcome page of a connect started in Teams
 *   PUT  /connection/division            admin; {division}
 *   DELETE /connection                   admin; forgets the tokens
 *   *    /exact/{division}/{service}/{entity}…, /exact/current/Me   the proxy
 *   GET  /documents/{division}/invoices/{entryId}/pdf   an invoice PDF from Exact (gateway/documents.ts)
 * `?connection=` picks a connection (default `default`).
 */
import { randomBytes, randomUUID, createHmac } from 'node:crypto';
import { z } from 'zod';
import { systemClock, type Clock } from '../src/core/clock';
import type { HttpFunction } from '../src/exact/oauth';
import { createAxiosHttp } from '../src/exact/axiosTransport';
import { AuthError, createAuthenticator, requireAdmin, type Caller } from './auth';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config';
import { connectRetryHttp } from './connectRetry';
import { createExactOAuth, readExactAccount } from './exact';
import { checkDeclaredLength, errorResponse, HttpError, jsonResponse, readJson } from './http';
import { createJsonLogger, type Logger } from './log';
import { outcomePage, pageLanguage, type ConnectOutcome, type PageLanguage } from './pages';
import { createDocumentsRoute } from './documents';
import { teamsJsResponse } from './teamsJs';
import { createProxy } from './proxy/service';
import { createClockSleeper, type Sleeper } from './sleeper';
import { createStateSigner, StateError } from './state';
import { connectionRecordSchema, type GatewayStore } from './store/types';
import { createTokenService, ExactGrantRejectedError, newTokenRecord, refreshTokenLifetimeMs, type ExactOAuthPort, type ExactTokens } from './tokens';
import { createVault, parseEncryptionKey } from './vault';

export interface GatewayDeps {
  clock: Clock;
  store: GatewayStore;
  logger?: Logger;
  sleeper?: Sleeper;
  /** HTTP for Exact's token endpoint and account reads (defaults to axios). */
  exactHttp?: HttpFunction;
  /** Replaces the Exact OAuth adapter (tests inject faults here). */
  exactOAuth?: ExactOAuthPort;
  /** fetch used to load the issuer's JWKS. */
  fetch?: typeof fetch;
  /** Lease owner id of this instance. */
  instanceId?: string;
}

const connectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const divisionBodySchema = z.object({ division: z.number().int().positive() });
const monthDays = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const settingsBodySchema = z
  .object({
    financialYearStart: connectionRecordSchema.shape.financialYearStart
      .unwrap()
      .refine((v) => Number(v.slice(3)) <= (monthDays[Number(v.slice(0, 2)) - 1] ?? 0), 'that day does not exist in that month'),
  })
  .strict();
const ticketTtlMs = 60_000;

/** Holds the connect attempt's browser nonce between `/connect` and `/oauth/callback`. */
const connectCookie = 'exact_connect';

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function createGatewayApp(configInput: GatewayConfigInput | GatewayConfig, deps: GatewayDeps) {
  const config = parseGatewayConfig(configInput);
  // Lax: Exact's redirect back is a top-level GET, which carries Lax cookies; Secure on https.
  const connectCookieAttributes = (url: URL): string =>
    `Path=${config.basePath}/oauth/callback; HttpOnly; SameSite=Lax${url.protocol === 'https:' ? '; Secure' : ''}`;
  const { clock, store } = deps;
  const rootLogger = deps.logger ?? createJsonLogger(undefined, { service: 'gateway' }, () => clock.now());
  // Real time needs no fast polling; a TestClock is checked often so tests run quickly.
  const sleeper = deps.sleeper ?? createClockSleeper(clock, clock === systemClock ? 1000 : 5);
  const key = parseEncryptionKey(config.encryptionKey);
  const vault = createVault(key, config.encryptionKeyId);
  // A separate key for state signatures, derived so one setting suffices.
  const stateSecret = createHmac('sha256', key).update('exact-connect-state').digest();
  const http = deps.exactHttp ?? createAxiosHttp({ timeoutMs: config.upstreamTimeoutMs });
  const oauth = deps.exactOAuth ?? createExactOAuth(config.exact, http, clock);
  // The connect flow retries what is safe to retry (connectRetry.ts); refreshes never go through it.
  const connectHttp = connectRetryHttp(http, sleeper);
  const connectOAuth = deps.exactOAuth ?? createExactOAuth(config.exact, connectHttp, clock);
  const auth = createAuthenticator(config.auth, clock, deps.fetch);
  const states = createStateSigner(stateSecret, store, clock);
  // The refresh lease must outlive a slow refresh (Exact's answer plus the store write), or a
  // second instance would refresh with the retired token and mark a healthy connection broken.
  const leaseTtlMs = Math.max(60_000, 2 * config.upstreamTimeoutMs + 30_000);
  const tokens = createTokenService({ store, vault, oauth, clock, sleeper, logger: rootLogger, instanceId: deps.instanceId ?? randomUUID(), leaseTtlMs, leaseWaitMs: leaseTtlMs + 30_000 });
  const proxy = createProxy({ config, clock, sleeper, store, tokens });
  const documents = createDocumentsRoute({ config, proxy, store, tokens });
  const allowedOrigins = new Set(config.allowedReturnOrigins.map((o) => new URL(o).origin));

  const connectionIdOf = (url: URL): string => {
    const parsed = connectionIdSchema.safeParse(url.searchParams.get('connection') ?? 'default');
    if (!parsed.success) {
      throw new HttpError(400, 'bad-request', 'Query parameter connection must be 1-40 letters, digits, - or _.');
    }
    return parsed.data;
  };

  async function connectionStatus(caller: Caller, connectionId: string): Promise<Response> {
    const connection = await store.getConnection(caller.tenantId, connectionId);
    if (!connection) {
      return jsonResponse(200, { connected: false, status: 'not-connected' });
    }
    const token = await store.getToken(caller.tenantId, connectionId);
    return jsonResponse(200, {
      connected: connection.status === 'connected',
      status: connection.status,
      needsConsentReason: connection.needsConsentReason,
      exactUser: { fullName: connection.exactUser.fullName, userName: connection.exactUser.userName, email: connection.exactUser.email },
      region: connection.region,
      divisions: connection.divisions,
      division: connection.division,
      connectedAt: new Date(connection.connectedAt).toISOString(),
      accessTokenIssuedAt: token ? new Date(token.issuedAt).toISOString() : undefined,
      refreshTokenUsedAt: token ? new Date(token.refreshTokenUsedAt).toISOString() : undefined,
      consentNeededBy: token ? new Date(token.refreshTokenUsedAt + refreshTokenLifetimeMs).toISOString() : undefined,
      budget: proxy.budgets(connection),
      recentErrors: connection.recentErrors.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      financialYearStart: connection.financialYearStart,
    });
  }

  async function startConnect(url: URL, caller: Caller, connectionId: string): Promise<Response> {
    requireAdmin(caller, 'Connecting Exact Online');
    const returnUrl = url.searchParams.get('returnUrl') ?? '';
    let origin: string;
    try {
      origin = new URL(returnUrl).origin;
    } catch {
      throw new HttpError(400, 'bad-request', 'Query parameter returnUrl must be an absolute URL.');
    }
    if (!allowedOrigins.has(origin)) {
      throw new HttpError(400, 'bad-request', `returnUrl origin ${origin} is not an allowed return origin.`);
    }
    const host = url.searchParams.get('host') === 'teams' ? 'teams' : undefined;
    const { state, browserNonce } = await states.issue({ tenantId: caller.tenantId, connectionId, userId: caller.userId, returnUrl, host });
    const cookie = `${connectCookie}=${browserNonce}; ${connectCookieAttributes(url)}; Max-Age=600`;
    return new Response(null, { status: 302, headers: { location: oauth.authorizeUrl(state), 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
  }

  async function callback(url: URL, logger: Logger, language: PageLanguage, browserNonce: string | undefined): Promise<Response> {
    let state;
    try {
      state = await states.redeem(url.searchParams.get('state') ?? '', browserNonce);
    } catch (error) {
      if (error instanceof StateError) {
        logger.log('warn', 'connect.bad-state', { reason: error.message });
        return outcomePage({ type: 'exact-connect', ok: false, reason: 'expired', error: error.message }, { status: 400, language });
      }
      throw error;
    }
    const targetOrigin = new URL(state.returnUrl).origin;
    const fail = (message: string, status = 400, reason: ConnectOutcome['reason'] = 'exact-error'): Response =>
      outcomePage({ type: 'exact-connect', ok: false, reason, error: message }, { targetOrigin, status, language, host: state.host });
    const code = url.searchParams.get('code');
    if (!code) {
      const exactError = url.searchParams.get('error');
      return fail(`Exact did not give consent (${exactError ?? 'no code'}).`, 400, exactError === 'access_denied' ? 'denied' : 'exact-error');
    }
    let exactTokens: ExactTokens;
    try {
      exactTokens = await connectOAuth.exchangeCode(code);
    } catch (error) {
      logger.log('error', 'connect.exchange-failed', { error: error instanceof Error ? error.message : String(error) });
      const said = error instanceof ExactGrantRejectedError ? `Exact refused the sign-in (${error.reason})` : `Exact did not complete the sign-in (${error instanceof Error ? error.message : 'unknown error'})`;
      return fail(`${said}. Exact's one-time sign-in code cannot be used again, so only a new attempt can help.`, 502);
    }
    try {
      const account = await readExactAccount(connectHttp, config.exact.baseUrl, exactTokens.accessToken);
      const codes = account.divisions.map((d) => d.code);
      await tokens.withRefreshLease(state.tenantId, state.connectionId, async () => {
        const now = clock.now();
        const previous = await store.getConnection(state.tenantId, state.connectionId);
        const previousToken = await store.getToken(state.tenantId, state.connectionId);
        const division = previous?.division && codes.includes(previous.division) ? previous.division : codes.includes(account.currentDivision) ? account.currentDivision : null;
        // Token first: a connection record never points at tokens that are not stored.
        const record = newTokenRecord(vault, { tenantId: state.tenantId, connectionId: state.connectionId, tokens: exactTokens, now, version: (previousToken?.version ?? 0) + 1 });
        if (!(await store.replaceToken(record, previousToken?.version))) {
          throw new Error('the stored Exact token changed while connecting');
        }
        await store.putConnection({
          tenantId: state.tenantId,
          connectionId: state.connectionId,
          status: 'connected',
          exactBaseUrl: config.exact.baseUrl,
          region: config.exact.region,
          exactUser: account.user,
          divisions: account.divisions,
          division,
          connectedAt: now,
          connectedBy: state.userId,
          recentErrors: [],
          // A reconnect (consent renewed) keeps what the admin confirmed about the company.
          ...(previous?.financialYearStart ? { financialYearStart: previous.financialYearStart } : {}),
          updatedAt: now,
        });
      });
      proxy.dropTenant(state.tenantId);
      tokens.forget(state.tenantId, state.connectionId);
      logger.log('info', 'connect.stored', { tenant: state.tenantId, connection: state.connectionId, divisions: codes.length });
      return outcomePage({ type: 'exact-connect', ok: true, exactUser: account.user.fullName, divisions: codes.length }, { targetOrigin, status: 200, language, host: state.host });
    } catch (error) {
      logger.log('error', 'connect.failed', { error: error instanceof Error ? error.message : String(error) });
      return fail(`Connecting to Exact failed: ${error instanceof Error ? error.message : 'unknown error'}. Nothing was stored; only a new attempt can help.`, 502);
    }
  }

  async function route(request: Request, logger: Logger, setCaller: (c: Caller) => void): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.slice(config.basePath.length) || '/';
    const method = request.method;
    // Before anything else (the token check included): a declared body over the route's limit
    // is refused unread. Bodies are only read after authentication, counting bytes.
    checkDeclaredLength(request, path.startsWith('/exact/') ? config.maxProxyBodyBytes : config.maxSmallBodyBytes);
    const authenticated = async (): Promise<Caller> => {
      const caller = await auth.authenticate(request.headers.get('authorization'));
      setCaller(caller);
      return caller;
    };

    if (path === '/health' && method === 'GET') {
      return jsonResponse(200, { ok: true });
    }
    if (path === '/teams-js.js' && method === 'GET') {
      return teamsJsResponse();
    }
    if (path === '/oauth/callback' && method === 'GET') {
      const response = await callback(url, logger, pageLanguage(request.headers.get('accept-language')), readCookie(request, connectCookie));
      response.headers.append('set-cookie', `${connectCookie}=; ${connectCookieAttributes(url)}; Max-Age=0`);
      return response;
    }
    if (path === '/connect/ticket' && method === 'POST') {
      const caller = await authenticated();
      requireAdmin(caller, 'Connecting Exact Online');
      const ticket = randomBytes(24).toString('base64url');
      const expiresAt = clock.now() + ticketTtlMs;
      await store.putOneTime({ kind: 'connect-ticket', id: ticket, payload: caller, expiresAt });
      return jsonResponse(201, { ticket, expiresAt: new Date(expiresAt).toISOString() });
    }
    if (path === '/connect' && method === 'GET') {
      const ticket = url.searchParams.get('ticket');
      let caller: Caller;
      if (ticket) {
        const record = await store.takeOneTime('connect-ticket', ticket);
        const parsed = z.object({ tenantId: z.string(), userId: z.string(), name: z.string(), roles: z.array(z.string()), isAdmin: z.boolean() }).safeParse(record?.payload);
        if (!parsed.success) {
          throw new HttpError(401, 'unauthorized', 'The connect ticket is unknown, used or expired; start again.');
        }
        caller = parsed.data;
        setCaller(caller);
      } else {
        caller = await authenticated();
      }
      return startConnect(url, caller, connectionIdOf(url));
    }
    if (path === '/connection' && method === 'GET') {
      return connectionStatus(await authenticated(), connectionIdOf(url));
    }
    if (path === '/connection' && method === 'DELETE') {
      const caller = await authenticated();
      requireAdmin(caller, 'Disconnecting Exact Online');
      await store.deleteConnection(caller.tenantId, connectionIdOf(url));
      tokens.forget(caller.tenantId, connectionIdOf(url));
      proxy.dropTenant(caller.tenantId);
      logger.log('info', 'connection.deleted', { tenant: caller.tenantId });
      return jsonResponse(200, { connected: false, status: 'not-connected' });
    }
    if (path === '/connection/division' && method === 'PUT') {
      const caller = await authenticated();
      requireAdmin(caller, 'Changing the division');
      const connectionId = connectionIdOf(url);
      const { division } = await readJson(request, divisionBodySchema, config.maxSmallBodyBytes);
      const connection = await store.getConnection(caller.tenantId, connectionId);
      if (!connection) {
        throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
      }
      if (!connection.divisions.some((d) => d.code === division)) {
        throw new HttpError(400, 'bad-request', `Field division: ${division} is not one of this connection's divisions (${connection.divisions.map((d) => d.code).join(', ')}).`);
      }
      await store.putConnection({ ...connection, division, updatedAt: clock.now() });
      return connectionStatus(caller, connectionId);
    }
    if (path === '/connection/settings' && method === 'PUT') {
      const caller = await authenticated();
      requireAdmin(caller, 'Changing the connection settings');
      const connectionId = connectionIdOf(url);
      const { financialYearStart } = await readJson(request, settingsBodySchema, config.maxSmallBodyBytes);
      const connection = await store.getConnection(caller.tenantId, connectionId);
      if (!connection) {
        throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
      }
      await store.putConnection({ ...connection, financialYearStart, updatedAt: clock.now() });
      logger.log('info', 'connection.settings', { tenant: caller.tenantId, financialYearStart });
      return connectionStatus(caller, connectionId);
    }
    if (path.startsWith('/documents/') && method === 'GET') {
      return documents.handle({ request, caller: await authenticated(), subPath: path.slice('/documents/'.length), logger, connectionId: connectionIdOf(url) });
    }
    if (path.startsWith('/exact/') && ['GET', 'POST', 'PUT'].includes(method)) {
      const caller = await authenticated();
      return proxy.handle({ request, caller, subPath: path.slice('/exact/'.length), logger, connectionId: connectionIdOf(url) });
    }
    throw new HttpError(404, 'not-found', `No gateway route for ${method} ${path}.`);
  }

  function corsHeaders(request: Request): Record<string, string> {
    const origin = request.headers.get('origin');
    if (!origin || !(config.corsOrigins.includes(origin) || config.corsOrigins.includes('*'))) {
      return {};
    }
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'authorization, content-type, accept, prefer, x-correlation-id',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-expose-headers': 'x-correlation-id, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-ratelimit-minutely-limit, x-ratelimit-minutely-remaining, x-ratelimit-minutely-reset, retry-after',
      'access-control-max-age': '600',
      vary: 'origin',
    };
  }

  const handler = async (request: Request): Promise<Response> => {
    const given = request.headers.get('x-correlation-id');
    const correlationId = given && /^[A-Za-z0-9._:-]{1,80}$/.test(given) ? given : randomUUID();
    const logger = rootLogger.child({ correlationId });
    const started = clock.now();
    let caller: Caller | undefined;
    let response: Response;
    if (request.method === 'OPTIONS') {
      response = new Response(null, { status: 204 });
    } else {
      try {
        response = await route(request, logger, (c) => (caller = c));
      } catch (error) {
        if (error instanceof HttpError) {
          response = errorResponse(error);
        } else if (error instanceof AuthError) {
          response = errorResponse(new HttpError(error.status, error.status === 401 ? 'unauthorized' : 'forbidden', error.message, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {}));
        } else {
          logger.log('error', 'request.failed', { error: error instanceof Error ? error.message : String(error) });
          response = errorResponse(new HttpError(500, 'internal', 'The gateway failed; see its log with this correlation id.'));
        }
      }
    }
    const headers = new Headers(response.headers);
    headers.set('x-correlation-id', correlationId);
    for (const [name, value] of Object.entries(corsHeaders(request))) {
      headers.set(name, value);
    }
    // Only the path: query strings carry tickets, codes and state.
    logger.log(response.status >= 500 ? 'error' : 'info', 'request', {
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      ms: clock.now() - started,
      tenant: caller?.tenantId,
      user: caller?.userId,
    });
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };

  return Object.assign(handler, { tokens, proxy, config, sleeper });
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;
