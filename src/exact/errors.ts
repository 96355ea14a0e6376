import { z } from 'zod';
import type { ExactMethod, ExactResponse } from './transport';
import type { RateLimitState } from './rateLimit';

/** Exact's error body: `{"error":{"code":"","message":{"lang":"","value":"a\r\nb"}}}` (reference §5.6). */
const exactErrorBody = z.object({
  error: z.object({
    code: z.union([z.string(), z.number()]).optional(),
    message: z.union([z.object({ value: z.string() }).passthrough(), z.string()]),
  }),
});

const gatewayErrorBody = z.object({ error: z.string(), message: z.string() });

export interface ExactApiErrorDetails {
  status: number;
  method: ExactMethod;
  /** Relative path, query included, never a token. */
  path: string;
  messages: string[];
  code?: string;
  /** The `Reason` header Exact sends with a 403 (and with some 401s). */
  reason?: string;
  rateLimit: RateLimitState;
  /** The error answer's parsed body, for callers that expect more than words (the gateway's duplicate candidates). */
  body?: unknown;
}

/** Any failed call to Exact: an HTTP error status, an unusable body, or no response at all. */
export class ExactApiError extends Error {
  public readonly status: number;
  public readonly method: ExactMethod;
  public readonly path: string;
  public readonly messages: string[];
  public readonly code?: string;
  public readonly reason?: string;
  public readonly rateLimit: RateLimitState;
  public readonly body?: unknown;

  public constructor(details: ExactApiErrorDetails, summary?: string) {
    super(summary ?? describe(details));
    this.name = 'ExactApiError';
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.messages = details.messages;
    this.code = details.code;
    this.reason = details.reason;
    this.rateLimit = details.rateLimit;
    this.body = details.body;
    // Keep instanceof working when compiled to ES5-style classes.
    Object.setPrototypeOf(this, new.target.prototype);
  }

  /** Worth trying again later: no answer, rate limited, or Exact's own servers failing (5xx). */
  public get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  /** `GET 123/crm/Accounts`: what to show in a log next to the message. */
  public get endpoint(): string {
    return `${this.method} ${this.path}`;
  }
}

/** A 2xx response whose body does not match the entity's schema (or is not the OData envelope). */
export class ExactMalformedResponseError extends ExactApiError {
  public readonly entity: string;
  public readonly recordKey?: string;
  public readonly field?: string;

  public constructor(
    details: ExactApiErrorDetails & { entity: string; recordKey?: string; field?: string },
  ) {
    const where = [
      details.entity,
      details.recordKey !== undefined ? `record ${details.recordKey}` : undefined,
      details.field !== undefined ? `field ${details.field}` : undefined,
    ]
      .filter((p) => p !== undefined)
      .join(', ');
    super(
      details,
      `Exact sent a malformed response to ${details.method} ${details.path} (${where}): ${details.messages.join('; ')}`,
    );
    this.name = 'ExactMalformedResponseError';
    this.entity = details.entity;
    this.recordKey = details.recordKey;
    this.field = details.field;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * A POST that got no answer (timeout, dropped connection): Exact may or may not have created the
 * record. `sentAt` bounds the search that `WritableEntitySet.findCreated` does before any retry.
 */
export class ExactWriteOutcomeUnknownError extends ExactApiError {
  public readonly sentAt: number;
  public readonly values: Record<string, unknown>;

  public constructor(details: ExactApiErrorDetails, sentAt: number, values: Record<string, unknown>) {
    super(details, `Exact ${details.method} ${details.path} got no answer (${details.messages.join('; ')}); it may have been applied, look it up before retrying`);
    this.name = 'ExactWriteOutcomeUnknownError';
    this.sentAt = sentAt;
    this.values = values;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

function describe(details: ExactApiErrorDetails): string {
  const status = details.status === 0 ? 'no response' : `HTTP ${details.status}`;
  const reason = details.reason !== undefined ? ` (Reason: ${details.reason})` : '';
  const text = details.messages.length > 0 ? `: ${details.messages.join('; ')}` : '';
  return `Exact ${details.method} ${details.path} failed with ${status}${reason}${text}`;
}

/** Drops any `access_token` query parameter, so an error can be logged as it is. */
export function redactPath(path: string): string {
  return path.replace(/([?&])access_token=[^&#]*/gi, '$1access_token=REDACTED');
}

/** Splits Exact's `\r\n`-joined validation messages into a list. */
export function splitMessages(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

const snippetLength = 200;

/** Reads the messages and code from an error response, whatever shape its body has. */
export function readErrorBody(data: unknown): { messages: string[]; code?: string } {
  const parsed = exactErrorBody.safeParse(data);
  if (parsed.success) {
    const message = parsed.data.error.message;
    const value = typeof message === 'string' ? message : message.value;
    const code = parsed.data.error.code;
    return {
      messages: splitMessages(value),
      code: code === undefined || code === '' ? undefined : String(code),
    };
  }
  // The gateway's own refusals (`{"error": "forbidden", "message": "…"}`) carry words worth showing.
  const gateway = gatewayErrorBody.safeParse(data);
  if (gateway.success) {
    return { messages: [gateway.data.message], code: gateway.data.error };
  }
  if (typeof data === 'string' && data.trim() !== '') {
    // Exact's load balancer answers 5xx with an HTML page: keep its words, drop scripts and styles.
    const text = data
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return { messages: [text.length > snippetLength ? `${text.slice(0, snippetLength)}…` : text] };
  }
  return { messages: [] };
}

export function errorFromResponse(
  method: ExactMethod,
  path: string,
  response: ExactResponse,
  rateLimit: RateLimitState,
): ExactApiError {
  const { messages, code } = readErrorBody(response.data);
  const reason = response.status === 401 || response.status === 403 ? response.headers.reason : undefined;
  return new ExactApiError({
    status: response.status,
    method,
    path: redactPath(path),
    messages,
    code,
    reason: reason === '' ? undefined : reason,
    rateLimit,
    body: response.data,
  });
}
