/** What the proxy's parts share: its settings and services, and the state one proxy instance keeps. */
import type { Clock } from '../../src/sync/clock';
import type { Operation } from '../access/operations';
import type { Caller } from '../auth';
import type { GatewayConfig } from '../config';
import type { ExactErrorBudget } from '../errorBudget';
import type { CachedResponse, ShortCache } from '../guards';
import type { Logger } from '../log';
import type { DivisionQueue } from '../queue';
import type { SingleFlight } from '../singleFlight';
import type { Sleeper } from '../sleeper';
import type { GatewayStore } from '../store/types';
import type { TokenService } from '../tokens';

export interface ProxyDeps {
  config: GatewayConfig;
  clock: Clock;
  sleeper: Sleeper;
  store: GatewayStore;
  tokens: TokenService;
}

export interface ProxyContext extends ProxyDeps {
  /** Keyed by Exact host and division: Exact's rate budget is per division. */
  queues: Map<string, DivisionQueue>;
  errorBudget: ExactErrorBudget;
  cache: ShortCache;
  flights: SingleFlight<CachedResponse>;
}

/** One caller's request for the proxy, from a route of the gateway or from another route reusing it. */
export interface ProxyRequest {
  request: Request;
  caller: Caller;
  /** The path after `/exact/`: `{division}/{service}/{entity}…` or `current/Me`. */
  subPath: string;
  logger: Logger;
  connectionId: string;
  /**
   * Set by a gateway route that reads Exact on the caller's behalf for an operation of its own
   * (the invoice PDF reads `documents/*`), having checked the caller for it; a request from
   * outside is classified instead.
   */
  operation?: Operation;
}
