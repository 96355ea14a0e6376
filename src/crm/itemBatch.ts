import { SPQueryable, spPost } from '@pnp/sp';
import { TextParse } from '@pnp/queryable';
import type { SPFI } from './pnp';

/**
 * A `$batch` of item writes, written and read here in the wire format PnPjs's batching uses
 * (one changeset of the writes, each part `METHOD <absolute url> HTTP/1.1`). PnPjs builds a whole
 * request pipeline per part (a queryable with its timeline, observers and promises): for a
 * 10,000-item import that was most of the engine's CPU and garbage. The one POST still goes
 * through the SPFI's behaviours (authentication, digest, FetchWithSafeRetry).
 */

export interface ItemPart {
  method: 'POST' | 'MERGE' | 'DELETE';
  /** Absolute URL of the part. */
  url: string;
  ifMatch?: string;
  /** JSON text. */
  body?: string;
}

export interface PartAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

/** The shape of PnPjs's HttpRequestError (what describeSharePointError reads), for one part's failure. */
export class PartError extends Error {
  public readonly status: number;
  public readonly response: Response;

  public constructor(answer: PartAnswer) {
    super(`Error making HttpClient request in queryable [${answer.status}] ${answer.statusText} ::> ${answer.body}`);
    this.name = 'HttpRequestError';
    this.status = answer.status;
    this.response = new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** `<site>/_api/web/lists/getByTitle('…')`, spelled as PnPjs spells it. */
export function listUrl(sp: SPFI, title: string): string {
  return sp.web.lists.getByTitle(title).toUrl();
}

function guid(): string {
  return globalThis.crypto.randomUUID();
}

/** Sends `parts` as one `$batch` (in order, one changeset); one answer per part, in order. */
export async function sendItemBatch(sp: SPFI, parts: ItemPart[]): Promise<PartAnswer[]> {
  // Each `sp.web` is a new PnPjs queryable (observers, timeline): one per batch is enough.
  const web = sp.web;
  const siteUrl = web.toUrl().replace(/_api[\\/].*$/i, '');
  const batchId = guid();
  const changeset = guid();
  const body: string[] = [`--batch_${batchId}\n`, `Content-Type: multipart/mixed; boundary="changeset_${changeset}"\n\n`];
  for (const part of parts) {
    body.push(`--changeset_${changeset}\n`, 'Content-Type: application/http\n', 'Content-Transfer-Encoding: binary\n\n');
    body.push(`${part.method} ${part.url} HTTP/1.1\n`, 'Accept: application/json\n', 'Content-Type: application/json;charset=utf-8\n');
    if (part.ifMatch !== undefined) body.push(`IF-Match: ${part.ifMatch}\n`);
    body.push('\n');
    if (part.body !== undefined) body.push(`${part.body}\n\n`);
  }
  body.push(`--changeset_${changeset}--\n\n`, `--batch_${batchId}--\n`);
  const batch = SPQueryable([web, `${siteUrl.replace(/\/$/, '')}/_api/$batch`]).using(TextParse());
  const text = await spPost<string>(batch, { body: body.join(''), headers: { 'Content-Type': `multipart/mixed; boundary=batch_${batchId}` } });
  const answers = parseBatchAnswer(text);
  if (answers.length !== parts.length) throw new Error(`The $batch answer has ${answers.length} parts for ${parts.length} requests`);
  return answers;
}

const STATUS = /^HTTP\/[0-9.]+ +([0-9]+) +(.*)/i;
const PART = '--batchresponse_';

/** The parts of a `$batch` answer, as PnPjs's batching reads them (changesets flattened). */
export function parseBatchAnswer(text: string): PartAnswer[] {
  const answers: PartAnswer[] = [];
  const lines = text.split('\n');
  let state: 'batch' | 'batchHeaders' | 'status' | 'statusHeaders' | 'body' = 'batch';
  let status = 0;
  let statusText = '';
  let headers = new Headers();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    switch (state) {
      case 'batch':
        if (line.startsWith(PART)) state = 'batchHeaders';
        else if (line.trim() !== '') throw new Error(`The $batch answer is not valid at line ${i}`);
        break;
      case 'batchHeaders':
        if (line.trim() === '') state = 'status';
        break;
      case 'status': {
        const match = STATUS.exec(line);
        if (!match) throw new Error(`The $batch answer has no status at line ${i}`);
        status = Number.parseInt(match[1], 10);
        statusText = match[2].trim();
        state = 'statusHeaders';
        break;
      }
      case 'statusHeaders':
        if (line.trim() === '') state = 'body';
        else {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
        }
        break;
      case 'body': {
        const bodyLines: string[] = [];
        let j = i;
        while (j < lines.length && !lines[j].startsWith(PART)) bodyLines.push(lines[j++]);
        i = j - 1;
        answers.push({ status, statusText, headers, body: status === 204 ? '' : bodyLines.join('') });
        headers = new Headers();
        state = 'batch';
        break;
      }
    }
  }
  if (state !== 'status') throw new Error('The $batch answer ended early');
  return answers;
}
