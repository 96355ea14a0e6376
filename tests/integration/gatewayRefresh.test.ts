/**
 * Token refresh under concurrency and crashes. Two gateway instances share one JSON-file store
 * (each with its own store object, as two processes would); faults are injected into instance 1's
 * store to stand for a crash at each step of a refresh.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayApp } from '../../gateway/app';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import type { GatewayStore } from '../../gateway/store/types';
import { call, connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

interface Faults {
  /** The next N token writes fail (the store is down, or the process dies before the write). */
  failTokenWrites: number;
  /** The next token write succeeds, then the process "dies" (the caller sees an error). */
  dieAfterTokenWrite: boolean;
  /** The next lease is taken, then the process "dies" holding it. */
  dieAfterLease: boolean;
  /** A dead process releases nothing. */
  dead: boolean;
}

function faultyStore(inner: GatewayStore, faults: Faults): GatewayStore {
  // A dead process does nothing more: every call fails.
  const alive = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [
      name,
      (...args: unknown[]) => (faults.dead ? Promise.reject(new Error('injected: the process is dead')) : (method as (...a: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as unknown as GatewayStore;
  // Both token writes (plain and conditional) meet the same injected faults.
  async function tokenWrite<T>(write: () => Promise<T>): Promise<T> {
    if (faults.failTokenWrites > 0) {
      faults.failTokenWrites--;
      throw new Error('injected: token write failed');
    }
    const result = await write();
    if (faults.dieAfterTokenWrite) {
      faults.dieAfterTokenWrite = false;
      faults.dead = true;
      throw new Error('injected: died after the token write');
    }
    return result;
  }
  return {
    ...alive,
    putToken: (record) => tokenWrite(() => alive.putToken(record)),
    replaceToken: (record, expectedVersion) => tokenWrite(() => alive.replaceToken(record, expectedVersion)),
    async acquireLease(name, owner, ttlMs) {
      const lease = await alive.acquireLease(name, owner, ttlMs);
      if (lease && faults.dieAfterLease) {
        faults.dieAfterLease = false;
        faults.dead = true;
        throw new Error('injected: died holding the lease');
      }
      return lease;
    },
    async releaseLease(lease) {
      if (!faults.dead) {
        await inner.releaseLease(lease);
      }
    },
  };
}

describe('gateway token refresh: one at a time, and crash recovery', () => {
  let h: Harness | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await h?.close();
    if (dataDir) {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  async function setUp() {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'gateway-refresh-'));
    const faults: Faults = { failTokenWrites: 0, dieAfterTokenWrite: false, dieAfterLease: false, dead: false };
    const dir = dataDir;
    h = await startHarness({ store: (clock) => faultyStore(createEmbeddedStore({ clock, dataDir: dir }), faults) });
    const harness = h;
    const admin = await harness.tokenFor(users.admin);
    await connectExact(harness, admin);
    harness.exact.resetCounters();
    const second = await harness.anotherGateway({ store: createEmbeddedStore({ clock: harness.clock, dataDir: dir }), instanceId: 'instance-2' });
    const division = harness.exact.divisions[0]!.code;
    const path = `/gateway/exact/${division}/crm/Accounts?$select=ID&$filter=Blocked eq false`;
    const viaSecond = (app: GatewayApp) => app(new Request(harness.url(path), { headers: { authorization: `Bearer ${admin}` } }));
    return { h: harness, faults, admin, second, path, viaSecond, division };
  }

  it('does not refresh before 570 s, then refreshes once', async () => {
    const { h, admin, path } = await setUp();
    h.clock.advance(569_000);
    expect((await call(h, path, admin)).status).toBe(200);
    expect(h.exact.tokenCalls().refresh_token).toBe(0);
    h.clock.advance(1_000);
    expect((await call(h, path, admin)).status).toBe(200);
    expect(h.exact.tokenCalls().refresh_token).toBe(1);
  });

  it('two instances with 40 concurrent calls each at expiry refresh exactly once (the store lease)', async () => {
    const { h, admin, second, path, viaSecond } = await setUp();
    h.clock.advance(600_000);
    const responses = await settle(h, [
      ...Array.from({ length: 40 }, () => call(h, path, admin)),
      ...Array.from({ length: 40 }, () => viaSecond(second)),
    ]);
    expect(responses.filter((r) => r.status !== 200)).toEqual([]);
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
  });

  it('a failed store write after the refresh keeps the new pair in memory and writes it on the next call', async () => {
    const { h, faults, admin, path } = await setUp();
    h.clock.advance(600_000);
    faults.failTokenWrites = 3;
    const [first] = await settle(h, [call(h, path, admin)]);
    expect(first!.status).toBe(503);
    expect(((await first!.json()) as { error: string }).error).toBe('store-unavailable');
    const [second] = await settle(h, [call(h, path, admin)]);
    expect(second!.status).toBe(200);
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
    expect((await h.store.getToken(users.admin.tid, 'default'))?.version).toBe(2);
    expect((await h.store.getConnection(users.admin.tid, 'default'))?.status).toBe('connected');
  });

  it('a crash after the token write: another instance uses the stored token, no second refresh', async () => {
    const { h, faults, admin, second, path, viaSecond } = await setUp();
    h.clock.advance(600_000);
    faults.dieAfterTokenWrite = true;
    const [dying] = await settle(h, [call(h, path, admin)]);
    expect(dying!.status).toBe(503);
    const [next] = await settle(h, [viaSecond(second)]);
    expect(next!.status).toBe(200);
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
  });

  it('a crash while holding the lease, before Exact was asked: the lease lapses and another instance refreshes', async () => {
    const { h, faults, admin, second, path, viaSecond } = await setUp();
    h.clock.advance(600_000);
    faults.dieAfterLease = true;
    const [dying] = await settle(h, [call(h, path, admin)]);
    expect(dying!.status).toBe(503);
    expect(h.exact.tokenCalls().refresh_token).toBe(0);
    const [next] = await settle(h, [viaSecond(second)]);
    expect(next!.status).toBe(200);
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
  });

  it('a process that dies between Exact\'s answer and the write: the next refresh is refused and the connection says so', async () => {
    // The one window no design closes: Exact rotated the refresh token and the new one exists
    // only in the dead process's memory. The gateway must not loop or hide it.
    const { h, faults, admin, second, viaSecond } = await setUp();
    h.clock.advance(600_000);
    faults.failTokenWrites = 3;
    await settle(h, [call(h, `/gateway/exact/current/Me`, admin)]);
    faults.dead = true;
    const [next] = await settle(h, [viaSecond(second)]);
    expect(next!.status).toBe(409);
    expect(((await next!.json()) as { message: string }).message).toContain('Old refresh token used.');
    const answer = await second(new Request(h.url('/gateway/connection'), { headers: { authorization: `Bearer ${admin}` } }));
    const status = (await answer.json()) as { status: string; needsConsentReason: string; recentErrors: Array<{ where: string }> };
    expect(status).toMatchObject({ status: 'needs-consent', needsConsentReason: 'Old refresh token used.' });
    expect(status.recentErrors[0]?.where).toBe('refresh');
    expect(h.exact.tokenCalls().refresh_token).toBe(2);
  });

  it('an expired refresh token (30 days unused) marks the connection as needing consent with Exact\'s reason', async () => {
    const { h, path } = await setUp();
    h.clock.advance(31 * 24 * 3600_000);
    const admin = await h.tokenFor(users.admin);
    const response = await call(h, path, admin);
    expect(response.status).toBe(409);
    const status = (await (await call(h, '/gateway/connection', admin)).json()) as { status: string; needsConsentReason: string };
    expect(status.status).toBe('needs-consent');
    expect(status.needsConsentReason).toMatch(/^The refresh token expired at/);
    expect((await call(h, path, admin)).status).toBe(409);
    expect(h.exact.tokenCalls().refresh_token).toBe(1);
  });
});
