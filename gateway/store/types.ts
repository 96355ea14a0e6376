/**
 * What the gateway persists, behind one interface with two implementations: the embedded store
 * (JSON file or memory, `./embedded.ts`) and Azure Storage (`./azure*`). Both must pass
 * `tests/support/gatewayStoreContract.ts`.
 *
 * Stability: this interface is shared with the Azure implementation; change it only additively.
 *
 * Every record is keyed by the caller's tenant (Entra `tid`) and a connection id chosen by the
 * gateway (`default` unless a tenant runs several Exact connections). Tokens are stored only as
 * ciphertext produced by the vault; the store never sees a plaintext token.
 */
import { z } from 'zod';

export const divisionSchema = z.object({
  code: z.number().int(),
  description: z.string(),
  /** The division's own currency (`system/Divisions` `Currency`); absent on connections made before it was read. */
  currency: z.string().optional(),
});
export type Division = z.infer<typeof divisionSchema>;

export const connectionErrorSchema = z.object({
  at: z.number(),
  /** e.g. `refresh`, `crm/Accounts`; never contains a token. */
  where: z.string(),
  status: z.number().optional(),
  message: z.string(),
});
export type ConnectionError = z.infer<typeof connectionErrorSchema>;

/** `MM-DD`; the route checks the day exists in the month (src/finance's rule). */
const monthDaySchema = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);

export const connectionRecordSchema = z.object({
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  /** `needs-consent`: the refresh token is dead (expired, reused, revoked); an admin must reconnect. */
  status: z.enum(['connected', 'needs-consent']),
  /** Exact host the connection belongs to, e.g. `https://start.exactonline.nl` (the region). */
  exactBaseUrl: z.string(),
  region: z.string(),
  exactUser: z.object({
    userId: z.string(),
    userName: z.string(),
    fullName: z.string(),
    email: z.string().optional(),
  }),
  divisions: z.array(divisionSchema),
  /** The division the product works in; pinned, never Exact's moving `CurrentDivision`. */
  division: z.number().int().nullable(),
  /**
   * The divisions an admin enabled for the CRM (access/divisions.ts); requests for any other
   * division are refused. Absent in records from before the choice existed: then only `division`.
   */
  enabledDivisions: z.array(z.number().int()).optional(),
  connectedAt: z.number(),
  /** Entra object id (`oid`) of the admin who connected. */
  connectedBy: z.string(),
  /** Why a new consent is needed (what Exact said), when status is `needs-consent`. */
  needsConsentReason: z.string().optional(),
  /** Most recent first, capped by the gateway. */
  recentErrors: z.array(connectionErrorSchema),
  /**
   * First day of the company's financial year as `MM-DD`, confirmed by an admin; the customer
   * panel's "revenue this financial year" counts from it. Absent until an admin confirms it.
   */
  financialYearStart: monthDaySchema.optional(),
  /**
   * A division's own financial-year start, by division code: administrations can close their
   * books on different days. A division without one follows `financialYearStart`.
   */
  financialYearStarts: z.record(z.string().regex(/^\d+$/), monthDaySchema).optional(),
  updatedAt: z.number(),
});
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

export const tokenRecordSchema = z.object({
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  /** Grows by one with every write; lets a reader tell whether someone refreshed meanwhile. */
  version: z.number().int().nonnegative(),
  /** Vault output (AES-256-GCM): base64 of the sealed access + refresh token pair. */
  ciphertext: z.string(),
  /** Which encryption key sealed it, so keys can rotate. */
  keyId: z.string(),
  /** When Exact issued the current access token (ms); no refresh before +570 s. */
  issuedAt: z.number(),
  /** When the current access token expires (ms). */
  accessTokenExpiresAt: z.number(),
  /** When the refresh token was last used (or first obtained); Exact drops it 30 days later. */
  refreshTokenUsedAt: z.number(),
  updatedAt: z.number(),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** A short-lived, single-use record: OAuth `state` nonces and connect tickets. */
export const oneTimeRecordSchema = z.object({
  kind: z.string().min(1),
  id: z.string().min(1),
  /** Any JSON the gateway needs back when the record is taken. */
  payload: z.unknown(),
  expiresAt: z.number(),
});
export type OneTimeRecord = z.infer<typeof oneTimeRecordSchema>;

/**
 * One CRM company's "Create in Exact" in one division, keyed by the idempotency key the client
 * sends (`crm-company:<site>/<item id>`): written before the POST goes to Exact and again with
 * Exact's answer, so a repeat (a double click, a retry after a lost answer) replays the account
 * instead of creating a second one.
 */
export const customerCreateRecordSchema = z.object({
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  division: z.number().int(),
  /** The idempotency key: which CRM company this is. */
  company: z.string().min(1),
  /** `sending`: the POST may be on its way (or was lost); `created`: Exact answered with the account. */
  state: z.enum(['sending', 'created']),
  /** When the POST was about to be sent; a recovery looks for accounts created from shortly before. */
  sentAt: z.number(),
  /** The Name that was sent: recovery filters on it (with `Created`) and checks the key in `Remarks`. */
  name: z.string(),
  account: z.object({ id: z.string(), code: z.string(), name: z.string() }).optional(),
  /** Entra object id of who asked. */
  by: z.string(),
  updatedAt: z.number(),
});
export type CustomerCreateRecord = z.infer<typeof customerCreateRecordSchema>;
export type CustomerCreateKey = Pick<CustomerCreateRecord, 'tenantId' | 'connectionId' | 'division' | 'company'>;

/**
 * A record of background runs (gateway/background): a profile's schedule, a connection's
 * background settings, a queued run's progress, a webhook subscription. The store keeps it as
 * opaque JSON with a version for compare-and-swap; gateway/background validates `payload` per kind.
 */
export const backgroundRecordSchema = z.object({
  kind: z.string().regex(/^[a-z-]{1,40}$/),
  /** Unique within the kind (e.g. tenant, connection, site and profile joined). */
  id: z.string().min(1).max(1000),
  /** Grows by one with every write; `replaceBackground` compares it. */
  version: z.number().int().positive(),
  payload: z.unknown(),
  updatedAt: z.number(),
});
export type BackgroundRecord = z.infer<typeof backgroundRecordSchema>;

/** A held lease: only its owner can release it, and it lapses by itself at `expiresAt`. */
export interface Lease {
  name: string;
  owner: string;
  expiresAt: number;
}

export interface GatewayStore {
  getConnection(tenantId: string, connectionId: string): Promise<ConnectionRecord | undefined>;
  listConnections(tenantId: string): Promise<ConnectionRecord[]>;
  putConnection(record: ConnectionRecord): Promise<void>;
  /** Removes the connection and its token record. No error when absent. */
  deleteConnection(tenantId: string, connectionId: string): Promise<void>;

  getToken(tenantId: string, connectionId: string): Promise<TokenRecord | undefined>;
  /** Durable before it resolves: the gateway uses a refreshed access token only after this. */
  putToken(record: TokenRecord): Promise<void>;
  /**
   * Compare-and-swap: writes the record only if the stored one still has `expectedVersion`
   * (undefined: only if there is none). Resolves false, having written nothing, when another
   * writer got there first. Durable before it resolves true. Atomic across processes and
   * instances (a version check under the file lock; the entity's ETag on Azure).
   */
  replaceToken(record: TokenRecord, expectedVersion: number | undefined): Promise<boolean>;
  deleteToken(tenantId: string, connectionId: string): Promise<void>;

  /**
   * Takes the named lease when it is free or lapsed (by the store's clock), for `ttlMs`.
   * Returns undefined when someone else holds it. Safe across processes and instances.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Releases the lease if `lease.owner` still holds it; otherwise does nothing. */
  releaseLease(lease: Lease): Promise<void>;

  putOneTime(record: OneTimeRecord): Promise<void>;
  /**
   * Returns the record and deletes it, exactly once across concurrent callers; undefined when
   * absent, already taken or expired (by the store's clock).
   */
  takeOneTime(kind: string, id: string): Promise<OneTimeRecord | undefined>;

  getCustomerCreate(key: CustomerCreateKey): Promise<CustomerCreateRecord | undefined>;
  /** Durable before it resolves: the gateway sends the POST to Exact only after this. */
  putCustomerCreate(record: CustomerCreateRecord): Promise<void>;

  getBackground(kind: string, id: string): Promise<BackgroundRecord | undefined>;
  /** Every record of a kind (schedules for the timer, subscriptions of a connection). */
  listBackground(kind: string): Promise<BackgroundRecord[]>;
  /**
   * Compare-and-swap like `replaceToken`: writes only if the stored record still has
   * `expectedVersion` (undefined: only if there is none); false, having written nothing, otherwise.
   * `record.version` must be `expectedVersion + 1` (1 for a new record).
   */
  replaceBackground(record: BackgroundRecord, expectedVersion: number | undefined): Promise<boolean>;
  /** No error when absent. */
  deleteBackground(kind: string, id: string): Promise<void>;

  /** Releases file handles / clients. */
  close(): Promise<void>;
}
