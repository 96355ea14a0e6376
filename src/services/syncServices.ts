import type { Clock } from '../sync/clock';
import { SyncEngine } from '../sync/run/engine';
import { ProfileService } from '../sync/service';
import { ReviewService } from '../sync/journal/review';
import type { CrmTarget } from '../sync/ports';
import { createCrmTarget } from '../crm/crmList';
import { createDocumentStore } from '../crm/documentStore';
import type { SPFI } from '../crm/pnp';
import { createSharePointProfileStore } from '../crm/profileStore';
import { createSharePointRunJournal } from '../crm/runStore';
import { ExactClient } from '../exact/client';
import { createGatewayTransport, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { createExactRecordSource } from '../exact/recordSource';
import type { SyncServices } from './types';

/** The engine over the gateway (Exact) and PnPjs (CRM), as tests and the browser both run it. */
export function createSyncServices(options: { sp: SPFI; gateway: GatewayTransportOptions }, clock: Clock): SyncServices {
  const client = new ExactClient(createGatewayTransport(options.gateway), { clock });
  return wireSync({ sp: options.sp, client, clock });
}

/**
 * The engine's wiring, shared by the browser (over the gateway) and the tests (direct to the
 * emulators). `crm` replaces the SharePoint target where a test injects faults into it.
 */
export function wireSync(parts: { sp: SPFI; client: ExactClient; clock: Clock; newRunId?: () => string; crm?: CrmTarget }): SyncServices {
  const exact = createExactRecordSource(parts.client);
  const crm = parts.crm ?? createCrmTarget(parts.sp);
  const documents = createDocumentStore(parts.sp);
  const runs = createSharePointRunJournal(parts.sp, { documents });
  const profileStore = createSharePointProfileStore(parts.sp);
  const engine = new SyncEngine({ exact, crm, documents, runs, profiles: profileStore, clock: parts.clock, newRunId: parts.newRunId });
  return {
    engine,
    profiles: new ProfileService({ profiles: profileStore, exact, crm, runs }),
    review: new ReviewService({ documents, crm, clock: parts.clock }),
    runs,
    profileStore,
    documents,
    crm,
    exact,
  };
}
