/**
 * OAuth `state` for the Exact connect flow: an HMAC-signed, expiring envelope whose id is also a
 * single-use record in the store. Tampering breaks the signature, lateness the expiry, and a
 * replay finds the record already taken.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../src/core/clock';
import type { GatewayStore } from './store/types';

export const connectStateSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  connectionId: z.string(),
  userId: z.string(),
  returnUrl: z.string().url(),
  expiresAt: z.number(),
});
export type ConnectState = z.infer<typeof connectStateSchema>;

export class StateError extends Error {}

export interface StateSigner {
  issue(fields: Omit<ConnectState, 'id' | 'expiresAt'>): Promise<string>;
  /** Verifies and consumes; throws StateError with the reason otherwise. */
  redeem(state: string): Promise<ConnectState>;
}

export function createStateSigner(secret: Buffer, store: GatewayStore, clock: Clock, ttlMs = 10 * 60_000): StateSigner {
  const mac = (body: string): Buffer => createHmac('sha256', secret).update(body).digest();
  return {
    async issue(fields) {
      const state: ConnectState = { ...fields, id: randomBytes(16).toString('base64url'), expiresAt: clock.now() + ttlMs };
      await store.putOneTime({ kind: 'oauth-state', id: state.id, payload: { userId: state.userId }, expiresAt: state.expiresAt });
      const body = Buffer.from(JSON.stringify(state)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    async redeem(value) {
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
      const record = await store.takeOneTime('oauth-state', parsed.data.id);
      if (!record) {
        throw new StateError('This connect attempt was already used; start again.');
      }
      return parsed.data;
    },
  };
}
