import { z } from 'zod';
import { lowerCaseHeaders, parseBody, rawInstance } from './axiosBase';
import type { ExactRequest, ExactResponse, Transport } from './transport';

/**
 * The browser's way to Exact: through the gateway, which holds the Exact tokens and spends the
 * rate budget. The caller authenticates with an Entra access token for the gateway's API
 * (SPFx `AadTokenProvider`, or MSAL where there is no SPFx context); the browser never sees an
 * Exact token. Paths stay relative to Exact's `/api/v1/`, so the Exact client does not change.
 */

export interface GatewayTransportOptions {
  /** The gateway root, e.g. `https://crm-gateway.azurewebsites.net/api` or `http://127.0.0.1:4321/gateway`. */
  gatewayUrl: string;
  /** An access token for the gateway's API (see aadTokenProvider.ts and msalTokenProvider.ts). */
  getAccessToken: () => Promise<string>;
  /** Which of the tenant's Exact connections; the gateway's default when absent. */
  connectionId?: string;
  timeoutMs?: number;
}

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

function newCorrelationId(): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `spfx-${Date.now().toString(36)}-${random}`;
}

function withConnection(path: string, connectionId: string | undefined): string {
  if (!connectionId) {
    return path;
  }
  const separator = path.indexOf('?') >= 0 ? '&' : '?';
  return `${path}${separator}connection=${encodeURIComponent(connectionId)}`;
}

export function createGatewayTransport(options: GatewayTransportOptions): Transport {
  const instance = rawInstance(options.timeoutMs !== undefined ? options.timeoutMs : 60000);
  const root = `${trimmed(options.gatewayUrl)}/exact/`;
  return {
    async send(request: ExactRequest): Promise<ExactResponse> {
      const token = await options.getAccessToken();
      const headers: Record<string, string> = {
        Accept: 'application/json',
        ...request.headers,
        Authorization: `Bearer ${token}`,
        'x-correlation-id': newCorrelationId(),
      };
      if (request.body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      const response = await instance.request<string>({
        method: request.method,
        url: root + withConnection(request.path.replace(/^\/+/, ''), options.connectionId),
        headers,
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const text = typeof response.data === 'string' ? response.data : '';
      return { status: response.status, headers: lowerCaseHeaders(response), data: parseBody(text) };
    },
  };
}

const windowSchema = z.object({ limit: z.number(), remaining: z.number(), resetAt: z.number() });

/** What `GET /connection` answers; the admin web part shows it. */
export const gatewayConnectionStatusSchema = z.object({
  connected: z.boolean(),
  status: z.enum(['connected', 'needs-consent', 'not-connected']),
  needsConsentReason: z.string().optional(),
  exactUser: z.object({ fullName: z.string(), userName: z.string(), email: z.string().optional() }).optional(),
  region: z.string().optional(),
  /** `currency` is absent on connections made before the gateway read it (their books were in euro). */
  divisions: z.array(z.object({ code: z.number(), description: z.string(), currency: z.string().optional() })).optional(),
  division: z.number().nullable().optional(),
  /** The divisions an admin enabled for the CRM; the gateway refuses every other one. */
  enabledDivisions: z.array(z.number()).optional(),
  connectedAt: z.string().optional(),
  /** When the gateway last got an access token from Exact (they live 600 s). */
  accessTokenIssuedAt: z.string().optional(),
  refreshTokenUsedAt: z.string().optional(),
  /** A new consent is needed by then unless the gateway uses the connection before. */
  consentNeededBy: z.string().optional(),
  budget: z.array(z.object({ division: z.number(), minutely: windowSchema, daily: windowSchema, queued: z.number() })).optional(),
  recentErrors: z.array(z.object({ at: z.string(), where: z.string(), status: z.number().optional(), message: z.string() })).optional(),
  /** `MM-DD`, once an admin confirmed it; divisions without a start of their own follow it. */
  financialYearStart: z.string().optional(),
  /** A division's own start (`MM-DD`) by division code. */
  financialYearStarts: z.record(z.string()).optional(),
});
export type GatewayConnectionStatus = z.infer<typeof gatewayConnectionStatusSchema>;

export class GatewayError extends Error {
  public readonly status: number;
  public readonly code: string;

  public constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.code = code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const errorBodySchema = z.object({ error: z.string(), message: z.string() });

/** The gateway's connection API: status, division, disconnect, and the connect popup URL. */
export function createGatewayConnectionApi(options: GatewayTransportOptions) {
  const instance = rawInstance(options.timeoutMs !== undefined ? options.timeoutMs : 30000);
  const root = trimmed(options.gatewayUrl);
  const query = options.connectionId ? `?connection=${encodeURIComponent(options.connectionId)}` : '';

  async function request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const token = await options.getAccessToken();
    const response = await instance.request<string>({
      method,
      url: `${root}${path}`,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        'x-correlation-id': newCorrelationId(),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = parseBody(typeof response.data === 'string' ? response.data : '');
    if (response.status >= 400) {
      const parsed = errorBodySchema.safeParse(data);
      throw parsed.success
        ? new GatewayError(response.status, parsed.data.error, parsed.data.message)
        : new GatewayError(response.status, 'http-error', `The gateway answered ${method} ${path} with HTTP ${response.status}`);
    }
    return data;
  }

  const status = async (): Promise<GatewayConnectionStatus> => {
    const parsed = gatewayConnectionStatusSchema.safeParse(await request('GET', `/connection${query}`));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GatewayError(502, 'bad-response', `The gateway's connection status is not as expected: ${issue ? issue.path.join('.') : ''} ${issue ? issue.message : ''}`);
    }
    return parsed.data;
  };

  return {
    status,
    async chooseDivision(division: number): Promise<GatewayConnectionStatus> {
      await request('PUT', `/connection/division${query}`, { division });
      return status();
    },
    /** Admins: the divisions the CRM may use (the working division must be among them). */
    async chooseEnabledDivisions(enabledDivisions: number[]): Promise<GatewayConnectionStatus> {
      await request('PUT', `/connection/divisions${query}`, { enabledDivisions });
      return status();
    },
    /** A division's own start; without `division`, the one divisions without their own follow. */
    async saveFinancialYearStart(settings: { financialYearStart: string; division?: number }): Promise<GatewayConnectionStatus> {
      await request('PUT', `/connection/settings${query}`, settings);
      return status();
    },
    async disconnect(): Promise<void> {
      await request('DELETE', `/connection${query}`);
    },
    /**
     * The URL to open in the connect popup (a popup cannot send a bearer header, so it carries
     * a one-minute, single-use ticket). The popup posts `{type: 'exact-connect', ok, error?}` to
     * `returnUrl`'s origin when it is done.
     */
    async connectUrl(returnUrl: string): Promise<string> {
      const parsed = z.object({ ticket: z.string() }).parse(await request('POST', '/connect/ticket'));
      const extra = options.connectionId ? `&connection=${encodeURIComponent(options.connectionId)}` : '';
      return `${root}/connect?ticket=${encodeURIComponent(parsed.ticket)}&returnUrl=${encodeURIComponent(returnUrl)}${extra}`;
    },
  };
}

export type GatewayConnectionApi = ReturnType<typeof createGatewayConnectionApi>;

/** Which CRM company a "Create in Exact" is for, as the gateway's exactly-once create needs it. */
export interface CustomerCreateFor {
  /** The CRM site's server-relative path, e.g. `/sites/crm`. */
  site: string;
  /** The company's list item id. */
  itemId: number;
  /** The company's current Exact link: the gateway refuses to create a linked company again. */
  exactId?: string;
  /** Look-alike accounts the person saw and declined. */
  declined?: readonly string[];
}

/**
 * Headers of a customer create through the gateway: `Idempotency-Key: crm-company:<site>/<item
 * id>` makes a repeat replay the first create instead of making a second account.
 */
export function customerCreateHeaders({ site, itemId, exactId, declined = [] }: CustomerCreateFor): Record<string, string> {
  const path = site.replace(/\/+$/, '').split('/').map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  return {
    'Idempotency-Key': `crm-company:${path}/${itemId}`,
    ...(exactId ? { 'X-Crm-Linked-Account': exactId } : {}),
    ...(declined.length ? { 'X-Declined-Duplicates': declined.join(',') } : {}),
  };
}

const duplicateCandidateSchema = z.object({
  error: z.literal('duplicate-candidate'),
  candidates: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), city: z.string().optional(), postcode: z.string().optional(), country: z.string().optional() })),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>['candidates'][number];

/** The same-name customers the gateway found instead of creating (its 409), if that is what `error` is. */
export function duplicateCandidatesOf(error: unknown): DuplicateCandidate[] | undefined {
  const body = typeof error === 'object' && error !== null && 'status' in error && error.status === 409 && 'body' in error ? error.body : undefined;
  const parsed = duplicateCandidateSchema.safeParse(body);
  return parsed.success ? parsed.data.candidates : undefined;
}
