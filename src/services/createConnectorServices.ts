import type { Clock } from '../sync/clock';
import { systemClock } from '../sync/clock';
import type { SPFI } from '../crm/pnp';
import { createGatewayConnectionApi, type GatewayTransportOptions } from '../exact/gatewayTransport';
import { consoleProblemLog, explainAndLog, type ProblemLog } from './explain';
import { createScheduleService } from './scheduleService';
import { sharePointPermissions } from './permissions';
import type { FinanceService } from '../finance/financeService';
import type { ImportProfilesService } from '../sync/service';
import type { OrdersService } from '../orders/service';
import type { ConnectorServices, ConnectResult } from './types';

export interface ConnectorServicesOptions {
  /** PnPjs bound to the CRM site (SPFx: `spfi(crmSiteUrl).using(SPFx(this.context))`). */
  sp: SPFI;
  /**
   * The gateway root (`https://crm-gateway.example.com/api`, or `http://localhost:4321/gateway` in
   * the sandbox) and an Entra token for its API (SPFx AadTokenProvider; MSAL outside SPFx).
   */
  gateway: GatewayTransportOptions;
  /** How this host runs the connect flow (popup on a page, `authentication.authenticate` in Teams). */
  connect: (connectUrl: (returnUrl: string) => Promise<string>) => () => Promise<ConnectResult>;
  clock?: Clock;
  /** Where explained failures are logged (spfx.ts: SPFx's `Log`); the console when absent. */
  log?: ProblemLog;
}

/**
 * The composition root: the one place that builds HTTP clients, stores and the engine. Web parts,
 * the workbench and the Teams host call it once and hand the result to their root component
 * through `ServicesProvider`.
 */
export function createConnectorServices(options: ConnectorServicesOptions): ConnectorServices {
  const clock = options.clock ?? systemClock;
  const api = createGatewayConnectionApi(options.gateway);
  const connect = options.connect((returnUrl) => api.connectUrl(returnUrl));
  let sync: Promise<ImportProfilesService> | undefined;
  let finance: Promise<FinanceService> | undefined;
  let orders: Promise<OrdersService> | undefined;
  return {
    connection: {
      status: () => api.status(),
      connect,
      chooseDivision: (division) => api.chooseDivision(division),
      chooseEnabledDivisions: (divisions) => api.chooseEnabledDivisions(divisions),
      saveFinancialYearStart: ({ monthDay, division }) => api.saveFinancialYearStart({ financialYearStart: monthDay, division }),
      disconnect: () => api.disconnect(),
    },
    permissions: sharePointPermissions(options.sp),
    sync: () =>
      (sync ??= import(/* webpackChunkName: 'connector-sync' */ './syncServices').then((m) => m.createSyncServices(options, clock)).catch((error: unknown) => {
        sync = undefined;
        throw error;
      })),
    finance: () =>
      (finance ??= import(/* webpackChunkName: 'connector-finance' */ './financeWiring').then((m) => m.createFinanceServices(options, clock, () => api.status())).catch((error: unknown) => {
        finance = undefined;
        throw error;
      })),
    orders: () =>
      (orders ??= import(/* webpackChunkName: 'connector-orders' */ './ordersWiring').then((m) => m.createOrdersServices(options, clock)).catch((error: unknown) => {
        orders = undefined;
        throw error;
      })),
    schedules: createScheduleService(options),
    explain: explainAndLog(options.log ?? consoleProblemLog),
  };
}

