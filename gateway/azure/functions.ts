/**
 * Azure Functions entry (v4 programming model): every request under `/gateway/...` goes to the
 * gateway app. host.json sets `routePrefix` to "" so the public URLs are
 * `https://<app>.azurewebsites.net/gateway/...`, the same paths as in the sandbox.
 *
 * The app is built on the first request, not at import: a bad setting then answers 500 and is
 * logged with its name on every request, instead of the worker failing to load the app silently.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { handleAzureRequest, type WebHandler } from './handler';
import { createAzureGateway } from './settings';

export { handleAzureRequest } from './handler';

let gateway: WebHandler | undefined;

export async function gatewayFunction(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  if (!gateway) {
    try {
      gateway = createAzureGateway(process.env);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.error(`gateway settings: ${message}`);
      return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'misconfigured', message: 'The gateway is not configured; see the Function log.' }) };
    }
  }
  return handleAzureRequest(request, context, gateway);
}

app.http('gateway', {
  route: 'gateway/{*path}',
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: gatewayFunction,
});
