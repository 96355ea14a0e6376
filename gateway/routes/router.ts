/**
 * Every request's way through the gateway: a correlation id, the body-size check, the route,
 * errors as JSON, CORS headers and one log line.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/sync/clock';
import { AuthError, type Authenticator, type Caller } from '../auth';
import type { GatewayConfig } from '../config';
import { checkDeclaredLength, errorResponse, HttpError } from '../http';
import type { Logger } from '../log';
import { maxGlobeXmlBytes } from './globe';
import { connectionIdOf, type Route, type RouteRequest } from './route';

export interface RouterDeps {
  config: GatewayConfig;
  clock: Clock;
  logger: Logger;
  auth: Authenticator;
  routes: readonly Route[];
}

/** Who called, once known; the log line names them. */
interface CallerSlot {
  caller?: Caller;
}

export function createRouter(deps: RouterDeps): (request: Request) => Promise<Response> {
  const { clock } = deps;
  return async (request) => {
    const given = request.headers.get('x-correlation-id');
    const correlationId = given && /^[A-Za-z0-9._:-]{1,80}$/.test(given) ? given : randomUUID();
    const logger = deps.logger.child({ correlationId });
    const started = clock.now();
    const slot: CallerSlot = {};
    const response = request.method === 'OPTIONS' ? new Response(null, { status: 204 }) : await answer(deps, { request, logger, slot });
    const headers = new Headers(response.headers);
    headers.set('x-correlation-id', correlationId);
    for (const [name, value] of Object.entries(corsHeaders(deps.config, request))) {
      headers.set(name, value);
    }
    // Only the path: query strings carry tickets, codes and state.
    logger.log(response.status >= 500 ? 'error' : 'info', 'request', {
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      ms: clock.now() - started,
      tenant: slot.caller?.tenantId,
      user: slot.caller?.userId,
    });
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

interface Incoming {
  request: Request;
  logger: Logger;
  slot: CallerSlot;
}

async function answer(deps: RouterDeps, incoming: Incoming): Promise<Response> {
  try {
    return await route(deps, incoming);
  } catch (error) {
    if (error instanceof HttpError) {
      return errorResponse(error);
    }
    if (error instanceof AuthError) {
      return errorResponse(new HttpError(error.status, error.status === 401 ? 'unauthorized' : 'forbidden', error.message, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {}));
    }
    incoming.logger.log('error', 'request.failed', { error: error instanceof Error ? error.message : String(error) });
    return errorResponse(new HttpError(500, 'internal', 'The gateway failed; see its log with this correlation id.'));
  }
}

async function route({ config, auth, routes }: RouterDeps, { request, logger, slot }: Incoming): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(config.basePath.length) || '/';
  const method = request.method;
  // Before anything else (the token check included): a declared body over the route's limit
  // is refused unread. Bodies are only read after authentication, counting bytes.
  checkDeclaredLength(request, path.startsWith('/exact/') ? config.maxProxyBodyBytes : path === '/globe/validate' ? maxGlobeXmlBytes : config.maxSmallBodyBytes);
  const found = routes.find((r) => r.method === method && (r.prefix ? path.startsWith(r.path) : path === r.path));
  if (!found) {
    throw new HttpError(404, 'not-found', `No gateway route for ${method} ${path}.`);
  }
  return found.handle({
    request,
    url,
    rest: found.prefix ? path.slice(found.path.length) : '',
    logger,
    authenticate: async () => {
      slot.caller = await auth.authenticate(request.headers.get('authorization'));
      return slot.caller;
    },
    identify: (caller) => {
      slot.caller = caller;
    },
    connectionId: () => connectionIdOf(url),
  } satisfies RouteRequest);
}

function corsHeaders(config: GatewayConfig, request: Request): Record<string, string> {
  const origin = request.headers.get('origin');
  if (!origin || !(config.corsOrigins.includes(origin) || config.corsOrigins.includes('*'))) {
    return {};
  }
  return {
    'access-control-allow-origin': origin,
    // idempotency-key and the x-crm-* headers belong to a customer create (customers/request.ts).
    'access-control-allow-headers': 'authorization, content-type, accept, prefer, x-correlation-id, idempotency-key, x-crm-linked-account, x-declined-duplicates',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE',
    'access-control-expose-headers': 'x-correlation-id, x-gateway-create, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, x-ratelimit-minutely-limit, x-ratelimit-minutely-remaining, x-ratelimit-minutely-reset, retry-after',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}
