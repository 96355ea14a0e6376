import type { Clock } from '../core/clock';
import { SyncEngine } from '../core/engine';
import { ProfileService } from '../core/profileService';
import { ReviewService } from '../core/review';
import { fromGenericProfileStore, fromGenericRunStore, profileIdentity, storedProfileSchema, summarizeRun } from '../core/adapters';
import { runRecordSchema } from '../core/records';
import { createCrmTarget } from '../crm/crmList';
import { createDocumentStore } from '../crm/documentStore';
import type { SPFI } from '../crm/pnp';
import { createProfileStore } from '../crm/profileStore';
import { createRunStore } from '../crm/runStore';
import { ExactClient } from '../exact/client';
import { createGatewayTransport, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { createExactRecordSource } from '../exact/recordSource';
import type { SyncServices } from './types';

/** The engine over the gateway (Exact) and PnPjs (CRM), as tests and the browser both run it. */
export function createSyncServices(options: { sp: SPFI; gateway: GatewayTransportOptions }, clock: Clock): SyncServices {
  const client = new ExactClient(createGatewayTransport(options.gateway), { clock });
  return wireSync({ sp: options.sp, client, clock });
}

export function wireSync(parts: { sp: SPFI; client: ExactClient; clock: Clock; newRunId?: () => string }): SyncServices {
  const exact = createExactRecordSource(parts.client);
  const crm = createCrmTarget(parts.sp);
  const documents = createDocumentStore(parts.sp);
  const runs = fromGenericRunStore(createRunStore(parts.sp, runRecordSchema, { summarize: summarizeRun }));
  const profileStore = fromGenericProfileStore(createProfileStore(parts.sp, storedProfileSchema, profileIdentity));
  const engine = new SyncEngine({ exact, crm, documents, runs, profiles: profileStore, clock: parts.clock, newRunId: parts.newRunId });
  return {
    engine,
    profiles: new ProfileService({ profiles: profileStore, exact, crm, runs }),
    review: new ReviewService({ documents, crm, clock: parts.clock }),
    runs,
    documents,
    crm,
    exact,
  };
}
