/**
 * Posts a background run that failed or stopped to the connection's Teams channel, through the
 * incoming-webhook URL an admin set (a MessageCard, which Teams' incoming webhooks accept).
 * Only https, or http on the loopback for the sandbox's Teams stand-in.
 */
import { z } from 'zod';
import type { RunMessage } from './queue';
import type { LastResult } from './records';

export const teamsWebhookUrlSchema = z
  .string()
  .url()
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  }, 'an https:// address (http:// only on this computer)');

const triggerWords = (result: LastResult): string =>
  result.trigger.kind === 'schedule' ? 'the schedule' : result.trigger.kind === 'exactChange' ? `a change in Exact (${result.trigger.topic})` : result.trigger.name;

export function teamsCard(message: RunMessage, profileName: string, result: LastResult): unknown {
  const what = result.outcome === 'failed' ? 'failed' : `ended as ${result.status ?? 'unknown'}`;
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    themeColor: 'A4262C',
    summary: `Import profile ${profileName}: background run ${what}`,
    sections: [
      {
        activityTitle: `Import profile ${profileName}: background run ${what}`,
        facts: [
          { name: 'Started by', value: triggerWords(result) },
          { name: 'Reason', value: result.reason ?? '—' },
          { name: 'Site', value: message.siteUrl },
          ...(result.runId ? [{ name: 'Run', value: result.runId }] : []),
        ],
      },
    ],
  };
}

export async function postToTeams(fetchImpl: typeof fetch, url: string, card: unknown): Promise<void> {
  if (!teamsWebhookUrlSchema.safeParse(url).success) {
    throw new Error('The Teams webhook address is not allowed');
  }
  const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(card), signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(`Teams answered HTTP ${response.status}`);
  }
}
