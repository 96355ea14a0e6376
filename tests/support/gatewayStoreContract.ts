/**
 * The behaviour every GatewayStore must have. Run it with `describeStoreContract` from a
 * `*.test.ts` file for each implementation (embedded memory, embedded file, Azure on Azurite).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import type { ConnectionRecord, CustomerCreateRecord, GatewayStore, TokenRecord } from '../../gateway/store/types';

export interface StoreFixture {
  store: GatewayStore;
  /** A second instance over the same data, standing for another process or Functions instance. */
  openAnother?: () => Promise<GatewayStore>;
  cleanup?: () => Promise<void>;
}

export interface StoreContractOptions {
  /**
   * Whether lease expiry follows the clock handed to makeStore (true for stores that keep
   * `expiresAt` themselves). A store whose leases lapse by server time sets false and the
   * expiry test is left to its own suite.
   */
  leaseExpiryFollowsClock?: boolean;
}

const start = Date.UTC(2026, 10, 21, 12, 0, 0);

export function sampleConnection(tenantId: string, connectionId = 'default', patch: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    tenantId,
    connectionId,
    status: 'connected',
    exactBaseUrl: 'https://start.exactonline.nl',
    region: 'nl',
    exactUser: { userId: 'u-1', userName: 'jan@example.nl', fullName: 'Jan Jansen', email: 'jan@example.nl' },
    divisions: [{ code: 123456, description: 'Demo BV' }],
    division: 123456,
    connectedAt: start,
    connectedBy: 'oid-admin',
    recentErrors: [],
    updatedAt: start,
    ...patch,
  };
}

export function sampleToken(tenantId: string, connectionId = 'default', version = 1): TokenRecord {
  return {
    tenantId,
    connectionId,
    version,
    ciphertext: `sealed-${version}`,
    keyId: 'k1',
    issuedAt: start,
    accessTokenExpiresAt: start + 600_000,
    refreshTokenUsedAt: start,
    updatedAt: start,
  };
}

export function sampleCustomerCreate(patch: Partial<CustomerCreateRecord> = {}): CustomerCreateRecord {
  return { tenantId: 'tenant-a', connectionId: 'default', division: 123456, company: 'crm-company:/sites/crm/42', state: 'sending', sentAt: start, name: 'Bakkerij Jansen', by: 'oid-sales', updatedAt: start, ...patch };
}

export function describeStoreContract(
  name: string,
  makeStore: (clock: TestClock) => Promise<StoreFixture>,
  options: StoreContractOptions = {},
): void {
  describe(`GatewayStore contract: ${name}`, () => {
    let fixture: StoreFixture | undefined;
    const others: GatewayStore[] = [];
    let clock: TestClock;

    const open = async (): Promise<GatewayStore> => {
      clock = new TestClock(start);
      fixture = await makeStore(clock);
      return fixture.store;
    };
    const another = async (): Promise<GatewayStore> => {
      if (!fixture?.openAnother) {
        return fixture!.store;
      }
      const store = await fixture.openAnother();
      others.push(store);
      return store;
    };

    afterEach(async () => {
      for (const store of others.splice(0)) {
        await store.close();
      }
      await fixture?.store.close();
      await fixture?.cleanup?.();
      fixture = undefined;
    });

    it('keeps connections per tenant and connection id', async () => {
      const store = await open();
      await store.putConnection(sampleConnection('tenant-a'));
      await store.putConnection(sampleConnection('tenant-a', 'second', { division: null }));
      await store.putConnection(sampleConnection('tenant-b', 'default', { divisions: [{ code: 999, description: 'B' }] }));
      expect((await store.getConnection('tenant-a', 'default'))?.division).toBe(123456);
      expect((await store.getConnection('tenant-a', 'second'))?.division).toBeNull();
      expect(await store.getConnection('tenant-c', 'default')).toBeUndefined();
      const listed = await store.listConnections('tenant-a');
      expect(listed.map((c) => c.connectionId).sort()).toEqual(['default', 'second']);
      expect((await store.listConnections('tenant-b')).map((c) => c.divisions[0]?.code)).toEqual([999]);
    });

    it('overwrites a connection and deletes it together with its token', async () => {
      const store = await open();
      await store.putConnection(sampleConnection('tenant-a'));
      await store.putToken(sampleToken('tenant-a'));
      await store.putConnection(sampleConnection('tenant-a', 'default', { status: 'needs-consent', needsConsentReason: 'Old refresh token used.' }));
      expect(await store.getConnection('tenant-a', 'default')).toMatchObject({ status: 'needs-consent', needsConsentReason: 'Old refresh token used.' });
      await store.deleteConnection('tenant-a', 'default');
      expect(await store.getConnection('tenant-a', 'default')).toBeUndefined();
      expect(await store.getToken('tenant-a', 'default')).toBeUndefined();
      await store.deleteConnection('tenant-a', 'default');
    });

    it('keeps each division\'s financial-year start beside the connection\'s own, and reads a record from before either', async () => {
      const store = await open();
      await store.putConnection(sampleConnection('tenant-a'));
      const before = await store.getConnection('tenant-a', 'default');
      expect(before?.financialYearStart).toBeUndefined();
      expect(before?.financialYearStarts).toBeUndefined();
      const divisions = [{ code: 123456, description: 'Demo BV', currency: 'EUR' }, { code: 654321, description: 'Demo UK Ltd', currency: 'GBP' }];
      await store.putConnection(sampleConnection('tenant-a', 'default', { divisions, financialYearStart: '01-01', financialYearStarts: { '654321': '04-06', '123456': '02-29' } }));
      const after = await (await another()).getConnection('tenant-a', 'default');
      expect(after).toMatchObject({ divisions, financialYearStart: '01-01', financialYearStarts: { '654321': '04-06', '123456': '02-29' } });
    });

    it('stores token records exactly and replaces them on write', async () => {
      const store = await open();
      await store.putToken(sampleToken('tenant-a', 'default', 1));
      await store.putToken(sampleToken('tenant-b', 'default', 7));
      await store.putToken(sampleToken('tenant-a', 'default', 2));
      expect(await store.getToken('tenant-a', 'default')).toEqual(sampleToken('tenant-a', 'default', 2));
      expect((await store.getToken('tenant-b', 'default'))?.version).toBe(7);
      await store.deleteToken('tenant-a', 'default');
      expect(await store.getToken('tenant-a', 'default')).toBeUndefined();
      expect(await store.getToken('tenant-b', 'default')).toBeDefined();
    });

    it('writes a token record conditionally on the version it replaces, once across instances', async () => {
      const store = await open();
      expect(await store.replaceToken(sampleToken('tenant-a', 'default', 1), 0)).toBe(false);
      expect(await store.getToken('tenant-a', 'default')).toBeUndefined();
      expect(await store.replaceToken(sampleToken('tenant-a', 'default', 1), undefined)).toBe(true);
      expect(await store.replaceToken(sampleToken('tenant-a', 'default', 1), undefined)).toBe(false);
      const other = await another();
      // Two writers that both read version 1: exactly one wins, the other writes nothing.
      const raced = await Promise.all([
        store.replaceToken({ ...sampleToken('tenant-a', 'default', 2), ciphertext: 'from-refresh' }, 1),
        other.replaceToken({ ...sampleToken('tenant-a', 'default', 2), ciphertext: 'from-callback' }, 1),
      ]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      const stored = await store.getToken('tenant-a', 'default');
      expect(stored?.ciphertext).toBe(raced[0] ? 'from-refresh' : 'from-callback');
      expect(await other.replaceToken(sampleToken('tenant-a', 'default', 3), 1)).toBe(false);
      expect(await other.replaceToken(sampleToken('tenant-a', 'default', 3), 2)).toBe(true);
      expect((await store.getToken('tenant-a', 'default'))?.version).toBe(3);
      // Another tenant's record is another slot.
      expect(await store.replaceToken(sampleToken('tenant-b', 'default', 1), undefined)).toBe(true);
    });

    it('is seen by a second instance over the same data', async () => {
      const store = await open();
      await store.putConnection(sampleConnection('tenant-a'));
      await store.putToken(sampleToken('tenant-a', 'default', 3));
      const other = await another();
      expect((await other.getConnection('tenant-a', 'default'))?.exactUser.fullName).toBe('Jan Jansen');
      expect((await other.getToken('tenant-a', 'default'))?.version).toBe(3);
    });

    it('gives a lease to one owner at a time; only the owner releases it', async () => {
      const store = await open();
      const lease = await store.acquireLease('refresh:tenant-a/default', 'owner-1', 30_000);
      expect(lease).toMatchObject({ name: 'refresh:tenant-a/default', owner: 'owner-1', expiresAt: start + 30_000 });
      expect(await store.acquireLease('refresh:tenant-a/default', 'owner-2', 30_000)).toBeUndefined();
      expect(await store.acquireLease('refresh:tenant-b/default', 'owner-2', 30_000)).toBeDefined();
      await store.releaseLease({ name: 'refresh:tenant-a/default', owner: 'owner-2', expiresAt: start + 30_000 });
      expect(await store.acquireLease('refresh:tenant-a/default', 'owner-3', 30_000)).toBeUndefined();
      await store.releaseLease(lease!);
      expect(await store.acquireLease('refresh:tenant-a/default', 'owner-3', 30_000)).toBeDefined();
    });

    it('grants a contended lease to exactly one of many concurrent callers across instances', async () => {
      const store = await open();
      const other = await another();
      const attempts = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : store).acquireLease('refresh:tenant-a/default', `owner-${i}`, 30_000),
      );
      const granted = (await Promise.all(attempts)).filter((lease) => lease !== undefined);
      expect(granted).toHaveLength(1);
    });

    if (options.leaseExpiryFollowsClock !== false) {
      it('lets a lease lapse after its time to live (a crashed holder does not block forever)', async () => {
        const store = await open();
        await store.acquireLease('refresh:x', 'crashed', 30_000);
        clock.advance(29_999);
        expect(await store.acquireLease('refresh:x', 'next', 30_000)).toBeUndefined();
        clock.advance(2);
        expect(await store.acquireLease('refresh:x', 'next', 30_000)).toMatchObject({ owner: 'next' });
      });
    }

    it('hands out a one-time record once, even to concurrent takers', async () => {
      const store = await open();
      const other = await another();
      await store.putOneTime({ kind: 'state', id: 'abc', payload: { returnUrl: 'https://x.example/' }, expiresAt: start + 600_000 });
      const takes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).takeOneTime('state', 'abc')));
      const winners = takes.filter((t) => t !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.payload).toEqual({ returnUrl: 'https://x.example/' });
      expect(await store.takeOneTime('state', 'abc')).toBeUndefined();
      expect(await store.takeOneTime('ticket', 'abc')).toBeUndefined();
    });

    it('keeps a customer create per tenant, connection, division and company key, seen by every instance', async () => {
      const store = await open();
      const other = await another();
      const sending = sampleCustomerCreate();
      await store.putCustomerCreate(sending);
      // Keys are the client's words: slashes, colons, spaces and quotes must not collide or break the store.
      const odd = sampleCustomerCreate({ company: "crm-company:/sites/CRM Nederland/o'brien?#\\/7" });
      await store.putCustomerCreate(odd);
      expect(await other.getCustomerCreate(sending)).toEqual(sending);
      expect(await other.getCustomerCreate(odd)).toEqual(odd);
      for (const elsewhere of [{ tenantId: 'tenant-b' }, { connectionId: 'second' }, { division: 654321 }, { company: 'crm-company:/sites/crm/43' }]) {
        expect(await store.getCustomerCreate({ ...sending, ...elsewhere })).toBeUndefined();
      }
      const created = { ...sending, state: 'created' as const, account: { id: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2', code: '          1024', name: 'Bakkerij Jansen' }, updatedAt: start + 1 };
      await other.putCustomerCreate(created);
      expect(await store.getCustomerCreate(sending)).toEqual(created);
    });

    it('keeps background records per kind and id, written by compare-and-swap once across instances', async () => {
      const store = await open();
      const other = await another();
      const id = "tenant-a/default/https://contoso.sharepoint.com/sites/CRM Nederland/o'brien?#\\/companies";
      const first = { kind: 'schedule', id, version: 1, payload: { cadence: { kind: 'hourly' } }, updatedAt: start };
      expect(await store.replaceBackground(first, 1)).toBe(false);
      expect(await store.replaceBackground(first, undefined)).toBe(true);
      expect(await other.replaceBackground(first, undefined)).toBe(false);
      expect(await other.getBackground('schedule', id)).toEqual(first);
      expect(await other.getBackground('run', id)).toBeUndefined();
      const raced = await Promise.all([
        store.replaceBackground({ ...first, version: 2, payload: 'from-timer' }, 1),
        other.replaceBackground({ ...first, version: 2, payload: 'from-admin' }, 1),
      ]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect((await store.getBackground('schedule', id))?.payload).toBe(raced[0] ? 'from-timer' : 'from-admin');
      await store.replaceBackground({ kind: 'schedule', id: 'tenant-b/x', version: 1, payload: null, updatedAt: start }, undefined);
      await store.replaceBackground({ kind: 'run', id: 'tenant-b/x', version: 1, payload: null, updatedAt: start }, undefined);
      expect((await other.listBackground('schedule')).map((r) => r.id).sort()).toEqual([id, 'tenant-b/x'].sort());
      await other.deleteBackground('schedule', id);
      await other.deleteBackground('schedule', 'absent');
      expect((await store.listBackground('schedule')).map((r) => r.id)).toEqual(['tenant-b/x']);
      expect(await store.listBackground('run')).toHaveLength(1);
    });

    it('does not hand out an expired one-time record', async () => {
      const store = await open();
      await store.putOneTime({ kind: 'ticket', id: 't1', payload: 1, expiresAt: start + 60_000 });
      await store.putOneTime({ kind: 'ticket', id: 't2', payload: 2, expiresAt: start + 120_000 });
      clock.advance(60_000);
      expect(await store.takeOneTime('ticket', 't1')).toBeUndefined();
      expect((await store.takeOneTime('ticket', 't2'))?.payload).toBe(2);
    });
  });
}
