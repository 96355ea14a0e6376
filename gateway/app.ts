/**
 * The gateway as a Web-standard app: `createGatewayApp(config, deps)` returns a WebHandler that
 * the Node entry (sandbox, `npm start`) and the Azure Functions entry both wrap. It builds the
 * shared services and composes the route modules in routes/ (each names its routes); the router
 * (routes/router.ts) adds correlation ids, errors as JSON, CORS and the request log.
 * `?connection=` picks a connection (default `default`).
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../src/sync/clock';
import { createAxiosHttp } from '../src/exact/axiosTransport';
import type { HttpFunction } from '../src/exact/oauth';
import { createAuthenticator } from './auth';
import { createRunChunk, createRunCloser, type RunChunk } from './background/runChunk';
import { withOrderStatus } from './background/orderStatusChunk';
import type { CloseRun } from './background/worker';
import { createBackground, type BackgroundOptions } from './background/service';
import { parseGatewayConfig, type GatewayConfig, type GatewayConfigInput } from './config';
import { createExactOAuth } from './exact';
import { createJsonLogger, type Logger } from './log';
import { createProxy } from './proxy/service';
import { createConnectRoute } from './routes/connect';
import { createConnectionRoute } from './routes/connection';
import { createDocumentsRoute } from './routes/documents';
import { createGlobeRoute } from './routes/globe';
import { createProxyRoute } from './routes/proxy';
import { createPublicRoute } from './routes/public';
import { createRouter } from './routes/router';
import { createClockSleeper, type Sleeper } from './sleeper';
import type { GatewayStore } from './store/types';
import { createTokenService, type ExactOAuthPort } from './tokens';
import { createVault, parseEncryptionKey } from './vault';

export interface GatewayDeps {
  clock: Clock;
  store: GatewayStore;
  logger?: Logger;
  sleeper?: Sleeper;
  /** HTTP for Exact's token endpoint and account reads (defaults to axios). */
  exactHttp?: HttpFunction;
  /** Replaces the Exact OAuth adapter (tests inject faults here). */
  exactOAuth?: ExactOAuthPort;
  /** fetch used to load the issuer's JWKS. */
  fetch?: typeof fetch;
  /** Lease owner id of this instance. */
  instanceId?: string;
  /** Schedules, queue, Exact webhooks (gateway/background); without it the gateway has none. */
  background?: BackgroundOptions;
}

export function createGatewayApp(configInput: GatewayConfigInput | GatewayConfig, deps: GatewayDeps) {
  const config = parseGatewayConfig(configInput);
  const { clock, store } = deps;
  const logger = deps.logger ?? createJsonLogger(undefined, { service: 'gateway' }, () => clock.now());
  // Real time needs no fast polling; a TestClock is checked often so tests run quickly.
  const sleeper = deps.sleeper ?? createClockSleeper(clock, clock === systemClock ? 1000 : 5);
  const encryptionKey = parseEncryptionKey(config.encryptionKey);
  const vault = createVault(encryptionKey, config.encryptionKeyId);
  const http = deps.exactHttp ?? createAxiosHttp({ timeoutMs: config.upstreamTimeoutMs });
  const oauth = deps.exactOAuth ?? createExactOAuth(config.exact, http, clock);
  const auth = createAuthenticator(config.auth, clock, deps.fetch);
  // The refresh lease must outlive a slow refresh (Exact's answer plus the store write), or a
  // second instance would refresh with the retired token and mark a healthy connection broken.
  const leaseTtlMs = Math.max(60_000, 2 * config.upstreamTimeoutMs + 30_000);
  const instanceId = deps.instanceId ?? randomUUID();
  const tokens = createTokenService({ store, vault, oauth, clock, sleeper, logger, instanceId, leaseTtlMs, leaseWaitMs: leaseTtlMs + 30_000 });
  const proxy = createProxy({ config, clock, sleeper, store, tokens });
  const sharePointApp = config.sharePointApp;
  const runChunk: RunChunk =
    deps.background?.runChunk ??
    (sharePointApp
      ? withOrderStatus(createRunChunk({ proxy, app: sharePointApp, store, clock, logger, instanceId }), { proxy, app: sharePointApp, store, clock, logger, instanceId })
      : async () => ({ kind: 'failed', reason: "The gateway has no SharePoint identity of its own (sharePointApp settings), so it cannot run imports in the background; see the gateway README, 'Background runs'." }));
  const closer = sharePointApp && createRunCloser({ proxy, app: sharePointApp, store, clock, logger, instanceId });
  const closeRun: CloseRun | undefined =
    deps.background?.closeRun ??
    (closer &&
      (async (request) => {
        const outcome = await closer(request);
        // A chunk holds the run right now: the poison message is tried again, closing it later.
        if (outcome.kind === 'busy') throw new Error(`Run ${request.runId} is busy; closing it later`);
      }));
  const background = deps.background && createBackground({ ...deps.background, runChunk, closeRun, store, clock, logger, instanceId, exact: proxy.context, redirectUri: config.exact.redirectUri, maxBodyBytes: config.maxSmallBodyBytes });
  const routes = [
    ...createPublicRoute(),
    ...createConnectRoute({ config, clock, sleeper, store, vault, tokens, proxy, http, exactOAuth: deps.exactOAuth, encryptionKey }),
    ...createConnectionRoute({ config, clock, store, tokens, proxy, beforeDisconnect: background?.beforeDisconnect }),
    ...createDocumentsRoute({ config, proxy, store, tokens }),
    ...createProxyRoute({ proxy }),
    ...createGlobeRoute(),
    ...(background?.routes() ?? []),
  ];
  const handler = createRouter({ config, clock, logger, auth, routes });
  return Object.assign(handler, { tokens, proxy, config, sleeper, background });
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;
