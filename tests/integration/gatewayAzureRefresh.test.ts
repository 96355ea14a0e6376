/**
 * The scale-out case the Azure store exists for: two gateway instances (one behind the sandbox's
 * HTTP server, one called the way Azure Functions calls it) share one Azure Storage account
 * (Azurite). When the Exact access token expires under load on both, Exact sees exactly one
 * refresh — its refresh tokens are single use, so a second one would break the connection.
 */
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAzureRequest } from '../../gateway/azure/handler';
import { createAzureStore } from '../../gateway/store/azureStore';
import type { TestClock } from '../../src/sync/clock';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { call, connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

describe('gateway on Azure Storage: two instances, one refresh', () => {
  let azurite: RunningAzurite;
  let h: Harness;

  const azureStore = (clock: TestClock) => createAzureStore({ connectionString: azurite.connectionString, clock, tablePrefix: 'Refresh', lockContainer: 'refresh-locks' });

  beforeAll(async () => {
    azurite = await startAzurite();
    h = await startHarness({ store: azureStore });
  });

  afterAll(async () => {
    await h?.close();
    await azurite?.stop();
  });

  it('connects through the real consent flow with state and tokens in Azure Tables, then refreshes once for both instances', async () => {
    const admin = await h.tokenFor(users.admin);
    const sales = await h.tokenFor(users.sales);
    const connected = await connectExact(h, admin);
    expect(connected.page.status).toBe(200);
    const stored = await h.store.getToken(users.admin.tid, 'default');
    expect(stored?.version).toBe(1);

    const instanceB = await h.anotherGateway({ store: azureStore(h.clock), instanceId: 'function-instance-2' });
    const division = h.exact.divisions[0]!.code;
    // A customer lookup: something both the sales user and the admin do.
    const path = `/gateway/exact/${division}/crm/Accounts?$select=ID,Name&$filter=Name%20eq%20'Bakkerij%20Test'`;
    const viaFunctions = async (token: string): Promise<number> => {
      const init = await handleAzureRequest(
        new HttpRequest({ method: 'GET', url: h.url(path), headers: { authorization: `Bearer ${token}` } }),
        new InvocationContext({ functionName: 'gateway' }),
        instanceB,
      );
      return new HttpResponse(init).status;
    };

    h.exact.resetCounters();
    // Exact takes its time with the refresh, so both instances are sure to want it meanwhile.
    h.exact.injectFault({ kind: 'slow', path: 'oauth2/token', delayMs: 300 });
    h.clock.advance(600_000);
    const statuses = await settle(h, [
      ...Array.from({ length: 10 }, (_, i) => call(h, path, i % 2 ? sales : admin).then((r) => r.status)),
      ...Array.from({ length: 10 }, (_, i) => viaFunctions(i % 2 ? admin : sales)),
    ], 50);
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
    expect(h.gateway().tokens.refreshes + instanceB.tokens.refreshes).toBe(1);
    expect((await h.store.getToken(users.admin.tid, 'default'))?.version).toBe(2);
  });

  it('an instance that died holding the refresh lock (blob leased, never released) does not block the others beyond its TTL', async () => {
    const admin = await h.tokenFor(users.admin);
    const crashed = azureStore(h.clock);
    const held = await crashed.acquireLease(`refresh:${users.admin.tid}/default`, 'crashed-instance', 60_000);
    expect(held).toBeDefined();
    const before = (await h.store.getToken(users.admin.tid, 'default'))!.version;

    h.exact.resetCounters();
    h.clock.advance(600_000);
    const division = h.exact.divisions[0]!.code;
    const [response] = await settle(h, [call(h, `/gateway/exact/${division}/crm/Accounts?$select=ID&$filter=Blocked eq false`, admin)]);
    // It waited for the lock's 60 s (the TestClock, moved by settle), then broke it and refreshed.
    expect(response!.status).toBe(200);
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
    expect((await h.store.getToken(users.admin.tid, 'default'))?.version).toBe(before + 1);
    // The dead instance's late release changes nothing for whoever holds the lock now.
    const name = `refresh:${users.admin.tid}/default`;
    expect(await h.store.acquireLease(name, 'someone-else', 60_000)).toBeDefined();
    await crashed.releaseLease(held!);
    expect(await h.store.acquireLease(name, 'a-third-instance', 60_000)).toBeUndefined();
  });
});
