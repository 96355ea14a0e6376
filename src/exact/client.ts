import { systemClock, type Clock } from '../sync/clock';
import type { FieldValue } from '../sync/ports';
import {
  entityDefinition,
  exactCatalog,
  type AgingReceivablesListRow,
  type DeletedRecord,
  type Division,
  type ExactEntityName,
  type ExactEntityRecord,
  type Me,
  type ReceivablesListRow,
  type SalesInvoice,
} from './catalog';
import { ExactConnection } from './connection';
import { ExactApiError, ExactWriteOutcomeUnknownError } from './errors';
import { toWireValue, type EntityDefinition } from './entity';
import { and, buildQueryString, filterFor, literal, literalFor, parseIsoUtc, type ODataQuery } from './query';
import type { RateLimitState } from './rateLimit';
import type { Transport } from './transport';
import { compareDecimal, normaliseDecimal } from './values';

/**
 * The typed Exact Online client. Plain Exact names: `exact.accounts(div).get(id)`,
 * `exact.bulk(div, 'Account', …)`, `exact.sync(div, 'Account', …)`. Works over any Transport:
 * axios in Node, the gateway proxy in the browser.
 */

export interface ExactClientOptions {
  clock?: Clock;
}

export interface ListQuery {
  filter?: string;
  select?: readonly string[];
  top?: number;
  orderBy?: string;
}

export interface BulkQuery {
  /** Mandatory on bulk endpoints; the key is added when missing. */
  select: readonly string[];
  filter?: string;
}

export interface SyncQuery {
  select: readonly string[];
  /** Exclusive lower bound (`Timestamp gt {since}L`); `'0'` reads everything. */
  since: string;
  filter?: string;
}

type WritableName = 'Account' | 'Contact';

/**
 * An incremental read: iterate the pages, then read `cursor` for the highest `Timestamp` seen
 * (still `since` when nothing changed). Save it only after the changes are applied.
 */
export class SyncRead<T extends { Timestamp?: FieldValue }> implements AsyncIterable<T[]> {
  private highest: string;

  public constructor(
    private readonly connection: ExactConnection,
    private readonly entity: EntityDefinition,
    private readonly path: string,
    since: string,
  ) {
    this.highest = normaliseDecimal(since);
  }

  public get cursor(): string {
    return this.highest;
  }

  public async *[Symbol.asyncIterator](): AsyncGenerator<T[], void, undefined> {
    for await (const page of this.connection.pages<T>(this.entity, this.path)) {
      for (const record of page) {
        const ts = record.Timestamp;
        if (typeof ts === 'string' && compareDecimal(ts, this.highest) > 0) {
          this.highest = ts;
        }
      }
      yield page;
    }
  }

  /** Reads every page; convenient for small change sets. */
  public async all(): Promise<{ records: T[]; cursor: string }> {
    const records: T[] = [];
    for await (const page of this) {
      records.push(...page);
    }
    return { records, cursor: this.cursor };
  }
}

/** One entity set in one division: `crm/Accounts`, `salesinvoice/SalesInvoices`, … */
export class EntitySet<N extends ExactEntityName> {
  public constructor(
    protected readonly connection: ExactConnection,
    protected readonly entity: EntityDefinition,
    protected readonly division: number,
  ) {}

  /**
   * `GET {service}({key})`; a missing record is an `ExactApiError` with status 404. Without
   * `select`, Exact returns every field and the schema keeps the catalog's.
   */
  public async get(key: string | number, options: { select?: readonly string[] } = {}): Promise<ExactEntityRecord<N>> {
    const path = `${keyPath(this.entity, this.division, key)}${buildQueryString({ select: options.select })}`;
    const response = await this.connection.send('GET', path);
    return this.connection.parseSingle<ExactEntityRecord<N>>(this.entity, 'GET', path, response);
  }

  /** Record by record over all pages (60 a page on CRUD endpoints). */
  public async *list(query: ListQuery = {}): AsyncGenerator<ExactEntityRecord<N>, void, undefined> {
    for await (const page of this.pages(query)) {
      yield* page;
    }
  }

  /** Page by page; pass `select` to keep pages small (Exact sends every field without it). */
  public pages(query: ListQuery = {}): AsyncGenerator<Array<ExactEntityRecord<N>>, void, undefined> {
    const odata: ODataQuery = {
      select: query.select,
      filter: query.filter,
      top: query.top,
      orderBy: query.orderBy,
    };
    return this.connection.pages<ExactEntityRecord<N>>(this.entity, `${collectionPath(this.entity, this.division)}${buildQueryString(odata)}`);
  }

  /** Builds a filter with the entity's field types (padded account Code, guid'…', …). */
  public where(fieldName: string, value: FieldValue | Date): string {
    return filterFor(this.entity).eq(fieldName, value);
  }
}

export class WritableEntitySet<N extends WritableName> extends EntitySet<N> {
  public constructor(
    connection: ExactConnection,
    entity: EntityDefinition,
    division: number,
    private readonly clock: Clock = systemClock,
  ) {
    super(connection, entity, division);
  }

  /**
   * POST with `Prefer: return=representation`. Once Exact answers 2xx this never throws over the
   * shape of the record (a retry would create a duplicate): the key is required, other fields are
   * kept when valid. No answer at all gives `ExactWriteOutcomeUnknownError`; call `findCreated`.
   * `headers` go along (the gateway's create takes its idempotency key there).
   */
  public async create(values: Partial<Record<string, FieldValue>>, options: { headers?: Record<string, string> } = {}): Promise<ExactEntityRecord<N>> {
    const path = collectionPath(this.entity, this.division);
    const body = writableBody(this.entity, values);
    const sentAt = this.clock.now();
    let response;
    try {
      response = await this.connection.send('POST', path, {
        headers: { ...options.headers, 'Content-Type': 'application/json', Prefer: 'return=representation' },
        body,
      });
    } catch (error) {
      if (error instanceof ExactApiError && error.status === 0) {
        throw new ExactWriteOutcomeUnknownError(
          { status: 0, method: 'POST', path: error.path, messages: error.messages, rateLimit: error.rateLimit },
          sentAt,
          body,
        );
      }
      throw error;
    }
    return this.connection.parseCreated<ExactEntityRecord<N>>(this.entity, path, response);
  }

  /**
   * Records created since `since` (ms, e.g. `ExactWriteOutcomeUnknownError.sentAt`) that carry the
   * identifying values of a create: `Code` or `Name` for accounts, `Account` and `LastName` for
   * contacts. Empty means the POST was not applied and may be sent again.
   */
  public async findCreated(values: Partial<Record<string, FieldValue>>, since: number): Promise<Array<ExactEntityRecord<N>>> {
    const identifying = this.entity.name === 'Account'
      ? (values.Code !== undefined && values.Code !== null ? ['Code'] : ['Name'])
      : ['Account', 'LastName'];
    const where = filterFor(this.entity);
    const parts = identifying.map((name) => {
      const value = values[name];
      if (value === undefined) {
        throw new RangeError(`${this.entity.name}: findCreated needs ${name} to recognise the record`);
      }
      return where.eq(name, value);
    });
    // A minute of slack: Exact's clock and ours are not the same clock.
    const from = new Date(since - 60_000);
    const filter = and(where.compare('Created', 'ge', from), ...parts);
    return collect(this.pages({ filter }));
  }

  /** PUT of the given fields only; Exact answers 204 with no body. */
  public async update(key: string, values: Partial<Record<string, FieldValue>>): Promise<void> {
    const body = writableBody(this.entity, values);
    await this.connection.send('PUT', keyPath(this.entity, this.division, key), {
      headers: { 'Content-Type': 'application/json' },
      body,
    });
  }
}

export class ExactClient {
  public readonly connection: ExactConnection;
  private readonly clock: Clock;

  public constructor(transport: Transport, options: ExactClientOptions = {}) {
    this.connection = new ExactConnection(transport);
    this.clock = options.clock ?? systemClock;
  }

  /** `current/Me`: the signed-in user and their `CurrentDivision` (which moves; pin a division). */
  public async me(): Promise<Me> {
    const entity = entityDefinition('Me');
    const path = entity.service;
    const response = await this.connection.send('GET', path);
    return this.connection.parseSingle<Me>(entity, 'GET', path, response);
  }

  /** `system/Divisions`: every division the user can reach (across licences). */
  public async divisions(division: number): Promise<Division[]> {
    const out: Division[] = [];
    for await (const page of this.entitySet(division, 'Division').pages()) {
      out.push(...page);
    }
    return out;
  }

  public accounts(division: number): WritableEntitySet<'Account'> {
    return new WritableEntitySet<'Account'>(this.connection, entityDefinition('Account'), division, this.clock);
  }

  public contacts(division: number): WritableEntitySet<'Contact'> {
    return new WritableEntitySet<'Contact'>(this.connection, entityDefinition('Contact'), division, this.clock);
  }

  public entitySet<N extends ExactEntityName>(division: number, name: N): EntitySet<N> {
    return new EntitySet<N>(this.connection, entityDefinition(name), division);
  }

  /** Full read of a bulk endpoint (1,000 a page), or the CRUD endpoint where no bulk one exists. */
  public bulk<N extends ExactEntityName>(
    division: number,
    name: N,
    query: BulkQuery,
  ): AsyncGenerator<Array<ExactEntityRecord<N>>, void, undefined> {
    const entity = entityDefinition(name);
    const select = withFields(query.select, [entity.key]);
    const service = entity.bulk ?? entity.service;
    const path = `${division}/${service}${buildQueryString({ select, filter: query.filter })}`;
    return this.connection.pages<ExactEntityRecord<N>>(entity, path);
  }

  /** Records changed after `since` from the entity's `sync/` endpoint. */
  public sync<N extends ExactEntityName>(division: number, name: N, query: SyncQuery): SyncRead<ExactEntityRecord<N>> {
    const entity = entityDefinition(name);
    if (entity.sync === undefined) {
      throw new RangeError(`${name} has no sync endpoint in Exact`);
    }
    const select = withFields(query.select, [entity.key, 'Timestamp']);
    const filter = and(`Timestamp gt ${literal.int64(query.since)}`, entity.syncRows, query.filter);
    const path = `${division}/${entity.sync}${buildQueryString({ select, filter })}`;
    return new SyncRead<ExactEntityRecord<N>>(this.connection, entity, path, query.since);
  }

  /** Deletions of one entity type from `sync/Deleted` after `since`. */
  public deleted(division: number, name: ExactEntityName, query: { since: string }): SyncRead<DeletedRecord> {
    const source = exactCatalog[name];
    if (source.deletedEntityType === undefined) {
      throw new RangeError(`Exact does not track deletions of ${name}`);
    }
    const entity = entityDefinition('Deleted');
    const filter = and(
      `Timestamp gt ${literal.int64(query.since)}`,
      `EntityType eq ${literal.number(source.deletedEntityType)}`,
    );
    const select = ['Timestamp', 'EntityKey', 'EntityType', 'DeletedDate'];
    const path = `${division}/${entity.service}${buildQueryString({ select, filter })}`;
    return new SyncRead<DeletedRecord>(this.connection, entity, path, query.since);
  }

  /** Sales invoices billed to one account (all statuses), oldest first as Exact returns them. */
  public async salesInvoicesForAccount(division: number, accountId: string): Promise<SalesInvoice[]> {
    const set = this.entitySet(division, 'SalesInvoice');
    return collect(set.pages({ filter: set.where('InvoiceTo', accountId) }));
  }

  /** Open receivables of one account (`read/financial/ReceivablesList`). */
  public async receivablesForAccount(division: number, accountId: string): Promise<ReceivablesListRow[]> {
    const set = this.entitySet(division, 'ReceivablesList');
    return collect(set.pages({ filter: set.where('AccountId', accountId) }));
  }

  /** The aging row of one account, or undefined when it owes nothing. */
  public async agingForAccount(division: number, accountId: string): Promise<AgingReceivablesListRow | undefined> {
    const set = this.entitySet(division, 'AgingReceivablesList');
    const rows = await collect(set.pages({ filter: set.where('AccountId', accountId) }));
    return rows[0];
  }

  public rateLimit(division: number): RateLimitState {
    return this.connection.rateLimit(division);
  }

  /** Milliseconds until a call to this division is allowed again by the last known headers; 0 when free. */
  public rateLimitWait(division: number): number {
    const state = this.rateLimit(division);
    const now = this.clock.now();
    let wait = 0;
    for (const window of [state.minutely, state.daily]) {
      if (window && window.remaining <= 0 && window.resetAt > now) {
        wait = Math.max(wait, window.resetAt - now);
      }
    }
    return wait;
  }
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...page);
  }
  return out;
}

function collectionPath(entity: EntityDefinition, division: number): string {
  return entity.divisionScoped ? `${division}/${entity.service}` : entity.service;
}

function keyPath(entity: EntityDefinition, division: number, key: string | number): string {
  const keyField = entity.fields[entity.key];
  const keyLiteral = literalFor(keyField.type, key, `${entity.name}.${entity.key}`);
  return `${collectionPath(entity, division)}(${keyLiteral})`;
}

function withFields(select: readonly string[], required: string[]): string[] {
  const out = [...select];
  for (const name of required) {
    if (!out.includes(name)) {
      out.unshift(name);
    }
  }
  return out;
}

/** Checks a create/update body against the catalog: unknown and read-only fields are refused by name. */
function writableBody(entity: EntityDefinition, values: Partial<Record<string, FieldValue>>): Record<string, FieldValue> {
  const body: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      continue;
    }
    const f = entity.fields[name];
    if (!f) {
      throw new RangeError(`${entity.name} has no field ${name}`);
    }
    if (f.readOnly) {
      throw new RangeError(`${entity.name}.${name} is read-only in Exact`);
    }
    if (value !== null) {
      // Reuses the literal checks so a wrong type is refused before it reaches Exact.
      if (f.type === 'datetime' && (typeof value !== 'string' || parseIsoUtc(value) === undefined)) {
        // Exact takes ISO text; anything else costs a 400, which counts toward its hourly error block.
        throw new RangeError(`${entity.name}.${name} must be an ISO 8601 date, e.g. 2026-11-21 or 2026-11-21T08:30:00Z; got ${JSON.stringify(value)}`);
      }
      literalFor(f.type, value, `${entity.name}.${name}`);
      if (typeof value === 'string' && f.maxLength !== undefined && value.length > f.maxLength) {
        throw new RangeError(`${entity.name}.${name} is longer than ${f.maxLength} characters`);
      }
    }
    body[name] = value === null ? null : toWireValue(f, value);
  }
  return body;
}
