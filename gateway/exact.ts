/**
 * The gateway's side of Exact's OAuth and account reads, over the Exact client in src/exact.
 * A 4xx from the token endpoint means the grant is dead (needs consent); anything else
 * (no answer, 5xx) is transient and leaves the connection alone.
 */
import { z } from 'zod';
import type { Clock } from '../src/sync/clock';
import { buildAuthorizeUrl, exchangeAuthorizationCode, ExactOAuthError, refreshAccessToken, type ExactTokens as ClientTokens, type HttpFunction } from '../src/exact/oauth';
import type { GatewayConfig } from './config';
import type { Division } from './store/types';
import { ExactGrantRejectedError, type ExactOAuthPort, type ExactTokens } from './tokens';

const toTokens = (tokens: ClientTokens): ExactTokens => ({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresInSeconds: tokens.expiresIn });

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // A too-early refresh or the daily token quota refuses the call, not the grant: it is alive.
    const early = error instanceof ExactOAuthError && error.rateLimited;
    if (error instanceof ExactOAuthError && error.status >= 400 && error.status < 500 && !early) {
      throw new ExactGrantRejectedError(error.errorDescription ?? error.error, error.status);
    }
    throw error;
  }
}

export function createExactOAuth(settings: GatewayConfig['exact'], http: HttpFunction, clock: Clock): ExactOAuthPort {
  const client = { baseUrl: settings.baseUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, http, clock };
  return {
    authorizeUrl: (state) => buildAuthorizeUrl({ baseUrl: settings.baseUrl, clientId: settings.clientId, redirectUri: settings.redirectUri, state }),
    exchangeCode: (code) => mapErrors(async () => toTokens(await exchangeAuthorizationCode({ ...client, code, redirectUri: settings.redirectUri }))),
    refresh: (refreshToken) => mapErrors(async () => toTokens(await refreshAccessToken({ ...client, refreshToken }))),
  };
}

const meSchema = z.object({
  d: z.object({
    results: z
      .array(
        z.object({
          UserID: z.string(),
          UserName: z.string(),
          FullName: z.string().nullable().optional(),
          Email: z.string().nullable().optional(),
          CurrentDivision: z.number().int(),
        }),
      )
      .min(1),
  }),
});

const divisionsSchema = z.object({
  d: z.object({
    results: z.array(z.object({ Code: z.number().int(), Description: z.string().nullable().optional(), Currency: z.string().nullable().optional() })),
    __next: z.string().optional(),
  }),
});

export interface ExactAccount {
  user: { userId: string; userName: string; fullName: string; email?: string };
  currentDivision: number;
  divisions: Division[];
}

interface AccountReader {
  http: HttpFunction;
  accessToken: string;
}

async function getJson<T>({ http, accessToken }: AccountReader, url: string, { schema, what }: { schema: z.ZodType<T>; what: string }): Promise<T> {
  const response = await http({ method: 'GET', url, headers: { Accept: 'application/json', Authorization: `Bearer ${accessToken}` } });
  if (response.status !== 200) {
    throw new Error(`Exact answered ${what} with HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(JSON.parse(response.text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Exact's ${what} response is not as expected: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** Reads who connected (`current/Me`) and the divisions they may reach (`system/Divisions`). */
export async function readExactAccount(http: HttpFunction, baseUrl: string, accessToken: string): Promise<ExactAccount> {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  const reader: AccountReader = { http, accessToken };
  const me = (await getJson(reader, `${root}/current/Me?$select=UserID,UserName,FullName,Email,CurrentDivision`, { schema: meSchema, what: 'current/Me' })).d.results[0]!;
  const divisions: Division[] = [];
  let next: string | undefined = `${root}/${me.CurrentDivision}/system/Divisions?$select=Code,Description,Currency`;
  for (let page = 0; next && page < 20; page++) {
    const body: z.infer<typeof divisionsSchema> = await getJson(reader, next, { schema: divisionsSchema, what: 'system/Divisions' });
    divisions.push(...body.d.results.map((d) => ({ code: d.Code, description: d.Description ?? String(d.Code), ...(d.Currency?.trim() ? { currency: d.Currency.trim() } : {}) })));
    // The access token only ever goes to the configured Exact host.
    next = body.d.__next && body.d.__next.startsWith(`${root}/`) ? body.d.__next : undefined;
  }
  return {
    user: { userId: me.UserID, userName: me.UserName, fullName: me.FullName ?? me.UserName, email: me.Email ?? undefined },
    currentDivision: me.CurrentDivision,
    divisions,
  };
}
