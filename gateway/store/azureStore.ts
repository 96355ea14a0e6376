/**
 * The gateway store on Azure Storage, for the Functions deployment that scales out:
 * - Table `<prefix>Connections` and `<prefix>Tokens`: one entity per connection, partitioned by
 *   tenant. Token entities hold only the vault's ciphertext; it is never logged or put in errors.
 * - Table `<prefix>OneTime`: OAuth state and connect tickets. Taking one deletes it with its ETag,
 *   so of two concurrent takes (or a replayed callback) exactly one gets the record.
 * - Table `<prefix>CustomerCreates`: what each CRM company's "Create in Exact" did, partitioned by
 *   tenant, one row per connection, division and idempotency key.
 * - Table `<prefix>Background`: background runs' records (schedules, run progress, webhook
 *   subscriptions), partitioned by kind, written with an ETag compare-and-swap.
 * - Blob container `<container>`: one lock blob per lease name (see `./azureLease.ts`).
 *
 * Records are stored as JSON split over string properties (`./azureKeys.ts`) and validated with
 * the same zod schemas as the embedded store when read back.
 */
import { odata, TableClient, type TableEntityResult } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import type { ZodType, ZodTypeDef } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { assertContainerName, assertTableName, fromJsonColumns, tableKey, toJsonColumns } from './azureKeys';
import { BlobLeaseLocks, codeOf, statusOf } from './azureLease';
import {
  backgroundRecordSchema,
  connectionRecordSchema,
  customerCreateRecordSchema,
  oneTimeRecordSchema,
  tokenRecordSchema,
  type ConnectionRecord,
  type CustomerCreateKey,
  type GatewayStore,
  type OneTimeRecord,
  type TokenRecord,
} from './types';

export interface AzureStoreOptions {
  /** A storage account connection string (app setting; a Key Vault reference in production). */
  connectionString: string;
  clock: Clock;
  /** Prefix of the table names; letters and digits. Default `Gateway`. */
  tablePrefix?: string;
  /** Blob container for lock blobs. Default `gateway-locks`. */
  lockContainer?: string;
  /** Emulators (Azurite) are plain http; production is https only. */
  allowInsecureConnection?: boolean;
}

type Row = TableEntityResult<Record<string, unknown>>;

/** Lapsed one-time records are swept at most this often per instance. */
const sweepEveryMs = 60_000;

function failure(action: string, error: unknown): Error {
  // Deliberately not the SDK error itself: its request may carry the entity, i.e. the ciphertext.
  return new Error(`Azure store: could not ${action}: ${statusOf(error) ?? 'no status'} ${codeOf(error)}`.trim());
}

export function createAzureStore(options: AzureStoreOptions): GatewayStore {
  const { clock, connectionString } = options;
  const prefix = options.tablePrefix ?? 'Gateway';
  const allowInsecureConnection = 
    options.allowInsecureConnection ?? /DefaultEndpointsProtocol=http;|(?:Blob|Table)Endpoint=http:/i.test(connectionString);
  const table = (suffix: string): TableClient =>
    TableClient.fromConnectionString(connectionString, assertTableName(`${prefix}${suffix}`), { allowInsecureConnection });
  const connections = table('Connections');
  const tokens = table('Tokens');
  const oneTime = table('OneTime');
  const customerCreates = table('CustomerCreates');
  const background = table('Background');
  const locks = new BlobLeaseLocks(
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(assertContainerName(options.lockContainer ?? 'gateway-locks')),
    clock,
  );

  let tablesReady: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    tablesReady ??= Promise.all([connections.createTable(), tokens.createTable(), oneTime.createTable(), customerCreates.createTable(), background.createTable()]).then(
      () => undefined,
      (error: unknown) => {
        tablesReady = undefined;
        throw failure('create the gateway tables', error);
      },
    );
    return tablesReady;
  };
  let lastSweep = Number.NEGATIVE_INFINITY;

  async function getRow(client: TableClient, partitionKey: string, rowKey: string, what: string): Promise<Row | undefined> {
    await ready();
    try {
      return await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw failure(`read ${what}`, error);
    }
  }

  async function deleteRow(client: TableClient, partitionKey: string, rowKey: string, what: string, etag?: string): Promise<boolean> {
    await ready();
    try {
      await client.deleteEntity(partitionKey, rowKey, etag ? { etag } : undefined);
      return true;
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 412) {
        return false;
      }
      throw failure(`delete ${what}`, error);
    }
  }

  async function upsert(client: TableClient, entity: Record<string, unknown> & { partitionKey: string; rowKey: string }, what: string): Promise<void> {
    await ready();
    try {
      await client.upsertEntity(entity, 'Replace');
    } catch (error) {
      throw failure(`write ${what}`, error);
    }
  }

  function parse<T>(schema: ZodType<T, ZodTypeDef, unknown>, what: string, row: Row): T {
    const result = schema.safeParse(fromJsonColumns(what, row));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`Azure store: ${what} is not valid: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return result.data;
  }

  const connectionWhat = (tenantId: string, connectionId: string): string => `connection ${tenantId}/${connectionId}`;
  const createRow = ({ tenantId, connectionId, division, company }: CustomerCreateKey) => ({
    what: `customer create ${company} in ${tenantId}/${connectionId}/${division}`,
    partitionKey: tableKey('tenantId', tenantId),
    rowKey: tableKey('customer create', `${connectionId}/${division}/${company}`),
  });
  const tokenWhat = (tenantId: string, connectionId: string): string => `token record of ${tenantId}/${connectionId}`;

  /** The token entity; only ciphertext, key id, version and expiry times. */
  function tokenEntity(record: TokenRecord): Record<string, unknown> & { partitionKey: string; rowKey: string } {
    const what = tokenWhat(record.tenantId, record.connectionId);
    const parsed = tokenRecordSchema.safeParse(record);
    if (!parsed.success) {
      // Never echo the input: it holds the ciphertext.
      throw new Error(`Azure store: ${what} is not valid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    }
    const valid = parsed.data;
    return {
      partitionKey: tableKey('tenantId', valid.tenantId),
      rowKey: tableKey('connectionId', valid.connectionId),
      Version: valid.version,
      KeyId: valid.keyId,
      AccessTokenExpiresAt: valid.accessTokenExpiresAt,
      ...toJsonColumns(what, valid),
    };
  }

  /** Drops abandoned OAuth states so the table does not grow with every unfinished connect. */
  async function sweepOneTime(): Promise<void> {
    const now = clock.now();
    if (now - lastSweep < sweepEveryMs) {
      return;
    }
    lastSweep = now;
    const pages = oneTime.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`ExpiresAt le ${now}`, select: ['PartitionKey', 'RowKey', 'ExpiresAt'] } }).byPage({ maxPageSize: 100 });
    const first = await pages.next();
    if (first.done) {
      return;
    }
    for (const row of first.value) {
      if (row.partitionKey !== undefined && row.rowKey !== undefined) {
        await deleteRow(oneTime, row.partitionKey, row.rowKey, 'a lapsed one-time record', row.etag);
      }
    }
  }

  return {
    async getConnection(tenantId, connectionId) {
      const what = connectionWhat(tenantId, connectionId);
      const row = await getRow(connections, tableKey('tenantId', tenantId), tableKey('connectionId', connectionId), what);
      return row && parse(connectionRecordSchema, what, row);
    },

    async listConnections(tenantId) {
      await ready();
      const found: ConnectionRecord[] = [];
      try {
        for await (const row of connections.listEntities<Record<string, unknown>>({
          queryOptions: { filter: odata`PartitionKey eq ${tableKey('tenantId', tenantId)}` },
        })) {
          found.push(parse(connectionRecordSchema, `a connection of tenant ${tenantId} (row ${row.rowKey ?? '?'})`, row));
        }
      } catch (error) {
        throw error instanceof Error && error.message.startsWith('Azure store:') ? error : failure(`list the connections of tenant ${tenantId}`, error);
      }
      return found;
    },

    async putConnection(record) {
      const what = connectionWhat(record.tenantId, record.connectionId);
      const valid = connectionRecordSchema.parse(record);
      await upsert(
        connections,
        {
          partitionKey: tableKey('tenantId', valid.tenantId),
          rowKey: tableKey('connectionId', valid.connectionId),
          Status: valid.status,
          UpdatedAt: valid.updatedAt,
          ...toJsonColumns(what, valid),
        },
        what,
      );
    },

    async deleteConnection(tenantId, connectionId) {
      const partitionKey = tableKey('tenantId', tenantId);
      const rowKey = tableKey('connectionId', connectionId);
      // Token first: a crash in between must not leave a token without its connection.
      await deleteRow(tokens, partitionKey, rowKey, tokenWhat(tenantId, connectionId));
      await deleteRow(connections, partitionKey, rowKey, connectionWhat(tenantId, connectionId));
    },

    async getToken(tenantId, connectionId) {
      const what = tokenWhat(tenantId, connectionId);
      const row = await getRow(tokens, tableKey('tenantId', tenantId), tableKey('connectionId', connectionId), what);
      return row && parse(tokenRecordSchema, what, row);
    },

    async putToken(record: TokenRecord) {
      await upsert(tokens, tokenEntity(record), tokenWhat(record.tenantId, record.connectionId));
    },

    async replaceToken(record: TokenRecord, expectedVersion: number | undefined) {
      const what = tokenWhat(record.tenantId, record.connectionId);
      const entity = tokenEntity(record);
      const current = await getRow(tokens, entity.partitionKey, entity.rowKey, what);
      if ((current === undefined ? undefined : current.Version) !== expectedVersion) {
        return false;
      }
      try {
        // The ETag of the row we compared makes the check and the write one step: a write by
        // anyone in between changes it and Azure answers 412 (or 409 for a create).
        if (current) {
          await tokens.updateEntity(entity, 'Replace', { etag: current.etag });
        } else {
          await tokens.createEntity(entity);
        }
        return true;
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 409) {
          return false;
        }
        throw failure(`write ${what}`, error);
      }
    },

    async deleteToken(tenantId, connectionId) {
      await deleteRow(tokens, tableKey('tenantId', tenantId), tableKey('connectionId', connectionId), tokenWhat(tenantId, connectionId));
    },

    acquireLease: (name, owner, ttlMs) => locks.acquire(name, owner, ttlMs),
    releaseLease: (lease) => locks.release(lease),

    async putOneTime(record: OneTimeRecord) {
      const what = `one-time record ${record.kind}/${record.id}`;
      const valid = oneTimeRecordSchema.parse(record);
      await upsert(
        oneTime,
        {
          partitionKey: tableKey('kind', valid.kind),
          rowKey: tableKey('id', valid.id),
          ExpiresAt: valid.expiresAt,
          ...toJsonColumns(what, valid),
        },
        what,
      );
      await sweepOneTime().catch(() => undefined);
    },

    async takeOneTime(kind, id) {
      const what = `one-time record ${kind}/${id}`;
      const partitionKey = tableKey('kind', kind);
      const rowKey = tableKey('id', id);
      const row = await getRow(oneTime, partitionKey, rowKey, what);
      if (!row) {
        return undefined;
      }
      // Deleting with the ETag we read is what makes it single-use: a concurrent taker (or a
      // replay) gets 404/412 here and so no record.
      if (!(await deleteRow(oneTime, partitionKey, rowKey, what, row.etag))) {
        return undefined;
      }
      const record = parse(oneTimeRecordSchema, what, row);
      return record.expiresAt > clock.now() ? record : undefined;
    },

    async getCustomerCreate(createKey) {
      const { what, partitionKey, rowKey } = createRow(createKey);
      const row = await getRow(customerCreates, partitionKey, rowKey, what);
      return row && parse(customerCreateRecordSchema, what, row);
    },

    async putCustomerCreate(record) {
      const { what, partitionKey, rowKey } = createRow(record);
      const valid = customerCreateRecordSchema.parse(record);
      await upsert(customerCreates, { partitionKey, rowKey, State: valid.state, UpdatedAt: valid.updatedAt, ...toJsonColumns(what, valid) }, what);
    },

    async getBackground(kind, id) {
      const what = `background ${kind} ${id}`;
      const row = await getRow(background, tableKey('kind', kind), tableKey('id', id), what);
      return row && parse(backgroundRecordSchema, what, row);
    },

    async listBackground(kind) {
      await ready();
      const found = [];
      try {
        for await (const row of background.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${tableKey('kind', kind)}` } })) {
          found.push(parse(backgroundRecordSchema, `a background ${kind} (row ${row.rowKey ?? '?'})`, row));
        }
      } catch (error) {
        throw error instanceof Error && error.message.startsWith('Azure store:') ? error : failure(`list background ${kind}`, error);
      }
      return found;
    },

    async replaceBackground(record, expectedVersion) {
      const what = `background ${record.kind} ${record.id}`;
      const valid = backgroundRecordSchema.parse(record);
      const entity = { partitionKey: tableKey('kind', valid.kind), rowKey: tableKey('id', valid.id), Version: valid.version, UpdatedAt: valid.updatedAt, ...toJsonColumns(what, valid) };
      const current = await getRow(background, entity.partitionKey, entity.rowKey, what);
      if ((current === undefined ? undefined : current.Version) !== expectedVersion) {
        return false;
      }
      try {
        // As for tokens: the ETag makes the version check and the write one step.
        if (current) {
          await background.updateEntity(entity, 'Replace', { etag: current.etag });
        } else {
          await background.createEntity(entity);
        }
        return true;
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 409) {
          return false;
        }
        throw failure(`write ${what}`, error);
      }
    },

    async deleteBackground(kind, id) {
      await deleteRow(background, tableKey('kind', kind), tableKey('id', id), `background ${kind} ${id}`);
    },

    async close() {
      // The SDK clients hold no sockets that need closing; pending table creation may still run.
      await tablesReady?.catch(() => undefined);
    },
  };
}
