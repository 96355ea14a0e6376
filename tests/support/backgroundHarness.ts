/**
 * Background runs over real HTTP on 127.0.0.1: the identity provider (the app's certificate
 * registered), the SharePoint stand-in with its Graph grant endpoint, the Exact emulator and the
 * gateway (connected to Exact), and `createRunChunk` wired as the Functions queue handler wires
 * it. The CRM lists and the default profiles are set up as the site owner would.
 */
import { TestClock } from '../../src/sync/clock';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { createExactEmulator, type ExactEmulatorControl } from '../../sandbox/exact';
import { createIdentityProvider, contosoTenantId, demoUsers, type IdentityProviderControl } from '../../sandbox/idp';
import { createDevCertificate, type DevCertificate } from '../../sandbox/idp/devCertificate';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { createSharePointEmulator, GRAPH_PATH, graphResource, type SharePointControl } from '../../sandbox/sharepoint';
import { sandboxGatewayConfig } from '../../sandbox/gateway';
import { createGatewayApp, type GatewayApp } from '../../gateway/app';
import { createMemoryLogger } from '../../gateway/log';
import { createClockSleeper } from '../../gateway/sleeper';
import { createEmbeddedStore, type EmbeddedStore } from '../../gateway/store/embedded';
import type { BackgroundOptions } from '../../gateway/background/service';
import type { GatewayStore } from '../../gateway/store/types';
import type { SharePointAppSettings } from '../../gateway/config';
import { createRunChunk, type RunChunk, type RunChunkDeps } from '../../gateway/background/runChunk';
import { wireSync, type SyncWiring } from '../../src/services/syncServices';
import { ExactClient } from '../../src/exact/client';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { connectExact } from './gatewayHarness';

export const APP_ID = '5e1c0a11-0000-4000-8000-0000000ca7a1';
export const APP_NAME = 'Exact CRM Connector';

export interface BackgroundHarness {
  sandbox: RunningSandbox;
  clock: TestClock;
  idp: IdentityProviderControl;
  sp: SharePointControl;
  exact: ExactEmulatorControl;
  division: number;
  gateway: GatewayApp;
  store: GatewayStore;
  certificate: DevCertificate;
  app: SharePointAppSettings;
  siteUrl: string;
  /** The engine as the site owner runs it from the page (cookie-less caller = the owner). */
  owner: SyncWiring;
  /** A runChunk as one gateway instance has it; `overrides` for a second instance or a counting fetch. */
  runChunk: (overrides?: Partial<RunChunkDeps>) => RunChunk;
  /** Grants the CRM site to the app through Graph, as an admin; returns the permission id. */
  grant: (roles?: Array<'read' | 'write' | 'manage' | 'fullcontrol'>) => Promise<string>;
  /** Graph's DELETE of the app's permission. */
  revoke: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startBackgroundHarness(options: { accounts: number; spLatencyMs?: number; unlimitedExact?: boolean; background?: (store: EmbeddedStore, clock: TestClock) => BackgroundOptions }): Promise<BackgroundHarness> {
  // The client assertion is checked against the machine's clock (MSAL makes it from that clock).
  const clock = new TestClock(Date.now());
  const logger = createMemoryLogger();
  const sleeper = createClockSleeper(clock, 2);
  const store = createEmbeddedStore({ clock });
  let exact: ExactEmulatorControl | undefined;
  let idp: IdentityProviderControl | undefined;
  let sp: SharePointControl | undefined;
  let gateway: GatewayApp | undefined;
  const certificate = createDevCertificate({ commonName: APP_NAME, now: new Date() });
  let app: SharePointAppSettings | undefined;
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts: options.accounts });
        exact = emulator.control;
        return emulator.part;
      },
      async (context) => {
        const provider = await createIdentityProvider({ clock: context.clock, baseUrl: context.baseUrl });
        idp = provider.control;
        return { prefix: '/idp', describe: () => [], handler: provider.handler };
      },
      async (context) => {
        const emulator = await createSharePointEmulator(context, { inMemory: true, latencyMs: options.spLatencyMs ?? 0 });
        sp = emulator.control;
        return emulator.part;
      },
      () => ({ prefix: GRAPH_PATH, describe: () => [], handler: (request: Request) => sp!.graphHandler(request) }),
      (context) => ({
        prefix: '/gateway',
        describe: () => [],
        handler: async (request) => {
          if (!gateway) {
            const base = await sandboxGatewayConfig(context.baseUrl(), {}, undefined);
            app = { tenantId: contosoTenantId, clientId: APP_ID, authority: `${context.baseUrl()}/idp`, certificateThumbprint: certificate.thumbprintSha1, privateKey: certificate.privateKeyPem, displayName: APP_NAME };
            // The bench counts what a run spends; the budget itself is the gateway's business (its own tests).
            const budget = options.unlimitedExact ? { minuteLimit: 100_000_000, dayLimit: 100_000_000 } : undefined;
            gateway = createGatewayApp(
              { ...base, sharePointApp: app, ...(budget ? { budget } : {}) },
              { clock, store, logger, sleeper, instanceId: 'instance-1', background: options.background?.(store, clock) },
            );
          }
          return gateway(request);
        },
      }),
    ],
    { clock, env: {} },
  );
  if (options.unlimitedExact) exact!.setKnobs({ minuteLimit: 100_000_000, dayLimit: 100_000_000 });
  await fetch(`${sandbox.url}/gateway/health`);
  const siteUrl = sp!.siteUrl();
  idp!.registerApp({
    clientId: APP_ID, displayName: APP_NAME, tenantId: contosoTenantId, certificates: [certificate.certificatePem],
    appRoles: { [sandbox.url]: ['Sites.Selected'] }, servicePrincipalId: 'a0000000-0000-4000-8000-0000000a9901',
  });
  const adminToken = await idp!.issueAccessToken(demoUsers.admin);
  await connectExact({ url: (path) => `${sandbox.url}${path}`, exact: exact! }, adminToken);
  const ownerSp = createCrmSp(siteContext(siteUrl), siteUrl);
  const provisioned = await provisionCrm(ownerSp);
  if (provisioned.problems.length > 0) throw new Error(provisioned.problems.join('; '));
  const exactToken = exact!.issueTokens().access_token;
  const client = new ExactClient(createAxiosTransport({ baseUrl: `${sandbox.url}/exact/api/v1/`, getAccessToken: async () => exactToken, timeoutMs: 60_000 }), { clock });
  const owner = wireSync({ sp: ownerSp, client, clock });
  const division = exact!.divisions[0]!.code;
  await owner.importProfiles.profiles.ensureDefaults(division);

  const graphAdmin = () => idp!.issueAccessToken(demoUsers.admin, { aud: graphResource, scp: 'Sites.FullControl.All' });
  let permissionId: string | undefined;
  const graph = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${sandbox.url}${GRAPH_PATH}/v1.0${path}`, { ...init, headers: { authorization: `Bearer ${await graphAdmin()}`, 'content-type': 'application/json', ...init.headers } });
  const siteIdOf = async (): Promise<string> => {
    const site = (await (await graph(`/sites/${new URL(sandbox.url).host}:/sites/crm`)).json()) as { id: string };
    return site.id;
  };
  return {
    sandbox, clock, idp: idp!, sp: sp!, exact: exact!, division, gateway: gateway!, store, certificate, app: app!, siteUrl, owner,
    runChunk: (overrides = {}) => createRunChunk({ proxy: gateway!.proxy, app: app!, store, clock, logger, instanceId: 'instance-1', ...overrides }),
    grant: async (roles = ['write']) => {
      const response = await graph(`/sites/${await siteIdOf()}/permissions`, { method: 'POST', body: JSON.stringify({ roles, grantedToIdentities: [{ application: { id: APP_ID, displayName: APP_NAME } }] }) });
      if (response.status !== 201) throw new Error(`grant: ${response.status} ${await response.text()}`);
      permissionId = ((await response.json()) as { id: string }).id;
      return permissionId;
    },
    revoke: async () => {
      const response = await graph(`/sites/${await siteIdOf()}/permissions/${permissionId}`, { method: 'DELETE' });
      if (response.status !== 204) throw new Error(`revoke: ${response.status} ${await response.text()}`);
    },
    close: () => sandbox.close(),
  };
}
