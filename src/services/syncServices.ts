import type { Clock } from '../sync/clock';
import { SyncEngine } from '../sync/run/engine';
import { ImportProfilesService } from '../sync/service';
import type { CrmTarget, DocumentStore, ExactRecordSource, ProfileStore, RunJournal } from '../sync/ports';
import { createCrmTarget } from '../crm/crmList';
import { createListProvisioner } from '../crm/masterProvision';
import { createDocumentStore } from '../crm/documentStore';
import type { SPFI } from '../crm/pnp';
import { createSharePointProfileStore } from '../crm/profileStore';
import { createSharePointRunJournal } from '../crm/runStore';
import { ExactClient } from '../exact/client';
import { createGatewayTransport, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { createExactRecordSource } from '../exact/recordSource';

/** The engine over the gateway (Exact) and PnPjs (CRM), as the browser runs it: only the page's door. */
export function createSyncServices(
  options: { sp: SPFI; gateway: GatewayTransportOptions },
  clock: Clock,
): ImportProfilesService {
  const client = new ExactClient(createGatewayTransport(options.gateway), { clock });
  return wireSync({ sp: options.sp, client, clock }).importProfiles;
}

/**
 * The page's service with the parts it is built from. Tests reach the engine and the stores
 * here; the page gets `importProfiles` alone.
 */
export interface SyncWiring {
  importProfiles: ImportProfilesService;
  engine: SyncEngine;
  runs: RunJournal;
  profileStore: ProfileStore;
  documents: DocumentStore;
  crm: CrmTarget;
  exact: ExactRecordSource;
}

/**
 * The engine's wiring, shared by the browser (over the gateway) and the tests (direct to the
 * emulators). `crm` replaces the SharePoint target where a test injects faults into it.
 */
export function wireSync(parts: {
  sp: SPFI;
  client: ExactClient;
  clock: Clock;
  newRunId?: () => string;
  crm?: CrmTarget;
}): SyncWiring {
  const exact = createExactRecordSource(parts.client);
  const crm = parts.crm ?? createCrmTarget(parts.sp);
  const documents = createDocumentStore(parts.sp);
  const runs = createSharePointRunJournal(parts.sp, { documents });
  const profileStore = createSharePointProfileStore(parts.sp);
  const engine = new SyncEngine({ exact, crm, documents, runs, profiles: profileStore, clock: parts.clock, newRunId: parts.newRunId });
  return {
    importProfiles: new ImportProfilesService({ engine, profiles: profileStore, runs, documents, crm, exact, clock: parts.clock, lists: createListProvisioner(parts.sp) }),
    engine,
    runs,
    profileStore,
    documents,
    crm,
    exact,
  };
}
