import { DropConnection } from '../../sandbox/http/node';
import type { Rng } from '../../sandbox/exact/random';
import type { SandboxPart } from '../../sandbox/server';

/**
 * Fault injection for the chaos suite, as sandbox parts wrapped around the emulators: the
 * faults are drawn from a generator seeded by the suite (`seededRng`, the emulators' mulberry32), so `CHAOS_SEED=<n>`
 * replays a failing suite, and kinds the emulators lack (429 with Retry-After, timeouts, a
 * connection dropped after SharePoint applied a `$batch`) are made here without changing them.
 */

/** The seed from `CHAOS_SEED`, or a new one (printed by the suite so it can be replayed). */
export function chaosSeed(env: Record<string, string | undefined> = process.env): number {
  const given = env.CHAOS_SEED;
  if (given !== undefined && /^\d+$/.test(given.trim())) return Number(given.trim()) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

export const EXACT_FAULTS = ['error500', 'error503', 'throttled429', 'timeout', 'drop'] as const;
export const SHAREPOINT_FAULTS = ['error500', 'error503', 'throttled429', 'timeout', 'dropAfterApply'] as const;
/** 429s are rarer than the others: PnPjs waits the whole Retry-After second for each, and the suite has a time box. */
const SHAREPOINT_DRAW: readonly SharePointFault[] = ['error500', 'error500', 'error503', 'error503', 'timeout', 'timeout', 'dropAfterApply', 'dropAfterApply', 'throttled429'];
export type ExactFault = (typeof EXACT_FAULTS)[number];
export type SharePointFault = (typeof SHAREPOINT_FAULTS)[number];

/** Counts of injected faults by side and kind, for the suite's totals. */
export class FaultTally {
  public readonly counts = new Map<string, number>();

  public add(side: string, kind: string): void {
    const key = `${side} ${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  public get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  public summary(): string {
    return [...this.counts.entries()].sort().map(([k, n]) => `${k} ${n}`).join(', ');
  }
}

export interface FaultSettings {
  /** Share of matching requests that fail (0..1); 0 turns injection off. */
  rate: number;
}

export interface FaultPartOptions {
  random: Rng;
  settings: FaultSettings;
  tally: FaultTally;
  /** Longer than the client's timeout, so a stalled Exact call is one the client gave up on. */
  exactStallMs: number;
  /** How long a SharePoint request hangs before the connection goes (a front end that timed out). */
  sharePointStallMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const exactError = (status: number, message: string, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify({ error: { code: '', message: { lang: '', value: message } } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** Exact's REST API (not the OAuth pages or token endpoint: the suite issues its tokens directly). */
export function faultyExact(part: SandboxPart, options: FaultPartOptions): SandboxPart {
  return {
    ...part,
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (!/^\/exact\/api\/v1\//i.test(path) || !options.random.chance(options.settings.rate)) return part.handler(request);
      const kind = options.random.pick(EXACT_FAULTS);
      options.tally.add('exact', kind);
      switch (kind) {
        case 'error500':
          return exactError(500, 'An unexpected error occurred. (chaos)');
        case 'error503':
          return new Response('<html><body><h1>503 Service Unavailable</h1></body></html>', { status: 503, headers: { 'content-type': 'text/html' } });
        case 'throttled429':
          return exactError(429, 'API usage limit exceeded (chaos).', { 'retry-after': '1', 'x-ratelimit-minutely-remaining': '0' });
        case 'timeout':
          await sleep(options.exactStallMs);
          return part.handler(request);
        case 'drop':
          throw new DropConnection('chaos: Exact connection dropped');
      }
    },
  };
}

const spError = (status: number, message: string, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify({ 'odata.error': { code: '-2147024860, Microsoft.SharePoint.SPException', message: { lang: 'en-US', value: message } } }), {
    status,
    headers: { 'content-type': 'application/json;odata=verbose', ...headers },
  });

/**
 * SharePoint's REST API. `dropAfterApply` lets the emulator do the work (a `$batch` is applied)
 * and then drops the connection, so the caller cannot know it happened: the case a resume and a
 * retried `$batch` must both survive without duplicates.
 */
export function faultySharePoint(part: SandboxPart, options: FaultPartOptions): SandboxPart {
  return {
    ...part,
    handler: async (request) => {
      const path = new URL(request.url).pathname;
      if (!/\/_api\//i.test(path) || /contextinfo/i.test(path) || !options.random.chance(options.settings.rate)) return part.handler(request);
      const kind = options.random.pick(SHAREPOINT_DRAW);
      options.tally.add('sharepoint', kind);
      switch (kind) {
        case 'error500':
          return spError(500, 'Unexpected server error (chaos).');
        case 'error503':
          // Without Retry-After (SharePoint sends it with most but not all 503s): the client backs off on its own.
          return spError(503, 'The service is temporarily unavailable (chaos).');
        case 'throttled429':
          return spError(429, 'The request has been throttled (chaos).', { 'retry-after': '1' });
        case 'timeout':
          await sleep(options.sharePointStallMs);
          throw new DropConnection('chaos: SharePoint request timed out');
        case 'dropAfterApply':
          await part.handler(request);
          throw new DropConnection('chaos: SharePoint applied the request, then the connection dropped');
      }
    },
  };
}
