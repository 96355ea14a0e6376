/**
 * Gateway settings (the table in gateway/README.md). Parsed with zod once at start, so a
 * missing or malformed setting names itself instead of failing on the first request.
 */
import { z } from 'zod';

export const sharePointAppSettingsSchema = z.object({
  /** Entra tenant id of the customer's Microsoft 365. */
  tenantId: z.string().min(1),
  /** Application (client) id of the connector's app registration. */
  clientId: z.string().min(1),
  /** `https://login.microsoftonline.com/{tenantId}` (default) or the sandbox identity provider. */
  authority: z.string().url().optional(),
  /** Hex SHA-1 thumbprint of the registered certificate (`x5t`), or the SHA-256 one (`x5t#S256`). */
  certificateThumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/).optional(),
  certificateThumbprintSha256: z.string().regex(/^[0-9A-Fa-f]{64}$/).optional(),
  /** PEM (PKCS#8) private key of the certificate: a Key Vault reference in production, never logged. */
  privateKey: z.string().includes('PRIVATE KEY', { message: 'must be the certificate\'s private key in PEM (PKCS#8)' }),
  /** How SharePoint shows the app as Author/Editor (the name given in the site grant). */
  displayName: z.string().min(1).default('Exact CRM Connector'),
}).refine((s) => s.certificateThumbprint !== undefined || s.certificateThumbprintSha256 !== undefined, { message: 'certificateThumbprint or certificateThumbprintSha256 is required', path: ['certificateThumbprint'] });
export type SharePointAppSettings = z.infer<typeof sharePointAppSettingsSchema>;

export const gatewayConfigSchema = z.object({
  /** Path the gateway is mounted under (`/gateway` in the sandbox, `` or `/api` on Functions). */
  basePath: z.string().regex(/^(\/[A-Za-z0-9._-]+)*$/).default('/gateway'),
  exact: z.object({
    /** `https://start.exactonline.nl` (region host) or the emulator root `http://127.0.0.1:4321/exact`. */
    baseUrl: z.string().url(),
    region: z.string().default('nl'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Registered in Exact's App Center: `{gateway public URL}/oauth/callback`. */
    redirectUri: z.string().url(),
  }),
  /** AES-256-GCM key for tokens at rest: 32 bytes, base64. */
  encryptionKey: z.string().min(1),
  encryptionKeyId: z.string().default('k1'),
  auth: z.object({
    issuer: z.string().min(1),
    jwksUri: z.string().url(),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    allowedTenants: z.array(z.string().min(1)).min(1),
  }),
  /** Origins that may open the connect popup and receive its outcome (the SharePoint tenant, Teams). */
  allowedReturnOrigins: z.array(z.string().url()).min(1),
  /** Origins allowed to call the API from a browser (CORS). */
  corsOrigins: z.array(z.string()).default([]),
  budget: z
    .object({
      minuteLimit: z.number().int().positive().default(60),
      dayLimit: z.number().int().positive().default(5000),
      concurrency: z.number().int().positive().default(8),
      maxWaitMs: z.number().int().positive().default(5 * 60_000),
    })
    .default({}),
  cacheTtlMs: z.number().int().nonnegative().default(60_000),
  breakerThreshold: z.number().int().positive().max(9).default(8),
  /** Errors one caller may cause on one endpoint in an hour before only that caller is paused. */
  callerErrorThreshold: z.number().int().positive().max(9).default(3),
  /** Largest body a proxied write may carry: an Exact account or contact is a few KiB. */
  maxProxyBodyBytes: z.number().int().positive().default(256 * 1024),
  /** Largest body of the gateway's own routes (`PUT /connection/division`). */
  maxSmallBodyBytes: z.number().int().positive().default(4 * 1024),
  upstreamTimeoutMs: z.number().int().positive().default(30_000),
  /** Attempts for an idempotent (GET) call on 5xx or no answer. */
  getAttempts: z.number().int().min(1).max(5).default(3),
  /**
   * The connector's own identity in SharePoint for background runs (app-only, certificate,
   * Sites.Selected; gateway/background/sharePointApp.ts). Absent: no background runs.
   */
  sharePointApp: sharePointAppSettingsSchema.optional(),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export function parseGatewayConfig(input: unknown): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Gateway setting ${issue?.path.join('.')} is not valid: ${issue?.message}`);
  }
  return parsed.data;
}
