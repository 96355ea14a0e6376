import type { Clock } from '../../src/core/clock';
import { SyncEngine } from '../../src/core/engine';
import type { CrmTarget, DocumentStore, ProfileStore, RunStore } from '../../src/core/ports';
import { ProfileService } from '../../src/core/profileService';
import { createCrmTarget } from '../../src/crm/crmList';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import { provisionCrm, type ProvisionReport } from '../../src/crm/provision';
import { createSharePointRunStore } from '../../src/crm/runStore';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { createExactRecordSource } from '../../src/exact/recordSource';
import { createExactEmulator, type ExactEmulatorControl } from '../../sandbox/exact';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
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
  runs: RunStore;
  profiles: ProfileStore;
  engine: SyncEngine;
  service: ProfileService;
}

export async function wireConnector(options: {
  clock: Clock;
  accounts: number;
  wrapCrm?: (crm: CrmTarget) => CrmTarget;
  newRunId?: () => string;
}): Promise<ConnectorWiring> {
  const { clock } = options;
  let exactControl: ExactEmulatorControl | undefined;
  let spControl: SharePointControl | undefined;
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts: options.accounts });
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
  const exact = createExactRecordSource(exactClient);
  const siteUrl = spControl.siteUrl();
  const sp = createCrmSp(siteContext(siteUrl), siteUrl);
  const provisioning = await provisionCrm(sp);
  const realCrm = createCrmTarget(sp);
  const crm = options.wrapCrm ? options.wrapCrm(realCrm) : realCrm;
  const documents = createDocumentStore(sp);
  const runs = createSharePointRunStore(sp);
  const profiles = createSharePointProfileStore(sp);
  const engine = new SyncEngine({ exact, crm, documents, runs, profiles, clock, newRunId: options.newRunId });
  const service = new ProfileService({ profiles, exact, crm, runs });
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
