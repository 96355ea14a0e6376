/**
 * A connected gateway harness with background runs on: the embedded store's queue table, a
 * scripted runChunk (the engine's chunk is another test's subject), a recorder for closed runs
 * and a Teams incoming-webhook stand-in that records what it receives.
 */
import { createEmbeddedQueue } from '../../gateway/background/embeddedQueue';
import { poisonQueueName, pumpQueue, runQueueName, type MessageQueue, type RunMessage } from '../../gateway/background/queue';
import type { ChunkOutcome, ChunkRequest, RunChunk } from '../../gateway/background/runChunk';
import type { BackgroundOptions } from '../../gateway/background/service';
import type { CloseRun } from '../../gateway/background/worker';
import type { GatewayApp } from '../../gateway/app';
import { createEmbeddedStore, type EmbeddedStore } from '../../gateway/store/embedded';
import { sandboxApp } from '../../sandbox/exact';
import { serveWebHandler, type RunningServer } from '../../sandbox/http/node';
import type { TestClock } from '../../src/sync/clock';
import { startConnectedHarness, type ConnectedHarness, type HarnessOptions } from './gatewayHarness';

export const siteUrl = 'https://contoso.sharepoint.com/sites/crm';
export const chunkBudgetMs = 1000;

export interface ScheduleHarness extends ConnectedHarness {
  store: EmbeddedStore;
  queue: MessageQueue;
  poison: MessageQueue;
  chunks: ChunkRequest[];
  /** What the next chunk does; replace per test. */
  script: { next: (request: ChunkRequest, index: number) => Promise<ChunkOutcome> };
  closed: Array<Parameters<CloseRun>[0]>;
  teams: { url: string; received: unknown[]; server: RunningServer };
  options: BackgroundOptions;
  /** Pumps the queue as the Functions host would until nothing visible is left; returns the rounds. */
  drain(app?: GatewayApp): Promise<number>;
  /** Every message on a queue, visible or not, without taking any. */
  peek(queue: string): Promise<RunMessage[]>;
  closeAll(): Promise<void>;
}

/** A queue whose store exists only once the harness made it. */
function lateQueue(get: () => MessageQueue): MessageQueue {
  return {
    send: (text, options) => get().send(text, options),
    receive: (max, visibilityMs) => get().receive(max, visibilityMs),
    delete: (message) => get().delete(message),
    release: (message, delayMs) => get().release(message, delayMs),
  };
}

export async function startScheduleHarness(options: HarnessOptions & { wrapStore?: (store: EmbeddedStore) => EmbeddedStore } = {}): Promise<ScheduleHarness> {
  let store: EmbeddedStore | undefined;
  let clock: TestClock | undefined;
  const queue = lateQueue(() => createEmbeddedQueue(store!, runQueueName, clock!));
  const poison = lateQueue(() => createEmbeddedQueue(store!, poisonQueueName, clock!));
  const chunks: ChunkRequest[] = [];
  const script: ScheduleHarness['script'] = { next: async (request) => ({ kind: 'finished', runId: request.runId ?? `run-${chunks.length}`, status: 'Completed' }) };
  const runChunk: RunChunk = (request) => {
    chunks.push(request);
    return script.next(request, chunks.length - 1);
  };
  const closed: ScheduleHarness['closed'] = [];
  const received: unknown[] = [];
  const server = await serveWebHandler(async (request) => {
    received.push(await request.json());
    return new Response('1', { status: 200 });
  });
  const background: BackgroundOptions = {
    queue,
    runChunk,
    closeRun: async (request) => void closed.push(request),
    webhookSecret: sandboxApp.webhookSecret,
    budgetMs: chunkBudgetMs,
    debounceMs: 20_000,
  };
  const connected = await startConnectedHarness({
    ...options,
    store: (c) => {
      clock = c;
      const made = createEmbeddedStore({ clock: c });
      store = options.wrapStore ? options.wrapStore(made) : made;
      return store;
    },
    gatewayDeps: { ...options.gatewayDeps, background },
  });
  const h = connected.h;
  const drain = async (app = h.gateway()): Promise<number> => {
    let rounds = 0;
    while ((await pumpQueue({ queue, poison, visibilityMs: chunkBudgetMs * 3, handle: async (text) => void (await app.background!.handleMessage(text)), onPoison: (text) => app.background!.handlePoison(text) })) > 0) rounds++;
    return rounds;
  };
  const peek = (name: string) => store!.transactQueue(name, (messages) => ({ result: messages.map((m) => JSON.parse((m as { text: string }).text) as RunMessage) }));
  return {
    ...connected,
    store: store!,
    queue,
    poison,
    chunks,
    script,
    closed,
    teams: { url: server.url, received, server },
    options: background,
    drain,
    peek,
    closeAll: async () => {
      await server.close();
      await h.close();
    },
  };
}
