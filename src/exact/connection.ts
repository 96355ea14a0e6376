import { z } from 'zod';
import type { EntityDefinition } from './entity';
import {
  ExactApiError,
  ExactMalformedResponseError,
  errorFromResponse,
  redactPath,
} from './errors';
import { RateLimitTracker, type RateLimitState } from './rateLimit';
import { toRelativePath, type ExactMethod, type ExactResponse, type Transport } from './transport';

/**
 * Everything between a Transport and typed records: status handling, the OData envelope,
 * `__next` paging, rate-limit bookkeeping and per-record validation. Stateless apart from the
 * last known rate-limit state per division.
 */

// Each record is checked on its own (parseRecord); the envelope only needs to know the records
// come as an array, which z.array(z.unknown()) found out by walking and copying every element.
const recordArray = z.custom<unknown[]>((value) => Array.isArray(value));

const collectionEnvelope = z.object({
  d: z.union([
    z.object({ results: recordArray, __next: z.string().optional() }).passthrough(),
    recordArray,
  ]),
});

// A single read may come as `{"d":{…}}`, `{"d":{"results":[{…}]}}` (current/Me) or `{"d":[{…}]}`.
const singleEnvelope = z.object({ d: z.union([z.record(z.unknown()), z.array(z.unknown())]) });

/** Exact refuses URLs over 6,000 characters after encoding (reference §1), counted with its own host. */
export const maxExactUrlLength = 6000;
const exactApiRoot = 'https://start.exactonline.nl/api/v1/';

export interface Page<T> {
  records: T[];
  /** Relative path of the next page, when Exact sent `__next`. */
  next?: string;
}

export class ExactConnection {
  private readonly rateLimits = new RateLimitTracker();

  public constructor(private readonly transport: Transport) {}

  /** Last known rate-limit state for a division (as a string, `current` for division-less calls). */
  public rateLimit(division: number | string): RateLimitState {
    return this.rateLimits.get(String(division));
  }

  /** Sends one request; resolves for 2xx, throws `ExactApiError` otherwise. */
  public async send(
    method: ExactMethod,
    path: string,
    options: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<ExactResponse> {
    const division = divisionOf(path);
    const length = exactApiRoot.length + path.length;
    if (length > maxExactUrlLength) {
      // Refused here: at Exact it would cost a call and count toward the hourly error block.
      throw new RangeError(`Exact accepts URLs up to ${maxExactUrlLength} characters; ${method} ${redactPath(path).slice(0, 80)}… is ${length}. Narrow the $filter or $select.`);
    }
    let response: ExactResponse;
    try {
      response = await this.transport.send({ method, path, headers: options.headers, body: options.body });
    } catch (cause) {
      const error = new ExactApiError({
        status: 0,
        method,
        path: redactPath(path),
        messages: [cause instanceof Error ? cause.message : String(cause)],
        rateLimit: this.rateLimits.get(division),
      });
      throw error;
    }
    const rateLimit = this.rateLimits.update(division, response.headers);
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse(method, path, response, rateLimit);
    }
    return response;
  }

  /** One page of a collection, every record validated against the entity's schema. */
  public async getPage<T>(entity: EntityDefinition, path: string): Promise<Page<T>> {
    const response = await this.send('GET', path);
    const envelope = collectionEnvelope.safeParse(response.data);
    if (!envelope.success) {
      throw this.malformed(entity, 'GET', path, response, describeEnvelopeProblem(response.data, 'a collection'));
    }
    const d = envelope.data.d;
    const rawRecords = Array.isArray(d) ? d : d.results;
    const next = Array.isArray(d) ? undefined : d.__next;
    const records = rawRecords.map((raw) => this.parseRecord<T>(entity, raw, 'GET', path, response));
    return { records, next: next === undefined || next === '' ? undefined : toRelativePath(next) };
  }

  /**
   * Every page, following `__next` verbatim and strictly one request at a time: Exact's paging
   * drops or repeats records under parallel reads.
   */
  public async *pages<T>(entity: EntityDefinition, path: string): AsyncGenerator<T[], void, undefined> {
    let next: string | undefined = path;
    const seen = new Set<string>();
    while (next !== undefined) {
      if (seen.has(next)) {
        throw new ExactMalformedResponseError({
          status: 200,
          method: 'GET',
          path: redactPath(next),
          messages: ['__next points back at a page already read'],
          rateLimit: this.rateLimit(divisionOf(next)),
          entity: entity.name,
        });
      }
      seen.add(next);
      const page: Page<T> = await this.getPage<T>(entity, next);
      yield page.records;
      next = page.next;
    }
  }

  /** A single entity (`GET …(key)`, or a POST with `Prefer: return=representation`). */
  public parseSingle<T>(entity: EntityDefinition, method: ExactMethod, path: string, response: ExactResponse): T {
    const envelope = singleEnvelope.safeParse(response.data);
    if (!envelope.success) {
      throw this.malformed(entity, method, path, response, describeEnvelopeProblem(response.data, 'one record'));
    }
    const raw = singleRecordOf(envelope.data.d);
    if (raw === undefined) {
      throw this.malformed(entity, method, path, response, 'expected one record, got an empty collection');
    }
    return this.parseRecord<T>(entity, raw, method, path, response);
  }

  /**
   * The answer to a POST: the key must be there (it proves Exact created the record); any other
   * field Exact filled in a shape the catalog does not expect is dropped rather than thrown on,
   * because throwing here would make a caller retry a create that already happened.
   */
  public parseCreated<T>(entity: EntityDefinition, path: string, response: ExactResponse): T {
    const envelope = singleEnvelope.safeParse(response.data);
    const raw = envelope.success ? singleRecordOf(envelope.data.d) : undefined;
    const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const keyField = entity.fields[entity.key];
    const key = keyField.schema.safeParse(record[entity.key]);
    if (!key.success || key.data === null) {
      throw this.malformed(entity, 'POST', path, response, `the answer to a create has no valid ${entity.key}; the record may have been created, look it up before retrying`);
    }
    const out: Record<string, unknown> = {};
    for (const name of entity.fieldNames) {
      if (name in record) {
        const parsed = entity.fields[name].schema.safeParse(record[name]);
        if (parsed.success) {
          out[name] = parsed.data;
        }
      }
    }
    return out as T;
  }

  public parseRecord<T>(
    entity: EntityDefinition,
    raw: unknown,
    method: ExactMethod,
    path: string,
    response: ExactResponse,
  ): T {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw this.malformed(entity, method, path, response, `expected a record object, got ${typeName(raw)}`);
    }
    const record = raw as Record<string, unknown>;
    // A transport's records are plain JSON objects; whatever the decoder refuses (and any other
    // kind of object) zod judges, as the reference, and its first issue names the field.
    const decoded = Object.getPrototypeOf(record) === Object.prototype ? entity.decode(record) : undefined;
    if (decoded !== undefined) {
      return decoded as T;
    }
    const parsed = entity.schema.safeParse(record);
    if (parsed.success) {
      return parsed.data as T;
    }
    const issue = parsed.error.issues[0];
    const fieldName = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const received = fieldName !== undefined ? ` (received ${preview(record[fieldName])})` : '';
    throw this.malformed(entity, method, path, response, `${issue.message}${received}`, {
      recordKey: keyOf(record[entity.key]),
      field: fieldName,
    });
  }

  private malformed(
    entity: EntityDefinition,
    method: ExactMethod,
    path: string,
    response: ExactResponse,
    message: string,
    where: { recordKey?: string; field?: string } = {},
  ): ExactMalformedResponseError {
    return new ExactMalformedResponseError({
      status: response.status,
      method,
      path: redactPath(path),
      messages: [message],
      rateLimit: this.rateLimit(divisionOf(path)),
      entity: entity.name,
      ...where,
    });
  }
}

function singleRecordOf(d: Record<string, unknown> | unknown[]): unknown {
  if (Array.isArray(d)) {
    return d[0];
  }
  return Array.isArray(d.results) ? (d.results as unknown[])[0] : d;
}

/** Rate limits are per division: the first path segment (`123456/crm/…`), or `current`. */
export function divisionOf(path: string): string {
  const first = path.replace(/^\/+/, '').split(/[/?]/, 1)[0];
  return first === '' ? 'current' : first;
}

function keyOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim();
  }
  return typeof value === 'number' ? String(value) : undefined;
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : typeof value;
}

function preview(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function describeEnvelopeProblem(data: unknown, expected: string): string {
  if (typeof data === 'string') {
    return `expected JSON with ${expected} in "d", got a non-JSON body of ${data.length} characters`;
  }
  if (data === undefined) {
    return `expected JSON with ${expected} in "d", got an empty body`;
  }
  return `expected JSON with ${expected} in "d"`;
}
