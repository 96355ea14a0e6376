import { Log, ServiceKey, type ServiceScope } from '@microsoft/sp-core-library';
import type { WebPartContext } from '@microsoft/sp-webpart-base';
import { createCrmSp } from '../crm/pnp';
import { aadTokenProvider } from '../exact/aadTokenProvider';
import type { ConnectorSettings } from './connectorSettings';
import { createConnectorServices } from './createConnectorServices';
import type { ProblemLog } from './explain';
import { popupConnector } from './popupConnector';
import { teamsConnector, type TeamsAuthentication } from './teamsConnector';
import type { ConnectorServices } from './types';

/** The SPFx context parts the composition root reads (web parts and extensions both have them). */
export type SpfxContextLike = Pick<WebPartContext, 'pageContext' | 'aadTokenProviderFactory' | 'serviceScope'>;

const LOG_SOURCE = 'ExactCrmConnector';

/** Explained failures into SPFx's log (the developer dashboard and the console), with the web part's scope. */
function spfxProblemLog(scope: ServiceScope): ProblemLog {
  return (entry) => {
    if (entry.level === 'warning') Log.warn(LOG_SOURCE, entry.line, scope);
    else Log.error(LOG_SOURCE, new Error(entry.line), scope);
  };
}

/**
 * One services instance per page and settings, shared through SPFx's root service scope, so two
 * web parts on a page share the gateway token and the permission look-ups.
 */
class ConnectorServicesRegistry {
  private readonly byKey = new Map<string, ConnectorServices>();

  public get(context: SpfxContextLike, settings: ConnectorSettings, teams?: TeamsAuthentication): ConnectorServices {
    const crmSiteUrl = settings.crmSiteUrl || context.pageContext.web.absoluteUrl;
    const key = [settings.gatewayUrl, settings.gatewayResource, crmSiteUrl, teams ? 'teams' : 'page'].join('|');
    let services = this.byKey.get(key);
    if (!services) {
      const gatewayOrigin = new URL(settings.gatewayUrl).origin;
      services = createConnectorServices({
        sp: createCrmSp(context, crmSiteUrl),
        gateway: {
          gatewayUrl: settings.gatewayUrl,
          getAccessToken: aadTokenProvider(context.aadTokenProviderFactory.getTokenProvider(), settings.gatewayResource),
        },
        // Inside Teams a tab may not open a popup of its own; Teams opens it (authentication.authenticate).
        connect: (connectUrl) =>
          teams ? teamsConnector({ connectUrl, authentication: teams, returnUrl: () => window.location.href }) : popupConnector({ connectUrl, gatewayOrigin, host: window }),
        log: spfxProblemLog(context.serviceScope),
      });
      this.byKey.set(key, services);
    }
    return services;
  }
}

export const connectorServicesKey: ServiceKey<ConnectorServicesRegistry> = ServiceKey.create<ConnectorServicesRegistry>(
  'exactCrmConnector:ConnectorServices',
  ConnectorServicesRegistry,
);

/** `teams`: the web part runs in Teams (teams-js's `authentication`), which changes how connecting works. */
export function servicesFor(context: SpfxContextLike, settings: ConnectorSettings, teams?: TeamsAuthentication): ConnectorServices {
  return context.serviceScope.consume(connectorServicesKey).get(context, settings, teams);
}
