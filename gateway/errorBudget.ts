/**
 * Exact blocks an app for an hour after 10 errors (400/401/403/404) in an hour per Exact user,
 * division and endpoint. Every caller of a tenant goes through the same Exact user, so one
 * caller's bad filters would spend that allowance for everyone. The budget is therefore kept
 * per caller first: errors the caller caused (400, 404) pause only that caller. Errors the
 * caller did not cause (401, 403: the gateway's token or the Exact user's rights) pause the
 * endpoint for the tenant at `sharedThreshold`. A last guard over all errors stops everyone one
 * short of Exact's block, which several misbehaving callers together can still reach.
 */
import type { Clock } from '../src/sync/clock';
import { CircuitBreaker, countsAsExactError } from './guards';

/** Exact's own limit: errors an hour on one endpoint before it blocks the app. */
export const exactErrorLimit = 10;

export interface Pause {
  code: 'caller-paused' | 'endpoint-paused';
  status: 429 | 503;
  until: number;
  message: string;
}

export const callerCaused = (status: number): boolean => status === 400 || status === 404;

export class ExactErrorBudget {
  private readonly callers: CircuitBreaker;
  private readonly shared: CircuitBreaker;
  private readonly total: CircuitBreaker;

  public constructor(clock: Clock, private readonly settings: { sharedThreshold: number; callerThreshold: number }) {
    this.callers = new CircuitBreaker(clock, settings.callerThreshold);
    this.shared = new CircuitBreaker(clock, settings.sharedThreshold);
    // One below Exact's limit: calls already in flight may still add an error.
    this.total = new CircuitBreaker(clock, exactErrorLimit - 1);
  }

  /** Whether this caller may call the endpoint now; the caller's own pause is checked first. */
  public check(endpointKey: string, callerId: string, endpoint: string): Pause | undefined {
    const own = this.callers.openUntil(`${endpointKey}|${callerId}`);
    if (own !== undefined) {
      return {
        code: 'caller-paused',
        status: 429,
        until: own,
        message: `Exact refused ${this.settings.callerThreshold} of your calls to ${endpoint} in the last hour (for example a filter it does not accept); your calls to it are paused until ${new Date(own).toISOString()} so they cannot get this endpoint blocked for your whole organisation. Other users are not affected.`,
      };
    }
    const shared = this.shared.openUntil(endpointKey);
    const total = this.total.openUntil(endpointKey);
    const until = Math.max(shared ?? 0, total ?? 0);
    if (until > 0) {
      return {
        code: 'endpoint-paused',
        status: 503,
        until,
        message: `Exact answered ${endpoint} with too many errors in the last hour; calls are paused until ${new Date(until).toISOString()} so Exact does not block this app (it blocks after ${exactErrorLimit} an hour).`,
      };
    }
    return undefined;
  }

  public record(endpointKey: string, callerId: string, status: number): void {
    if (!countsAsExactError(status)) {
      return;
    }
    this.total.recordError(endpointKey);
    if (callerCaused(status)) {
      this.callers.recordError(`${endpointKey}|${callerId}`);
    } else {
      this.shared.recordError(endpointKey);
    }
  }
}
