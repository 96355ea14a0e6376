/**
 * The token vault's logic: hands out a valid Exact access token for a connection and refreshes
 * it one at a time: single flight inside the process, the store's lease across processes, and a
 * re-read of the stored record after taking the lease (someone else may have refreshed).
 *
 * Crash safety (see README "Refresh and crashes"): the new pair is sealed and written before the
 * new access token is used or the lease is released. If that write fails, the pair stays in this
 * process's memory as "unsaved" and is written again before anything else happens on the
 * connection; no second refresh is attempted while an unsaved pair exists.
 */
import type { Clock } from '../src/sync/clock';
import type { Logger } from './log';
import type { Sleeper } from './sleeper';
import type { ConnectionRecord, GatewayStore, TokenRecord } from './store/types';
import type { TokenPair, Vault } from './vault';

/** Exact refuses a refresh before 570 s (and it costs token quota); refresh in the last 30 s. */
export const refreshNotBeforeMs = 570_000;
export const refreshTokenLifetimeMs = 30 * 24 * 3600_000;

export interface ExactTokens {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

/** What the gateway needs from Exact's OAuth endpoints (adapter over src/exact/oauth.ts). */
export interface ExactOAuthPort {
  authorizeUrl(state: string): string;
  exchangeCode(code: string): Promise<ExactTokens>;
  refresh(refreshToken: string): Promise<ExactTokens>;
}

/** Exact answered the token request with a 4xx: the grant is dead, a new consent is needed. */
export class ExactGrantRejectedError extends Error {
  public constructor(public readonly reason: string, public readonly status: number) {
    super(reason);
  }
}

export class ConnectionUnavailableError extends Error {
  public constructor(message: string, public readonly code: 'not-connected' | 'needs-consent' | 'refresh-failed' | 'busy' | 'store-unavailable', public readonly status: number) {
    super(message);
  }
}

export interface TokenServiceDeps {
  store: GatewayStore;
  vault: Vault;
  oauth: ExactOAuthPort;
  clock: Clock;
  sleeper: Sleeper;
  logger: Logger;
  /** Identifies this process as lease owner. */
  instanceId: string;
  leaseTtlMs?: number;
  /** How long to wait for another instance's refresh before giving up. */
  leaseWaitMs?: number;
}

const slot = (tenantId: string, connectionId: string): string => `${tenantId}/${connectionId}`;

export interface NewTokenRecord {
  tenantId: string;
  connectionId: string;
  tokens: ExactTokens;
  now: number;
  version: number;
}

export function newTokenRecord(vault: Vault, { tenantId, connectionId, tokens, now, version }: NewTokenRecord): TokenRecord {
  return {
    tenantId,
    connectionId,
    version,
    ciphertext: vault.seal({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, tenantId, connectionId),
    keyId: vault.keyId,
    issuedAt: now,
    accessTokenExpiresAt: now + tokens.expiresInSeconds * 1000,
    refreshTokenUsedAt: now,
    updatedAt: now,
  };
}

export function createTokenService(deps: TokenServiceDeps) {
  const { store, vault, oauth, clock, sleeper, logger } = deps;
  const leaseTtlMs = deps.leaseTtlMs ?? 60_000;
  const leaseWaitMs = deps.leaseWaitMs ?? 90_000;
  const inFlight = new Map<string, Promise<string>>();
  const unsaved = new Map<string, TokenRecord>();
  let refreshCount = 0;

  // 570 s after issue as Exact asks, but never past the token's own expiry (Exact may answer a
  // replayed refresh with the seconds that are left, fewer than 600).
  const usable = (record: TokenRecord): boolean => clock.now() < Math.min(record.issuedAt + refreshNotBeforeMs, record.accessTokenExpiresAt);
  const open = (record: TokenRecord): TokenPair => vault.open(record.ciphertext, record.tenantId, record.connectionId);

  async function flushUnsaved(key: string): Promise<TokenRecord | undefined> {
    const pending = unsaved.get(key);
    if (!pending) {
      return undefined;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        // Write only over the record this pair was refreshed from, in one compare-and-swap:
        // anything else (a disconnect, a new consent) has made the pair stale.
        if (!(await store.replaceToken(pending, pending.version - 1))) {
          unsaved.delete(key);
          logger.log('warn', 'token.unsaved-dropped', { connection: key, version: pending.version });
          return await store.getToken(pending.tenantId, pending.connectionId);
        }
        break;
      } catch (error) {
        logger.log('error', 'token.store-write-failed', { connection: key, attempt, error: error instanceof Error ? error.message : String(error) });
        if (attempt >= 3) {
          throw new ConnectionUnavailableError('The gateway could not save the renewed Exact token yet; it keeps it and tries again on the next call.', 'store-unavailable', 503);
        }
        await sleeper.sleep(200 * attempt);
      }
    }
    unsaved.delete(key);
    logger.log('info', 'token.unsaved-written', { connection: key, version: pending.version });
    return pending;
  }

  async function markNeedsConsent(connection: ConnectionRecord, reason: string, status: number): Promise<void> {
    const now = clock.now();
    await store.putConnection({
      ...connection,
      status: 'needs-consent',
      needsConsentReason: reason,
      recentErrors: [{ at: now, where: 'refresh', status, message: reason }, ...connection.recentErrors].slice(0, 20),
      updatedAt: now,
    });
  }

  async function refreshUnderLease(connection: ConnectionRecord): Promise<string> {
    const key = slot(connection.tenantId, connection.connectionId);
    const flushed = await flushUnsaved(key);
    if (flushed && usable(flushed)) {
      return open(flushed).accessToken;
    }
    const deadline = clock.now() + leaseWaitMs;
    const leaseName = `refresh:${key}`;
    let lease = await store.acquireLease(leaseName, deps.instanceId, leaseTtlMs);
    while (!lease) {
      // Another instance is refreshing: wait for its result in the store rather than racing it.
      const current = await store.getToken(connection.tenantId, connection.connectionId);
      if (current && usable(current)) {
        return open(current).accessToken;
      }
      const latest = await store.getConnection(connection.tenantId, connection.connectionId);
      if (latest?.status !== 'connected') {
        throw new ConnectionUnavailableError(`Exact needs a new consent: ${latest?.needsConsentReason ?? 'not connected'}`, 'needs-consent', 409);
      }
      if (clock.now() >= deadline) {
        throw new ConnectionUnavailableError('Another gateway instance is refreshing the Exact token; try again shortly.', 'busy', 503);
      }
      await sleeper.sleep(250);
      lease = await store.acquireLease(leaseName, deps.instanceId, leaseTtlMs);
    }
    try {
      const current = await store.getToken(connection.tenantId, connection.connectionId);
      if (!current) {
        throw new ConnectionUnavailableError('The Exact connection was removed.', 'not-connected', 409);
      }
      if (usable(current)) {
        return open(current).accessToken;
      }
      const fresh = await store.getConnection(connection.tenantId, connection.connectionId);
      if (!fresh || fresh.status !== 'connected') {
        throw new ConnectionUnavailableError(`Exact needs a new consent: ${fresh?.needsConsentReason ?? 'not connected'}`, 'needs-consent', 409);
      }
      let tokens: ExactTokens;
      try {
        refreshCount++;
        tokens = await oauth.refresh(open(current).refreshToken);
      } catch (error) {
        if (error instanceof ExactGrantRejectedError) {
          await markNeedsConsent(fresh, error.reason, error.status);
          logger.log('warn', 'token.refresh-rejected', { connection: key, status: error.status, reason: error.reason });
          throw new ConnectionUnavailableError(`Exact refused the token refresh (${error.reason}); an admin must connect again.`, 'needs-consent', 409);
        }
        logger.log('error', 'token.refresh-failed', { connection: key, error: error instanceof Error ? error.message : String(error) });
        throw new ConnectionUnavailableError('Exact did not answer the token refresh; try again shortly.', 'refresh-failed', 502);
      }
      const record = newTokenRecord(vault, { tenantId: current.tenantId, connectionId: current.connectionId, tokens, now: clock.now(), version: current.version + 1 });
      unsaved.set(key, record);
      await flushUnsaved(key);
      logger.log('info', 'token.refreshed', { connection: key, version: record.version });
      return tokens.accessToken;
    } finally {
      await store.releaseLease(lease).catch(() => undefined);
    }
  }

  return {
    /**
     * Runs `work` holding the connection's refresh lease, waiting for a refresh in progress
     * (another instance's too) to finish first. The OAuth callback writes a new consent's tokens
     * this way, so a refresh racing it cannot write the old grant's tokens over the new ones.
     */
    async withRefreshLease<T>(tenantId: string, connectionId: string, work: () => Promise<T>): Promise<T> {
      const leaseName = `refresh:${slot(tenantId, connectionId)}`;
      const deadline = clock.now() + leaseWaitMs;
      let lease = await store.acquireLease(leaseName, deps.instanceId, leaseTtlMs);
      while (!lease) {
        if (clock.now() >= deadline) {
          throw new ConnectionUnavailableError('A token refresh for this connection is still running; try connecting again shortly.', 'busy', 503);
        }
        await sleeper.sleep(250);
        lease = await store.acquireLease(leaseName, deps.instanceId, leaseTtlMs);
      }
      try {
        return await work();
      } finally {
        await store.releaseLease(lease).catch(() => undefined);
      }
    },
    /** A valid access token for the connection; refreshes when fewer than 30 s are left. */
    async getAccessToken(connection: ConnectionRecord): Promise<string> {
      const key = slot(connection.tenantId, connection.connectionId);
      const running = inFlight.get(key);
      if (running) {
        return running;
      }
      if (!unsaved.has(key)) {
        const record = await store.getToken(connection.tenantId, connection.connectionId);
        if (!record) {
          throw new ConnectionUnavailableError('Exact is not connected for this tenant.', 'not-connected', 409);
        }
        if (usable(record)) {
          return open(record).accessToken;
        }
      }
      const again = inFlight.get(key);
      if (again) {
        return again;
      }
      const work = refreshUnderLease(connection)
        .catch((error: unknown) => {
          if (error instanceof ConnectionUnavailableError) {
            throw error;
          }
          logger.log('error', 'token.store-failed', { connection: key, error: error instanceof Error ? error.message : String(error) });
          throw new ConnectionUnavailableError('The gateway could not reach its token store; try again shortly.', 'store-unavailable', 503);
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, work);
      return work;
    },
    /** Drops what this instance holds for a connection (on disconnect and on a new consent). */
    forget(tenantId: string, connectionId: string): void {
      unsaved.delete(slot(tenantId, connectionId));
    },
    /** Number of refresh calls this instance made to Exact (diagnostics). */
    get refreshes() {
      return refreshCount;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
