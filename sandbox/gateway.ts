/**
 * The gateway as a sandbox part: the real gateway app mounted under `/gateway` (`npm start`), with
 * sandbox settings: the Exact emulator's sandbox app, the sandbox identity provider as issuer, a dev
 * encryption key generated once and kept in the data folder, and the embedded store there.
 * Every setting can be overridden from the environment (names in gateway/README.md).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createGatewayApp, type GatewayDeps } from '../gateway/app';
import type { GatewayConfigInput } from '../gateway/config';
import { createEmbeddedQueue } from '../gateway/background/embeddedQueue';
import { startInProcessBackground } from '../gateway/background/inProcess';
import { poisonQueueName, runQueueName } from '../gateway/background/queue';
import { productionBudgetMs } from '../gateway/background/service';
import { createJsonLogger } from '../gateway/log';
import { createEmbeddedStore } from '../gateway/store/embedded';
import { sandboxApp } from './exact';
import { contosoTenantId, sandboxApiAudience } from './idp/users';
import { sandboxConnectorApp } from './idp/apps';
import { loadOrCreateDevCertificate } from './idp/devCertificate';
import { sharePointAppFromEnv } from '../gateway/background/sharePointApp';
import type { SharePointAppSettings } from '../gateway/config';
import type { SandboxContext, SandboxPart } from './server';

/** A dev key, created on first start and kept (mode 600) so stored tokens stay readable. */
export async function devEncryptionKey(dataDir: string | undefined): Promise<string> {
  if (!dataDir) {
    return randomBytes(32).toString('base64');
  }
  const path = join(dataDir, 'gateway-dev-encryption-key');
  const existing = await fs.readFile(path, 'utf8').catch(() => undefined);
  if (existing?.trim()) {
    return existing.trim();
  }
  const key = randomBytes(32).toString('base64');
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(path, key, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
  return (await fs.readFile(path, 'utf8')).trim();
}

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The connector's SharePoint identity: GATEWAY_SP_* when set; else, with a data folder, the
 * sandbox's app and its dev certificate (made at first start, kept there; `npm start` registers it
 * with the identity provider and grants it the CRM site); else none.
 */
async function sandboxSharePointApp(baseUrl: string, env: Record<string, string | undefined>, dataDir: string | undefined): Promise<SharePointAppSettings | undefined> {
  const configured = sharePointAppFromEnv(env);
  if (configured || !dataDir) return configured;
  const certificate = await loadOrCreateDevCertificate(dataDir, { commonName: sandboxConnectorApp.displayName, now: new Date() });
  return {
    tenantId: contosoTenantId, clientId: sandboxConnectorApp.clientId, authority: `${baseUrl}/idp`, displayName: sandboxConnectorApp.displayName,
    certificateThumbprint: certificate.thumbprintSha1, privateKey: certificate.privateKeyPem,
  };
}

/** Sandbox settings from the running sandbox's base URL, overridable by GATEWAY_* variables. */
export async function sandboxGatewayConfig(baseUrl: string, env: Record<string, string | undefined>, dataDir: string | undefined): Promise<GatewayConfigInput> {
  return {
    basePath: '/gateway',
    exact: {
      baseUrl: env.GATEWAY_EXACT_BASE_URL ?? `${baseUrl}/exact`,
      region: env.GATEWAY_EXACT_REGION ?? 'nl',
      clientId: env.GATEWAY_EXACT_CLIENT_ID ?? sandboxApp.clientId,
      clientSecret: env.GATEWAY_EXACT_CLIENT_SECRET ?? sandboxApp.clientSecret,
      redirectUri: env.GATEWAY_EXACT_REDIRECT_URI ?? `${baseUrl}/gateway/oauth/callback`,
    },
    encryptionKey: env.GATEWAY_ENCRYPTION_KEY ?? (await devEncryptionKey(dataDir)),
    encryptionKeyId: env.GATEWAY_ENCRYPTION_KEY_ID ?? 'dev',
    auth: {
      issuer: env.GATEWAY_ISSUER ?? `${baseUrl}/idp`,
      jwksUri: env.GATEWAY_JWKS_URI ?? `${baseUrl}/idp/jwks`,
      audience: env.GATEWAY_AUDIENCE ?? sandboxApiAudience,
      allowedTenants: list(env.GATEWAY_ALLOWED_TENANTS) ?? [contosoTenantId],
    },
    allowedReturnOrigins: list(env.GATEWAY_RETURN_ORIGINS) ?? [baseUrl, baseUrl.replace('127.0.0.1', 'localhost')],
    corsOrigins: list(env.GATEWAY_CORS_ORIGINS) ?? [baseUrl, baseUrl.replace('127.0.0.1', 'localhost')],
    sharePointApp: await sandboxSharePointApp(baseUrl, env, dataDir),
  };
}

/**
 * The sandbox part. The app is built on the first request because the settings depend on the
 * sandbox's URL, known only once it listens. Background runs (schedules, the run queue, Exact's
 * webhook callbacks) run in this process over the embedded store's queue table, the timer every
 * minute and the queue pumped every second, as the Functions host does on Azure;
 * SANDBOX_BACKGROUND=0 turns them off.
 */
export function gatewaySandboxPart(context: SandboxContext, deps: Partial<GatewayDeps> = {}): SandboxPart {
  let app: Promise<ReturnType<typeof createGatewayApp>> | undefined;
  const embedded = deps.store ? undefined : createEmbeddedStore({ clock: context.clock, dataDir: context.dataDir });
  const store = deps.store ?? embedded!;
  // A store handed in (tests) brings its own background options, if any.
  const queues =
    embedded && context.env.SANDBOX_BACKGROUND !== '0'
      ? { queue: createEmbeddedQueue(embedded, runQueueName, context.clock), poison: createEmbeddedQueue(embedded, poisonQueueName, context.clock) }
      : undefined;
  const build = async () => {
    const config = await sandboxGatewayConfig(context.baseUrl(), context.env, context.dataDir);
    const background = queues ? { queue: queues.queue, webhookSecret: context.env.GATEWAY_EXACT_WEBHOOK_SECRET ?? sandboxApp.webhookSecret } : undefined;
    const built = createGatewayApp(config, { clock: context.clock, ...deps, store, background: deps.background ?? background });
    if (built.background && queues) {
      const logger = createJsonLogger(undefined, { service: 'gateway' }, () => context.clock.now());
      startInProcessBackground({ background: built.background, ...queues, logger, visibilityMs: productionBudgetMs + 120_000 });
    }
    return built;
  };
  const ensure = () =>
    (app ??= build().catch((error: unknown) => {
      app = undefined;
      throw error;
    }));
  if (queues) {
    // The timer must run with no page open: build the gateway as soon as the sandbox listens.
    const waitForListening = setInterval(() => {
      if (!context.baseUrl()) return;
      clearInterval(waitForListening);
      // A failure here is met again, and answered, by the first request.
      ensure().catch(() => undefined);
    }, 200);
    waitForListening.unref();
  }
  return {
    prefix: '/gateway',
    describe: (baseUrl) => [`Gateway:              ${baseUrl}/gateway/health  (Exact proxy ${baseUrl}/gateway/exact/{division}/…)`],
    handler: async (request) => (await ensure())(request),
  };
}

export const gateway = (context: SandboxContext): SandboxPart => gatewaySandboxPart(context);
