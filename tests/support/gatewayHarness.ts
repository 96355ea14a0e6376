/**
 * Shared set-up for the gateway's integration tests: the identity provider, the Exact emulator
 * and the gateway on one sandbox server over HTTP with a TestClock, plus helpers that drive the
 * login forms with fetch and handle cookies by hand.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TestClock } from '../../src/sync/clock';
import { createExactEmulator, type ExactEmulatorControl, type ExactKnobs } from '../../sandbox/exact';
import { createIdentityProvider, demoUsers, sandboxClientId, type DemoUser, type IdentityProviderControl } from '../../sandbox/idp';
import { startSandbox, type RunningSandbox, type SandboxPartFactory } from '../../sandbox/server';
import { createGatewayApp, type GatewayApp, type GatewayDeps } from '../../gateway/app';
import { sandboxGatewayConfig } from '../../sandbox/gateway';
import { createMemoryLogger } from '../../gateway/log';
import { createClockSleeper, type Sleeper } from '../../gateway/sleeper';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import type { GatewayStore } from '../../gateway/store/types';
import type { GatewayConfigInput } from '../../gateway/config';

export const start = Date.UTC(2026, 10, 23, 9, 0, 0);

export interface Harness {
  sandbox: RunningSandbox;
  clock: TestClock;
  exact: ExactEmulatorControl;
  idp: IdentityProviderControl;
  store: GatewayStore;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Shared by every gateway instance of the harness, so tests see all waits. */
  sleeper: Sleeper;
  gateway: () => GatewayApp;
  config: () => GatewayConfigInput;
  /** Builds another gateway instance (another process or Functions instance) over the given store. */
  anotherGateway: (deps: Partial<GatewayDeps> & { store: GatewayStore }) => Promise<GatewayApp>;
  url: (path: string) => string;
  tokenFor: (user: DemoUser) => Promise<string>;
  close: () => Promise<void>;
}

export interface HarnessOptions {
  knobs?: Partial<ExactKnobs>;
  store?: (clock: TestClock) => GatewayStore;
  gatewayDeps?: Partial<GatewayDeps>;
  configure?: (config: GatewayConfigInput) => GatewayConfigInput;
  /** More parts on the same server (e.g. a test page). */
  extraParts?: SandboxPartFactory[];
  /** Stands between the gateway and the Exact emulator: tests change or drop Exact's answers here. */
  exactIntercept?: (request: Request, exact: (request: Request) => Promise<Response>) => Promise<Response>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new TestClock(start);
  const logger = createMemoryLogger();
  const sleeper = createClockSleeper(clock, 2);
  const store = options.store?.(clock) ?? createEmbeddedStore({ clock });
  let exact: ExactEmulatorControl | undefined;
  let idp: IdentityProviderControl | undefined;
  let app: GatewayApp | undefined;
  let config: GatewayConfigInput | undefined;
  const env = {};
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts: 20, knobs: options.knobs });
        exact = emulator.control;
        const intercept = options.exactIntercept;
        return intercept ? { ...emulator.part, handler: (request: Request) => intercept(request, emulator.part.handler) } : emulator.part;
      },
      async (context) => {
        const provider = await createIdentityProvider({ clock: context.clock, baseUrl: context.baseUrl });
        idp = provider.control;
        return { prefix: '/idp', describe: () => [], handler: provider.handler };
      },
      (context) => ({
        prefix: '/gateway',
        describe: () => [],
        handler: async (request) => {
          if (!app) {
            const base = await sandboxGatewayConfig(context.baseUrl(), env, undefined);
            config = options.configure ? options.configure(base) : base;
            app = createGatewayApp(config, { clock, store, logger, sleeper, instanceId: 'instance-1', ...options.gatewayDeps });
          }
          return app(request);
        },
      }),
      ...(options.extraParts ?? []),
    ],
    { clock, env },
  );
  // Build the gateway now so tests can reach its internals before the first request.
  await fetch(`${sandbox.url}/gateway/health`);
  return {
    sandbox,
    clock,
    exact: exact!,
    idp: idp!,
    store,
    logger,
    sleeper,
    gateway: () => app!,
    config: () => config!,
    anotherGateway: async (deps) => createGatewayApp(config!, { clock, logger, sleeper, ...deps }),
    url: (path) => `${sandbox.url}${path}`,
    tokenFor: (user) => idp!.issueAccessToken(user),
    close: () => sandbox.close(),
  };
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeHtml = (value: string): string =>
  value.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) =>
    name.startsWith('#x') ? String.fromCharCode(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : entities[name] ?? whole,
  );

/** The hidden inputs and checked checkboxes of the first form on a page, as a browser would post them. */
export function formFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = match[0];
    const attr = (name: string) => {
      const found = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
      return found ? decodeHtml(found[1]!) : undefined;
    };
    const type = attr('type') ?? 'text';
    const name = attr('name');
    if (!name) {
      continue;
    }
    if (type === 'hidden' || (type === 'checkbox' && /\bchecked\b/i.test(tag))) {
      fields.append(name, attr('value') ?? 'on');
    }
  }
  return fields;
}

/** Signs in to the sandbox identity provider through its login form, with PKCE, like MSAL does; returns the token response. */
export async function signInTokens(h: Pick<Harness, 'url'> & { idp: Pick<IdentityProviderControl, 'audience'> }, user: DemoUser): Promise<{ access_token: string; id_token: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = h.url('/');
  const authorize = new URL(h.url('/idp/authorize'));
  authorize.search = new URLSearchParams({
    client_id: sandboxClientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: `openid profile ${h.idp.audience}/user_impersonation`,
    state: 'xyz',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const page = await fetch(authorize);
  const form = formFields(await page.text());
  form.set('username', user.username);
  form.set('password', user.password);
  const posted = await fetch(h.url('/idp/authorize'), { method: 'POST', body: form, redirect: 'manual' });
  const location = new URL(posted.headers.get('location') ?? '');
  const token = await fetch(h.url('/idp/token'), {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: redirectUri, client_id: sandboxClientId, code_verifier: verifier }),
  });
  return (await token.json()) as { access_token: string; id_token: string };
}

/** The access token of a sign-in through the login form. */
export async function signInWithForm(h: Pick<Harness, 'url'> & { idp: Pick<IdentityProviderControl, 'audience'> }, user: DemoUser): Promise<string> {
  return (await signInTokens(h, user)).access_token;
}

export interface ConnectResult {
  /** The gateway callback URL Exact redirected to (code and state in it). */
  callbackUrl: string;
  /** The cookie the gateway set in the browser that started the connect. */
  browserCookie: string;
  page: Response;
  html: string;
}

/** Runs the popup flow: ticket, /gateway/connect, Exact's login and consent forms, the callback. */
export async function connectExact(h: Pick<Harness, 'url'> & { exact: Pick<ExactEmulatorControl, 'demoUser'> }, accessToken: string, options: { divisions?: number[]; returnUrl?: string; otherBrowser?: boolean } = {}): Promise<ConnectResult> {
  const ticket = await fetch(h.url('/gateway/connect/ticket'), { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  if (ticket.status !== 201) {
    throw new Error(`ticket: ${ticket.status} ${await ticket.text()}`);
  }
  const { ticket: id } = (await ticket.json()) as { ticket: string };
  const returnUrl = options.returnUrl ?? h.url('/');
  const start = await fetch(h.url(`/gateway/connect?ticket=${encodeURIComponent(id)}&returnUrl=${encodeURIComponent(returnUrl)}`), { redirect: 'manual' });
  if (start.status !== 302) {
    throw new Error(`connect: ${start.status} ${await start.text()}`);
  }
  const browserCookie = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const loginPage = await fetch(start.headers.get('location')!);
  const login = formFields(await loginPage.text());
  login.set('username', h.exact.demoUser.username);
  login.set('password', h.exact.demoUser.password);
  const consentPage = await fetch(h.url('/exact/api/oauth2/auth'), { method: 'POST', body: login, redirect: 'manual' });
  const cookie = consentPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const consent = formFields(await consentPage.text());
  if (options.divisions) {
    consent.delete('division');
    options.divisions.forEach((d) => consent.append('division', String(d)));
  }
  consent.set('decision', 'allow');
  const redirect = await fetch(h.url('/exact/api/oauth2/auth'), { method: 'POST', body: consent, headers: { cookie }, redirect: 'manual' });
  const callbackUrl = redirect.headers.get('location');
  if (redirect.status !== 302 || !callbackUrl) {
    throw new Error(`consent: ${redirect.status} ${await redirect.text()}`);
  }
  // otherBrowser: the consent link was forwarded and finished by someone else, without the cookie.
  const page = await fetch(callbackUrl, { headers: options.otherBrowser ? {} : { cookie: browserCookie } });
  return { callbackUrl, browserCookie, page, html: await page.text() };
}

export async function call(h: Pick<Harness, 'url'>, path: string, accessToken: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${accessToken}`);
  if (init.body !== undefined) {
    headers.set('content-type', 'application/json');
  }
  return fetch(h.url(path), { ...init, headers });
}

export const users = demoUsers;

/**
 * Waits for the calls to finish, moving the TestClock one second whenever the gateway is only
 * waiting for time (a spent minute, a retry back-off, another instance's lease).
 */
export async function settle<T>(h: Harness, work: Array<Promise<T>>, stepMs = 1000): Promise<T[]> {
  let done = false;
  const all = Promise.all(work).finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!done && h.sleeper.waiting > 0) {
      h.clock.advance(stepMs);
    }
  }
  return all;
}

export interface ConnectedHarness {
  h: Harness;
  admin: string;
  sales: string;
  /** The first division of the Exact emulator, which the connection owns. */
  division: number;
}

/** A harness whose tenant is already connected to Exact, with the emulator's counters at zero. */
export async function startConnectedHarness(options: HarnessOptions = {}): Promise<ConnectedHarness> {
  const h = await startHarness(options);
  const admin = await h.tokenFor(users.admin);
  const sales = await h.tokenFor(users.sales);
  await connectExact(h, admin);
  h.exact.resetCounters();
  return { h, admin, sales, division: h.exact.divisions[0]!.code };
}

/** A customer lookup by name: a read a sales user makes (find-customer in gateway/access/operations.ts), never cached. */
export const lookupPath = (division: number, name = 'Bakkerij Test'): string => `/gateway/exact/${division}/crm/Accounts?$select=ID,Name&$filter=Name eq '${name}'`;

/** One customer's invoices: a panel read a sales user makes (read-customer-finance), cached briefly. */
export const invoicesPath = (division: number, accountId: string, select = 'InvoiceID,AmountDC'): string =>
  `/gateway/exact/${division}/salesinvoice/SalesInvoices?$select=${select}&$filter=InvoiceTo eq guid'${accountId}'`;

export interface CustomerCreate {
  division: number;
  /** The CRM company's list item id in the idempotency key. */
  item: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** "Create in Exact" as the finance service sends it: POST crm/Accounts with the company's idempotency key. */
export function createCustomer(h: Pick<Harness, 'url'>, accessToken: string, { division, item, body, headers = {} }: CustomerCreate): Promise<Response> {
  return call(h, `/gateway/exact/${division}/crm/Accounts`, accessToken, {
    method: 'POST',
    headers: { 'idempotency-key': `crm-company:/sites/crm/${item}`, prefer: 'return=representation', ...headers },
    body: JSON.stringify(body),
  });
}
