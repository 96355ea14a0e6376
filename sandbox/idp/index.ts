/**
 * Sandbox OpenID Connect identity provider under `/idp`, standing in for Entra ID in front of the
 * gateway: discovery, authorize (PKCE S256 only, a login form for the demo users), token
 * (authorization_code with code_verifier, refresh_token) and JWKS. Tokens are RS256 with a key
 * pair generated at start, or kept in `{dataDir}/idp-signing-key.json` so tokens survive restarts.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import type { SandboxContext, SandboxPart } from '../server';
import { allDemoUsers, sandboxApiAudience, type DemoUser } from './users';
import { AppRegistry, clientCredentialsSchema, EntraError, resourceOfScope, type AppRegistration } from './apps';

export * from './users';
export type { AppRegistration } from './apps';

const accessTokenSeconds = 3600;
const codeSeconds = 120;

export interface IdentityProviderOptions {
  clock: Clock;
  dataDir?: string;
  /** Public base URL of the sandbox (the issuer is `${baseUrl()}/idp`). */
  baseUrl: () => string;
  audience?: string;
  /** Lifetime of app-only (client-credentials) tokens; Entra's default is about an hour. */
  appTokenSeconds?: number;
}

export interface IdentityProviderControl {
  issuer: () => string;
  audience: string;
  /** Signs an access token for a demo user directly (tests that are not about the login itself). */
  issueAccessToken: (user: DemoUser, patch?: Record<string, unknown>) => Promise<string>;
  /** Signs an ID token for a user and client directly (tests of sites that accept the sign-in of people not in the demo list). */
  issueIdToken: (user: DemoUser, clientId: string, nonce?: string) => Promise<string>;
  /** Registers (or replaces) a daemon app with its certificates and consented app permissions. */
  registerApp: (app: AppRegistration) => void;
  /** Lifetime of app-only tokens issued from now on (tests shorten it). */
  setAppTokenSeconds: (seconds: number) => void;
}

interface PendingCode {
  user: DemoUser;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  expiresAt: number;
}

const storedKeySchema = z.object({ kid: z.string(), privateJwk: z.record(z.unknown()), publicJwk: z.record(z.unknown()) });

async function loadOrCreateKeys(dataDir: string | undefined) {
  const path = dataDir ? join(dataDir, 'idp-signing-key.json') : undefined;
  if (path) {
    const text = await fs.readFile(path, 'utf8').catch(() => undefined);
    if (text) {
      const stored = storedKeySchema.parse(JSON.parse(text));
      return { kid: stored.kid, privateKey: await importJWK(stored.privateJwk as JWK, 'RS256'), publicJwk: stored.publicJwk as JWK };
    }
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  if (path && dataDir) {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path, JSON.stringify({ kid, privateJwk: await exportJWK(privateKey), publicJwk }), { mode: 0o600 });
  }
  return { kid, privateKey, publicJwk };
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };

function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['127.0.0.1', 'localhost'].includes(url.hostname);
  } catch {
    return false;
  }
}

const authorizeSchema = z.object({
  client_id: z.string().min(1),
  redirect_uri: z.string().min(1),
  response_type: z.literal('code'),
  scope: z.string().default('openid'),
  state: z.string().optional(),
  nonce: z.string().optional(),
  code_challenge: z.string().min(43),
  code_challenge_method: z.literal('S256'),
  /** MSAL.js asks for `fragment`; the default for the code flow is `query`. */
  response_mode: z.enum(['query', 'fragment']).default('query'),
});

const tokenSchema = z.discriminatedUnion('grant_type', [
  z.object({ grant_type: z.literal('authorization_code'), code: z.string(), redirect_uri: z.string(), client_id: z.string(), code_verifier: z.string().min(43) }),
  z.object({ grant_type: z.literal('refresh_token'), refresh_token: z.string(), client_id: z.string() }),
]);

function oauthError(error: string, description: string, status = 400): Response {
  return Response.json({ error, error_description: description }, { status, headers: cors });
}

export async function createIdentityProvider(options: IdentityProviderOptions) {
  const { clock } = options;
  const audience = options.audience ?? sandboxApiAudience;
  const keys = await loadOrCreateKeys(options.dataDir);
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, { user: DemoUser; clientId: string; scope: string }>();
  const apps = new AppRegistry();
  let appTokenSeconds = options.appTokenSeconds ?? 3599;
  const issuer = (): string => `${options.baseUrl()}/idp`;
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);

  const sign = (claims: Record<string, unknown>, aud: string, seconds: number): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: keys.kid, typ: 'JWT' })
      .setIssuer(issuer())
      .setAudience(aud)
      .setIssuedAt(nowSeconds())
      .setNotBefore(nowSeconds())
      .setExpirationTime(nowSeconds() + seconds)
      .sign(keys.privateKey);

  const issueAccessToken = (user: DemoUser, patch: Record<string, unknown> = {}): Promise<string> =>
    sign({ sub: user.oid, oid: user.oid, tid: user.tid, roles: user.roles, name: user.name, preferred_username: user.username, scp: 'user_impersonation', ver: '2.0', ...patch }, typeof patch.aud === 'string' ? patch.aud : audience, accessTokenSeconds);

  const issueIdToken = (user: DemoUser, clientId: string, nonce?: string): Promise<string> =>
    sign({ sub: user.oid, oid: user.oid, tid: user.tid, name: user.name, preferred_username: user.username, nonce, ver: '2.0' }, clientId, accessTokenSeconds);

  async function tokenResponse(user: DemoUser, clientId: string, scope: string, nonce?: string): Promise<Response> {
    const refreshToken = randomBytes(32).toString('base64url');
    refreshTokens.set(refreshToken, { user, clientId, scope });
    const idToken = await issueIdToken(user, clientId, nonce);
    return Response.json(
      {
        token_type: 'Bearer',
        scope,
        expires_in: accessTokenSeconds,
        access_token: await issueAccessToken(user),
        id_token: idToken,
        refresh_token: refreshToken,
        client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tid })).toString('base64url'),
      },
      { headers: { ...cors, 'cache-control': 'no-store' } },
    );
  }

  function loginPage(params: URLSearchParams, message?: string): Response {
    const hidden = [...params.entries()]
      .filter(([name]) => name !== 'username' && name !== 'password')
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join('');
    const users = allDemoUsers.map((u) => `<li><code>${escapeHtml(u.username)}</code> / <code>${escapeHtml(u.password)}</code> (${escapeHtml(u.name)}${u.roles.length ? `, ${u.roles.join(', ')}` : ''})</li>`).join('');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (sandbox)</title></head>
<body style="font-family:'Segoe UI',sans-serif;margin:2rem;max-width:30rem">
<h1>Sign in</h1><p>Sandbox identity provider (stands in for Microsoft Entra ID).</p>
${message ? `<p role="alert" style="color:#a4262c">${escapeHtml(message)}</p>` : ''}
<form method="post" action="authorize">${hidden}
<p><label>User name <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form>
<p>Demo users:</p><ul>${users}</ul></body></html>`;
    return new Response(html, { status: message ? 401 : 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }

  async function authorize(request: Request): Promise<Response> {
    const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
    const parsed = authorizeSchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return new Response(`Bad authorize request: ${issue?.path.join('.')} ${issue?.message}`, { status: 400 });
    }
    const query = parsed.data;
    // Never redirect to an arbitrary site: the sandbox serves loopback clients only.
    if (!isLoopbackRedirect(query.redirect_uri)) {
      return new Response('Bad authorize request: redirect_uri must be a loopback URL in the sandbox', { status: 400 });
    }
    if (request.method !== 'POST') {
      return loginPage(params);
    }
    const user = allDemoUsers.find((u) => u.username === params.get('username') && u.password === params.get('password'));
    if (!user) {
      return loginPage(params, 'Unknown user name or wrong password.');
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      user,
      clientId: query.client_id,
      redirectUri: query.redirect_uri,
      codeChallenge: query.code_challenge,
      nonce: query.nonce,
      scope: query.scope,
      expiresAt: clock.now() + codeSeconds * 1000,
    });
    const target = new URL(query.redirect_uri);
    const answer = new URLSearchParams({ code });
    if (query.state !== undefined) {
      answer.set('state', query.state);
    }
    if (query.response_mode === 'fragment') {
      target.hash = answer.toString();
    } else {
      answer.forEach((value, name) => target.searchParams.set(name, value));
    }
    return new Response(null, { status: 302, headers: { location: target.toString() } });
  }

  /** Client credentials: a daemon app's token for one resource, with the app permissions consented for it. */
  async function appToken(form: Record<string, string>): Promise<Response> {
    const parsed = clientCredentialsSchema.safeParse(form);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return oauthError('invalid_request', `AADSTS900144: The request body must contain a valid '${issue?.path.join('.')}' parameter.`);
    }
    const body = parsed.data;
    const resource = resourceOfScope(body.scope);
    if (!resource) {
      return oauthError('invalid_scope', `AADSTS1002012: The provided value for scope ${body.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    try {
      const { app, viaCertificate } = await apps.authenticate(body, `${issuer()}/token`);
      const accessToken = await sign({
        sub: app.servicePrincipalId, oid: app.servicePrincipalId, tid: app.tenantId, appid: app.clientId, app_displayname: app.displayName,
        appidacr: viaCertificate ? '2' : '1', idtyp: 'app', roles: app.appRoles[resource] ?? [], ver: '1.0',
      }, resource, appTokenSeconds);
      return Response.json({ token_type: 'Bearer', expires_in: appTokenSeconds, ext_expires_in: appTokenSeconds, access_token: accessToken }, { headers: { ...cors, 'cache-control': 'no-store' } });
    } catch (error) {
      if (error instanceof EntraError) return Response.json(error.body(new Date(clock.now())), { status: error.status, headers: cors });
      throw error;
    }
  }

  async function token(request: Request): Promise<Response> {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    if (form.grant_type === 'client_credentials') return appToken(form);
    const parsed = tokenSchema.safeParse(form);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return oauthError('invalid_request', `${issue?.path.join('.')}: ${issue?.message}`);
    }
    const body = parsed.data;
    if (body.grant_type === 'refresh_token') {
      const entry = refreshTokens.get(body.refresh_token);
      if (!entry || entry.clientId !== body.client_id) {
        return oauthError('invalid_grant', 'The refresh token is unknown.');
      }
      refreshTokens.delete(body.refresh_token);
      return tokenResponse(entry.user, entry.clientId, entry.scope);
    }
    const pending = codes.get(body.code);
    codes.delete(body.code);
    if (!pending || pending.expiresAt <= clock.now()) {
      return oauthError('invalid_grant', 'The authorization code is unknown, used or expired.');
    }
    if (pending.clientId !== body.client_id || pending.redirectUri !== body.redirect_uri) {
      return oauthError('invalid_grant', 'client_id or redirect_uri differ from the authorize request.');
    }
    const challenge = createHash('sha256').update(body.code_verifier).digest('base64url');
    if (challenge !== pending.codeChallenge) {
      return oauthError('invalid_grant', 'code_verifier does not match the code_challenge.');
    }
    return tokenResponse(pending.user, pending.clientId, pending.scope, pending.nonce);
  }

  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/^\/idp/, '') || '/';
    if (request.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET, POST' } });
    }
    if (path === '/.well-known/openid-configuration' || path === '/v2.0/.well-known/openid-configuration') {
      const base = issuer();
      return Response.json(
        {
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
          subject_types_supported: ['public'],
          scopes_supported: ['openid', 'profile', 'offline_access', `${audience}/user_impersonation`],
          claims_supported: ['sub', 'oid', 'tid', 'roles', 'name', 'preferred_username'],
        },
        { headers: cors },
      );
    }
    if (path === '/jwks') {
      return Response.json({ keys: [keys.publicJwk] }, { headers: cors });
    }
    if (path === '/authorize' && (request.method === 'GET' || request.method === 'POST')) {
      return authorize(request);
    }
    if (path === '/token' && request.method === 'POST') {
      return token(request);
    }
    return new Response('Not found', { status: 404 });
  };

  const control: IdentityProviderControl = {
    issuer, audience, issueAccessToken, issueIdToken,
    registerApp: (app) => apps.register(app),
    setAppTokenSeconds: (seconds) => {
      appTokenSeconds = seconds;
    },
  };
  return { handler, control };
}

/** Sandbox part registered in sandbox/main.ts. */
export async function identityProvider(context: SandboxContext): Promise<SandboxPart> {
  const { handler } = await createIdentityProvider({ clock: context.clock, dataDir: context.dataDir, baseUrl: context.baseUrl });
  return { prefix: '/idp', describe: describeIdp, handler };
}

const describeIdp = (baseUrl: string): string[] => [
  `Identity provider:    ${baseUrl}/idp/.well-known/openid-configuration`,
  `  demo users:         ${allDemoUsers.map((u) => `${u.username}/${u.password}`).join(', ')}`,
];

/** The npm-start part with its control (the sandbox registers the connector's app after start). */
export function identityProviderPart(): { factory: (context: SandboxContext) => Promise<SandboxPart>; control: () => IdentityProviderControl } {
  let control: IdentityProviderControl | undefined;
  return {
    factory: async (context) => {
      const created = await createIdentityProvider({ clock: context.clock, dataDir: context.dataDir, baseUrl: context.baseUrl });
      control = created.control;
      return { prefix: '/idp', describe: describeIdp, handler: created.handler };
    },
    control: () => {
      if (!control) throw new Error('The identity provider has not started yet.');
      return control;
    },
  };
}
