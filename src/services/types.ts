/**
 * What every root component gets from the composition root. Interfaces only, so `src/ui` and the
 * web parts depend on these names and never on PnPjs, axios or the gateway's wire format.
 */
import type { GatewayConnectionStatus } from '../exact/gatewayTransport';
import type { BackgroundSettings, ScheduleList, ScheduleSpec, ScheduleView } from '../exact/gatewaySchedules';
import type { FinanceService } from '../finance/financeService';
import type { ImportProfilesService } from '../sync/service';
import type { OrdersService } from '../orders/service';

export type ConnectionStatus = GatewayConnectionStatus;
export type { BackgroundSettings, ScheduleList, ScheduleSpec, ScheduleView };

/** Background runs of the CRM site's import profiles (the gateway's schedules; admins only). */
export interface ScheduleService {
  /** This site's schedules, or with `allSites` every schedule of the connection (the health panel). */
  list(options?: { allSites?: boolean }): Promise<ScheduleList>;
  save(profile: { id: string; name: string; entity: string; division?: number }, spec: ScheduleSpec): Promise<ScheduleView>;
  pauseAll(paused: boolean): Promise<BackgroundSettings>;
  /** An incoming-webhook URL of a Teams channel (null: none) for failed background runs. */
  setTeamsWebhook(url: string | null): Promise<BackgroundSettings>;
}

/** How a connect attempt ended, in terms a page can choose its own words for. */
export type ConnectResult =
  | { kind: 'connected'; exactUser?: string; divisions?: number }
  | { kind: 'blocked' }
  | { kind: 'closed' }
  | { kind: 'denied'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'failed'; message: string };

/** The tenant's Exact connection, held by the gateway. */
export interface ConnectionService {
  status(): Promise<ConnectionStatus>;
  /**
   * Runs the whole connect flow in the host's way (a browser popup on a SharePoint page,
   * `authentication.authenticate` in Teams). Must be called from a click handler: a popup
   * opened later is blocked by the browser.
   */
  connect(): Promise<ConnectResult>;
  chooseDivision(division: number): Promise<ConnectionStatus>;
  /** The divisions of the connection the CRM may use (the gateway refuses the others); the working division is always one. */
  chooseEnabledDivisions(divisions: number[]): Promise<ConnectionStatus>;
  /** `MM-DD`, for one division (administrations can close their books on different days). */
  saveFinancialYearStart(settings: { monthDay: string; division: number }): Promise<ConnectionStatus>;
  disconnect(): Promise<void>;
}

export interface CurrentUser {
  title: string;
  email: string;
  loginName: string;
}

/** SharePoint's say on what the person may do here; the gateway's role stays the authority. */
export interface PermissionService {
  currentUser(): Promise<CurrentUser>;
  /** Site owners (Manage Web): the CRM administrators. */
  isCrmAdmin(): Promise<boolean>;
}

/** A failure sorted into what a person can act on. */
export type ProblemKind = 'access-denied' | 'not-signed-in' | 'not-connected' | 'needs-consent' | 'budget' | 'unavailable' | 'network' | 'bad-request' | 'unknown';

export interface Problem {
  kind: ProblemKind;
  /** What the server said, for the details line (already free of tokens). */
  message: string;
  /** When trying again makes sense (Exact budget back, Retry-After). */
  retryAt?: string;
  /** Who failed, where the words differ: a SharePoint list that does not answer is not Exact's fault. */
  source?: 'sharepoint';
}

export interface ConnectorServices {
  connection: ConnectionService;
  permissions: PermissionService;
  /**
   * Loaded and built on first use (its own bundle chunk), so a page that only shows the
   * connection never downloads the engine.
   */
  sync(): Promise<ImportProfilesService>;
  /** The customer panel's reads and the "Create in Exact" flow; its own chunk like `sync()`. */
  finance(): Promise<FinanceService>;
  /** Order profiles, billing reports, sales orders in Exact and Globe files; its own chunk like `sync()`. */
  orders(): Promise<OrdersService>;
  schedules: ScheduleService;
  /** Turns any error a service throws into a Problem. */
  explain(error: unknown): Problem;
}
