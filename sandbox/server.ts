import { systemClock, type Clock } from '../src/sync/clock';
import { serveWebHandler, type RunningServer, type WebHandler } from './http/node';

/**
 * One process, one port: every local stand-in mounted under its own path prefix.
 * Each part is a WebHandler that sees the full request URL (prefix included), so the
 * absolute links it writes (`__next`, `odata.nextLink`, redirects) point back at this server.
 */
export interface SandboxPart {
  /** Path prefix such as `/exact`; `/` for the workbench. */
  prefix: string;
  /** Human description for the start banner. */
  describe: (baseUrl: string) => string[];
  handler: WebHandler;
}

export interface SandboxOptions {
  clock?: Clock;
  /** Folder for persisted sandbox data; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** Environment-like knobs (SANDBOX_ACCOUNTS, SANDBOX_LATENCY_MS, ...). */
  env?: Record<string, string | undefined>;
}

export interface SandboxContext {
  clock: Clock;
  dataDir?: string;
  env: Record<string, string | undefined>;
  /** Filled in once the server listens; parts read it lazily when they need their public URL. */
  baseUrl: () => string;
}

export type SandboxPartFactory = (context: SandboxContext) => SandboxPart | Promise<SandboxPart>;

export function routeByPrefix(parts: SandboxPart[]): WebHandler {
  const ordered = [...parts].sort((a, b) => b.prefix.length - a.prefix.length);
  return async (request) => {
    const path = new URL(request.url).pathname;
    const part = ordered.find(
      (p) => p.prefix === '/' || path === p.prefix || path.startsWith(`${p.prefix}/`),
    );
    if (!part) {
      return new Response('Not found', { status: 404 });
    }
    return part.handler(request);
  };
}

export interface RunningSandbox extends RunningServer {
  parts: SandboxPart[];
  banner: string[];
}

export async function startSandbox(
  factories: SandboxPartFactory[],
  options: SandboxOptions & { port?: number } = {},
): Promise<RunningSandbox> {
  let baseUrl = '';
  const context: SandboxContext = {
    clock: options.clock ?? systemClock,
    dataDir: options.dataDir,
    env: options.env ?? {},
    baseUrl: () => baseUrl,
  };
  const parts: SandboxPart[] = [];
  for (const factory of factories) {
    parts.push(await factory(context));
  }
  const server = await serveWebHandler(routeByPrefix(parts), { port: options.port ?? 0 });
  baseUrl = server.url;
  const banner = parts.flatMap((p) => p.describe(server.url));
  return { ...server, parts, banner };
}
