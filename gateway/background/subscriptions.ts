/**
 * Exact webhook subscriptions (`webhooks/WebhookSubscriptions`, reference §3/§8): the gateway
 * keeps one per connection, division and topic that some profile with "run on changes" needs,
 * and none other. `reconcileSubscriptions` brings Exact in line with the schedules: the timer
 * calls it every minute, so a subscription lost with a disconnect comes back after the reconnect
 * without anyone asking. A subscription cannot be updated, only created or deleted.
 */
import { z } from 'zod';
import type { Caller } from '../auth';
import type { Logger } from '../log';
import { callExact } from '../proxy/exactCall';
import type { ProxyContext } from '../proxy/context';
import type { ConnectionRecord, GatewayStore } from '../store/types';
import { connectionKey, webhookId, type BackgroundRecords, type Topic, type WebhookRecord } from './records';

export interface SubscriptionDeps {
  store: GatewayStore;
  records: BackgroundRecords;
  exact: ProxyContext;
  logger: Logger;
  now: () => number;
  /** The public URL Exact calls back, for a connection: `{gateway}/webhooks/exact/{tenant}/{connection}`. */
  callbackUrl(tenantId: string, connectionId: string): string;
}

const created = z.object({ d: z.object({ ID: z.string() }) });
const listed = z.object({ d: z.union([z.object({ results: z.array(z.object({ ID: z.string(), CallbackURL: z.string().nullish(), Topic: z.string().nullish() })) }), z.array(z.object({ ID: z.string(), CallbackURL: z.string().nullish(), Topic: z.string().nullish() }))]) });

const gatewayCaller = (tenantId: string): Caller => ({ tenantId, userId: 'gateway-background', name: 'Background runs', roles: [], isAdmin: false });

function call(deps: SubscriptionDeps, connection: ConnectionRecord, division: number, method: 'GET' | 'POST' | 'DELETE', exactPath: string, body?: unknown) {
  return callExact(deps.exact, {
    connection,
    caller: gatewayCaller(connection.tenantId),
    method,
    endpoint: 'webhooks/WebhookSubscriptions',
    exactPath,
    division,
    body,
    forwarded: { Accept: 'application/json' },
    logger: deps.logger,
    endpointKey: `${connection.tenantId}/${connection.connectionId}/${division}/webhooks/WebhookSubscriptions`,
    signal: new AbortController().signal,
  });
}

const json = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** The (division, topic) pairs the connection's schedules want subscriptions for. */
async function wanted(deps: SubscriptionDeps, tenantId: string, connectionId: string): Promise<Array<{ division: number; topic: Topic }>> {
  const settings = (await deps.records.settings.get(connectionKey(tenantId, connectionId)))?.value;
  if (settings?.paused) return [];
  const pairs = new Map<string, { division: number; topic: Topic }>();
  for (const { value } of await deps.records.schedules.list()) {
    if (value.tenantId === tenantId && value.connectionId === connectionId && value.spec.runOnChanges && value.topic && value.division) {
      pairs.set(`${value.division}/${value.topic}`, { division: value.division, topic: value.topic });
    }
  }
  return [...pairs.values()];
}

async function subscribe(deps: SubscriptionDeps, connection: ConnectionRecord, division: number, topic: Topic): Promise<void> {
  const callbackUrl = deps.callbackUrl(connection.tenantId, connection.connectionId);
  const path = `${division}/webhooks/WebhookSubscriptions`;
  const answer = await call(deps, connection, division, 'POST', path, { Topic: topic, CallbackURL: callbackUrl, Description: 'Exact CRM Connector: run import profiles on changes' });
  let exactId = answer.status === 201 || answer.status === 200 ? created.safeParse(json(answer.body)).data?.d.ID : undefined;
  if (!exactId) {
    // "Data already exists": a subscription of ours survived (a record lost, a reconnect): adopt it.
    const list = await call(deps, connection, division, 'GET', `${path}?$select=ID,CallbackURL,Topic`);
    const parsed = listed.safeParse(json(list.body));
    const rows = parsed.success ? (Array.isArray(parsed.data.d) ? parsed.data.d : parsed.data.d.results) : [];
    exactId = rows.find((row) => row.CallbackURL === callbackUrl && row.Topic === topic)?.ID;
  }
  if (!exactId) {
    throw new Error(`Exact refused the ${topic} webhook subscription for division ${division} (HTTP ${answer.status}).`);
  }
  const record: WebhookRecord = { tenantId: connection.tenantId, connectionId: connection.connectionId, division, topic, exactId: exactId.toLowerCase(), callbackUrl, createdAt: deps.now() };
  await deps.records.webhooks.update(webhookId(record), () => record);
  deps.logger.log('info', 'background.webhook-subscribed', { tenant: connection.tenantId, division, topic });
}

async function unsubscribe(deps: SubscriptionDeps, connection: ConnectionRecord | undefined, record: WebhookRecord): Promise<void> {
  if (connection) {
    const answer = await call(deps, connection, record.division, 'DELETE', `${record.division}/webhooks/WebhookSubscriptions(guid'${record.exactId}')`);
    if (answer.status >= 300 && answer.status !== 404) {
      throw new Error(`Exact did not remove the ${record.topic} webhook subscription of division ${record.division} (HTTP ${answer.status}).`);
    }
  }
  await deps.records.webhooks.remove(webhookId(record));
  deps.logger.log('info', 'background.webhook-unsubscribed', { tenant: record.tenantId, division: record.division, topic: record.topic });
}

const ofConnection = async (deps: SubscriptionDeps, tenantId: string, connectionId: string): Promise<WebhookRecord[]> =>
  (await deps.records.webhooks.list()).map((r) => r.value).filter((r) => r.tenantId === tenantId && r.connectionId === connectionId);

/** Creates the subscriptions the schedules want and removes the others, for one connection. */
export async function reconcileSubscriptions(deps: SubscriptionDeps, tenantId: string, connectionId: string): Promise<void> {
  const connection = await deps.store.getConnection(tenantId, connectionId);
  const want = connection?.status === 'connected' ? await wanted(deps, tenantId, connectionId) : [];
  const have = await ofConnection(deps, tenantId, connectionId);
  for (const record of have) {
    if (!want.some((w) => w.division === record.division && w.topic === record.topic)) {
      await unsubscribe(deps, connection, record);
    }
  }
  for (const w of want) {
    if (connection && !have.some((r) => r.division === w.division && r.topic === w.topic)) {
      await subscribe(deps, connection, w.division, w.topic);
    }
  }
}

/** Before a disconnect forgets the tokens: removes every subscription of the connection at Exact. */
export async function removeSubscriptions(deps: SubscriptionDeps, tenantId: string, connectionId: string): Promise<void> {
  const connection = await deps.store.getConnection(tenantId, connectionId);
  for (const record of await ofConnection(deps, tenantId, connectionId)) {
    await unsubscribe(deps, connection, record).catch(async (error: unknown) => {
      // The tokens go next; keep no record of a subscription the gateway can no longer manage.
      deps.logger.log('warn', 'background.webhook-unsubscribe-failed', { reason: error instanceof Error ? error.message : String(error) });
      await deps.records.webhooks.remove(webhookId(record));
    });
  }
}
