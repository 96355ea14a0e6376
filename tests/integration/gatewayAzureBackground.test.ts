/**
 * Background runs on Azure: the Function app's HTTP, timer and queue functions
 * (gateway/azure/functions.ts), driven the way the Functions host drives them, with the gateway's
 * tables, lease blobs and run queue on Azurite: a schedule saved over HTTP, the timer queuing the
 * due run, the queue function running chunks with continuations, a duplicate message, a second
 * instance finding the lease, and a poisoned message closing its run as failed.
 */
import { HttpRequest, HttpResponse, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureQueue } from '../../gateway/background/azureQueue';
import { poisonQueueName, pumpQueue, runQueueName, type MessageQueue } from '../../gateway/background/queue';
import type { ChunkOutcome, ChunkRequest } from '../../gateway/background/runChunk';
import type { BackgroundOptions } from '../../gateway/background/service';
import { createFunctionHandlers } from '../../gateway/azure/functions';
import { createAzureStore } from '../../gateway/store/azureStore';
import { sandboxApp } from '../../sandbox/exact';
import { contosoTenantId } from '../../sandbox/idp/users';
import type { TestClock } from '../../src/sync/clock';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';

const siteUrl = 'https://contoso.sharepoint.com/sites/crm';

describe('background runs as Azure Functions on Azurite', () => {
  let azurite: RunningAzurite;
  let c: ConnectedHarness;
  let queue: MessageQueue;
  let poison: MessageQueue;
  const chunks: ChunkRequest[] = [];
  const closed: string[] = [];
  let next: (request: ChunkRequest, index: number) => Promise<ChunkOutcome> = async () => ({ kind: 'failed', reason: 'not scripted' });
  let background: BackgroundOptions;

  const azureStore = (clock: TestClock) => createAzureStore({ connectionString: azurite.connectionString, clock, tablePrefix: 'Bg', lockContainer: 'bg-locks' });
  const context = (functionName: string, dequeueCount?: number) => new InvocationContext({ functionName, triggerMetadata: dequeueCount === undefined ? {} : { dequeueCount } });

  beforeAll(async () => {
    azurite = await startAzurite();
    queue = createAzureQueue({ connectionString: azurite.connectionString, name: runQueueName });
    poison = createAzureQueue({ connectionString: azurite.connectionString, name: poisonQueueName });
    background = {
      queue,
      runChunk: (request) => {
        chunks.push(request);
        return next(request, chunks.length - 1);
      },
      closeRun: async ({ runId, reason }) => void closed.push(`${runId}: ${reason}`),
      webhookSecret: sandboxApp.webhookSecret,
      budgetMs: 1000,
    };
    c = await startConnectedHarness({ store: azureStore, gatewayDeps: { background } });
  }, 60_000);

  afterAll(async () => {
    await c?.h.close();
    await azurite?.stop();
  });

  /** The host: take visible messages, hand each (JSON-decoded, as the worker does) to the function, poison after 5. */
  const host = (handlers: ReturnType<typeof createFunctionHandlers>) =>
    pumpQueue({
      queue,
      poison,
      visibilityMs: 30_000,
      retryDelayMs: 0,
      handle: (text, dequeueCount) => handlers.runs(JSON.parse(text) as unknown, context('background-runs', dequeueCount)),
      onPoison: (text) => handlers.poison(JSON.parse(text) as unknown, context('background-runs-poison')),
    });

  it('saves a schedule over HTTP, queues the due run from the timer, and runs its chunks to the end', async () => {
    const handlers = createFunctionHandlers(() => c.h.gateway());
    const put = new HttpResponse(
      await handlers.http(
        new HttpRequest({
          method: 'PUT',
          url: c.h.url('/gateway/background/schedules/companies'),
          headers: { authorization: `Bearer ${c.admin}`, 'content-type': 'application/json' },
          body: { string: JSON.stringify({ siteUrl, profileName: 'Companies', spec: { cadence: { kind: 'minutes', minutes: 15 } } }) },
        }),
        context('gateway'),
      ),
    );
    expect(put.status).toBe(200);
    c.h.clock.advance(15 * 60_000);
    next = async (request, index) => (index === 0 ? { kind: 'continue', runId: 'run-1' } : { kind: 'finished', runId: request.runId!, status: 'Completed' });
    await handlers.timer({ isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context('background-timer'));
    const [first] = await queue.receive(1, 30_000);
    expect(JSON.parse(first!.text)).toMatchObject({ profileId: 'companies', step: 0, trigger: { kind: 'schedule' } });
    // The host hands the same message to the function twice (a lost completion): one chunk.
    await handlers.runs(JSON.parse(first!.text) as unknown, context('background-runs', 1));
    await handlers.runs(JSON.parse(first!.text) as unknown, context('background-runs', 2));
    await queue.delete(first!);
    expect(chunks).toHaveLength(1);
    while ((await host(handlers)) > 0);
    expect(chunks.map((r) => r.runId)).toEqual([undefined, 'run-1']);
  });

  it('a second instance finds the profile leased; a poisoned message closes its run as failed with the reason', async () => {
    const one = createFunctionHandlers(() => c.h.gateway());
    const instance2 = await c.h.anotherGateway({ store: azureStore(c.h.clock), instanceId: 'function-instance-2', background });
    const two = createFunctionHandlers(() => instance2);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const before = chunks.length;
    next = async (request, index) => {
      if (index === before) {
        await gate;
        return { kind: 'continue', runId: 'run-2' };
      }
      throw new Error(`SharePoint refused run ${request.runId}`);
    };
    const message = { tenantId: contosoTenantId, connectionId: 'default', siteUrl, profileId: 'companies', key: 'schedule:azure:2', step: 0, trigger: { kind: 'schedule' } };
    const running = one.runs(message, context('background-runs', 1));
    while (chunks.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
    await two.runs(message, context('background-runs', 1));
    expect(chunks.length).toBe(before + 1);
    release();
    await running;
    for (let round = 0; round < 6; round++) await host(two);
    expect(chunks.length).toBe(before + 6);
    expect(closed).toEqual(['run-2: The background run stopped after 5 failed attempts: SharePoint refused run run-2']);
    const poisoned = await poison.receive(5, 1000);
    expect(poisoned.map((m) => JSON.parse(m.text) as { key: string; step: number })).toEqual([expect.objectContaining({ key: 'schedule:azure:2', step: 1 })]);
  });
});
