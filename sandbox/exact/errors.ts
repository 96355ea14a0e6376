/** Exact's error shapes: `{"error":{"code":"","message":{"lang":"","value":"…"}}}` with its status. */
export class ODataError extends Error {
  public constructor(
    public readonly status: number,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ODataError';
  }
}

export function errorBody(message: string): { error: { code: string; message: { lang: string; value: string } } } {
  return { error: { code: '', message: { lang: '', value: message } } };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export function errorResponse(error: ODataError, extraHeaders: Record<string, string> = {}): Response {
  return jsonResponse(error.status, errorBody(error.message), { ...extraHeaders, ...error.headers });
}
