/**
 * The Azure Functions entry: HttpRequest → Request → gateway → Response → HttpResponseInit,
 * with the real gateway app (and a small handler for what the gateway itself never sends).
 */
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { createGatewayApp } from '../../gateway/app';
import { handleAzureRequest, parseSetCookie, type WebHandler } from '../../gateway/azure/handler';
import { azureGatewayConfig, azureGatewayStore, createAzureGateway } from '../../gateway/azure/settings';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import type { GatewayStore } from '../../gateway/store/types';
import { serveWebHandler, type RunningServer } from '../../sandbox/http/node';
import { sampleConnection } from '../support/gatewayStoreContract';

const origin = 'https://exact-gateway.azurewebsites.net';
const issuer = 'https://login.example.test/tenant-a/v2.0';
const audience = 'api://exact-gateway';
const start = Date.UTC(2026, 10, 21, 12, 0, 0);

/** What the Functions host would hand over, through the library's own test constructor. */
function azureRequest(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): HttpRequest {
  const url = new URL(path, origin);
  return new HttpRequest({
    method,
    url: url.toString(),
    headers: init.headers ?? {},
    query: Object.fromEntries(url.searchParams),
    params: { path: url.pathname.replace(/^\/gateway\/?/, '') },
    body: init.body === undefined ? undefined : { string: init.body },
  });
}

function context(logged: string[] = []): InvocationContext {
  return new InvocationContext({ invocationId: 'inv-1', functionName: 'gateway', logHandler: (_level, ...args) => logged.push(args.join(' ')) });
}

/** What the Functions worker would send back to the host, read through its own response class. */
async function asHost(init: Awaited<ReturnType<typeof handleAzureRequest>>): Promise<{ status: number; headers: Headers; cookies: HttpResponse['cookies']; text: string }> {
  const response = new HttpResponse(init);
  return { status: response.status, headers: response.headers, cookies: response.cookies, text: await response.text() };
}

describe('Azure Functions entry with the real gateway', () => {
  let jwks: RunningServer;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  let store: GatewayStore;
  let gateway: WebHandler;
  const clock = new TestClock(start);

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = await serveWebHandler(async () => Response.json({ keys: [jwk] }));
    sign = (claims) =>
      new SignJWT({ scp: 'user_impersonation', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(Math.floor(clock.now() / 1000))
        .setExpirationTime(Math.floor(clock.now() / 1000) + 3600)
        .sign(privateKey);
    store = createEmbeddedStore({ clock });
    gateway = createGatewayApp(
      {
        basePath: '/gateway',
        exact: { baseUrl: 'https://start.exactonline.nl', clientId: 'client-1', clientSecret: 'secret-1', redirectUri: `${origin}/gateway/oauth/callback` },
        encryptionKey: Buffer.alloc(32, 7).toString('base64'),
        auth: { issuer, jwksUri: `${jwks.url}/keys`, audience, allowedTenants: ['tenant-a'] },
        allowedReturnOrigins: ['https://contoso.sharepoint.com'],
      },
      { clock, store, logger: { log: () => undefined, child() { return this; } } },
    );
  });

  afterAll(async () => {
    await store.close();
    await jwks.close();
  });

  const admin = async (): Promise<string> => `Bearer ${await sign({ tid: 'tenant-a', oid: 'oid-admin', sub: 'sub-admin', name: 'Anne Admin', roles: ['Connector.Admin'] })}`;

  it('answers health with status, JSON body and the correlation id it was given', async () => {
    const result = await asHost(await handleAzureRequest(azureRequest('GET', '/gateway/health', { headers: { 'x-correlation-id': 'corr-42' } }), context(), gateway));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text)).toEqual({ ok: true });
    expect(result.headers.get('content-type')).toMatch(/application\/json/);
    expect(result.headers.get('x-correlation-id')).toBe('corr-42');
  });

  it('passes the 401 and its WWW-Authenticate header through when no token is sent', async () => {
    const result = await asHost(await handleAzureRequest(azureRequest('GET', '/gateway/connection'), context(), gateway));
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.parse(result.text)).toMatchObject({ error: 'unauthorized' });
  });

  it('carries a POST and then a query string to a redirect: ticket, then connect → Exact consent page', async () => {
    const ticketResult = await asHost(await handleAzureRequest(azureRequest('POST', '/gateway/connect/ticket', { headers: { authorization: await admin() } }), context(), gateway));
    expect(ticketResult.status).toBe(201);
    const { ticket } = JSON.parse(ticketResult.text) as { ticket: string };
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const returnUrl = 'https://contoso.sharepoint.com/sites/crm/SitePages/Exact.aspx?tab=1';
    const connect = await asHost(
      await handleAzureRequest(azureRequest('GET', `/gateway/connect?ticket=${ticket}&returnUrl=${encodeURIComponent(returnUrl)}`), context(), gateway),
    );
    expect(connect.status).toBe(302);
    const location = new URL(connect.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://start.exactonline.nl/api/oauth2/auth');
    expect(location.searchParams.get('redirect_uri')).toBe(`${origin}/gateway/oauth/callback`);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(connect.text).toBe('');

    // The ticket is single use: the same query again is refused.
    const replay = await handleAzureRequest(azureRequest('GET', `/gateway/connect?ticket=${ticket}&returnUrl=${encodeURIComponent(returnUrl)}`), context(), gateway);
    expect(replay.status).toBe(401);
  });

  it('carries a JSON request body (PUT division) and names a bad field in the 400', async () => {
    await store.putConnection(sampleConnection('tenant-a', 'default', { divisions: [{ code: 111, description: 'A' }, { code: 222, description: 'B' }], division: 111 }));
    const headers = { authorization: await admin(), 'content-type': 'application/json' };
    const ok = await asHost(await handleAzureRequest(azureRequest('PUT', '/gateway/connection/division', { headers, body: JSON.stringify({ division: 222 }) }), context(), gateway));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ division: 222, connected: true });
    expect((await store.getConnection('tenant-a', 'default'))?.division).toBe(222);

    const bad = await asHost(await handleAzureRequest(azureRequest('PUT', '/gateway/connection/division', { headers, body: JSON.stringify({ division: 'x' }) }), context(), gateway));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: 'bad-request', message: expect.stringMatching(/division/) });
  });

  it('returns the OAuth outcome page as HTML for a forged state', async () => {
    const result = await asHost(await handleAzureRequest(azureRequest('GET', '/gateway/oauth/callback?code=abc&state=forged'), context(), gateway));
    expect(result.status).toBe(400);
    expect(result.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('Azure Functions conversion details', () => {
  it('sends several Set-Cookie headers as cookies, keeps binary bodies and drops bodies of 204', async () => {
    const seen: { method: string; url: string; body: string; header: string | null }[] = [];
    const handler: WebHandler = async (request) => {
      seen.push({ method: request.method, url: request.url, body: await request.text(), header: request.headers.get('x-custom') });
      if (request.method === 'DELETE') {
        return new Response(null, { status: 204, headers: { 'x-done': 'yes' } });
      }
      const headers = new Headers({ 'content-type': 'application/octet-stream' });
      headers.append('set-cookie', 'a=1; Path=/gateway; HttpOnly; Secure; SameSite=None');
      headers.append('set-cookie', 'b=two%20words; Max-Age=60; SameSite=Lax');
      headers.append('set-cookie', 'c=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.net');
      return new Response(new Uint8Array([0, 255, 1, 128]), { status: 207, headers });
    };
    const init = await handleAzureRequest(azureRequest('POST', '/gateway/echo?x=1&y=%C3%BC', { headers: { 'x-custom': 'v' }, body: 'hello' }), context(), handler);
    expect(seen[0]).toEqual({ method: 'POST', url: `${origin}/gateway/echo?x=1&y=%C3%BC`, body: 'hello', header: 'v' });
    const host = new HttpResponse(init);
    expect(host.status).toBe(207);
    expect(host.headers.get('set-cookie')).toBeNull();
    expect(host.cookies).toEqual([
      { name: 'a', value: '1', path: '/gateway', httpOnly: true, secure: true, sameSite: 'None' },
      { name: 'b', value: 'two%20words', maxAge: 60, sameSite: 'Lax' },
      { name: 'c', value: '', expires: new Date(0), domain: 'example.net' },
    ]);
    expect([...new Uint8Array(await host.arrayBuffer())]).toEqual([0, 255, 1, 128]);

    const deleted = await handleAzureRequest(azureRequest('DELETE', '/gateway/thing'), context(), handler);
    expect(deleted).toMatchObject({ status: 204, headers: { 'x-done': 'yes' } });
    expect(deleted.body).toBeUndefined();
    expect(seen[1]?.body).toBe('');
  });

  it('answers 500 and logs only the path when the handler throws', async () => {
    const logged: string[] = [];
    const init = await handleAzureRequest(azureRequest('GET', '/gateway/oauth/callback?code=SECRET-CODE'), context(logged), async () => {
      throw new Error('boom');
    });
    expect(init.status).toBe(500);
    expect(logged.join('\n')).toContain('GET /gateway/oauth/callback: boom');
    expect(logged.join('\n')).not.toContain('SECRET-CODE');
  });

  it('parses Set-Cookie attributes case-insensitively and ignores unknown ones', () => {
    expect(parseSetCookie('sid=abc=def; path=/; HTTPONLY; samesite=strict; Partitioned')).toEqual({ name: 'sid', value: 'abc=def', path: '/', httpOnly: true, sameSite: 'Strict' });
  });
});

describe('Azure app settings', () => {
  const settings = {
    GATEWAY_EXACT_BASE_URL: 'https://start.exactonline.be',
    GATEWAY_EXACT_REGION: 'be',
    GATEWAY_EXACT_CLIENT_ID: 'client-1',
    GATEWAY_EXACT_CLIENT_SECRET: 'secret-1',
    GATEWAY_EXACT_REDIRECT_URI: `${origin}/gateway/oauth/callback`,
    GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    GATEWAY_ISSUER: issuer,
    GATEWAY_JWKS_URI: 'https://login.example.test/tenant-a/discovery/v2.0/keys',
    GATEWAY_AUDIENCE: 'api://exact-gateway, 00000000-0000-0000-0000-0000000000aa',
    GATEWAY_ALLOWED_TENANTS: 'tenant-a,tenant-b',
    GATEWAY_RETURN_ORIGINS: 'https://contoso.sharepoint.com',
    GATEWAY_DATA_DIR: '/nonexistent/not-used-by-this-test',
  };

  it('reads the GATEWAY_* settings the Node entry uses, lists split on commas', () => {
    expect(azureGatewayConfig(settings)).toMatchObject({
      basePath: '/gateway',
      exact: { baseUrl: 'https://start.exactonline.be', region: 'be', clientId: 'client-1' },
      auth: { audience: ['api://exact-gateway', '00000000-0000-0000-0000-0000000000aa'], allowedTenants: ['tenant-a', 'tenant-b'] },
      allowedReturnOrigins: ['https://contoso.sharepoint.com'],
    });
    const gateway = createAzureGateway(settings);
    expect(gateway.config.exact.region).toBe('be');
    // Under Azure's 230 s front-end limit, with the other budget defaults kept.
    expect(gateway.config.budget).toMatchObject({ maxWaitMs: 180_000, minuteLimit: 60, dayLimit: 5000 });
    expect(createAzureGateway({ ...settings, GATEWAY_MAX_WAIT_MS: '600000' }).config.budget.maxWaitMs).toBe(220_000);
    expect(() => azureGatewayConfig({ ...settings, GATEWAY_MAX_WAIT_MS: '3 minutes' })).toThrow(/GATEWAY_MAX_WAIT_MS must be a positive whole number/);
  });

  it('names a missing setting and an unresolved Key Vault reference', () => {
    expect(() => azureGatewayConfig({ ...settings, GATEWAY_EXACT_CLIENT_SECRET: ' ' })).toThrow(/App setting GATEWAY_EXACT_CLIENT_SECRET is missing/);
    expect(() =>
      azureGatewayConfig({ ...settings, GATEWAY_ENCRYPTION_KEY: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/gateway-key/)' }),
    ).toThrow(/GATEWAY_ENCRYPTION_KEY is a Key Vault reference that App Service could not resolve/);
    expect(() => createAzureGateway({ ...settings, GATEWAY_ENCRYPTION_KEY: 'dG9vIHNob3J0' })).toThrow(/GATEWAY_ENCRYPTION_KEY/);
  });

  it('refuses to start without durable storage rather than keep tokens in memory', () => {
    const noStore: Record<string, string | undefined> = { ...settings, GATEWAY_DATA_DIR: undefined };
    expect(() => azureGatewayStore(noStore, new TestClock(start))).toThrow(/GATEWAY_STORAGE_CONNECTION_STRING is missing/);
  });
});
