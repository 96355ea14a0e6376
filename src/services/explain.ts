import { GatewayError } from '../exact/gatewayTransport';
import { ExactApiError } from '../exact/errors';
import type { Problem } from './types';

/** PnPjs's HttpRequestError, checked by shape so this file needs no @pnp import. */
interface HttpErrorLike {
  status: number;
  message: string;
}

const isHttpError = (error: unknown): error is HttpErrorLike =>
  error instanceof Error && typeof (error as Partial<HttpErrorLike>).status === 'number';

/** SharePoint's own sentence out of PnPjs's message ("Error making HttpClient request ... {json}"). */
function sharePointMessage(message: string): string {
  const json = message.indexOf('{');
  if (json < 0) return message;
  try {
    const body = JSON.parse(message.slice(json)) as { 'odata.error'?: { message?: { value?: string } }; error?: { message?: { value?: string } } };
    return body['odata.error']?.message?.value ?? body.error?.message?.value ?? message;
  } catch {
    return message;
  }
}

export function explainError(error: unknown): Problem {
  if (error instanceof GatewayError) {
    const message = error.message;
    if (error.status === 401) return { kind: 'not-signed-in', message };
    if (error.status === 403) return { kind: 'access-denied', message };
    if (error.code === 'not-connected') return { kind: 'not-connected', message };
    if (error.code === 'needs-consent') return { kind: 'needs-consent', message };
    if (error.status === 429 || error.code === 'budget-spent') return { kind: 'budget', message };
    if (error.status === 0) return { kind: 'network', message };
    if (error.status >= 500) return { kind: 'unavailable', message };
    return { kind: 'bad-request', message };
  }
  if (error instanceof ExactApiError) {
    if (error.status === 0) return { kind: 'network', message: error.message };
    if (error.status === 401) return { kind: 'needs-consent', message: error.message };
    if (error.status === 403) return { kind: 'access-denied', message: error.message };
    if (error.status === 429) {
      const resetAt = error.rateLimit.minutely?.resetAt ?? error.rateLimit.daily?.resetAt;
      return { kind: 'budget', message: error.message, retryAt: resetAt ? new Date(resetAt).toISOString() : undefined };
    }
    if (error.status >= 500) return { kind: 'unavailable', message: error.message };
    return { kind: 'bad-request', message: error.message };
  }
  if (isHttpError(error)) {
    const message = sharePointMessage(error.message);
    if (error.status === 401) return { kind: 'not-signed-in', message };
    if (error.status === 403) return { kind: 'access-denied', message };
    if (error.status === 429 || error.status >= 500) return { kind: 'unavailable', message, source: 'sharepoint' };
    return { kind: 'bad-request', message };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/network|failed to fetch|ECONNREFUSED|timeout/i.test(message)) return { kind: 'network', message };
  return { kind: 'unknown', message };
}
