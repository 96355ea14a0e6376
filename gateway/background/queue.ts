/**
 * The run queue, behind one interface: Azure Storage queues in production (`./azureQueue.ts`; the
 * Functions host receives, retries and moves a message to `<queue>-poison` after 5 attempts) and
 * a queue table in the embedded store for `npm start` (`./embeddedQueue.ts`), whose in-process
 * pump (`pumpQueue`) does what the host does: receive, hide while handled, delete on success,
 * poison after `maxDequeueCount` failures.
 */
import { z } from 'zod';
import { profileAddressSchema, runTriggerSchema } from './records';

export const runQueueName = 'background-runs';
export const poisonQueueName = `${runQueueName}-poison`;
/** The Functions host's default `maxDequeueCount`. */
export const maxDequeueCount = 5;

/** One message: a chunk of one due run. `key` names the due run and dedupes it; `step` the chunk. */
export const runMessageSchema = profileAddressSchema.extend({
  key: z.string().min(1).max(1500),
  step: z.number().int().nonnegative(),
  runId: z.string().optional(),
  trigger: runTriggerSchema,
});
export type RunMessage = z.infer<typeof runMessageSchema>;

export interface ReceivedMessage {
  id: string;
  text: string;
  /** How often it has been handed out, this time included. */
  dequeueCount: number;
  receipt: string;
}

export interface MessageQueue {
  /** `delayMs`: invisible until then (a continuation after a busy lease, a debounced change run). */
  send(text: string, options?: { delayMs?: number }): Promise<void>;
  /** Hands out up to `max` visible messages, each hidden for `visibilityMs`. */
  receive(max: number, visibilityMs: number): Promise<ReceivedMessage[]>;
  /** Removes a message handed out with this receipt; nothing when the receipt is stale. */
  delete(message: ReceivedMessage): Promise<void>;
  /** Hides a handed-out message again for `delayMs` (a failed attempt's back-off). */
  release(message: ReceivedMessage, delayMs: number): Promise<void>;
}

export function parseRunMessage(text: string): RunMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('Run message is not JSON');
  }
  const parsed = runMessageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Run message field ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

export interface PumpOptions {
  queue: MessageQueue;
  poison: MessageQueue;
  handle(text: string, dequeueCount: number): Promise<void>;
  /** A message that failed `maxDequeueCount` times, after it was moved to the poison queue. */
  onPoison(text: string): Promise<void>;
  /** Longer than a chunk's budget, so a message being handled is not handed out twice. */
  visibilityMs: number;
  /** Hidden this long after a failed attempt. */
  retryDelayMs?: number;
  batch?: number;
}

/** One round of what the Functions host does for a queue trigger; returns how many it handled. */
export async function pumpQueue(options: PumpOptions): Promise<number> {
  const { queue, poison } = options;
  const messages = await queue.receive(options.batch ?? 4, options.visibilityMs);
  await Promise.all(
    messages.map(async (message) => {
      try {
        await options.handle(message.text, message.dequeueCount);
        await queue.delete(message);
      } catch {
        if (message.dequeueCount >= maxDequeueCount) {
          await poison.send(message.text);
          await queue.delete(message);
          await options.onPoison(message.text);
        } else {
          await queue.release(message, options.retryDelayMs ?? 1000);
        }
      }
    }),
  );
  return messages.length;
}
