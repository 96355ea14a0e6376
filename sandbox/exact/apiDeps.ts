/** What the `/api/v1` handlers are given by the emulator; its own module so every handler can name it without importing the router. */
import type { Clock } from '../../src/sync/clock';
import type { RateLimiter } from './limits';
import type { OAuthServer } from './oauth';
import type { DemoUser } from './oauthPages';
import type { DivisionInfo } from './seed';
import type { DivisionData } from './store';
import type { WebhookHub } from './webhooks';

export interface ApiDeps {
  clock: Clock;
  oauth: OAuthServer;
  limiter: RateLimiter;
  user: DemoUser;
  divisions: DivisionInfo[];
  data: (code: number) => DivisionData;
  currentDivision: () => number;
  /** `division endpoint` → successful-or-not calls that passed the rate limiter. */
  calls: Map<string, number>;
  /** Whether a read without `Accept: application/json` gets Atom XML. */
  atom: () => boolean;
  webhooks: WebhookHub;
  /** The emulator's root (`http://127.0.0.1:port/exact`), for absolute document URLs. */
  baseUrl?: () => string;
  /** Whether the user may read payroll/Employees' personal fields (HR rights); without it they are left out. */
  hrRights?: () => boolean;
}
