/**
 * Background runs, composed: the schedules' routes, the timer's work, the queue handler and its
 * poison handler, and the disconnect hook. The hosts call these: `azure/functions.ts` (timer,
 * queue and HTTP functions) and `./inProcess.ts` under `npm start` (a real timer and a pump over
 * the embedded queue).
 */
import type { Clock } from '../../src/sync/clock';
import type { Logger } from '../log';
import type { ProxyContext } from '../proxy/context';
import type { Route } from '../routes/route';
import type { GatewayStore } from '../store/types';
import type { ChangeDeps } from './changes';
import { dispatchDueRuns } from './dispatch';
import { postToTeams, teamsCard } from './notify';
import type { MessageQueue, RunMessage } from './queue';
import { backgroundRecords, connectionKey, scheduleId, type LastResult } from './records';
import { createBackgroundRoutes } from './routes';
import type { RunChunk } from './runChunk';
import { reconcileSubscriptions, removeSubscriptions, type SubscriptionDeps } from './subscriptions';
import { closePoisoned, handleRunMessage, type CloseRun, type Handled, type WorkerDeps } from './worker';

/**
 * A chunk writes for its budget, or, when a resume's read alone took longer, for as long as it read
 * (at most another budget; see runChunk.ts): two budgets and the batches in flight must stay inside
 * Consumption's 10-minute limit.
 */
export const productionBudgetMs = 4 * 60_000;
export const defaultDebounceMs = 20_000;

export interface BackgroundOptions {
  queue: MessageQueue;
  /** Default: the engine's chunk as the connector's app (runChunk.ts), when the gateway has its SharePoint identity. */
  runChunk?: RunChunk;
  closeRun?: CloseRun;
  /** The Exact App Center's webhook secret (HashCode key). */
  webhookSecret: string;
  budgetMs?: number;
  debounceMs?: number;
  /** For the Teams posts. */
  fetch?: typeof fetch;
}

export interface BackgroundDeps extends BackgroundOptions {
  runChunk: RunChunk;
  store: GatewayStore;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  exact: ProxyContext;
  /** The gateway's OAuth redirect URI: the webhook callback lives beside it (Exact wants the same domain). */
  redirectUri: string;
  maxBodyBytes: number;
}

export function createBackground(deps: BackgroundDeps) {
  const now = () => deps.clock.now();
  const records = backgroundRecords(deps.store, now);
  const logger = deps.logger.child({ part: 'background' });
  const callbackUrl = (tenantId: string, connectionId: string): string =>
    deps.redirectUri.replace(/\/oauth\/callback$/, `/webhooks/exact/${encodeURIComponent(tenantId)}/${encodeURIComponent(connectionId)}`);
  const subscriptions: SubscriptionDeps = { store: deps.store, records, exact: deps.exact, logger, now, callbackUrl };
  const changes: ChangeDeps = { records, queue: deps.queue, now, logger, webhookSecret: deps.webhookSecret, debounceMs: deps.debounceMs ?? defaultDebounceMs };

  async function notify(message: RunMessage, result: LastResult): Promise<void> {
    const settings = (await records.settings.get(connectionKey(message.tenantId, message.connectionId)))?.value;
    if (!settings?.teamsWebhookUrl) return;
    const schedule = (await records.schedules.get(scheduleId(message)))?.value;
    await postToTeams(deps.fetch ?? fetch, settings.teamsWebhookUrl, teamsCard(message, schedule?.profileName ?? message.profileId, result));
  }

  const worker: WorkerDeps = {
    store: deps.store,
    records,
    queue: deps.queue,
    runChunk: deps.runChunk,
    closeRun: deps.closeRun,
    budgetMs: deps.budgetMs ?? productionBudgetMs,
    clock: deps.clock,
    instanceId: deps.instanceId,
    logger,
    notify,
  };

  const reconcile = async (tenantId: string, connectionId: string): Promise<void> => {
    await reconcileSubscriptions(subscriptions, tenantId, connectionId).catch((error: unknown) =>
      logger.log('warn', 'background.webhook-reconcile-failed', { tenant: tenantId, reason: error instanceof Error ? error.message : String(error) }),
    );
  };

  /** Every connection that has a schedule following changes or a subscription. */
  async function connectionsToReconcile(): Promise<Array<[string, string]>> {
    const keys = new Map<string, [string, string]>();
    for (const { value } of await records.schedules.list()) if (value.spec.runOnChanges) keys.set(connectionKey(value.tenantId, value.connectionId), [value.tenantId, value.connectionId]);
    for (const { value } of await records.webhooks.list()) keys.set(connectionKey(value.tenantId, value.connectionId), [value.tenantId, value.connectionId]);
    return [...keys.values()];
  }

  return {
    records,
    routes: (): Route[] => createBackgroundRoutes({ records, now, changes, reconcile, maxBodyBytes: deps.maxBodyBytes }),
    /** The timer function's work: due runs onto the queue, webhook subscriptions in line. */
    async tick(): Promise<number> {
      const sent = await dispatchDueRuns({ records, queue: deps.queue, now, logger });
      for (const [tenantId, connectionId] of await connectionsToReconcile()) await reconcile(tenantId, connectionId);
      return sent;
    },
    handleMessage: (text: string): Promise<Handled> => handleRunMessage(worker, text),
    handlePoison: (text: string): Promise<void> => closePoisoned(worker, text),
    beforeDisconnect: (tenantId: string, connectionId: string): Promise<void> => removeSubscriptions(subscriptions, tenantId, connectionId),
  };
}

export type Background = ReturnType<typeof createBackground>;
