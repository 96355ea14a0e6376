/** The schedules of the CRM site's import profiles, through the gateway (src/exact/gatewaySchedules.ts). */
import type { SPFI } from '../crm/pnp';
import { createGatewayScheduleApi } from '../exact/gatewaySchedules';
import type { GatewayTransportOptions } from '../exact/gatewayTransport';
import type { ScheduleService } from './types';

/** Exact webhook topics by the profile's source entity; other sources cannot follow changes. */
const topicOf: Record<string, 'Accounts' | 'Contacts' | undefined> = { Account: 'Accounts', Contact: 'Contacts' };

export function createScheduleService(options: { sp: SPFI; gateway: GatewayTransportOptions }): ScheduleService {
  const api = createGatewayScheduleApi(options.gateway);
  // The site the background runs write to: the one PnPjs is bound to.
  const siteUrl = (): string => options.sp.web.toUrl().replace(/\/_api\/web\/?$/i, '');
  return {
    list: ({ allSites } = {}) => api.list(allSites ? undefined : siteUrl()),
    save: (profile, spec) => api.save(profile.id, { siteUrl: siteUrl(), profileName: profile.name, topic: topicOf[profile.entity], division: profile.division, spec }),
    pauseAll: (paused) => api.settings({ paused }),
    setTeamsWebhook: (url) => api.settings({ teamsWebhookUrl: url }),
  };
}
