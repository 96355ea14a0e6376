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
 * sandbox's URL, known only once it listens.
 */
export function gatewaySandboxPart(context: SandboxContext, deps: Partial<GatewayDeps> = {}): SandboxPart {
  let app: Promise<ReturnType<typeof createGatewayApp>> | undefined;
  const build = async () => {
    const config = await sandboxGatewayConfig(context.baseUrl(), context.env, context.dataDir);
    const store = deps.store ?? createEmbeddedStore({ clock: context.clock, dataDir: context.dataDir });
    return createGatewayApp(config, { clock: context.clock, ...deps, store });
  };
  return {
    prefix: '/gateway',
    describe: (baseUrl) => [`Gateway:              ${baseUrl}/gateway/health  (Exact proxy ${baseUrl}/gateway/exact/{division}/…)`],
    handler: async (request) => {
      app ??= build().catch((error: unknown) => {
        app = undefined;
        throw error;
      });
      return (await app)(request);
    },
  };
}

export const gateway = (context: SandboxContext): SandboxPart => gatewaySandboxPart(context);
