import { z } from 'zod';
import type { Clock } from '../sync/clock';

/**
 * Exact Online's OAuth2 authorization-code flow (reference §2): the helpers the gateway uses.
 * They take an HTTP function, so the same code runs over axios in Node or `fetch` elsewhere.
 * No secret, code or token ever appears in an error message.
 */

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  text: string;
}

export type HttpFunction = (request: HttpRequest) => Promise<HttpResponse>;

/** `https://start.exactonline.nl` or the emulator root such as `http://127.0.0.1:4321/exact`. */
function oauthUrl(baseUrl: string, endpoint: 'auth' | 'token'): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/oauth2/${endpoint}`;
}

export interface AuthorizeUrlOptions {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  forceLogin?: boolean;
}

export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const params = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    force_login: options.forceLogin === true ? '1' : '0',
    state: options.state,
  });
  return `${oauthUrl(options.baseUrl, 'auth')}?${params.toString()}`;
}

export interface ExactTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  /** Lifetime in seconds as Exact sent it (600). */
  expiresIn: number;
  /** `clock.now()` at receipt plus the lifetime, in epoch ms. */
  expiresAt: number;
}

/** Exact sends `expires_in` as a JSON string of digits; anything else is refused. */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'token_type must be bearer'),
  expires_in: z.string().regex(/^\d+$/, 'expires_in must be a string of digits'),
  refresh_token: z.string().min(1),
});

const oauthErrorBody = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

export class ExactOAuthError extends Error {
  public readonly status: number;
  /** OAuth error code, e.g. `unauthorized_client`, `invalid_request`, or `invalid_response`. */
  public readonly error: string;
  /** Exact's description, e.g. "Old refresh token used." */
  public readonly errorDescription?: string;
  /** Exact's `Reason` header, e.g. `TooEarlyToRefreshTokens: Rate limit exceeded: access_token not expired`. */
  public readonly reason?: string;

  /** The same text under the OAuth wire name. */
  public get error_description(): string | undefined {
    return this.errorDescription;
  }

  public constructor(status: number, error: string, errorDescription?: string, reason?: string) {
    const description = errorDescription !== undefined ? `: ${errorDescription}` : '';
    super(`Exact token endpoint refused the request (HTTP ${status}, ${error}${description})`);
    this.name = 'ExactOAuthError';
    this.status = status;
    this.error = error;
    this.errorDescription = errorDescription;
    this.reason = reason;
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /**
   * A refusal of the call, not of the grant: a refresh before 570 s ("access_token not expired",
   * a 400 in current Exact, a 401 in its older KB text) or the 200-a-day token quota. The grant
   * stays usable; retrying later works.
   */
  public get rateLimited(): boolean {
    const text = `${this.errorDescription ?? ''} ${this.reason ?? ''}`;
    return /access[ _]token not expired|rate limit exceeded|TooEarlyToRefreshTokens/i.test(text);
  }
}

export interface TokenClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  http: HttpFunction;
  clock: Clock;
}

export async function exchangeAuthorizationCode(
  options: TokenClientOptions & { code: string; redirectUri: string },
): Promise<ExactTokens> {
  return requestTokens(options, {
    grant_type: 'authorization_code',
    code: options.code,
    redirect_uri: options.redirectUri,
  });
}

/** Refresh tokens are single use: store the returned refresh token before using the access token. */
export async function refreshAccessToken(options: TokenClientOptions & { refreshToken: string }): Promise<ExactTokens> {
  return requestTokens(options, { grant_type: 'refresh_token', refresh_token: options.refreshToken });
}

async function requestTokens(options: TokenClientOptions, grant: Record<string, string>): Promise<ExactTokens> {
  // Client credentials go in the form body: Exact does not accept HTTP Basic.
  const form = new URLSearchParams({ ...grant, client_id: options.clientId, client_secret: options.clientSecret });
  let response: HttpResponse;
  try {
    response = await options.http({
      method: 'POST',
      url: oauthUrl(options.baseUrl, 'token'),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
  } catch (cause) {
    // The cause may echo the request (and so the secret); only its kind is kept.
    const kind = cause instanceof Error ? cause.name : 'unknown';
    throw new ExactOAuthError(0, 'network_error', `no response from the token endpoint (${kind})`);
  }
  const body = parseJson(response.text);
  if (response.status < 200 || response.status > 299) {
    const parsed = oauthErrorBody.safeParse(body);
    if (parsed.success) {
      throw new ExactOAuthError(response.status, parsed.data.error, parsed.data.error_description, response.headers.reason);
    }
    throw new ExactOAuthError(response.status, 'http_error', describeBody(response.text));
  }
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const fieldName = issue.path.join('.') || 'body';
    throw new ExactOAuthError(response.status, 'invalid_response', `${fieldName}: ${issue.message}`);
  }
  const expiresIn = Number(parsed.data.expires_in);
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    tokenType: parsed.data.token_type,
    expiresIn,
    expiresAt: options.clock.now() + expiresIn * 1000,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeBody(text: string): string | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  // A non-JSON error page; its length is enough to tell it apart without echoing its contents.
  return `non-JSON body of ${text.length} characters`;
}
