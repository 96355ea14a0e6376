/**
 * The Azure Storage store against Azurite (started and stopped here): the shared contract, then
 * what only Azure has — two store instances standing for two Function instances, lease lapse,
 * OAuth state replay, Table key and size limits.
 */
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { decodeKey, encodeKey } from '../../gateway/store/azureKeys';
import { createAzureStore } from '../../gateway/store/azureStore';
import type { GatewayStore } from '../../gateway/store/types';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { describeStoreContract, sampleConnection, sampleToken } from '../support/gatewayStoreContract';

let azurite: RunningAzurite | undefined;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** Fresh tables and container per test, so tests never see each other's rows. */
function isolated(clock: TestClock): { open: () => GatewayStore; tablePrefix: string } {
  const id = randomUUID().replace(/-/g, '').slice(0, 12);
  const tablePrefix = `T${id}`;
  const lockContainer = `locks-${id}`;
  return {
    tablePrefix,
    open: () => createAzureStore({ connectionString: azurite!.connectionString, clock, tablePrefix, lockContainer }),
  };
}

describeStoreContract('Azure Storage on Azurite', async (clock) => {
  const { open } = isolated(clock);
  return { store: open(), openAnother: async () => open() };
});

describe('Azure store specifics', () => {
  const start = Date.UTC(2026, 10, 21, 12, 0, 0);

  it('lets exactly one of two Function instances take the refresh lock, and hands it over on release and on lapse', async () => {
    const clock = new TestClock(start);
    const { open } = isolated(clock);
    const instanceA = open();
    const instanceB = open();
    const name = 'refresh:9b1e2f4a-0000-4000-8000-000000000001/default';

    const rounds = await Promise.all([
      instanceA.acquireLease(name, 'instance-a', 30_000),
      instanceB.acquireLease(name, 'instance-b', 30_000),
    ]);
    const winners = rounds.filter((lease) => lease !== undefined);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    const [holder, waiter] = winner.owner === 'instance-a' ? [instanceA, instanceB] : [instanceB, instanceA];
    const waiterName = winner.owner === 'instance-a' ? 'instance-b' : 'instance-a';

    expect(await waiter.acquireLease(name, waiterName, 30_000)).toBeUndefined();
    // The holder may take it again (extends), the other still may not.
    expect(await holder.acquireLease(name, winner.owner, 30_000)).toMatchObject({ owner: winner.owner });
    expect(await waiter.acquireLease(name, waiterName, 30_000)).toBeUndefined();

    await holder.releaseLease(winner);
    const handedOver = await waiter.acquireLease(name, waiterName, 20_000);
    expect(handedOver).toMatchObject({ owner: waiterName, expiresAt: start + 20_000 });

    // The new holder "crashes": the lock frees itself once its time to live has passed.
    clock.advance(19_999);
    expect(await holder.acquireLease(name, winner.owner, 30_000)).toBeUndefined();
    clock.advance(1);
    expect(await holder.acquireLease(name, winner.owner, 30_000)).toMatchObject({ owner: winner.owner });
    // The crashed holder's late release must not free the lock its successor now holds.
    await waiter.releaseLease(handedOver!);
    expect(await waiter.acquireLease(name, waiterName, 30_000)).toBeUndefined();
    await instanceA.close();
    await instanceB.close();
  });

  it('frees a lock whose holder crashed after taking the blob lease but before recording itself', async () => {
    const clock = new TestClock(start);
    const { open } = isolated(clock);
    const store = open();
    // First acquire creates the lock blob; release it, then lease it "by hand" as a crashed
    // instance would have, leaving the previous holder's lapsed record in the metadata.
    const first = await store.acquireLease('refresh:t/c', 'old', 30_000);
    await store.releaseLease(first!);
    clock.advance(60_000);
    const { BlobServiceClient, BlobLeaseClient } = await import('@azure/storage-blob');
    const containers = BlobServiceClient.fromConnectionString(azurite!.connectionString);
    let leased = 0;
    for await (const container of containers.listContainers()) {
      for await (const blob of containers.getContainerClient(container.name).listBlobsFlat()) {
        if (blob.name === encodeKey('refresh:t/c')) {
          const client = containers.getContainerClient(container.name).getBlobClient(blob.name);
          const properties = await client.getProperties();
          if (properties.metadata?.owner === 'old') {
            await new BlobLeaseClient(client, randomUUID()).acquireLease(-1);
            leased++;
          }
        }
      }
    }
    expect(leased).toBe(1);
    expect(await store.acquireLease('refresh:t/c', 'next', 30_000)).toMatchObject({ owner: 'next' });
    await store.close();
  });

  it('rejects a replayed OAuth state, also from another instance', async () => {
    const clock = new TestClock(start);
    const { open } = isolated(clock);
    const instanceA = open();
    const instanceB = open();
    await instanceA.putOneTime({ kind: 'state', id: 'xyz', payload: { tenantId: 't1', verifier: 'v' }, expiresAt: start + 600_000 });
    expect((await instanceB.takeOneTime('state', 'xyz'))?.payload).toEqual({ tenantId: 't1', verifier: 'v' });
    expect(await instanceA.takeOneTime('state', 'xyz')).toBeUndefined();
    expect(await instanceB.takeOneTime('state', 'xyz')).toBeUndefined();
    await instanceA.close();
    await instanceB.close();
  });

  it('sweeps abandoned one-time records (lapsed OAuth states) out of the table', async () => {
    const clock = new TestClock(start);
    const { open, tablePrefix } = isolated(clock);
    const store = open();
    await store.putOneTime({ kind: 'state', id: 'abandoned', payload: null, expiresAt: start + 600_000 });
    await store.putOneTime({ kind: 'state', id: 'pending', payload: null, expiresAt: start + 1_200_000 });
    clock.advance(600_000);
    await store.putOneTime({ kind: 'state', id: 'new', payload: null, expiresAt: clock.now() + 600_000 });
    const raw = TableClient.fromConnectionString(azurite!.connectionString, `${tablePrefix}OneTime`, { allowInsecureConnection: true });
    const left: string[] = [];
    for await (const row of raw.listEntities()) {
      left.push(String(row.rowKey));
    }
    expect(left.sort()).toEqual(['new', 'pending']);
    await store.close();
  });

  it('keeps ids with characters Azure Tables forbid in keys apart and intact', async () => {
    const clock = new TestClock(start);
    const { open } = isolated(clock);
    const store = open();
    const awkward = ['a/b', 'a\\b', 'a#b', 'a?b', 'a~2Fb', "o'brien", 'tab\there', 'ünï'];
    for (const id of awkward) {
      expect(decodeKey(encodeKey(id))).toBe(id);
      expect(encodeKey(id)).toMatch(/^[A-Za-z0-9._~-]+$/);
      await store.putConnection(sampleConnection('tenant/with#odd?chars', id));
      await store.putToken(sampleToken('tenant/with#odd?chars', id, awkward.indexOf(id)));
    }
    const listed = await store.listConnections('tenant/with#odd?chars');
    expect(listed.map((c) => c.connectionId).sort()).toEqual([...awkward].sort());
    for (const id of awkward) {
      expect((await store.getToken('tenant/with#odd?chars', id))?.version).toBe(awkward.indexOf(id));
    }
    expect(await store.listConnections('tenant/with#odd')).toEqual([]);
    expect(await store.getConnection('tenant/with#odd?chars', 'a')).toBeUndefined();
    await store.putOneTime({ kind: 'state', id: 'a/b?c#d', payload: 'p', expiresAt: start + 1000 });
    expect((await store.takeOneTime('state', 'a/b?c#d'))?.payload).toBe('p');
    await expect(store.getConnection('t', 'x'.repeat(600))).rejects.toThrow(/connectionId .* too long/);
    await store.close();
  });

  it('stores a connection larger than one Table string property (64 KiB) across several properties', async () => {
    const clock = new TestClock(start);
    const { open, tablePrefix } = isolated(clock);
    const store = open();
    const divisions = Array.from({ length: 1500 }, (_, i) => ({ code: 100000 + i, description: `Administratie ${i} — Demo Holding BV, vestiging ${'x'.repeat(40)}` }));
    await store.putConnection(sampleConnection('tenant-big', 'default', { divisions }));
    expect((await store.getConnection('tenant-big', 'default'))?.divisions).toEqual(divisions);

    const raw = await TableClient.fromConnectionString(azurite!.connectionString, `${tablePrefix}Connections`, { allowInsecureConnection: true }).getEntity<Record<string, unknown>>('tenant-big', 'default');
    expect(raw.JsonParts).toBeGreaterThan(3);
    expect(raw.Status).toBe('connected');

    const tooBig = Array.from({ length: 12_000 }, (_, i) => ({ code: i, description: 'y'.repeat(60) }));
    await expect(store.putConnection(sampleConnection('tenant-big', 'huge', { divisions: tooBig }))).rejects.toThrow(/connection tenant-big\/huge is \d+ characters/);
    await store.close();
  });

  it('keeps the token ciphertext out of its errors', async () => {
    const clock = new TestClock(start);
    const { open } = isolated(clock);
    const store = open();
    const secret = 'SEALED-SECRET-CIPHERTEXT';
    const bad = { ...sampleToken('tenant-a'), ciphertext: secret, version: -1 };
    const error = await store.putToken(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toMatch(/token record of tenant-a\/default is not valid: version/);
    expect(JSON.stringify(error) + String(error) + ((error as Error).stack ?? '')).not.toContain(secret);

    const broken = createAzureStore({ connectionString: azurite!.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('wrong').toString('base64')}`), clock, tablePrefix: 'Broken' });
    const denied = await broken.putToken({ ...sampleToken('tenant-a'), ciphertext: secret }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(denied)).toMatch(/Azure store: could not/);
    expect(String(denied) + ((denied as Error).stack ?? '')).not.toContain(secret);
  });
});
