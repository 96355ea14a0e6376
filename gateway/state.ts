/**
 * OAuth `state` for the Exact connect flow: an HMAC-signed, expiring envelope whose id is also a
 * single-use record in the store. Tampering breaks the signature, lateness the expiry, and a
 * replay finds the record already taken.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../src/sync/clock';
import type { GatewayStore } from './store/types';

export const connectStateSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  connectionId: z.string(),
  userId: z.string(),
  returnUrl: z.string().url(),
  /** The host the connect started in: `teams` makes the outcome page answer through teams-js. */
  host: z.literal('teams').optional(),
  /** sha256 of the nonce in the starting browser's cookie: the consent must finish in that browser. */
  browser: z.string(),
  expiresAt: z.number(),
});
export type ConnectState = z.infer<typeof connectStateSchema>;

export class StateError extends Error {}

export interface StateSigner {
  /** Returns the state and the nonce the starting browser keeps in a cookie. */
  issue(fields: Omit<ConnectState, 'id' | 'expiresAt' | 'browser' | 'host'> & { host?: ConnectState['host'] }): Promise<{ state: string; browserNonce: string }>;
  /** Verifies and consumes; throws StateError with the reason otherwise. */
  redeem(state: string, browserNonce: string | undefined): Promise<ConnectState>;
}

const hashNonce = (nonce: string): string => createHash('sha256').update(nonce).digest('base64url');

export function createStateSigner(secret: Buffer, store: GatewayStore, clock: Clock, ttlMs = 10 * 60_000): StateSigner {
  const mac = (body: string): Buffer => createHmac('sha256', secret).update(body).digest();
  return {
    async issue(fields) {
      const browserNonce = randomBytes(24).toString('base64url');
      const state: ConnectState = { ...fields, id: randomBytes(16).toString('base64url'), browser: hashNonce(browserNonce), expiresAt: clock.now() + ttlMs };
      await store.putOneTime({ kind: 'oauth-state', id: state.id, payload: { userId: state.userId }, expiresAt: state.expiresAt });
      const body = Buffer.from(JSON.stringify(state)).toString('base64url');
      return { state: `${body}.${mac(body).toString('base64url')}`, browserNonce };
    },
    async redeem(value, browserNonce) {
      const [body, signature, extra] = value.split('.');
      if (!body || !signature || extra !== undefined) {
        throw new StateError('The state parameter is malformed.');
      }
      const expected = mac(body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new StateError('The state parameter was altered.');
      }
      const parsed = connectStateSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      if (!parsed.success) {
        throw new StateError('The state parameter is malformed.');
      }
      if (parsed.data.expiresAt <= clock.now()) {
        throw new StateError('The connect attempt expired; start again.');
      }
      // Someone else's consent must not land in this tenant: a state link sent to another person
      // arrives without the starting browser's cookie.
      const presented = Buffer.from(browserNonce ? hashNonce(browserNonce) : '');
      const bound = Buffer.from(parsed.data.browser);
      if (presented.length !== bound.length || !timingSafeEqual(presented, bound)) {
        throw new StateError('This connect attempt was started in another browser window; start again from the connector.');
      }
      const record = await store.takeOneTime('oauth-state', parsed.data.id);
      if (!record) {
        throw new StateError('This connect attempt was already used; start again.');
      }
      return parsed.data;
    },
  };
}
