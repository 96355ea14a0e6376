/**
 * Exact's OAuth2 server: authorization codes (single use, 3 minutes), 600 s access tokens and
 * single-use rotating refresh tokens that die after 30 days unused. Error bodies follow what
 * clients have recorded from Exact (see the reference, §2).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { jsonResponse } from './errors';

export const accessTokenSeconds = 600;
export const refreshWaitSeconds = 570;
export const codeLifetimeMs = 3 * 60_000;
export const refreshLifetimeMs = 30 * 86_400_000;

const grantSchema = z.object({ id: z.string(), username: z.string(), divisions: z.array(z.number()), accessIssuedAt: z.number() });
const refreshSchema = z.object({
  token: z.string(),
  grantId: z.string(),
  issuedAt: z.number(),
  usedAt: z.number().nullable(),
  /** The pair this token was exchanged for, so a retry within the grace period gets it again. */
  next: z.object({ access: z.string(), refresh: z.string() }).optional(),
});
const accessSchema = z.object({ token: z.string(), grantId: z.string(), expiresAt: z.number() });
export const oauthStateSchema = z.object({
  grants: z.array(grantSchema),
  refreshTokens: z.array(refreshSchema),
  accessTokens: z.array(accessSchema),
});
export type OAuthState = z.infer<typeof oauthStateSchema>;
type Grant = z.infer<typeof grantSchema>;
type RefreshToken = z.infer<typeof refreshSchema>;
type AccessToken = z.infer<typeof accessSchema>;

interface Code { grant: Grant; redirectUri: string; expiresAt: number; used: boolean }

const tokenFormSchema = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
});
type TokenForm = z.infer<typeof tokenFormSchema>;

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: string;
  refresh_token: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: () => string[];
}

export interface TokenCounters {
  authorization_code: number;
  refresh_token: number;
  other: number;
  /** Successful refreshes (a new token pair was issued). */
  refreshes: number;
}

/** Exact accepts the client id with or without braces, in any case. */
export function normalizeClientId(value: string | null): string {
  return (value ?? '').trim().replace(/^\{|\}$/g, '').toLowerCase();
}

const token = (prefix: string, bytes: number): string => `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** `10/11/2022 9:18:20 PM`: the en-US text Exact puts in its expiry message, in UTC. */
export function usDateTime(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 || 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

export class OAuthServer {
  private readonly grants = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly codes = new Map<string, Code>();
  public readonly counters: TokenCounters = { authorization_code: 0, refresh_token: 0, other: 0, refreshes: 0 };
  /** Refusing a refresh before 570 s is on by default, like Exact. */
  public enforceRefreshWait = true;
  /**
   * How long a used refresh token may be replayed (it returns the same new pair while that pair's
   * refresh token is unused). Exact sets this per app (reference §12); 0 = strict single use.
   */
  public refreshGraceMs = 0;
  /** Exact's 200 token-endpoint calls per app, per user, per day (reference §2.3 quotas). */
  public tokenDayLimit = 200;
  /** `{username}` → calls on the UTC day `day`; one app per emulator, so the user is the key. */
  private readonly tokenCallsToday = new Map<string, { day: number; count: number }>();

  public constructor(
    private readonly app: OAuthApp,
    private readonly clock: Clock,
    saved: OAuthState | undefined,
    private readonly onChange: () => void,
  ) {
    saved?.grants.forEach((g) => this.grants.set(g.id, g));
    saved?.refreshTokens.forEach((t) => this.refreshTokens.set(t.token, t));
    saved?.accessTokens.forEach((t) => this.accessTokens.set(t.token, t));
  }

  public snapshot(): OAuthState {
    const now = this.clock.now();
    return {
      grants: [...this.grants.values()],
      refreshTokens: [...this.refreshTokens.values()].filter((t) => t.issuedAt + refreshLifetimeMs + 86_400_000 > now),
      accessTokens: [...this.accessTokens.values()].filter((t) => t.expiresAt > now),
    };
  }

  /** Called by the consent page once the user allowed access to some divisions. */
  public createCode(username: string, divisions: number[], redirectUri: string): string {
    const grant: Grant = { id: token('g', 12), username, divisions, accessIssuedAt: 0 };
    const code = token('XTzM!IAAAA', 60);
    this.codes.set(code, { grant, redirectUri, expiresAt: this.clock.now() + codeLifetimeMs, used: false });
    return code;
  }

  /** For tests that skip the login page. */
  public issueTokens(username: string, divisions: number[]): TokenResponse {
    const grant: Grant = { id: token('g', 12), username, divisions, accessIssuedAt: 0 };
    this.grants.set(grant.id, grant);
    return this.issuePair(grant);
  }

  private issuePair(grant: Grant): TokenResponse {
    const now = this.clock.now();
    grant.accessIssuedAt = now;
    const access: AccessToken = { token: token('AAEAA', 180), grantId: grant.id, expiresAt: now + accessTokenSeconds * 1000 };
    const refresh: RefreshToken = { token: token('Gcp7!IAAAAB', 90), grantId: grant.id, issuedAt: now, usedAt: null };
    this.accessTokens.set(access.token, access);
    this.refreshTokens.set(refresh.token, refresh);
    this.onChange();
    return { access_token: access.token, token_type: 'bearer', expires_in: String(accessTokenSeconds), refresh_token: refresh.token };
  }

  /** The grant behind a bearer token, or why it is refused. */
  public authenticate(authorization: string | null): { grant: Grant } | { error: string } {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) {
      return { error: 'Authorization header is missing or not a Bearer token.' };
    }
    const access = this.accessTokens.get(match[1]);
    const grant = access && this.grants.get(access.grantId);
    if (!access || !grant) {
      return { error: 'The access token is invalid.' };
    }
    if (access.expiresAt <= this.clock.now()) {
      return { error: `The access token expired at ${usDateTime(access.expiresAt)}.` };
    }
    return { grant };
  }

  public async tokenEndpoint(request: Request): Promise<Response> {
    if (request.method !== 'POST') {
      return new Response('Method Not Allowed', { status: 405, headers: { allow: 'POST' } });
    }
    const parsed = tokenFormSchema.safeParse(Object.fromEntries(new URLSearchParams(await request.text())));
    if (!parsed.success) {
      return jsonResponse(400, { error: 'invalid_request' });
    }
    const form = parsed.data;
    const grantType = form.grant_type;
    if (grantType === 'authorization_code' || grantType === 'refresh_token') {
      this.counters[grantType] += 1;
    } else {
      this.counters.other += 1;
    }
    const clientId = form.client_id ?? null;
    if (!clientId || normalizeClientId(clientId) !== normalizeClientId(this.app.clientId)) {
      return jsonResponse(400, { error: 'invalid_client' });
    }
    if (form.client_secret !== this.app.clientSecret) {
      return jsonResponse(401, { error: 'invalid_client' });
    }
    if (grantType === 'authorization_code') {
      return this.exchangeCode(form);
    }
    if (grantType === 'refresh_token') {
      return this.refresh(form);
    }
    return jsonResponse(400, { error: 'unsupported_grant_type' });
  }

  /**
   * Counts one token call for a user; the 201st of a UTC day is refused. The wording follows
   * Exact's observed "Rate limit exceeded" token answers; the exact text for this limit is unverified.
   */
  private overDailyTokenLimit(username: string): Response | undefined {
    const day = Math.floor(this.clock.now() / 86_400_000);
    const seen = this.tokenCallsToday.get(username);
    const entry = seen && seen.day === day ? seen : { day, count: 0 };
    entry.count += 1;
    this.tokenCallsToday.set(username, entry);
    if (entry.count <= this.tokenDayLimit) {
      return undefined;
    }
    const text = `Rate limit exceeded: more than ${this.tokenDayLimit} token requests today`;
    return jsonResponse(400, { error: 'access_denied', error_description: text }, { Reason: `TooManyTokenRequests: ${text}` });
  }

  private exchangeCode(form: TokenForm): Response {
    // Exact answers a bad, reused or expired code with a bare 400 (reference §2.3).
    const bare = (): Response => new Response('Bad Request', { status: 400, headers: { 'content-type': 'text/html' } });
    const code = this.codes.get(form.code ?? '');
    if (!code || code.used || code.expiresAt <= this.clock.now()) {
      return bare();
    }
    const limited = this.overDailyTokenLimit(code.grant.username);
    if (limited) {
      return limited;
    }
    if (form.redirect_uri !== code.redirectUri) {
      return bare();
    }
    code.used = true;
    this.grants.set(code.grant.id, code.grant);
    return jsonResponse(200, this.issuePair(code.grant));
  }

  private refresh(form: TokenForm): Response {
    const now = this.clock.now();
    const refresh = this.refreshTokens.get(form.refresh_token ?? '');
    const grant = refresh && this.grants.get(refresh.grantId);
    if (!refresh || !grant) {
      return jsonResponse(400, { error: 'invalid_request' });
    }
    const limited = this.overDailyTokenLimit(grant.username);
    if (limited) {
      return limited;
    }
    if (refresh.usedAt !== null) {
      const replay = this.replay(refresh, now);
      return replay ? jsonResponse(200, replay) : jsonResponse(401, { error: 'unauthorized_client', error_description: 'Old refresh token used.' });
    }
    const expiresAt = refresh.issuedAt + refreshLifetimeMs;
    if (expiresAt <= now) {
      return jsonResponse(400, { error: 'invalid_request', error_description: `The refresh token expired at ${usDateTime(expiresAt)} and it is now ${usDateTime(now)}.` });
    }
    if (this.enforceRefreshWait && now - grant.accessIssuedAt < refreshWaitSeconds * 1000) {
      // As a 2026 client report shows it (websmurf/laravel-exact-online #31); the KB's older text was a 401 "Access Token not expired".
      const text = 'Rate limit exceeded: access_token not expired';
      return jsonResponse(400, { error: 'access_denied', error_description: text }, { Reason: `TooEarlyToRefreshTokens: ${text}` });
    }
    refresh.usedAt = now;
    this.counters.refreshes += 1;
    const pair = this.issuePair(grant);
    refresh.next = { access: pair.access_token, refresh: pair.refresh_token };
    return jsonResponse(200, pair);
  }

  private replay(used: RefreshToken, now: number): TokenResponse | undefined {
    const access = used.next && this.accessTokens.get(used.next.access);
    const successor = used.next && this.refreshTokens.get(used.next.refresh);
    if (!access || !successor || successor.usedAt !== null || used.usedAt === null || now - used.usedAt >= this.refreshGraceMs) {
      return undefined;
    }
    const seconds = Math.max(0, Math.floor((access.expiresAt - now) / 1000));
    return { access_token: access.token, token_type: 'bearer', expires_in: String(seconds), refresh_token: successor.token };
  }
}
