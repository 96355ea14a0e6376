/** The answers every route module shares: render options for the caller's dialect, empty successes, 405. */
import { SpCodes, SpError } from './errors';
import type { RenderOptions } from './format';
import type { ApiRequest } from './request';

export const render = (req: ApiRequest, metadata: string, extra: Partial<RenderOptions> = {}): RenderOptions => ({
  dialect: req.dialect, metadata, webUrl: req.webUrl, ...extra,
});

export const methodNotAllowed = (req: ApiRequest, what: string): SpError =>
  new SpError(405, SpCodes.notSupported, `${req.method} is not supported on ${what}.`);

export const noContent = (headers: Record<string, string> = {}): Response => new Response(null, { status: 204, headers });
/** SharePoint answers DELETE with 200 and an empty body. */
export const emptyOk = (): Response => new Response('', { status: 200, headers: { 'content-length': '0' } });
