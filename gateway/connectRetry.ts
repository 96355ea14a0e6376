/**
 * Retries for the connect flow (the OAuth callback), over the HttpFunction the Exact client uses.
 *
 * - Reads (`current/Me`, `system/Divisions`) are safe to repeat: retried on no answer, 429 and 5xx.
 * - The code exchange is repeated only when it cannot have cost us the code: the connection was
 *   refused (nothing was sent), or Exact answered 5xx without tokens. If Exact did use the code
 *   before failing, the retry gets the bare 400 a used code gets (reference §2.3), which is where
 *   not retrying would have left us too. A request that went out and got no answer is never
 *   repeated: Exact may still be working on it, and both would lose.
 * - Token refreshes do not come through here: a refresh token is single use and its answer
 *   carries the only copy of the next one.
 */
import axios from 'axios';
import type { HttpFunction, HttpRequest } from '../src/exact/oauth';
import type { Sleeper } from './sleeper';

/** Errors where the request never left this process or never reached a server. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const wasNotSent = (error: unknown): boolean => axios.isAxiosError(error) && !error.response && notSentCodes.has(error.code ?? '');

const retryableStatus = (status: number): boolean => status === 429 || status >= 500;

export function connectRetryHttp(http: HttpFunction, sleeper: Sleeper, attempts = 3): HttpFunction {
  return async (request: HttpRequest) => {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      try {
        const response = await http(request);
        if (last || !retryableStatus(response.status)) {
          return response;
        }
      } catch (error) {
        const repeatable = request.method === 'GET' || wasNotSent(error);
        if (last || !repeatable) {
          throw error;
        }
      }
      await sleeper.sleep(500 * 2 ** (attempt - 1));
    }
  };
}
