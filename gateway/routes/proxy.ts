/** `GET/POST/PUT/DELETE /exact/{division}/{service}/{entity}…` and `GET /exact/current/Me`: the proxy (gateway/proxy/); DELETE is only ever an order run's undo. */
import type { Proxy, ProxyRequest } from '../proxy/service';
import type { Route, RouteRequest } from './route';

/** The authenticated caller's request for what follows the route's prefix. */
export async function proxyRequestOf(r: RouteRequest): Promise<ProxyRequest> {
  return { request: r.request, caller: await r.authenticate(), subPath: r.rest, logger: r.logger, connectionId: r.connectionId() };
}

export function createProxyRoute({ proxy }: { proxy: Proxy }): Route[] {
  return ['GET', 'POST', 'PUT', 'DELETE'].map((method) => ({ method, path: '/exact/', prefix: true, handle: async (r) => proxy.handle(await proxyRequestOf(r)) }));
}
