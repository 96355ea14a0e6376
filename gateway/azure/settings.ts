/**
 * The gateway's settings on Azure Functions: app settings (environment variables) with the same
 * GATEWAY_* names as the sandbox's Node entry (`sandbox/gateway.ts`), but with no sandbox defaults — on Azure
 * a missing secret must stop the app with its name, not fall back to a dev value.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../src/sync/clock';
import { createGatewayApp, type GatewayDeps } from '../app';
import { createAzureQueue } from '../background/azureQueue';
import { runQueueName } from '../background/queue';
import { productionBudgetMs, type BackgroundOptions } from '../background/service';
import type { GatewayConfigInput } from '../config';
import { createAzureStore } from '../store/azureStore';
import { sharePointAppFromEnv } from '../background/sharePointApp';
import { createEmbeddedStore } from '../store/embedded';
import type { GatewayStore } from '../store/types';

export type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(`App setting ${name} is missing (see gateway/README.md, "Deploying to Azure Functions")`);
  }
  if (value.startsWith('@Microsoft.KeyVault(')) {
    // App Service substitutes resolvable references before the process starts.
    throw new Error(`App setting ${name} is a Key Vault reference that App Service could not resolve: give the Function app's managed identity read access to that secret`);
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() ? required(env, name) : undefined;
}

const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Azure's front end drops an HTTP request that has not been answered within 230 s, whatever
 * functionTimeout says; a caller queued behind a spent Exact minute must get the gateway's own
 * "busy" answer before that, not a bare 504.
 */
export const azureMaxQueueWaitMs = 180_000;

function integer(env: Env, name: string): number | undefined {
  const value = optional(env, name);
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`App setting ${name} must be a positive whole number (got "${value}")`);
  }
  return parsed;
}

/** Settings object for `createGatewayApp` from app settings; throws naming the first bad one. */
export function azureGatewayConfig(env: Env): GatewayConfigInput {
  const audience = list(required(env, 'GATEWAY_AUDIENCE'));
  const region = optional(env, 'GATEWAY_EXACT_REGION');
  const keyId = optional(env, 'GATEWAY_ENCRYPTION_KEY_ID');
  const cors = optional(env, 'GATEWAY_CORS_ORIGINS');
  return {
    basePath: optional(env, 'GATEWAY_BASE_PATH') ?? '/gateway',
    exact: {
      baseUrl: required(env, 'GATEWAY_EXACT_BASE_URL'),
      ...(region ? { region } : {}),
      clientId: required(env, 'GATEWAY_EXACT_CLIENT_ID'),
      clientSecret: required(env, 'GATEWAY_EXACT_CLIENT_SECRET'),
      redirectUri: required(env, 'GATEWAY_EXACT_REDIRECT_URI'),
    },
    encryptionKey: required(env, 'GATEWAY_ENCRYPTION_KEY'),
    ...(keyId ? { encryptionKeyId: keyId } : {}),
    auth: {
      issuer: required(env, 'GATEWAY_ISSUER'),
      jwksUri: required(env, 'GATEWAY_JWKS_URI'),
      audience: audience.length === 1 ? audience[0]! : audience,
      allowedTenants: list(required(env, 'GATEWAY_ALLOWED_TENANTS')),
    },
    allowedReturnOrigins: list(required(env, 'GATEWAY_RETURN_ORIGINS')),
    ...(cors ? { corsOrigins: list(cors) } : {}),
    budget: { maxWaitMs: Math.min(integer(env, 'GATEWAY_MAX_WAIT_MS') ?? azureMaxQueueWaitMs, 220_000) },
    sharePointApp: sharePointAppFromEnv(env),
  };
}

/**
 * Azure Storage when a connection string is set (what a scaled-out Function app needs); the
 * embedded file store only when GATEWAY_DATA_DIR is set explicitly (one instance, e.g. `func start`).
 */
export function azureGatewayStore(env: Env, clock: Clock): GatewayStore {
  const connectionString = optional(env, 'GATEWAY_STORAGE_CONNECTION_STRING');
  if (connectionString) {
    return createAzureStore({
      connectionString,
      clock,
      tablePrefix: optional(env, 'GATEWAY_TABLE_PREFIX'),
      lockContainer: optional(env, 'GATEWAY_LOCK_CONTAINER'),
    });
  }
  const dataDir = optional(env, 'GATEWAY_DATA_DIR');
  if (dataDir) {
    return createEmbeddedStore({ clock, dataDir });
  }
  throw new Error('App setting GATEWAY_STORAGE_CONNECTION_STRING is missing (or set GATEWAY_DATA_DIR for a single-instance file store)');
}

/**
 * Background runs (schedules, queue, Exact webhooks) when the storage account and Exact's webhook
 * secret are set: the queue lives in the same storage account as the gateway's tables.
 */
export function azureBackgroundOptions(env: Env): BackgroundOptions | undefined {
  const connectionString = optional(env, 'GATEWAY_STORAGE_CONNECTION_STRING');
  const webhookSecret = optional(env, 'GATEWAY_EXACT_WEBHOOK_SECRET');
  if (!connectionString || !webhookSecret) {
    return undefined;
  }
  return {
    queue: createAzureQueue({ connectionString, name: runQueueName }),
    webhookSecret,
    budgetMs: Math.min(integer(env, 'GATEWAY_BACKGROUND_BUDGET_MS') ?? productionBudgetMs, productionBudgetMs),
  };
}

/** The gateway WebHandler for a Function app instance. */
export function createAzureGateway(env: Env, deps: Partial<GatewayDeps> = {}): ReturnType<typeof createGatewayApp> {
  const clock = deps.clock ?? systemClock;
  const config = azureGatewayConfig(env);
  const store = deps.store ?? azureGatewayStore(env, clock);
  // Lease owner: unique per process, readable in the lock blob's metadata.
  const instanceId = deps.instanceId ?? `${env.WEBSITE_INSTANCE_ID?.slice(0, 12) ?? 'local'}-${randomUUID()}`;
  const background = deps.background ?? azureBackgroundOptions(env);
  return createGatewayApp(config, { ...deps, clock, store, instanceId, background });
}
