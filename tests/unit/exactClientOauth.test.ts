import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import {
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  ExactOAuthError,
  refreshAccessToken,
  type HttpRequest,
  type HttpResponse,
} from '../../src/exact/oauth';

const secret = 'S3cr3t-client-secret';

function fakeHttp(response: HttpResponse | Error) {
  const requests: HttpRequest[] = [];
  const http = async (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request);
    if (response instanceof Error) {
      throw response;
    }
    return response;
  };
  return { http, requests };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, text: JSON.stringify(body) });

async function refusal(promise: Promise<unknown>): Promise<ExactOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExactOAuthError);
  const oauthError = error as ExactOAuthError;
  expect(oauthError.message).not.toContain(secret);
  return oauthError;
}

describe('Exact OAuth helpers', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 21, 23, 0));
  const common = { baseUrl: 'http://127.0.0.1:4321/exact/', clientId: '{b81cc4de-d192-400e-bcb4-09254394c52a}', clientSecret: secret, clock };

  it('builds the authorize URL with response_type=code, force_login and state', () => {
    const url = new URL(
      buildAuthorizeUrl({ baseUrl: 'https://start.exactonline.nl', clientId: common.clientId, redirectUri: 'https://app/cb?x=1', state: 'a b', forceLogin: true }),
    );
    expect(url.origin + url.pathname).toBe('https://start.exactonline.nl/api/oauth2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: common.clientId,
      redirect_uri: 'https://app/cb?x=1',
      response_type: 'code',
      force_login: '1',
      state: 'a b',
    });
    expect(new URL(buildAuthorizeUrl({ ...common, redirectUri: 'r', state: 's' })).searchParams.get('force_login')).toBe('0');
  });

  it('exchanges a code with a form POST carrying the client credentials in the body', async () => {
    const { http, requests } = fakeHttp(
      json(200, { access_token: 'AAEA', token_type: 'bearer', expires_in: '600', refresh_token: 'Gcp7!IAAAAB' }),
    );
    const tokens = await exchangeAuthorizationCode({ ...common, http, code: 'XTzM!IAAAA', redirectUri: 'https://app/cb' });
    expect(tokens).toEqual({ accessToken: 'AAEA', refreshToken: 'Gcp7!IAAAAB', tokenType: 'bearer', expiresIn: 600, expiresAt: clock.now() + 600_000 });
    expect(requests[0].url).toBe('http://127.0.0.1:4321/exact/api/oauth2/token');
    expect(requests[0].headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(requests[0].body))).toEqual({
      grant_type: 'authorization_code',
      code: 'XTzM!IAAAA',
      redirect_uri: 'https://app/cb',
      client_id: common.clientId,
      client_secret: secret,
    });
  });

  it('refreshes with grant_type=refresh_token and accepts Bearer in any case', async () => {
    const { http, requests } = fakeHttp(json(200, { access_token: 'B', token_type: 'Bearer', expires_in: '600', refresh_token: 'R2' }));
    const tokens = await refreshAccessToken({ ...common, http, refreshToken: 'R1' });
    expect(tokens.refreshToken).toBe('R2');
    expect(new URLSearchParams(requests[0].body).get('refresh_token')).toBe('R1');
    expect(new URLSearchParams(requests[0].body).get('grant_type')).toBe('refresh_token');
  });

  it('carries error and error_description of a refusal, e.g. a reused refresh token', async () => {
    const { http } = fakeHttp(json(401, { error: 'unauthorized_client', error_description: 'Old refresh token used.' }));
    const error = await refusal(refreshAccessToken({ ...common, http, refreshToken: 'R1' }));
    expect(error).toMatchObject({ status: 401, error: 'unauthorized_client', errorDescription: 'Old refresh token used.' });
    expect(error.error_description).toBe('Old refresh token used.');
  });

  it('refuses a number expires_in, a missing refresh token and a bare 400 without echoing anything secret', async () => {
    const numeric = fakeHttp(json(200, { access_token: 'A', token_type: 'bearer', expires_in: 600, refresh_token: 'R' }));
    expect(await refusal(refreshAccessToken({ ...common, http: numeric.http, refreshToken: 'R1' }))).toMatchObject({
      error: 'invalid_response',
      errorDescription: expect.stringContaining('expires_in') as unknown as string,
    });
    const missing = fakeHttp(json(200, { access_token: 'A', token_type: 'bearer', expires_in: '600' }));
    expect((await refusal(refreshAccessToken({ ...common, http: missing.http, refreshToken: 'R1' }))).errorDescription).toMatch(/refresh_token/);
    const bare = fakeHttp({ status: 400, headers: {}, text: 'Bad Request' });
    expect(await refusal(exchangeAuthorizationCode({ ...common, http: bare.http, code: 'c', redirectUri: 'r' }))).toMatchObject({
      status: 400,
      error: 'http_error',
    });
    const down = fakeHttp(new Error(`connect ECONNREFUSED client_secret=${secret}`));
    expect(await refusal(refreshAccessToken({ ...common, http: down.http, refreshToken: 'R1' }))).toMatchObject({ status: 0, error: 'network_error' });
  });

  it('tells a refused call (too early, daily quota) from a refused grant', () => {
    expect(new ExactOAuthError(400, 'access_denied', 'Rate limit exceeded: access_token not expired').rateLimited).toBe(true);
    expect(new ExactOAuthError(401, 'invalid_request', 'Access Token not expired').rateLimited).toBe(true);
    expect(new ExactOAuthError(400, 'access_denied', undefined, 'TooEarlyToRefreshTokens: …').rateLimited).toBe(true);
    expect(new ExactOAuthError(401, 'unauthorized_client', 'Old refresh token used.').rateLimited).toBe(false);
    expect(new ExactOAuthError(400, 'invalid_request', 'The refresh token expired at 10/11/2022 9:18:20 PM').rateLimited).toBe(false);
  });
});
