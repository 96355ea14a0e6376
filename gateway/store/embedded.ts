/**
 * The embedded store: one JSON file in a (git-ignored) data folder, or memory when there is no
 * folder. Good for `npm start`, tests and a single-VM deployment; Azure Storage is the scale-out one.
 *
 * Every operation is read-modify-write of the whole file under two locks: a promise chain inside
 * the process and a lock file taken with O_EXCL across processes. Writes go to a temporary file
 * that is flushed and renamed over the old one, so a crash leaves either the old or the new file,
 * never half of one.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import {
  backgroundRecordSchema,
  connectionRecordSchema,
  customerCreateRecordSchema,
  oneTimeRecordSchema,
  tokenRecordSchema,
  type ConnectionRecord,
  type CustomerCreateKey,
  type GatewayStore,
  type Lease,
  type OneTimeRecord,
  type TokenRecord,
} from './types';

const leaseSchema = z.object({ name: z.string(), owner: z.string(), expiresAt: z.number() });

const fileSchema = z.object({
  connections: z.record(connectionRecordSchema),
  tokens: z.record(tokenRecordSchema),
  leases: z.record(leaseSchema),
  oneTime: z.record(oneTimeRecordSchema),
  // Files written before customer creates were kept have no such section.
  customerCreates: z.record(customerCreateRecordSchema).default({}),
  // Files written before background runs existed have neither section.
  background: z.record(backgroundRecordSchema).default({}),
  /** Queue tables of the embedded queue (gateway/background/embeddedQueue.ts), by queue name. */
  queues: z.record(z.array(z.unknown())).default({}),
});
type StoreFile = z.infer<typeof fileSchema>;

const emptyFile = (): StoreFile => ({ connections: {}, tokens: {}, leases: {}, oneTime: {}, customerCreates: {}, background: {}, queues: {} });
const backgroundSlot = (kind: string, id: string): string => JSON.stringify([kind, id]);
const key = (tenantId: string, connectionId: string): string => `${tenantId}/${connectionId}`;
// JSON keeps any string as a property name, so the company key needs no escaping.
const createSlot = ({ tenantId, connectionId, division, company }: CustomerCreateKey): string => JSON.stringify([tenantId, connectionId, division, company]);

export interface EmbeddedStoreOptions {
  clock: Clock;
  /** Folder for `gateway-store.json`; undefined keeps everything in memory. */
  dataDir?: string;
  /** A lock file older than this (wall time) was left by a crashed process and is broken. */
  staleLockMs?: number;
}

/** Cross-process mutex on a lock file. Waiting here is I/O back-off, not product time. */
async function withFileLock<T>(lockPath: string, staleLockMs: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      await handle.writeFile(`${process.pid} ${Date.now()}`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const stat = await fs.stat(lockPath).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleLockMs) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(2 + attempt, 25)));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

/**
 * The embedded store plus its queue tables: read-modify-write of one queue's messages in the same
 * file, under the same locks, so `npm start` needs no queue service.
 */
export interface EmbeddedStore extends GatewayStore {
  transactQueue<T>(queue: string, change: (messages: unknown[]) => { result: T; messages?: unknown[] }): Promise<T>;
}

export function createEmbeddedStore(options: EmbeddedStoreOptions): EmbeddedStore {
  const { clock, dataDir } = options;
  const staleLockMs = options.staleLockMs ?? 10_000;
  const filePath = dataDir ? join(dataDir, 'gateway-store.json') : undefined;
  let memory = emptyFile();
  let chain: Promise<unknown> = Promise.resolve();

  async function load(): Promise<StoreFile> {
    if (!filePath) {
      return memory;
    }
    let text: string;
    try {
      text = await fs.readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return emptyFile();
      }
      throw error;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`Gateway store ${filePath} is not valid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  async function save(data: StoreFile): Promise<void> {
    if (!filePath) {
      memory = data;
      return;
    }
    const temp = `${filePath}.${process.pid}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(data));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, filePath);
  }

  /** Runs one read-modify-write transaction; `change` returns the result and whether it wrote. */
  function transact<T>(change: (data: StoreFile) => { result: T; dirty: boolean }): Promise<T> {
    const run = async (): Promise<T> => {
      const body = async (): Promise<T> => {
        const data = structuredClone(await load());
        const { result, dirty } = change(data);
        if (dirty) {
          await save(data);
        }
        return result;
      };
      if (!filePath || !dataDir) {
        return body();
      }
      await fs.mkdir(dataDir, { recursive: true });
      return withFileLock(`${filePath}.lock`, staleLockMs, body);
    };
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  }

  const read = <T>(pick: (data: StoreFile) => T): Promise<T> => transact((data) => ({ result: pick(data), dirty: false }));

  return {
    getConnection: (tenantId, connectionId) => read((d) => d.connections[key(tenantId, connectionId)]),
    listConnections: (tenantId) =>
      read((d) => Object.values(d.connections).filter((c) => c.tenantId === tenantId)),
    putConnection: (record: ConnectionRecord) =>
      transact((d) => {
        d.connections[key(record.tenantId, record.connectionId)] = connectionRecordSchema.parse(record);
        return { result: undefined, dirty: true };
      }),
    deleteConnection: (tenantId, connectionId) =>
      transact((d) => {
        delete d.connections[key(tenantId, connectionId)];
        delete d.tokens[key(tenantId, connectionId)];
        return { result: undefined, dirty: true };
      }),
    getToken: (tenantId, connectionId) => read((d) => d.tokens[key(tenantId, connectionId)]),
    putToken: (record: TokenRecord) =>
      transact((d) => {
        d.tokens[key(record.tenantId, record.connectionId)] = tokenRecordSchema.parse(record);
        return { result: undefined, dirty: true };
      }),
    replaceToken: (record: TokenRecord, expectedVersion: number | undefined) =>
      transact((d) => {
        const slot = key(record.tenantId, record.connectionId);
        if (d.tokens[slot]?.version !== expectedVersion) {
          return { result: false, dirty: false };
        }
        d.tokens[slot] = tokenRecordSchema.parse(record);
        return { result: true, dirty: true };
      }),
    deleteToken: (tenantId, connectionId) =>
      transact((d) => {
        delete d.tokens[key(tenantId, connectionId)];
        return { result: undefined, dirty: true };
      }),
    acquireLease: (name, owner, ttlMs) =>
      transact((d) => {
        const now = clock.now();
        const held = d.leases[name];
        if (held && held.expiresAt > now && held.owner !== owner) {
          return { result: undefined, dirty: false };
        }
        const lease: Lease = { name, owner, expiresAt: now + ttlMs };
        d.leases[name] = lease;
        return { result: { ...lease }, dirty: true };
      }),
    releaseLease: (lease) =>
      transact((d) => {
        if (d.leases[lease.name]?.owner !== lease.owner) {
          return { result: undefined, dirty: false };
        }
        delete d.leases[lease.name];
        return { result: undefined, dirty: true };
      }),
    putOneTime: (record: OneTimeRecord) =>
      transact((d) => {
        const now = clock.now();
        // Drop lapsed records so the file does not grow with abandoned connect attempts.
        for (const [id, existing] of Object.entries(d.oneTime)) {
          if (existing.expiresAt <= now) {
            delete d.oneTime[id];
          }
        }
        d.oneTime[`${record.kind}:${record.id}`] = oneTimeRecordSchema.parse(record);
        return { result: undefined, dirty: true };
      }),
    takeOneTime: (kind, id) =>
      transact((d) => {
        const slot = `${kind}:${id}`;
        const record = d.oneTime[slot];
        if (!record) {
          return { result: undefined, dirty: false };
        }
        delete d.oneTime[slot];
        return { result: record.expiresAt > clock.now() ? record : undefined, dirty: true };
      }),
    getCustomerCreate: (createKey) => read((d) => d.customerCreates[createSlot(createKey)]),
    putCustomerCreate: (record) =>
      transact((d) => {
        d.customerCreates[createSlot(record)] = customerCreateRecordSchema.parse(record);
        return { result: undefined, dirty: true };
      }),
    getBackground: (kind, id) => read((d) => d.background[backgroundSlot(kind, id)]),
    listBackground: (kind) => read((d) => Object.values(d.background).filter((r) => r.kind === kind)),
    replaceBackground: (record, expectedVersion) =>
      transact((d) => {
        const slot = backgroundSlot(record.kind, record.id);
        if (d.background[slot]?.version !== expectedVersion) {
          return { result: false, dirty: false };
        }
        d.background[slot] = backgroundRecordSchema.parse(record);
        return { result: true, dirty: true };
      }),
    deleteBackground: (kind, id) =>
      transact((d) => {
        const slot = backgroundSlot(kind, id);
        const present = slot in d.background;
        delete d.background[slot];
        return { result: undefined, dirty: present };
      }),
    transactQueue: (queue, change) =>
      transact((d) => {
        const { result, messages } = change(d.queues[queue] ?? []);
        if (messages) {
          d.queues[queue] = messages;
        }
        return { result, dirty: messages !== undefined };
      }),
    close: async () => {
      await chain;
    },
  };
}
