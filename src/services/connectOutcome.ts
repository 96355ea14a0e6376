import { z } from 'zod';
import type { ConnectResult } from './types';

/**
 * What the gateway's outcome page reports at the end of the connect flow (gateway/pages.ts): as a
 * message to the page that opened the popup, or in Teams as the `notifySuccess`/`notifyFailure`
 * text. Both connectors read it here, so a page's words do not depend on the host.
 */
export const connectOutcomeSchema = z.object({
  type: z.literal('exact-connect'),
  ok: z.boolean(),
  reason: z.enum(['denied', 'expired', 'exact-error']).optional(),
  error: z.string().optional(),
  exactUser: z.string().optional(),
  divisions: z.number().optional(),
});
export type ConnectOutcomeMessage = z.infer<typeof connectOutcomeSchema>;

export function connectResultOf(outcome: ConnectOutcomeMessage): ConnectResult {
  if (outcome.ok) return { kind: 'connected', exactUser: outcome.exactUser, divisions: outcome.divisions };
  const message = outcome.error ?? '';
  if (outcome.reason === 'denied') return { kind: 'denied', message };
  if (outcome.reason === 'expired') return { kind: 'expired', message };
  return { kind: 'failed', message };
}
