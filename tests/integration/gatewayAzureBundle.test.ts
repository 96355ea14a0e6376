/**
 * The deployable Function app as built by gateway/azure/build.ts: bundle it into a temp folder,
 * load the bundle the way the Functions Node.js worker does, check the HTTP function it
 * registers, and call that function against Azurite. The one stand-in is `@azure/functions-core`,
 * the module the worker itself provides to the app (the Functions host cannot run here).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { HttpRequest, HttpResponse, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAzureFunctionApp } from '../../gateway/azure/build';
import { teamsJsScript } from '../../gateway/teamsJs';
import { serveWebHandler, type RunningServer } from '../../sandbox/http/node';
import { startAzurite, type RunningAzurite } from '../support/azurite';

interface Registration {
  metadata: { name: string; bindings: Record<string, { type: string; direction: string; route?: string; authLevel?: string; methods?: string[]; schedule?: string; queueName?: string; connection?: string }> };
  callback: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
}
interface WorkerStandIn {
  models: string[];
  registered: Registration[];
}

const workerStandIn = `
const record = { models: [], registered: [] };
globalThis.__functionsWorkerStandIn = record;
module.exports = {
  setProgrammingModel(model) { record.models.push(model.name + '@' + model.version); },
  registerFunction(metadata, callback) { record.registered.push({ metadata, callback }); return { dispose() {} }; },
};
`;

const origin = 'https://exact-gateway.azurewebsites.net';
const issuer = 'https://login.example.test/tenant-a/v2.0';
const audience = 'api://exact-gateway';

describe('built Function app bundle', () => {
  let azurite: RunningAzurite;
  let jwks: RunningServer;
  let folder: string;
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    azurite = await startAzurite();
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = await serveWebHandler(async () => Response.json({ keys: [jwk] }));
    sign = (claims) =>
      new SignJWT({ scp: 'user_impersonation', ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    folder = mkdtempSync(join(tmpdir(), 'gateway-azure-build-'));
  });

  afterAll(async () => {
    process.env = savedEnv;
    await jwks?.close();
    await azurite?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('builds, registers the gateway HTTP function and serves requests with the Azure store', async () => {
    const built = await buildAzureFunctionApp(join(folder, 'app'));
    expect(JSON.parse(readFileSync(join(built.outDir, 'package.json'), 'utf8'))).toMatchObject({ main: 'dist/functions.js' });
    expect(JSON.parse(readFileSync(join(built.outDir, 'host.json'), 'utf8'))).toMatchObject({ version: '2.0', extensions: { http: { routePrefix: '' } } });

    const core = join(built.outDir, 'node_modules', '@azure', 'functions-core');
    mkdirSync(core, { recursive: true });
    writeFileSync(join(core, 'package.json'), JSON.stringify({ name: '@azure/functions-core', main: 'index.js' }));
    writeFileSync(join(core, 'index.js'), workerStandIn);

    Object.assign(process.env, {
      GATEWAY_EXACT_BASE_URL: 'https://start.exactonline.nl',
      GATEWAY_EXACT_CLIENT_ID: 'client-1',
      GATEWAY_EXACT_CLIENT_SECRET: 'secret-1',
      GATEWAY_EXACT_REDIRECT_URI: `${origin}/gateway/oauth/callback`,
      GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      GATEWAY_ISSUER: issuer,
      GATEWAY_JWKS_URI: `${jwks.url}/keys`,
      GATEWAY_AUDIENCE: audience,
      GATEWAY_ALLOWED_TENANTS: 'tenant-a',
      GATEWAY_RETURN_ORIGINS: 'https://contoso.sharepoint.com',
      GATEWAY_STORAGE_CONNECTION_STRING: azurite.connectionString,
      GATEWAY_TABLE_PREFIX: 'Bundle',
    });

    const bundleRequire = createRequire(built.bundle);
    bundleRequire(built.bundle);
    const worker = (globalThis as unknown as { __functionsWorkerStandIn?: WorkerStandIn }).__functionsWorkerStandIn;
    expect(worker?.models).toEqual([expect.stringMatching(/^@azure\/functions@4\./)]);
    expect(worker?.registered.map((r) => r.metadata.name)).toEqual(['gateway', 'background-timer', 'background-runs', 'background-runs-poison']);
    const [registration, timer, runs, poison] = worker!.registered;
    expect(Object.values(timer!.metadata.bindings).find((b) => b.direction === 'in')).toMatchObject({ type: 'timerTrigger', schedule: '0 * * * * *' });
    expect(Object.values(runs!.metadata.bindings).find((b) => b.direction === 'in')).toMatchObject({ type: 'queueTrigger', queueName: 'background-runs', connection: 'GATEWAY_STORAGE_CONNECTION_STRING' });
    expect(Object.values(poison!.metadata.bindings).find((b) => b.direction === 'in')).toMatchObject({ type: 'queueTrigger', queueName: 'background-runs-poison' });
    expect(registration!.metadata.name).toBe('gateway');
    const trigger = Object.values(registration!.metadata.bindings).find((b) => b.direction === 'in');
    expect(trigger).toMatchObject({ type: 'httpTrigger', route: 'gateway/{*path}', authLevel: 'anonymous' });
    expect(trigger?.methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']));
    expect(registration!.metadata.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });

    const call = async (method: string, path: string, headers: Record<string, string> = {}): Promise<HttpResponse> =>
      new HttpResponse(await registration!.callback(new HttpRequest({ method, url: `${origin}${path}`, headers }), new InvocationContext({ functionName: 'gateway' })));

    const health = await call('GET', '/gateway/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    // The built folder has no node_modules: teams-js comes from the copy beside the bundle.
    const teamsJs = await call('GET', '/gateway/teams-js.js');
    expect(teamsJs.status).toBe(200);
    expect(teamsJs.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await teamsJs.text()).toBe(readFileSync(createRequire(__filename).resolve(teamsJsScript), 'utf8'));

    const admin = `Bearer ${await sign({ tid: 'tenant-a', oid: 'oid-1', sub: 's-1', roles: ['Connector.Admin'] })}`;
    const ticketResponse = await call('POST', '/gateway/connect/ticket', { authorization: admin });
    expect(ticketResponse.status).toBe(201);
    const { ticket } = (await ticketResponse.json()) as { ticket: string };

    const oneTime = TableClient.fromConnectionString(azurite.connectionString, 'BundleOneTime', { allowInsecureConnection: true });
    const stored = [];
    for await (const row of oneTime.listEntities()) {
      stored.push(row.rowKey);
    }
    expect(stored).toEqual([ticket]);

    const connect = await call('GET', `/gateway/connect?ticket=${ticket}&returnUrl=${encodeURIComponent('https://contoso.sharepoint.com/sites/crm')}`);
    expect(connect.status).toBe(302);
    expect(connect.headers.get('location')).toMatch(/^https:\/\/start\.exactonline\.nl\/api\/oauth2\/auth\?/);
    const left = [];
    for await (const row of oneTime.listEntities()) {
      left.push(row.partitionKey);
    }
    // The ticket is single use: taking it deleted it from the table.
    expect(left).not.toContain('connect-ticket');
  });
});
