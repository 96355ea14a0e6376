/**
 * Exact for a background run: the src/exact client over the gateway's own proxy, called in
 * process (no HTTP round trip to itself). The proxy adds the connection's Exact token from the
 * vault, waits its turn in the division's rate-limited queue, retries reads and keeps the breaker,
 * exactly as for a request from the page; the caller is the connector's app with the admin role,
 * since an import is an admin's operation (access/operations.ts, `read-import-source`).
 */
import { parseBody } from '../../src/exact/axiosBase';
import type { ExactRequest, ExactResponse, Transport } from '../../src/exact/transport';
import { adminRole, type Caller } from '../auth';
import { errorResponse, HttpError } from '../http';
import type { Logger } from '../log';
import type { Proxy } from '../proxy/service';

/** The connector's app as the proxy's caller. */
export function appCaller(app: { tenantId: string; clientId: string; displayName: string }): Caller {
  return { tenantId: app.tenantId, userId: `app:${app.clientId}`, name: `${app.displayName} (app)`, roles: [adminRole], isAdmin: true };
}

export function createInProcessExactTransport(deps: { proxy: Pick<Proxy, 'handle'>; caller: Caller; connectionId: string; logger: Logger }): Transport {
  return {
    async send(request: ExactRequest): Promise<ExactResponse> {
      const path = request.path.replace(/^\/+/, '');
      const query = path.indexOf('?');
      const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
      if (request.body !== undefined) headers['Content-Type'] = 'application/json';
      const proxied = new Request(`http://gateway.internal/exact/${path}`, {
        method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      let response: Response;
      try {
        response = await deps.proxy.handle({ request: proxied, caller: deps.caller, subPath: query >= 0 ? path.slice(0, query) : path, logger: deps.logger, connectionId: deps.connectionId });
      } catch (error) {
        // The proxy's refusals (not connected, division not enabled, paused by the breaker) as the router answers them.
        if (!(error instanceof HttpError)) throw error;
        response = errorResponse(error);
      }
      const lower: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        lower[name.toLowerCase()] = value;
      });
      return { status: response.status, headers: lower, data: parseBody(await response.text()) };
    },
  };
}
