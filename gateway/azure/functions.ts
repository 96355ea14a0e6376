/**
 * Azure Functions entry (v4 programming model):
 * - `gateway` (HTTP): every request under `/gateway/...` goes to the gateway app, Exact's webhook
 *   callbacks (`/gateway/webhooks/exact/…`) included. host.json sets `routePrefix` to "" so the
 *   public URLs are `https://<app>.azurewebsites.net/gateway/...`, the same paths as in the sandbox.
 * - `background-timer` (every minute): due scheduled runs onto the queue, webhook subscriptions
 *   in line with the schedules. The host runs one timer across all instances.
 * - `background-runs` (queue): one chunk of a run per message; a throw makes the host retry it,
 *   5 times (host.json), then move it to `background-runs-poison`;
 * - `background-runs-poison` (queue): closes that run as failed with its last error.
 *
 * The app is built on the first invocation, not at import: a bad setting then answers 500 and is
 * logged with its name on every request, instead of the worker failing to load the app silently.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import type { GatewayApp } from '../app';
import { poisonQueueName, runQueueName } from '../background/queue';
import { handleAzureRequest } from './handler';
import { createAzureGateway } from './settings';

export { handleAzureRequest } from './handler';

/** The queue functions' storage: the app setting that holds the gateway's storage connection string. */
export const queueConnectionSetting = 'GATEWAY_STORAGE_CONNECTION_STRING';

const messageText = (entry: unknown): string => (typeof entry === 'string' ? entry : JSON.stringify(entry));

/** The functions' handlers over one lazily built gateway; tests hand in their own. */
export function createFunctionHandlers(build: () => GatewayApp) {
  let gateway: GatewayApp | undefined;
  const get = (): GatewayApp => (gateway ??= build());
  const background = (context: InvocationContext) => {
    const found = get().background;
    if (!found) {
      context.warn('Background runs are off: set GATEWAY_STORAGE_CONNECTION_STRING and GATEWAY_EXACT_WEBHOOK_SECRET (gateway/README.md).');
    }
    return found;
  };
  return {
    async http(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
      let handler: GatewayApp;
      try {
        handler = get();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        context.error(`gateway settings: ${message}`);
        return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'misconfigured', message: 'The gateway is not configured; see the Function log.' }) };
      }
      return handleAzureRequest(request, context, handler);
    },
    async timer(_timer: Timer, context: InvocationContext): Promise<void> {
      const sent = await background(context)?.tick();
      if (sent) context.log(`background: ${sent} due run(s) queued`);
    },
    async runs(entry: unknown, context: InvocationContext): Promise<void> {
      const found = background(context);
      if (!found) throw new Error('Background runs are off');
      const handled = await found.handleMessage(messageText(entry));
      context.log(`background: message ${handled} (attempt ${String(context.triggerMetadata?.dequeueCount ?? '?')})`);
    },
    async poison(entry: unknown, context: InvocationContext): Promise<void> {
      await background(context)?.handlePoison(messageText(entry));
    },
  };
}

const handlers = createFunctionHandlers(() => createAzureGateway(process.env));
export const gatewayFunction = handlers.http;

app.http('gateway', {
  route: 'gateway/{*path}',
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: handlers.http,
});
app.timer('background-timer', { schedule: '0 * * * * *', runOnStartup: false, useMonitor: true, handler: handlers.timer });
app.storageQueue('background-runs', { queueName: runQueueName, connection: queueConnectionSetting, handler: handlers.runs });
app.storageQueue('background-runs-poison', { queueName: poisonQueueName, connection: queueConnectionSetting, handler: handlers.poison });
