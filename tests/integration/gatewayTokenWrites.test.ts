import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import type { GatewayStore, TokenRecord } from '../../gateway/store/types';
import { call, connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

const tenant = users.admin.tid;

/** A store where, once armed, someone else's token write lands just before the next one of ours. */
function racingStore(inner: GatewayStore) {
  const race = { armed: false, theirs: undefined as TokenRecord | undefined };
  const sneakIn = async (): Promise<void> => {
    if (!race.armed) return;
    race.armed = false;
    const current = (await inner.getToken(tenant, 'default'))!;
    race.theirs = { ...current, version: current.version + 1, refreshTokenUsedAt: current.refreshTokenUsedAt + 1 };
    await inner.putToken(race.theirs);
  };
  const store: GatewayStore = {
    ...inner,
    putToken: async (record) => (await sneakIn(), inner.putToken(record)),
    replaceToken: async (record, expected) => (await sneakIn(), inner.replaceToken(record, expected)),
  };
  return { store, race };
}

describe('gateway token writes: conditional on the version, and the callback under the refresh lease', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it('a refresh never writes over a token record someone else wrote after it read', async () => {
    let racing: ReturnType<typeof racingStore> | undefined;
    h = await startHarness({ store: (clock) => (racing = racingStore(createEmbeddedStore({ clock }))).store });
    const admin = await h.tokenFor(users.admin);
    await connectExact(h, admin);
    const division = h.exact.divisions[0]!.code;
    h.clock.advance(600_000);
    racing!.race.armed = true;
    const [answer] = await settle(h, [call(h, `/gateway/exact/${division}/crm/Accounts?$select=ID&$filter=Blocked eq false`, admin)]);
    expect(answer!.status).toBe(200);
    expect(h.exact.tokenCalls().refreshes).toBe(1);
    // The other writer's record stands; the refreshed pair was dropped, not written over it.
    expect(await h.store.getToken(tenant, 'default')).toEqual(racing!.race.theirs);
    expect(h.logger.lines.some((l) => l.includes('"token.unsaved-dropped"'))).toBe(true);
  });

  it('the OAuth callback waits for a refresh in progress and writes after it', async () => {
    h = await startHarness();
    const harness = h;
    const admin = await h.tokenFor(users.admin);
    await connectExact(h, admin);
    const before = (await h.store.getToken(tenant, 'default'))!;
    // Another instance is refreshing this connection.
    const lease = (await h.store.acquireLease(`refresh:${tenant}/default`, 'instance-2', 60_000))!;
    let done = false;
    const reconnect = connectExact(harness, admin).finally(() => (done = true));
    for (let i = 0; i < 20 && !done; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      harness.clock.advance(1000);
    }
    expect(done).toBe(false);
    expect((await h.store.getToken(tenant, 'default'))?.version).toBe(before.version);
    // The other instance writes its refreshed pair and lets go.
    await h.store.replaceToken({ ...before, version: before.version + 1 }, before.version);
    await h.store.releaseLease(lease);
    const [result] = await settle(harness, [reconnect]);
    expect(result!.page.status).toBe(200);
    expect((await h.store.getToken(tenant, 'default'))?.version).toBe(before.version + 2);
  });
});
