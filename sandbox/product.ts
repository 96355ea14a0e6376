import { spfi, SPFx } from '@pnp/sp';
import { siteContext } from '../src/crm/pnp';
import { provisionCrm, type ProvisionReport } from '../src/crm/provision';
import { tenantSettingsKey, type ConnectorSettings } from '../src/services/connectorSettings';
import { gateway } from './gateway';
import { createExactEmulator, type ExactEmulatorControl } from './exact';
import { identityProvider } from './idp';
import { sandboxApiAudience } from './idp/users';
import { startSandbox, type RunningSandbox, type SandboxOptions } from './server';
import { SessionCookie, sharePointEmulatorPart, type SharePointControl } from './sharepoint';
import { teams } from './teams';
import { workbench } from './workbench';

export interface RunningProduct {
  sandbox: RunningSandbox;
  exact: ExactEmulatorControl;
  sharePoint: SharePointControl;
  provisioning: ProvisionReport;
  /** The workbench's address (localhost; see sandbox/workbench). */
  workbenchUrl: string;
}

/**
 * The whole product on one port, as `npm start` serves it and the browser tests drive it: the
 * workbench, the stand-ins for Exact, SharePoint and Entra ID, and the real gateway. The CRM lists
 * are provisioned as the site owner would (idempotent: a restart only reads).
 */
export async function startProduct(options: SandboxOptions & { port?: number }): Promise<RunningProduct> {
  let exact: ExactEmulatorControl | undefined;
  const sharePoint = sharePointEmulatorPart();
  const sandbox = await startSandbox(
    [
      workbench,
      teams,
      sharePoint.factory,
      (context) => {
        const emulator = createExactEmulator(context);
        exact = emulator.control;
        return emulator.part;
      },
      identityProvider,
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
  const provisioning = await provisionCrm(spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner)));
  return { sandbox, exact, sharePoint: sharePoint.control(), provisioning, workbenchUrl };
}
