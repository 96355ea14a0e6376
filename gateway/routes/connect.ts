/**
 * Connecting a tenant to Exact: `POST /connect/ticket` (admin; a one-time ticket, since the
 * connect popup cannot send a bearer header), `GET /connect?returnUrl=…[&ticket=…][&host=teams]`
 * (admin; redirects to Exact's consent page) and `GET /oauth/callback` (Exact redirects here; the
 * connection is stored and a page tells the opener the outcome).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import type { HttpFunction } from '../../src/exact/oauth';
import { authorize } from '../access/authorize';
import { enabledAfterConnect } from '../access/divisions';
import type { Caller } from '../auth';
import type { GatewayConfig } from '../config';
import { connectRetryHttp } from '../connectRetry';
import { createExactOAuth, readExactAccount, type ExactAccount } from '../exact';
import { HttpError, jsonResponse } from '../http';
import type { Logger } from '../log';
import { outcomePage, pageLanguage, type ConnectOutcome, type PageLanguage } from '../pages';
import type { Proxy } from '../proxy/service';
import type { Sleeper } from '../sleeper';
import { createStateSigner, StateError, type ConnectState, type StateSigner } from '../state';
import type { ConnectionRecord, GatewayStore } from '../store/types';
import { ExactGrantRejectedError, newTokenRecord, type ExactOAuthPort, type ExactTokens, type TokenService } from '../tokens';
import type { Vault } from '../vault';
import { financialYearsFor, keepSettings, takeKeptSettings } from './keptSettings';
import type { Route, RouteRequest } from './route';

export interface ConnectDeps {
  config: GatewayConfig;
  clock: Clock;
  sleeper: Sleeper;
  store: GatewayStore;
  vault: Vault;
  tokens: TokenService;
  proxy: Proxy;
  /** HTTP to Exact's token endpoint and account reads; the connect flow adds its retries. */
  http: HttpFunction;
  /** Replaces the Exact OAuth adapter (tests inject faults here). */
  exactOAuth?: ExactOAuthPort;
  /** The gateway's encryption key; the state signatures use a key derived from it. */
  encryptionKey: Buffer;
}

interface ConnectFlow extends ConnectDeps {
  connectHttp: HttpFunction;
  connectOAuth: ExactOAuthPort;
  states: StateSigner;
  allowedOrigins: ReadonlySet<string>;
}

const ticketTtlMs = 60_000;
const ticketCallerSchema = z.object({ tenantId: z.string(), userId: z.string(), name: z.string(), roles: z.array(z.string()), isAdmin: z.boolean() });

/** Holds the connect attempt's browser nonce between `/connect` and `/oauth/callback`. */
const connectCookie = 'exact_connect';

// Lax: Exact's redirect back is a top-level GET, which carries Lax cookies; Secure on https.
const connectCookieAttributes = (config: GatewayConfig, url: URL): string =>
  `Path=${config.basePath}/oauth/callback; HttpOnly; SameSite=Lax${url.protocol === 'https:' ? '; Secure' : ''}`;

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function createConnectRoute(deps: ConnectDeps): Route[] {
  const { config, clock, store } = deps;
  // The connect flow retries what is safe to retry (connectRetry.ts); refreshes never go through it.
  const connectHttp = connectRetryHttp(deps.http, deps.sleeper);
  // A separate key for state signatures, derived so one setting suffices.
  const stateSecret = createHmac('sha256', deps.encryptionKey).update('exact-connect-state').digest();
  const flow: ConnectFlow = {
    ...deps,
    connectHttp,
    connectOAuth: deps.exactOAuth ?? createExactOAuth(config.exact, connectHttp, clock),
    states: createStateSigner(stateSecret, store, clock),
    allowedOrigins: new Set(config.allowedReturnOrigins.map((o) => new URL(o).origin)),
  };
  return [
    { method: 'POST', path: '/connect/ticket', handle: (r) => issueTicket(flow, r) },
    { method: 'GET', path: '/connect', handle: (r) => startConnect(flow, r) },
    { method: 'GET', path: '/oauth/callback', handle: (r) => finishConnect(flow, r) },
  ];
}

async function issueTicket({ clock, store }: ConnectFlow, r: RouteRequest): Promise<Response> {
  const caller = await r.authenticate();
  authorize({ caller, operation: 'change-connection', logger: r.logger });
  const ticket = randomBytes(24).toString('base64url');
  const expiresAt = clock.now() + ticketTtlMs;
  await store.putOneTime({ kind: 'connect-ticket', id: ticket, payload: caller, expiresAt });
  return jsonResponse(201, { ticket, expiresAt: new Date(expiresAt).toISOString() });
}

/** The ticket's caller when there is a ticket, else the bearer token's. */
async function connectCaller({ store }: ConnectFlow, r: RouteRequest): Promise<Caller> {
  const ticket = r.url.searchParams.get('ticket');
  if (!ticket) {
    return r.authenticate();
  }
  const record = await store.takeOneTime('connect-ticket', ticket);
  const parsed = ticketCallerSchema.safeParse(record?.payload);
  if (!parsed.success) {
    throw new HttpError(401, 'unauthorized', 'The connect ticket is unknown, used or expired; start again.');
  }
  r.identify(parsed.data);
  return parsed.data;
}

async function startConnect(flow: ConnectFlow, r: RouteRequest): Promise<Response> {
  const caller = await connectCaller(flow, r);
  const connectionId = r.connectionId();
  authorize({ caller, operation: 'change-connection', logger: r.logger });
  const returnUrl = r.url.searchParams.get('returnUrl') ?? '';
  let origin: string;
  try {
    origin = new URL(returnUrl).origin;
  } catch {
    throw new HttpError(400, 'bad-request', 'Query parameter returnUrl must be an absolute URL.');
  }
  if (!flow.allowedOrigins.has(origin)) {
    throw new HttpError(400, 'bad-request', `returnUrl origin ${origin} is not an allowed return origin.`);
  }
  const host = r.url.searchParams.get('host') === 'teams' ? 'teams' : undefined;
  const { state, browserNonce } = await flow.states.issue({ tenantId: caller.tenantId, connectionId, userId: caller.userId, returnUrl, host });
  const cookie = `${connectCookie}=${browserNonce}; ${connectCookieAttributes(flow.config, r.url)}; Max-Age=600`;
  return new Response(null, {
    status: 302,
    headers: { location: flow.connectOAuth.authorizeUrl(state), 'set-cookie': cookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

async function finishConnect(flow: ConnectFlow, r: RouteRequest): Promise<Response> {
  const response = await callback(flow, r, pageLanguage(r.request.headers.get('accept-language')));
  response.headers.append('set-cookie', `${connectCookie}=; ${connectCookieAttributes(flow.config, r.url)}; Max-Age=0`);
  return response;
}

/** A connect attempt whose state checked out: from here on, the outcome page posts to its opener. */
interface Attempt {
  state: ConnectState;
  targetOrigin: string;
  language: PageLanguage;
  logger: Logger;
}

function failPage(attempt: Attempt, message: string, { status = 400, reason = 'exact-error' }: { status?: number; reason?: ConnectOutcome['reason'] } = {}): Response {
  const { targetOrigin, language, state } = attempt;
  return outcomePage({ type: 'exact-connect', ok: false, reason, error: message }, { targetOrigin, status, language, host: state.host });
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function callback(flow: ConnectFlow, r: RouteRequest, language: PageLanguage): Promise<Response> {
  let state: ConnectState;
  try {
    state = await flow.states.redeem(r.url.searchParams.get('state') ?? '', readCookie(r.request, connectCookie));
  } catch (error) {
    if (error instanceof StateError) {
      r.logger.log('warn', 'connect.bad-state', { reason: error.message });
      return outcomePage({ type: 'exact-connect', ok: false, reason: 'expired', error: error.message }, { status: 400, language });
    }
    throw error;
  }
  const attempt: Attempt = { state, targetOrigin: new URL(state.returnUrl).origin, language, logger: r.logger };
  const code = r.url.searchParams.get('code');
  if (!code) {
    const exactError = r.url.searchParams.get('error');
    return failPage(attempt, `Exact did not give consent (${exactError ?? 'no code'}).`, { reason: exactError === 'access_denied' ? 'denied' : 'exact-error' });
  }
  let exactTokens: ExactTokens;
  try {
    exactTokens = await flow.connectOAuth.exchangeCode(code);
  } catch (error) {
    r.logger.log('error', 'connect.exchange-failed', { error: errorText(error) });
    const said = error instanceof ExactGrantRejectedError ? `Exact refused the sign-in (${error.reason})` : `Exact did not complete the sign-in (${error instanceof Error ? error.message : 'unknown error'})`;
    return failPage(attempt, `${said}. Exact's one-time sign-in code cannot be used again, so only a new attempt can help.`, { status: 502 });
  }
  return connectWith(flow, attempt, exactTokens);
}

async function connectWith(flow: ConnectFlow, attempt: Attempt, exactTokens: ExactTokens): Promise<Response> {
  const { state, logger } = attempt;
  try {
    const account = await readExactAccount(flow.connectHttp, flow.config.exact.baseUrl, exactTokens.accessToken);
    await storeConnection(flow, { state, account, exactTokens });
    flow.proxy.dropTenant(state.tenantId);
    flow.tokens.forget(state.tenantId, state.connectionId);
    logger.log('info', 'connect.stored', { tenant: state.tenantId, connection: state.connectionId, user: state.userId, divisions: account.divisions.length });
    const outcome: ConnectOutcome = { type: 'exact-connect', ok: true, exactUser: account.user.fullName, divisions: account.divisions.length };
    return outcomePage(outcome, { targetOrigin: attempt.targetOrigin, status: 200, language: attempt.language, host: state.host });
  } catch (error) {
    logger.log('error', 'connect.failed', { error: errorText(error) });
    return failPage(attempt, `Connecting to Exact failed: ${error instanceof Error ? error.message : 'unknown error'}. Nothing was stored; only a new attempt can help.`, { status: 502 });
  }
}

interface NewConnection {
  state: ConnectState;
  account: ExactAccount;
  exactTokens: ExactTokens;
}

/** Holds the refresh lease, so a refresh racing this reconnect cannot write the old grant's tokens over the new ones. */
async function storeConnection({ config, clock, store, vault, tokens }: ConnectFlow, { state, account, exactTokens }: NewConnection): Promise<void> {
  const codes = account.divisions.map((d) => d.code);
  await tokens.withRefreshLease(state.tenantId, state.connectionId, async () => {
    const now = clock.now();
    const previous = await store.getConnection(state.tenantId, state.connectionId);
    const previousToken = await store.getToken(state.tenantId, state.connectionId);
    // After a disconnect, the financial years the admin confirmed before it.
    const kept = previous ? undefined : await takeKeptSettings(store, { tenantId: state.tenantId, connectionId: state.connectionId, codes });
    // A reconnect keeps them too, for the administrations this login still reaches.
    const confirmed = previous ? financialYearsFor({ ...previous, divisions: previous.divisions.map((d) => d.code) }, codes) : kept;
    const division = previous?.division && codes.includes(previous.division) ? previous.division : codes.includes(account.currentDivision) ? account.currentDivision : null;
    // Token first: a connection record never points at tokens that are not stored.
    const record = newTokenRecord(vault, { tenantId: state.tenantId, connectionId: state.connectionId, tokens: exactTokens, now, version: (previousToken?.version ?? 0) + 1 });
    if (!(await store.replaceToken(record, previousToken?.version))) {
      throw new Error('the stored Exact token changed while connecting');
    }
    const connection = {
      tenantId: state.tenantId,
      connectionId: state.connectionId,
      status: 'connected',
      exactBaseUrl: config.exact.baseUrl,
      region: config.exact.region,
      exactUser: account.user,
      divisions: account.divisions,
      division,
      enabledDivisions: enabledAfterConnect({ codes, division, previous }),
      connectedAt: now,
      connectedBy: state.userId,
      recentErrors: [],
      // A reconnect (consent renewed) keeps what the admin confirmed about the company.
      ...confirmed,
      updatedAt: now,
    } satisfies ConnectionRecord;
    try {
      await store.putConnection(connection);
    } catch (error) {
      if (kept) await keepSettings(store, { ...connection, ...kept }, now).catch(() => undefined);
      throw error;
    }
  });
}
