/**
 * Azure Functions (v4 programming model) HTTP ↔ the gateway's Web-standard handler.
 *
 * Kept free of `app.http(...)` so it can be imported and tested without registering anything.
 * Cookies leave through `HttpResponseInit.cookies`, not headers: the Functions worker copies
 * response headers into a name → value map, which would keep only the last of several
 * `Set-Cookie` headers.
 */
import type { Cookie, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

export type WebHandler = (request: Request) => Promise<Response>;

const bodylessMethods = new Set(['GET', 'HEAD']);
const bodylessStatuses = new Set([101, 204, 205, 304]);

/**
 * `HttpRequest` (Functions) → `Request` (Fetch). The URL is the public one the host received.
 * The body stays a stream: the gateway authenticates first and reads at most its route's limit.
 */
export async function toWebRequest(request: HttpRequest): Promise<Request> {
  const headers = new Headers();
  request.headers.forEach((value, name) => headers.append(name, value));
  const method = request.method.toUpperCase();
  const body = bodylessMethods.has(method) ? undefined : (request.body ?? undefined);
  // Required by fetch for a streamed request body.
  return new Request(request.url, { method, headers, body, ...(body ? { duplex: 'half' } : {}) } as RequestInit);
}

const sameSites: Record<string, Cookie['sameSite']> = { strict: 'Strict', lax: 'Lax', none: 'None' };

/** One `Set-Cookie` header value → the Functions `Cookie` shape (RFC 6265 attributes). */
export function parseSetCookie(header: string): Cookie {
  const [pair = '', ...attributes] = header.split(';');
  const equals = pair.indexOf('=');
  const cookie: Cookie = {
    name: (equals < 0 ? '' : pair.slice(0, equals)).trim(),
    value: (equals < 0 ? pair : pair.slice(equals + 1)).trim(),
  };
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const name = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (name === 'domain') {
      cookie.domain = value;
    } else if (name === 'path') {
      cookie.path = value;
    } else if (name === 'expires') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) {
        cookie.expires = new Date(time);
      }
    } else if (name === 'max-age') {
      const seconds = Number(value);
      if (Number.isInteger(seconds)) {
        cookie.maxAge = seconds;
      }
    } else if (name === 'secure') {
      cookie.secure = true;
    } else if (name === 'httponly') {
      cookie.httpOnly = true;
    } else if (name === 'samesite') {
      cookie.sameSite = sameSites[value.toLowerCase()];
    }
  }
  return cookie;
}

/** `Response` (Fetch) → `HttpResponseInit` (Functions). */
export async function toHttpResponseInit(response: Response): Promise<HttpResponseInit> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') {
      headers[name] = value;
    }
  });
  const init: HttpResponseInit = { status: response.status, headers };
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  if (cookies.length) {
    init.cookies = cookies;
  }
  if (response.body && !bodylessStatuses.has(response.status)) {
    init.body = new Uint8Array(await response.arrayBuffer());
  }
  return init;
}

/** The whole invocation: convert, call the gateway, convert back. */
export async function handleAzureRequest(request: HttpRequest, context: InvocationContext, webHandler: WebHandler): Promise<HttpResponseInit> {
  try {
    return await toHttpResponseInit(await webHandler(await toWebRequest(request)));
  } catch (error) {
    // The gateway answers its own errors; reaching here means the conversion or the app broke.
    // Only the path is logged: query strings carry OAuth codes, state and tickets.
    context.error(`gateway invocation ${context.invocationId} failed for ${request.method} ${new URL(request.url).pathname}: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal', message: `The gateway failed; see the Function log for invocation ${context.invocationId}.` }) };
  }
}
