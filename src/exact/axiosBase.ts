import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

/**
 * The axios set-up both transports share, with no token handling of its own: the gateway transport
 * (in web part bundles) imports this, never axiosTransport.ts (direct Exact tokens, server only).
 */

/** Every status resolves and the body stays text: the client decides what a response means. */
export function rawInstance(timeoutMs: number): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
  });
}

export function lowerCaseHeaders(response: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
    if (typeof value === 'string') {
      out[name.toLowerCase()] = value;
    } else if (Array.isArray(value)) {
      out[name.toLowerCase()] = value.map(String).join(', ');
    } else if (typeof value === 'number') {
      out[name.toLowerCase()] = String(value);
    }
  }
  return out;
}

/** Parsed JSON; the raw text when the body is not JSON; undefined when empty. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
