import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A Web-standard request handler: the shape every sandbox part and the gateway share. */
export type WebHandler = (request: Request) => Promise<Response>;

/**
 * Thrown (or used to reject) by a handler that wants the client to see a dropped connection:
 * the adapter destroys the socket instead of answering. Emulators use it for injected faults.
 */
export class DropConnection extends Error {
  public constructor(message = 'Connection dropped on purpose') {
    super(message);
    this.name = 'DropConnection';
  }
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4321` (no trailing slash). */
  url: string;
  port: number;
  /** Stops at once: open connections (and requests in flight) are cut. */
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM): no new connections, idle ones closed, requests in flight may finish
   * for up to `boundMs`; whatever is still running then is cut. Resolves with how many were cut.
   */
  drain(boundMs: number): Promise<{ cut: number }>;
}

/** A request without a body (GET, HEAD, or no length and not chunked). */
function hasNoBody(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') {
    return true;
  }
  return req.headers['content-length'] === undefined ? req.headers['transfer-encoding'] === undefined : req.headers['content-length'] === '0';
}

/**
 * The origin the caller used: `localhost` and `127.0.0.1` are different origins to a browser
 * (cookies, CORS, MSAL's popup), so handlers must see which one it was. Only loopback names on
 * our own port count; anything else is answered as the listening origin.
 */
function requestOrigin(hostHeader: string | undefined, origin: string): string {
  const listening = new URL(origin);
  const match = /^(localhost|127\.0\.0\.1):(\d+)$/i.exec(hostHeader ?? '');
  return match && match[2] === listening.port ? `${listening.protocol}//${match[1]!.toLowerCase()}:${match[2]}` : origin;
}

/**
 * The body is handed over as a stream, never buffered here: the handler decides whether to read
 * it (after authenticating) and how much. `signal` should abort when the client goes away.
 */
export function toWebRequest(req: IncomingMessage, origin: string, signal?: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) {
      value.forEach((v) => headers.append(name, v));
    } else if (value !== undefined) {
      headers.set(name, value);
    }
  }
  const body = hasNoBody(req) ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  return new Request(new URL(req.url ?? '/', requestOrigin(req.headers.host, origin)), {
    method: req.method,
    headers,
    body,
    signal,
    // Required by fetch for a streamed request body.
    ...(body ? { duplex: 'half' } : {}),
  } as RequestInit);
}

export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') {
      return;
    }
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) {
    headers['set-cookie'] = cookies;
  }
  res.writeHead(response.status, response.statusText, headers);
  if (response.body) {
    const buffer = Buffer.from(await response.arrayBuffer());
    res.end(buffer);
  } else {
    res.end();
  }
}

/**
 * Serves a WebHandler with node:http. Tests pass port 0 to get a free port; the host is always
 * loopback unless the caller says otherwise.
 */
export async function serveWebHandler(
  handler: WebHandler,
  options: { port?: number; host?: string; onError?: (error: unknown) => void } = {},
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    // The client went away (closed the socket) before the answer was written.
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        aborted.abort();
      }
    });
    inFlight++;
    void (async () => {
      try {
        const request = toWebRequest(req, origin, aborted.signal);
        const response = await handler(request);
        if (!req.complete && !req.readableEnded) {
          // The handler answered without reading the whole body (a 401 or 413): close the
          // connection after the answer instead of reading and discarding the rest.
          res.shouldKeepAlive = false;
          res.setHeader('connection', 'close');
        }
        await writeWebResponse(response, res);
      } catch (error) {
        if (error instanceof DropConnection) {
          res.destroy();
          req.socket.destroy();
          return;
        }
        options.onError?.(error);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end('Internal sandbox error');
      } finally {
        inFlight--;
        if (inFlight === 0) {
          idle?.();
        }
      }
    })();
  });
  // Emulators can inject dropped connections; keep-alive sockets must not hold close() open.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    drain: async (boundMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs))),
        ]);
        clearTimeout(timer);
      }
      const cut = inFlight;
      // Keep-alive sockets that finished their last answer, and anything past the bound.
      server.closeAllConnections();
      await closed;
      return { cut };
    },
  };
}
