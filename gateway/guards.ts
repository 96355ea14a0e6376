/**
 * The shape of what the proxy passes on (endpoint paths, OData options; which operations the
 * connector does is access/operations.ts), and the two protections in front of Exact: a circuit
 * breaker per endpoint (Exact blocks an app for an hour after 10 errors an hour on one endpoint;
 * we stop at 8) and a short cache for the customer panel's finance reads.
 */
import type { Clock } from '../src/sync/clock';

const cacheable = /^(salesinvoice\/|cashflow\/Receivables$|read\/financial\/)/;

export interface EndpointPath {
  /** e.g. `crm/Accounts`: what the breaker and the allowlist look at. */
  endpoint: string;
  /** The rest after the division, verbatim (key segment, `$count`), without the query string. */
  rest: string;
}

/** Splits `crm/Accounts(guid'…')/$count` into the endpoint and the rest; undefined if malformed. */
export function parseEndpoint(rest: string): EndpointPath | undefined {
  // A key is a GUID or a number, nothing else: no encoded slashes or dots ride along to Exact.
  const match = /^([A-Za-z]+\/[A-Za-z]+(?:\/[A-Za-z]+)?)(\((?:guid'[0-9a-fA-F-]{36}'|\d+L?)\))?(\/\$count)?$/.exec(rest);
  if (!match?.[1]) {
    return undefined;
  }
  // `bulk/CRM/Accounts` has three segments; `crm/Accounts` two. Keep three only for bulk/sync/read.
  const segments = match[1].split('/');
  if (segments.length === 3 && !['bulk', 'sync', 'read'].includes(segments[0]!)) {
    return undefined;
  }
  return { endpoint: match[1], rest };
}

/** Query options Exact's endpoints take from this product; everything else stays here. */
const queryOptions = new Set(['$select', '$filter', '$top', '$skiptoken', '$orderby', '$inlinecount', '$expand']);

/**
 * The caller's query string as Exact should see it: OData options kept verbatim (their encoding
 * untouched), the gateway's own `connection` dropped, anything else refused (undefined).
 */
export function exactQuery(search: string): string | undefined {
  const kept: string[] = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    let name: string;
    try {
      name = decodeURIComponent(part.split('=')[0]!);
    } catch {
      return undefined;
    }
    if (name === 'connection') continue;
    if (!queryOptions.has(name)) return undefined;
    kept.push(part);
  }
  return kept.length ? `?${kept.join('&')}` : '';
}

export const isCacheable = (endpoint: string): boolean => cacheable.test(endpoint);

/** Exact counts these statuses towards its 10-errors-an-hour block. */
export const countsAsExactError = (status: number): boolean => [400, 401, 403, 404].includes(status);

export class CircuitBreaker {
  private readonly errors = new Map<string, number[]>();

  public constructor(private readonly clock: Clock, private readonly threshold = 8, private readonly windowMs = 3600_000) {}

  private recent(key: string): number[] {
    const since = this.clock.now() - this.windowMs;
    const kept = (this.errors.get(key) ?? []).filter((at) => at > since);
    // Keys come from callers' paths; an endpoint with no error in the hour keeps no entry.
    if (kept.length > 0) this.errors.set(key, kept);
    else this.errors.delete(key);
    return kept;
  }

  /** When open, the moment it closes again (the oldest counted error leaves the hour). */
  public openUntil(key: string): number | undefined {
    const recent = this.recent(key);
    return recent.length >= this.threshold ? recent[recent.length - this.threshold]! + this.windowMs : undefined;
  }

  public recordError(key: string): void {
    this.errors.set(key, [...this.recent(key), this.clock.now()]);
  }
}

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class ShortCache {
  private readonly entries = new Map<string, { at: number; value: CachedResponse }>();

  public constructor(private readonly clock: Clock, private readonly ttlMs = 60_000, private readonly maxEntries = 500) {}

  public get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (this.clock.now() - entry.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  public set(key: string, value: CachedResponse): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, { at: this.clock.now(), value });
  }

  /** Forget a tenant's entries (after a disconnect or a write). */
  public dropTenant(tenantId: string): void {
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(`${tenantId}|`)) {
        this.entries.delete(key);
      }
    }
  }
}
