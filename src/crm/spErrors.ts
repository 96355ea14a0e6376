import { z } from 'zod';
import type { FieldProblem } from '../sync/ports';

/**
 * SharePoint errors as the layer reports them: the HTTP status, SharePoint's own message
 * (`odata.error.message.value`, or the verbose `error.message.value`) and, when the message
 * names a column, that column as a field problem.
 */
export interface SharePointFailure {
  status?: number;
  code?: string;
  message: string;
  problems?: FieldProblem[];
}

const errorBody = z.union([
  z.object({ 'odata.error': z.object({ code: z.string().optional(), message: z.object({ value: z.string() }) }) }),
  z.object({ error: z.object({ code: z.string().optional(), message: z.object({ value: z.string() }) }) }),
]);

/** The shape of PnPjs's HttpRequestError, checked structurally so src/ needs no @pnp/queryable import. */
interface HttpErrorLike {
  status: number;
  message: string;
  response: Response;
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<HttpErrorLike>).status === 'number' &&
    (error as Partial<HttpErrorLike>).response instanceof Response
  );
}

export function httpStatusOf(error: unknown): number | undefined {
  return isHttpError(error) ? error.status : undefined;
}

export function isNotFound(error: unknown): boolean {
  return httpStatusOf(error) === 404;
}

const FIELD_PATTERNS: RegExp[] = [
  /Column '([^']+)' does not exist/i,
  /property '([^']+)' does not exist/i,
  /field '([^']+)'/i,
  /column '([^']+)'/i,
  /following field\(s\)[^:]*:\s*\[?([^\].]+)\]?/i,
];

export interface NamedField {
  internalName: string;
  title: string;
}

/**
 * Columns SharePoint mentions in a message, as internal names: messages use either the display
 * title ("duplicate values ... in the following field(s) in the list: [Exact ID]") or the REST
 * property (`CompanyId` for the lookup column `Company`).
 */
export function fieldsNamedIn(message: string, knownFields: readonly NamedField[] = []): string[] {
  const found = new Set<string>();
  const resolve = (name: string): string => {
    const lower = name.toLowerCase();
    const match =
      knownFields.find((f) => f.internalName.toLowerCase() === lower) ??
      knownFields.find((f) => `${f.internalName}Id`.toLowerCase() === lower) ??
      knownFields.find((f) => f.title.toLowerCase() === lower);
    return match?.internalName ?? name;
  };
  for (const pattern of FIELD_PATTERNS) {
    const match = pattern.exec(message);
    if (match) {
      for (const raw of match[1].split(',')) {
        const name = raw.trim();
        if (name.length > 0) {
          found.add(resolve(name));
        }
      }
    }
  }
  return [...found];
}

export async function describeSharePointError(error: unknown, knownFields: readonly NamedField[] = []): Promise<SharePointFailure> {
  if (!isHttpError(error)) {
    // fetch rejects with a TypeError when there is no answer at all (DNS, refused, offline).
    if (error instanceof TypeError) {
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
      return { message: `SharePoint could not be reached: ${error.message}${detail === '' ? '' : ` (${detail})`}` };
    }
    return { message: error instanceof Error ? error.message : String(error) };
  }
  let text = '';
  try {
    text = await error.response.clone().text();
  } catch {
    text = '';
  }
  let message = `SharePoint answered ${error.status}`;
  let code: string | undefined;
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) {
      const inner = 'odata.error' in parsed.data ? parsed.data['odata.error'] : parsed.data.error;
      message = inner.message.value;
      code = inner.code;
    } else if (text.trim() !== '') {
      message = `${message}: ${text.slice(0, 300)}`;
    }
  } catch {
    if (text.trim() !== '') {
      message = `${message}: ${text.slice(0, 300)}`;
    }
  }
  const named = fieldsNamedIn(message, knownFields);
  return {
    status: error.status,
    code,
    message,
    problems: named.length > 0 ? named.map((field) => ({ field, reason: message })) : undefined,
  };
}
