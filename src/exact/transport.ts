/**
 * The one seam between the Exact client and the network.
 *
 * Paths are relative to Exact's REST root `/api/v1/`, e.g. `123456/crm/Accounts?$select=ID`
 * or `current/Me`. The same relative path works against Exact itself (direct transport, Node),
 * against the sandbox emulator, and against the gateway's proxy
 * (`/gateway/exact/{division}/{service}/{entity}`), so the client never needs to know which
 * one it talks to. Absolute `__next` links from Exact are turned into relative paths by
 * `toRelativePath` before they reach a transport.
 */
export type ExactMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ExactRequest {
  method: ExactMethod;
  /** Relative to `/api/v1/`, query string included and already encoded. */
  path: string;
  headers?: Record<string, string>;
  /** JSON body for POST and PUT. */
  body?: unknown;
}

export interface ExactResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when the body is not JSON, or undefined when empty. */
  data: unknown;
}

export interface Transport {
  /** Resolves for every HTTP status; rejects only when no response arrived (network, timeout). */
  send(request: ExactRequest): Promise<ExactResponse>;
}

const apiRootMarker = '/api/v1/';

/** Turns an absolute Exact URL (such as `__next`) into a path relative to `/api/v1/`. */
export function toRelativePath(urlOrPath: string): string {
  const at = urlOrPath.indexOf(apiRootMarker);
  if (at >= 0) {
    return urlOrPath.slice(at + apiRootMarker.length);
  }
  return urlOrPath.replace(/^\/+/, '');
}
