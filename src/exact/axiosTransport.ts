import { lowerCaseHeaders, parseBody, rawInstance } from './axiosBase';
import type { HttpFunction } from './oauth';
import type { ExactRequest, ExactResponse, Transport } from './transport';

/**
 * Direct transport to Exact (or the emulator) over axios: used by the gateway and tests in
 * Node. The access token goes in the Authorization header only, never in a URL or a log.
 */

export interface AxiosTransportOptions {
  /** Exact's REST root with a trailing slash, e.g. `http://127.0.0.1:4321/exact/api/v1/`. */
  baseUrl: string;
  getAccessToken: () => Promise<string>;
  timeoutMs?: number;
}

export function createAxiosTransport(options: AxiosTransportOptions): Transport {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  const instance = rawInstance(options.timeoutMs ?? 30_000);
  return {
    async send(request: ExactRequest): Promise<ExactResponse> {
      const token = await options.getAccessToken();
      const headers: Record<string, string> = {
        Accept: 'application/json',
        ...request.headers,
        Authorization: `Bearer ${token}`,
      };
      const response = await instance.request<string>({
        method: request.method,
        url: `${base}${request.path.replace(/^\/+/, '')}`,
        headers,
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      const text = typeof response.data === 'string' ? response.data : '';
      return { status: response.status, headers: lowerCaseHeaders(response), data: parseBody(text) };
    },
  };
}

/** The `HttpFunction` the OAuth helpers take, over axios. */
export function createAxiosHttp(options: { timeoutMs?: number } = {}): HttpFunction {
  const instance = rawInstance(options.timeoutMs ?? 30_000);
  return async (request) => {
    const response = await instance.request<string>({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      // The login form answers with a redirect whose Location the caller needs to see.
      maxRedirects: 0,
    });
    return {
      status: response.status,
      headers: lowerCaseHeaders(response),
      text: typeof response.data === 'string' ? response.data : '',
    };
  };
}

// Re-exported for the callers that still import them from here.
export { lowerCaseHeaders, parseBody, rawInstance };
