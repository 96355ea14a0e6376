import type { Clock } from '../../src/sync/clock';
import type { CrmTarget, DocumentStore, ProfileStore, RunJournal } from '../../src/sync/ports';
import type { SyncEngine } from '../../src/sync/run/engine';
import type { ProfileService } from '../../src/sync/service';
import { createCrmTarget } from '../../src/crm/crmList';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm, type ProvisionReport } from '../../src/crm/provision';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { createExactEmulator, type ExactEmulatorControl, type ExactEmulatorOptions } from '../../sandbox/exact';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { wireSync } from '../../src/services/syncServices';
import { createSharePointEmulator, type SharePointControl } from '../../sandbox/sharepoint';

/**
 * The whole connector wired over real HTTP: the Exact client against the Exact emulator and the
 * CRM layer through PnPjs against the SharePoint emulator, both on one loopback sandbox.
 */
export interface ConnectorWiring {
  sandbox: RunningSandbox;
  exactControl: ExactEmulatorControl;
  spControl: SharePointControl;
  division: number;
  exactClient: ExactClient;
  provisioning: ProvisionReport;
  crm: CrmTarget;
  documents: DocumentStore;
  runs: RunJournal;
  profiles: ProfileStore;
  engine: SyncEngine;
  service: ProfileService;
}

export async function wireConnector(options: {
  clock: Clock;
  accounts: number;
  wrapCrm?: (crm: CrmTarget) => CrmTarget;
  newRunId?: () => string;
  /** Master data per division (items, projects, …); the emulator's defaults when absent. */
  master?: ExactEmulatorOptions['master'];
}): Promise<ConnectorWiring> {
  const { clock } = options;
  let exactControl: ExactEmulatorControl | undefined;
  let spControl: SharePointControl | undefined;
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts: options.accounts, master: options.master });
        exactControl = emulator.control;
        return emulator.part;
      },
      async (context) => {
        const emulator = await createSharePointEmulator(context, { inMemory: true });
        spControl = emulator.control;
        return emulator.part;
      },
    ],
    { clock, port: 0 },
  );
  if (!exactControl || !spControl) throw new Error('The emulators did not start.');
  const token = exactControl.issueTokens().access_token;
  const transport = createAxiosTransport({ baseUrl: `${sandbox.url}/exact/api/v1/`, getAccessToken: async () => token, timeoutMs: 60_000 });
  const exactClient = new ExactClient(transport, { clock });
  const siteUrl = spControl.siteUrl();
  const sp = createCrmSp(siteContext(siteUrl), siteUrl);
  const provisioning = await provisionCrm(sp);
  // The production wiring (the composition root's), with the test's fault-injecting CRM if any.
  const sync = wireSync({ sp, client: exactClient, clock, newRunId: options.newRunId, crm: options.wrapCrm ? options.wrapCrm(createCrmTarget(sp)) : undefined });
  const { crm, documents, runs, engine } = sync;
  const profiles = sync.profileStore;
  const service = sync.importProfiles.profiles;
  return {
    sandbox,
    exactControl,
    spControl,
    division: exactControl.divisions[0].code,
    exactClient,
    provisioning,
    crm,
    documents,
    runs,
    profiles,
    engine,
    service,
  };
}
