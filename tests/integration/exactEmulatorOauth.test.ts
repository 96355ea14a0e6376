import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BE, NL, errorText, results, startExact, type Harness } from '../support/exactEmulatorHarness';
import { createAxiosHttp } from '../../src/exact/axiosTransport';
import { ExactOAuthError, refreshAccessToken } from '../../src/exact/oauth';

let h: Harness | undefined;
afterEach(async () => {
  await h?.sandbox.close();
  h = undefined;
});

const hidden = (html: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no hidden field ${name}`);
  return match[1];
};

async function consentCode(harness: Harness, divisions: number[], state = 'st-42'): Promise<{ code: string; location: URL }> {
  const { app, demoUser } = harness.control;
  const redirectUri = app.redirectUris[0];
  const authUrl = `${harness.sandbox.url}/exact/api/oauth2/auth?client_id=%7B${app.clientId.toUpperCase()}%7D&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&force_login=0&state=${state}`;
  const loginPage = await fetch(authUrl);
  expect(loginPage.status).toBe(200);
  const loginHtml = await loginPage.text();
  expect(loginHtml).toContain('<label for="username">Username</label>');
  expect(loginHtml).toContain('type="password"');
  const base = { client_id: hidden(loginHtml, 'client_id'), redirect_uri: redirectUri, response_type: 'code', state };
  const consent = await fetch(`${harness.sandbox.url}/exact/api/oauth2/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...base, step: 'login', username: demoUser.username, password: demoUser.password }).toString(),
  });
  const consentHtml = await consent.text();
  expect(consentHtml).toContain('Exact CRM Connector (sandbox)');
  expect(consentHtml).toContain(`${NL} - Van Houten`);
  expect(consentHtml).toContain(`${BE} - Peeters`);
  const form = new URLSearchParams({ ...base, step: 'consent', ticket: hidden(consentHtml, 'ticket'), decision: 'allow' });
  divisions.forEach((d) => form.append('division', String(d)));
  const redirect = await fetch(`${harness.sandbox.url}/exact/api/oauth2/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(redirect.status).toBe(302);
  const location = new URL(redirect.headers.get('location') ?? '');
  return { code: location.searchParams.get('code') ?? '', location };
}

describe('Exact emulator OAuth', () => {
  it('logs in, asks consent, redirects with code and state, and exchanges the code once', async () => {
    h = await startExact();
    const { app } = h.control;
    const badLogin = await fetch(`${h.sandbox.url}/exact/api/oauth2/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUris[0], response_type: 'code', step: 'login', username: 'demo', password: 'wrong' }).toString(),
    });
    expect(badLogin.status).toBe(401);
    expect(await badLogin.text()).toContain('role="alert"');

    const { code, location } = await consentCode(h, [NL]);
    expect(`${location.origin}${location.pathname}`).toBe(app.redirectUris[0]);
    expect(location.searchParams.get('state')).toBe('st-42');
    expect(code).toContain('!');

    const exchange = { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0], client_id: `{${app.clientId}}`, client_secret: app.clientSecret };
    const tokenResponse = await h.token(exchange);
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as Record<string, unknown>;
    expect(tokens.expires_in).toBe('600');
    expect(String(tokens.token_type).toLowerCase()).toBe('bearer');
    const access = String(tokens.access_token);

    const me = await results(await h.get('current/Me?$select=CurrentDivision', access));
    expect(me.results).toHaveLength(1);
    expect(me.results[0].CurrentDivision).toBe(NL);
    expect((await h.get(`${NL}/system/Divisions?$select=Code`, access)).status).toBe(200);
    const forbidden = await h.get(`${BE}/system/Divisions?$select=Code`, access);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('reason')).toMatch(/division/i);

    const reuse = await h.token(exchange);
    expect(reuse.status).toBe(400);
    expect(h.control.tokenCalls().authorization_code).toBe(2);
  });

  it('refuses an expired code, a wrong redirect, an unknown client and a wrong secret', async () => {
    h = await startExact();
    const { app } = h.control;
    const { code } = await consentCode(h, [NL, BE]);
    const form = { grant_type: 'authorization_code', code, redirect_uri: app.redirectUris[0], client_id: app.clientId, client_secret: app.clientSecret };
    expect((await h.token({ ...form, client_id: '00000000-0000-0000-0000-000000000000' })).status).toBe(400);
    const badSecret = await h.token({ ...form, client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toEqual({ error: 'invalid_client' });
    expect((await h.token({ ...form, redirect_uri: 'https://evil.example/cb' })).status).toBe(400);
    h.clock.advance(3 * 60_000 + 1000);
    expect((await h.token(form)).status).toBe(400);

    const badRedirect = await fetch(`${h.sandbox.url}/exact/api/oauth2/auth?client_id=${app.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&response_type=code`);
    expect(badRedirect.status).toBe(400);
    const unknownClient = await fetch(`${h.sandbox.url}/exact/api/oauth2/auth?client_id=abc&redirect_uri=${encodeURIComponent(app.redirectUris[0])}&response_type=code`);
    expect(unknownClient.status).toBe(400);
  });

  it('rotates refresh tokens, rejects early refresh and reuse, and expires access tokens after 600 s', async () => {
    h = await startExact();
    const { app } = h.control;
    const first = h.control.issueTokens({ divisions: [NL] });
    const refresh = (token: string) => h!.token({ grant_type: 'refresh_token', refresh_token: token, client_id: app.clientId, client_secret: app.clientSecret });

    h.clock.advance(60_000);
    const early = await refresh(first.refresh_token);
    expect(early.status).toBe(400);
    expect(await early.json()).toEqual({ error: 'access_denied', error_description: 'Rate limit exceeded: access_token not expired' });
    expect(early.headers.get('reason')).toBe('TooEarlyToRefreshTokens: Rate limit exceeded: access_token not expired');

    h.clock.advance(511_000);
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    const pair = (await second.json()) as { access_token: string; refresh_token: string; expires_in: string };
    expect(pair.refresh_token).not.toBe(first.refresh_token);

    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({ error: 'unauthorized_client', error_description: 'Old refresh token used.' });

    h.clock.advance(30_000); // 601 s after the first token
    const expired = await h.get(`${NL}/system/Divisions?$select=Code`, first.access_token);
    expect(expired.status).toBe(401);
    expect(await errorText(expired)).toMatch(/expired/);
    expect((await h.get(`${NL}/system/Divisions?$select=Code`, pair.access_token)).status).toBe(200);
    expect(h.control.tokenCalls()).toMatchObject({ refresh_token: 3, refreshes: 1 });

    h.control.setKnobs({ enforceRefreshWait: false });
    expect((await refresh(pair.refresh_token)).status).toBe(200);
  });

  it('refuses the 201st token call of a user in a UTC day, and the client reads it as a refused call, not a dead grant', async () => {
    h = await startExact({ knobs: { enforceRefreshWait: false } });
    const { app } = h.control;
    let current = h.control.issueTokens().refresh_token;
    const refresh = () => h!.token({ grant_type: 'refresh_token', refresh_token: current, client_id: app.clientId, client_secret: app.clientSecret });
    for (let i = 0; i < 200; i++) {
      const ok = await refresh();
      expect(ok.status).toBe(200);
      current = ((await ok.json()) as { refresh_token: string }).refresh_token;
    }
    const refused = await refresh();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('access_denied');
    const error = await refreshAccessToken({ baseUrl: `${h.sandbox.url}/exact`, clientId: app.clientId, clientSecret: app.clientSecret, http: createAxiosHttp(), clock: h.clock, refreshToken: current }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExactOAuthError);
    expect((error as ExactOAuthError).rateLimited).toBe(true);
    expect((error as ExactOAuthError).reason).toMatch(/^TooManyTokenRequests/);
    h.clock.set(Date.UTC(2026, 10, 22, 0, 0, 0));
    expect((await refresh()).status).toBe(200);
  });

  it('replays a used refresh token within the grace period until its successor is used (knob)', async () => {
    h = await startExact({ knobs: { refreshGraceMs: 60_000, enforceRefreshWait: false } });
    const { app } = h.control;
    const refresh = async (token: string) =>
      h!.token({ grant_type: 'refresh_token', refresh_token: token, client_id: app.clientId, client_secret: app.clientSecret });
    const first = h.control.issueTokens();
    const a = (await (await refresh(first.refresh_token)).json()) as { access_token: string; refresh_token: string; expires_in: string };
    h.clock.advance(10_000);
    const again = await refresh(first.refresh_token);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...a, token_type: 'bearer', expires_in: '590' });
    h.clock.advance(60_000);
    expect((await refresh(first.refresh_token)).status).toBe(401);
    const b = (await (await refresh(a.refresh_token)).json()) as { refresh_token: string };
    expect((await refresh(a.refresh_token)).status).toBe(200); // within grace, b still unused
    expect((await refresh(b.refresh_token)).status).toBe(200);
    expect((await refresh(a.refresh_token)).status).toBe(401); // its successor b has been used
    expect(h.control.tokenCalls().refreshes).toBe(3);
  });

  it('expires a refresh token unused for 30 days', async () => {
    h = await startExact();
    const { app } = h.control;
    const tokens = h.control.issueTokens();
    h.clock.advance(30 * 86_400_000 + 1000);
    const response = await h.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.clientSecret });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/^The refresh token expired at \d+\/\d+\/\d{4} \d+:\d{2}:\d{2} [AP]M and it is now /);
  });

  it('keeps refresh tokens and data changes across a restart with the same data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'exact-emulator-'));
    try {
      h = await startExact({ dataDir });
      const tokens = h.control.issueTokens({ divisions: [NL] });
      const account = h.control.records(NL, 'Accounts')[10];
      h.control.updateRecord(NL, 'Accounts', String(account.ID), { Name: 'Hernoemd B.V.' });
      h.control.flush();
      const clock = h.clock;
      await h.sandbox.close();
      clock.advance(600_000);
      h = await startExact({ dataDir, clock });
      const { app } = h.control;
      const response = await h.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.clientSecret });
      expect(response.status).toBe(200);
      const renamed = h.control.records(NL, 'Accounts').find((a) => a.ID === account.ID);
      expect(renamed?.Name).toBe('Hernoemd B.V.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
