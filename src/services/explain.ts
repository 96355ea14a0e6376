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

/** One explained failure as it goes to the browser's log. */
export interface ProblemLogEntry {
  /** As the page shows it: a warning for what waits on time or an admin (budget, connection), else an error. */
  level: 'warning' | 'error';
  /** `Exact CRM Connector: access-denied (request id 5f2c…): <what the server said>` */
  line: string;
  /** The server's id for the failed request, so the failure can be found in its log. */
  requestId?: string;
  error: unknown;
}

/** Where explained failures go: SPFx's `Log` in SharePoint, the console in the workbench and the Teams stand-in. */
export type ProblemLog = (entry: ProblemLogEntry) => void;

export const consoleProblemLog: ProblemLog = (entry) => {
  if (entry.level === 'warning') console.warn(entry.line, entry.error);
  else console.error(entry.line, entry.error);
};

// SharePoint answers with `request-id` and `SPRequestGuid`, the gateway with `x-correlation-id`.
const requestIdHeaders = ['request-id', 'sprequestguid', 'x-request-id', 'x-correlation-id', 'x-ms-request-id'];

interface HeadersLike {
  get(name: string): string | null;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = typeof (headers as Partial<HeadersLike>).get === 'function' ? (headers as HeadersLike).get(name) : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The request id an error carries: its own `requestId` or `correlationId`, or one of the id
 * headers of the response it holds (PnPjs's HttpRequestError keeps the fetch `Response`).
 */
export function requestIdOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const carried = error as { requestId?: unknown; correlationId?: unknown; response?: { headers?: unknown }; headers?: unknown };
  for (const own of [carried.requestId, carried.correlationId]) if (typeof own === 'string' && own !== '') return own;
  for (const headers of [carried.response?.headers, carried.headers]) {
    for (const name of requestIdHeaders) {
      const value = headerValue(headers, name);
      if (value) return value;
    }
  }
  return undefined;
}

const waitsOnTimeOrAdmin = (problem: Problem): boolean => problem.kind === 'budget' || problem.kind === 'not-connected' || problem.kind === 'needs-consent';

/**
 * `explainError` that also writes each failure to `log`, once: a page explains the same error on
 * every render. A log that fails does not take the person's message with it.
 */
export function explainAndLog(log: ProblemLog): (error: unknown) => Problem {
  const logged = new WeakSet<object>();
  return (error) => {
    const problem = explainError(error);
    if (typeof error === 'object' && error !== null) {
      if (logged.has(error)) return problem;
      logged.add(error);
    }
    const requestId = requestIdOf(error);
    const line = `Exact CRM Connector: ${problem.kind}${problem.source ? ` (${problem.source})` : ''}${requestId ? `, request id ${requestId}` : ''}: ${problem.message}`;
    try {
      log({ level: waitsOnTimeOrAdmin(problem) ? 'warning' : 'error', line, requestId, error });
    } catch {
      // Logging is for whoever looks into this later; the page's message matters now.
    }
    return problem;
  };
}
