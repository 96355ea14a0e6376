/** Small helpers for the gateway's JSON answers. */
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

/** Reads and validates a JSON body; the error names the field. */
export async function readJson<T>(request: Request, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new HttpError(400, 'bad-request', 'The request body must be JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'bad-request', `Field ${issue?.path.join('.') || '(body)'}: ${issue?.message}`);
  }
  return parsed.data;
}
