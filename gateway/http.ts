/** Small helpers for the gateway's JSON answers and for reading bounded request bodies. */
import type { ZodType } from 'zod';

export class HttpError extends Error {
  public constructor(public readonly status: number, public readonly code: string, message: string, public readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(error: HttpError): Response {
  return jsonResponse(error.status, { error: error.code, message: error.message }, error.headers);
}

const tooLarge = (limit: number): HttpError =>
  // The client may still be sending; `connection: close` tells the host not to read the rest.
  new HttpError(413, 'body-too-large', `The request body is larger than the ${limit} bytes this route accepts.`, { connection: 'close' });

/**
 * Refuses a declared body over the limit without reading any of it. Runs before authentication,
 * so an anonymous client cannot make the gateway buffer anything.
 */
export function checkDeclaredLength(request: Request, limit: number): void {
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d+$/.test(declared.trim()) || Number(declared) > limit)) {
    throw tooLarge(limit);
  }
}

/** The body as text, counting bytes as they arrive (chunked bodies declare no length); 413 past `limit`. */
export async function readBoundedText(request: Request, limit: number): Promise<string> {
  checkDeclaredLength(request, limit);
  if (!request.body) {
    return '';
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a bounded body that must be JSON, not yet validated. */
export async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const text = await readBoundedText(request, limit);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'bad-request', 'The request body must be JSON.');
  }
}

/** Reads and validates a bounded JSON body; the error names the field. */
export async function readJson<T>(request: Request, schema: ZodType<T>, limit: number): Promise<T> {
  const body = await readJsonBody(request, limit);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'bad-request', `Field ${issue?.path.join('.') || '(body)'}: ${issue?.message}`);
  }
  return parsed.data;
}
