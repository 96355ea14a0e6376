import { spfi, SPFx } from '@pnp/sp';
import { siteContext } from '../src/crm/pnp';
import { provisionCrm, type ProvisionReport } from '../src/crm/provision';
import { tenantSettingsKey, type ConnectorSettings } from '../src/services/connectorSettings';
import { seedCrmOrders } from './crmOrders';
import { gateway } from './gateway';
import { createExactEmulator, type ExactEmulatorControl } from './exact';
import { demoUsers, identityProviderPart } from './idp';
import { sandboxConnectorApp } from './idp/apps';
import { loadOrCreateDevCertificate } from './idp/devCertificate';
import { sandboxApiAudience } from './idp/users';
import { startSandbox, type RunningSandbox, type SandboxOptions } from './server';
import { GRAPH_PATH, graphResource, SessionCookie, sharePointEmulatorPart, type SharePointControl } from './sharepoint';
import { contosoTenantId } from './idp/users';
import { teams } from './teams';
import { workbench } from './workbench';

export interface RunningProduct {
  sandbox: RunningSandbox;
  exact: ExactEmulatorControl;
  sharePoint: SharePointControl;
  provisioning: ProvisionReport;
  /** The workbench's address (localhost; see sandbox/workbench). */
  workbenchUrl: string;
  /** The CRM sales orders seeded (SANDBOX_CRM_ORDERS=1), or found there already. */
  crmOrders?: { orders: number; seeded: boolean };
}

/**
 * The whole product on one port, as `npm start` serves it and the browser tests drive it: the
 * workbench, the stand-ins for Exact, SharePoint and Entra ID, and the real gateway. The CRM lists
 * are provisioned as the site owner would (idempotent: a restart only reads).
 */
export async function startProduct(options: SandboxOptions & { port?: number }): Promise<RunningProduct> {
  let exact: ExactEmulatorControl | undefined;
  const sharePoint = sharePointEmulatorPart();
  const idp = identityProviderPart();
  // The connector's certificate, made before the gateway reads it from the same data folder.
  const certificate = options.dataDir ? await loadOrCreateDevCertificate(options.dataDir, { commonName: sandboxConnectorApp.displayName, now: new Date() }) : undefined;
  const sandbox = await startSandbox(
    [
      workbench,
      teams,
      sharePoint.factory,
      sharePoint.graph,
      (context) => {
        const emulator = createExactEmulator(context);
        exact = emulator.control;
        return emulator.part;
      },
      idp.factory,
      gateway,
    ],
    options,
  );
  if (!exact) throw new Error('The Exact emulator did not start.');
  const siteUrl = `${sandbox.url}/sites/crm`;
  const workbenchUrl = `${sandbox.url.replace('127.0.0.1', 'localhost')}/`;
  // The tenant admin's one step (README, deployment step 4), at every start: the port may change.
  const tenant: ConnectorSettings = { gatewayUrl: `${sandbox.url}/gateway`, gatewayResource: sandboxApiAudience, crmSiteUrl: `${workbenchUrl}sites/crm` };
  sharePoint.control().setStorageEntity(tenantSettingsKey, JSON.stringify(tenant));
  const owner = sharePoint.control().sessionCookieFor('admin@contoso.test');
  const ownerSp = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner));
  const provisioning = await provisionCrm(ownerSp);
  // `npm start` shows CRM sales orders to send (SANDBOX_CRM_ORDERS=1); tests ask for them when they need them.
  const crmOrders = options.env?.SANDBOX_CRM_ORDERS === '1' ? await seedCrmOrders({ sp: ownerSp, exact, division: exact.divisions[0].code }) : undefined;
  if (certificate) await grantConnectorApp({ baseUrl: sandbox.url, idp: idp.control(), certificatePem: certificate.certificatePem });
  return { sandbox, exact, sharePoint: sharePoint.control(), provisioning, workbenchUrl, crmOrders };
}

/**
 * The tenant admin's steps for background runs (gateway/README.md, "Background runs"), at every
 * start: the app registration holds the certificate and SharePoint's Sites.Selected, and an admin
 * grants it the CRM site through Graph (`POST /v1.0/sites/{site-id}/permissions`, role write).
 */
async function grantConnectorApp(input: { baseUrl: string; idp: ReturnType<ReturnType<typeof identityProviderPart>['control']>; certificatePem: string }): Promise<void> {
  const { baseUrl, idp } = input;
  idp.registerApp({
    ...sandboxConnectorApp, tenantId: contosoTenantId, certificates: [input.certificatePem],
    appRoles: { [baseUrl]: ['Sites.Selected'], [baseUrl.replace('127.0.0.1', 'localhost')]: ['Sites.Selected'] },
  });
  const token = await idp.issueAccessToken(demoUsers.admin, { aud: graphResource, scp: 'Sites.FullControl.All' });
  const graph = (path: string, init: RequestInit = {}) => fetch(`${baseUrl}${GRAPH_PATH}/v1.0${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  const site = (await (await graph(`/sites/${new URL(baseUrl).host}:/sites/crm`)).json()) as { id: string };
  const granted = await graph(`/sites/${site.id}/permissions`, {
    method: 'POST', body: JSON.stringify({ roles: ['write'], grantedToIdentities: [{ application: { id: sandboxConnectorApp.clientId, displayName: sandboxConnectorApp.displayName } }] }),
  });
  if (granted.status !== 201) throw new Error(`Granting the CRM site to the connector's app failed: ${granted.status} ${await granted.text()}`);
}
