import { randomUUID } from 'node:crypto';
import { SpCodes, badRequest } from './errors';

/** One request inside a `$batch` body, as PnPjs writes it (see @pnp/sp batching.js). */
export interface BatchPart {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** Changeset boundary the part belongs to, if any. */
  changeset?: string;
}

const boundaryOf = (contentType: string | null): string | undefined =>
  /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];

/** Splits multipart text on `--boundary` lines; the closing `--boundary--` ends it. */
function splitMultipart(lines: string[], boundary: string): string[][] {
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === `--${boundary}`) {
      if (current) parts.push(current);
      current = [];
    } else if (line === `--${boundary}--`) {
      if (current) parts.push(current);
      current = undefined;
    } else if (current) {
      current.push(raw);
    }
  }
  if (current) throw badRequest(SpCodes.generic, `The batch is missing its closing boundary '--${boundary}--'.`);
  return parts;
}

function splitHeaders(lines: string[]): { headers: Headers; rest: string[] } {
  const headers = new Headers();
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    if (line === '') {
      i++;
      break;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { headers, rest: lines.slice(i) };
}

function parseHttpPart(lines: string[], changeset?: string): BatchPart {
  const { rest } = splitHeaders(lines);
  const start = rest.findIndex((l) => l.trim() !== '');
  const requestLine = /^([A-Z]+)\s+(\S+)\s+HTTP\/\d\.\d$/i.exec(rest[start]?.trim() ?? '');
  if (!requestLine) throw badRequest(SpCodes.generic, `A batch part has no request line ('${rest[start] ?? ''}').`);
  const { headers, rest: bodyLines } = splitHeaders(rest.slice(start + 1));
  const body = bodyLines.join('\n').replace(/\s+$/, '');
  return { method: requestLine[1].toUpperCase(), url: requestLine[2], headers, body, changeset };
}

export function parseBatch(contentType: string | null, text: string): BatchPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw badRequest(SpCodes.generic, 'The $batch request needs Content-Type multipart/mixed with a boundary.');
  const parts: BatchPart[] = [];
  for (const part of splitMultipart(text.split(/\r?\n/), boundary)) {
    const { headers, rest } = splitHeaders(part);
    const nested = boundaryOf(headers.get('content-type'));
    if ((headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/mixed') && nested) {
      for (const inner of splitMultipart(rest, nested)) parts.push(parseHttpPart(inner, nested));
    } else {
      parts.push(parseHttpPart(part));
    }
  }
  return parts;
}

const reasons: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error',
};

/**
 * SharePoint Online answers every part, changeset members included, as a flat `--batchresponse_`
 * part (no nested changesetresponse), and ends with the closing boundary and a CRLF. PnPjs's
 * parser depends on exactly that: one response per request, then `--batchresponse_…--` + newline.
 */
export async function formatBatchResponse(responses: Response[]): Promise<{ body: string; contentType: string }> {
  const boundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  for (const response of responses) {
    out.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
    out.push(`HTTP/1.1 ${response.status} ${reasons[response.status] ?? 'Unknown'}`);
    const contentType = response.headers.get('content-type');
    if (contentType) out.push(`CONTENT-TYPE: ${contentType}`);
    const etag = response.headers.get('etag');
    if (etag) out.push(`ETag: ${etag}`);
    out.push('');
    const text = response.status === 204 ? '' : (await response.text()).replace(/\r?\n/g, ' ');
    if (text !== '') out.push(text);
  }
  out.push(`--${boundary}--`, '');
  return { body: out.join('\r\n'), contentType: `multipart/mixed; boundary=${boundary}` };
}
