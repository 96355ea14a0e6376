import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fabrikamTenantId } from '../../sandbox/idp';
import { call, connectExact, lookupPath, signInWithForm, startHarness, users, type Harness } from '../support/gatewayHarness';

interface Status {
  connected: boolean;
  status: string;
  division: number | null;
  divisions: Array<{ code: number; description: string }>;
  enabledDivisions?: number[];
  exactUser?: { fullName: string };
  consentNeededBy?: string;
  refreshTokenUsedAt?: string;
  budget?: Array<{ division: number; minutely: { remaining: number }; daily: { remaining: number } }>;
}

describe('gateway: identity provider, connect flow and connection API', () => {
  let h: Harness;
  let admin: string;
  let sales: string;
  let otherAdmin: string;

  beforeAll(async () => {
    h = await startHarness({ configure: (config) => ({ ...config, auth: { ...config.auth, allowedTenants: [users.admin.tid, fabrikamTenantId] } }) });
    admin = await signInWithForm(h, users.admin);
    sales = await signInWithForm(h, users.sales);
    otherAdmin = await signInWithForm(h, users.otherTenantAdmin);
  });
  afterAll(async () => h.close());

  it('serves discovery and JWKS, and refuses a wrong PKCE verifier', async () => {
    const discovery = (await (await fetch(h.url('/idp/.well-known/openid-configuration'))).json()) as { issuer: string; jwks_uri: string; code_challenge_methods_supported: string[] };
    expect(discovery.issuer).toBe(h.url('/idp'));
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Array<{ kty: string; alg: string; d?: string }> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
    expect(jwks.keys[0]?.d).toBeUndefined();
    const token = await fetch(h.url('/idp/token'), {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'nope', redirect_uri: h.url('/'), client_id: 'x', code_verifier: 'a'.repeat(43) }),
    });
    expect(token.status).toBe(400);
  });

  it('authenticates callers: no token, wrong audience, expired, or a tenant not allowed are refused', async () => {
    expect((await fetch(h.url('/gateway/connection'))).status).toBe(401);
    const wrongAudience = await h.idp.issueAccessToken(users.admin, { aud: 'api://someone-else' });
    expect((await call(h, '/gateway/connection', wrongAudience)).status).toBe(401);
    const foreignTenant = await h.idp.issueAccessToken({ ...users.admin, tid: '00000000-0000-4000-8000-000000000bad' });
    const refused = await call(h, '/gateway/connection', foreignTenant);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/tenant .* is not allowed/);
    // An app-only token (client credentials: no scp, even with the admin role) is not a user of the connector.
    const appOnly = await h.idp.issueAccessToken(users.admin, { scp: undefined, idtyp: 'app' });
    const appRefused = await call(h, '/gateway/connection', appOnly);
    expect(appRefused.status).toBe(403);
    expect(((await appRefused.json()) as { message: string }).message).toContain('user_impersonation');
    const status = await call(h, '/gateway/connection', admin);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ connected: false, status: 'not-connected' });
  });

  it('the sales user cannot start a connect', async () => {
    expect((await call(h, '/gateway/connect/ticket', sales, { method: 'POST' })).status).toBe(403);
    const direct = await call(h, `/gateway/connect?returnUrl=${encodeURIComponent(h.url('/'))}`, sales, { redirect: 'manual' });
    expect(direct.status).toBe(403);
    expect(((await direct.json()) as { message: string }).message).toContain('Connector.Admin');
  });

  it('connects through the popup flow, posts the outcome to the return origin only, and refuses a replayed state', async () => {
    const result = await connectExact(h, admin);
    expect(result.page.status).toBe(200);
    expect(result.html).toContain('window.opener.postMessage(outcome, targetOrigin)');
    expect(result.html).toContain(JSON.stringify(new URL(h.url('/')).origin));
    expect(result.html).toContain('notifySuccess');
    expect(result.html).not.toMatch(/AAEAA|Gcp7!|sandbox-exact-client-secret/);
    expect(h.exact.tokenCalls().authorization_code).toBe(1);

    const status = (await (await call(h, '/gateway/connection', sales)).json()) as Status;
    expect(status.connected).toBe(true);
    expect(status.exactUser?.fullName).toBe('Jeroen van Houten');
    // A first connect enables the working division only; a sales user sees only what is enabled.
    expect(status.division).toBe(h.exact.divisions[0]?.code);
    expect(status.divisions.map((d) => d.code)).toEqual([h.exact.divisions[0]?.code]);
    expect(status.enabledDivisions).toEqual([h.exact.divisions[0]?.code]);
    const forAdmin = (await (await call(h, '/gateway/connection', admin)).json()) as Status;
    expect(forAdmin.divisions.map((d) => d.code)).toEqual(h.exact.divisions.map((d) => d.code));
    expect(Date.parse(status.consentNeededBy!) - Date.parse(status.refreshTokenUsedAt!)).toBe(30 * 24 * 3600_000);
    expect(status.budget?.[0]).toMatchObject({ minutely: { remaining: 60 }, daily: { remaining: 5000 } });

    const replay = await fetch(result.callbackUrl, { headers: { cookie: result.browserCookie } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect(h.exact.tokenCalls().authorization_code).toBe(1);
  });

  it('refuses a consent finished in another browser (a forwarded link) and stores nothing', async () => {
    await call(h, '/gateway/connection', admin, { method: 'DELETE' });
    const before = h.exact.tokenCalls().authorization_code;
    const result = await connectExact(h, admin, { otherBrowser: true });
    expect(result.page.status).toBe(400);
    expect(result.html).toContain('started in another browser window');
    expect(h.exact.tokenCalls().authorization_code).toBe(before);
    expect(await h.store.getConnection(users.admin.tid, 'default')).toBeUndefined();
    expect(result.browserCookie).toMatch(/^exact_connect=/);
  });

  it('rejects a tampered or expired state and stores nothing', async () => {
    await call(h, '/gateway/connection', admin, { method: 'DELETE' });
    const before = h.exact.tokenCalls().authorization_code;
    // Capture a fresh callback URL without letting the browser follow it: tamper with it first.
    const ticket = (await (await call(h, '/gateway/connect/ticket', admin, { method: 'POST' })).json()) as { ticket: string };
    const redirect = await fetch(h.url(`/gateway/connect?ticket=${ticket.ticket}&returnUrl=${encodeURIComponent(h.url('/'))}`), { redirect: 'manual' });
    const state = new URL(redirect.headers.get('location')!).searchParams.get('state')!;
    const [body, signature] = state.split('.');
    const decoded = JSON.parse(Buffer.from(body!, 'base64url').toString()) as { tenantId: string };
    decoded.tenantId = fabrikamTenantId;
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
    const tampered = await fetch(h.url(`/gateway/oauth/callback?code=XTzM!x&state=${encodeURIComponent(forged)}`));
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('altered');

    h.clock.advance(10 * 60_000 + 1);
    const late = await fetch(h.url(`/gateway/oauth/callback?code=XTzM!x&state=${encodeURIComponent(state)}`));
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('expired');
    expect(h.exact.tokenCalls().authorization_code).toBe(before);
    expect(await h.store.getConnection(users.admin.tid, 'default')).toBeUndefined();
    expect(await h.store.getConnection(fabrikamTenantId, 'default')).toBeUndefined();

    // A used ticket cannot start a second connect.
    const again = await fetch(h.url(`/gateway/connect?ticket=${ticket.ticket}&returnUrl=${encodeURIComponent(h.url('/'))}`), { redirect: 'manual' });
    expect(again.status).toBe(401);
  });

  it('only admins change the division (to one of the connection\'s) or disconnect', async () => {
    await connectExact(h, admin);
    const second = h.exact.divisions[1]!.code;
    const put = (token: string, division: unknown) => call(h, '/gateway/connection/division', token, { method: 'PUT', body: JSON.stringify({ division }) });
    expect((await put(sales, second)).status).toBe(403);
    const foreign = await put(admin, 1234567);
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { message: string }).message).toContain('division');
    expect((await put(admin, 'abc')).status).toBe(400);
    const changed = await put(admin, second);
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as Status).division).toBe(second);

    expect((await call(h, '/gateway/connection', sales, { method: 'DELETE' })).status).toBe(403);
    expect(((await (await call(h, '/gateway/connection', sales)).json()) as Status).connected).toBe(true);
  });

  it('only admins save the financial-year start; it must be a real month-day and survives a reconnect', async () => {
    await connectExact(h, admin);
    const put = (token: string, financialYearStart: unknown) =>
      call(h, '/gateway/connection/settings', token, { method: 'PUT', body: JSON.stringify({ financialYearStart }) });
    expect((await put(sales, '04-01')).status).toBe(403);
    expect((await put(admin, '13-01')).status).toBe(400);
    expect((await put(admin, 'april')).status).toBe(400);
    const saved = await put(admin, '04-01');
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as Status & { financialYearStart?: string }).financialYearStart).toBe('04-01');
    await connectExact(h, admin);
    const after = (await (await call(h, '/gateway/connection', admin)).json()) as Status & { financialYearStart?: string };
    expect(after.financialYearStart).toBe('04-01');
  });

  it('keeps a financial-year start per division; others follow the connection\'s; 29 February is a start, 30 February is not', async () => {
    await connectExact(h, admin);
    const [nl, be] = h.exact.divisions.map((d) => d.code);
    type Settings = Omit<Status, 'divisions'> & { financialYearStart?: string; financialYearStarts?: Record<string, string>; divisions: Array<{ code: number; currency?: string }> };
    const put = (token: string, body: unknown) => call(h, '/gateway/connection/settings', token, { method: 'PUT', body: JSON.stringify(body) });
    expect((await put(sales, { financialYearStart: '02-29', division: be })).status).toBe(403);
    expect((await put(admin, { financialYearStart: '02-30', division: be })).status).toBe(400);
    const foreign = await put(admin, { financialYearStart: '04-01', division: 1234567 });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { message: string }).message).toContain('division');
    expect((await put(admin, { financialYearStart: '07-01' })).status).toBe(200);
    const saved = await put(admin, { financialYearStart: '02-29', division: be });
    expect(saved.status).toBe(200);
    const status = (await saved.json()) as Settings;
    expect(status.financialYearStart).toBe('07-01');
    expect(status.financialYearStarts).toEqual({ [String(be)]: '02-29' });
    expect(status.financialYearStarts?.[String(nl)]).toBeUndefined();
    // The division's currency comes with the connection, so the panel never adds euros to pounds.
    expect(status.divisions.map((d) => d.currency)).toEqual(['EUR', 'EUR']);
    await connectExact(h, admin);
    const after = (await (await call(h, '/gateway/connection', admin)).json()) as Settings;
    expect(after.financialYearStarts).toEqual({ [String(be)]: '02-29' });
  });

  it('keeps tenants apart: tenant B cannot reach tenant A\'s division', async () => {
    const division = h.exact.divisions[0]!.code;
    const mine = await call(h, lookupPath(division), sales);
    expect(mine.status).toBe(200);
    const theirs = await call(h, lookupPath(division), otherAdmin);
    expect(theirs.status).toBe(403);
    expect(((await theirs.json()) as { error: string }).error).toBe('division-not-allowed');
    expect(((await (await call(h, '/gateway/connection', otherAdmin)).json()) as Status).connected).toBe(false);
    expect((await call(h, '/gateway/exact/current/Me', otherAdmin)).status).toBe(409);
  });

  it('disconnect forgets the tokens', async () => {
    const response = await call(h, '/gateway/connection', admin, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await h.store.getToken(users.admin.tid, 'default')).toBeUndefined();
    const division = h.exact.divisions[0]!.code;
    expect((await call(h, `/gateway/exact/${division}/crm/Accounts`, sales)).status).toBe(403);
  });

  it('logs JSON lines with correlation ids and never a token or secret', async () => {
    const response = await call(h, '/gateway/connection', admin, { headers: { 'x-correlation-id': 'corr-123' } });
    expect(response.headers.get('x-correlation-id')).toBe('corr-123');
    const lines = h.logger.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.correlationId === 'corr-123' && line.event === 'request')).toBe(true);
    const all = h.logger.lines.join('\n');
    expect(all).not.toMatch(/AAEAA|Gcp7!|eyJ|sandbox-exact-client-secret|XTzM!/);
  });
});

describe('identity provider: response_mode=fragment (what MSAL.js asks for)', () => {
  it('answers the code in the fragment', async () => {
    const h = await startHarness();
    try {
      const params = new URLSearchParams({
        client_id: 'spa',
        redirect_uri: h.url('/'),
        response_type: 'code',
        response_mode: 'fragment',
        state: 's1',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        username: users.sales.username,
        password: users.sales.password,
      });
      const answer = await fetch(h.url('/idp/authorize'), { method: 'POST', body: params, redirect: 'manual' });
      const location = new URL(answer.headers.get('location')!);
      expect(location.search).toBe('');
      const fragment = new URLSearchParams(location.hash.slice(1));
      expect(fragment.get('state')).toBe('s1');
      const token = await fetch(h.url('/idp/token'), {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: fragment.get('code')!, redirect_uri: h.url('/'), client_id: 'spa', code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }),
      });
      expect(token.status).toBe(200);
      const body = (await token.json()) as { access_token: string };
      expect((await call(h, '/gateway/connection', body.access_token)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
