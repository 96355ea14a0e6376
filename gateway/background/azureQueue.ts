/**
 * The run queue on Azure Storage (see ./queue.ts). Messages are base64 text, what the Functions
 * queue trigger expects by default (`messageEncoding: base64`), so the host can hand them to the
 * queue function and move them to `<queue>-poison` itself.
 */
import { QueueClient } from '@azure/storage-queue';
import type { MessageQueue } from './queue';

export interface AzureQueueOptions {
  connectionString: string;
  name: string;
}

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

export function createAzureQueue({ connectionString, name }: AzureQueueOptions): MessageQueue {
  const client = new QueueClient(connectionString, name);
  let ready: Promise<unknown> | undefined;
  const ensure = (): Promise<unknown> => {
    ready ??= client.createIfNotExists().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    async send(text, options) {
      await ensure();
      await client.sendMessage(Buffer.from(text, 'utf8').toString('base64'), { visibilityTimeout: seconds(options?.delayMs ?? 0) });
    },
    async receive(max, visibilityMs) {
      await ensure();
      const answer = await client.receiveMessages({ numberOfMessages: Math.min(32, max), visibilityTimeout: seconds(visibilityMs) });
      return answer.receivedMessageItems.map((m) => ({
        id: m.messageId,
        text: Buffer.from(m.messageText, 'base64').toString('utf8'),
        dequeueCount: m.dequeueCount,
        receipt: m.popReceipt,
      }));
    },
    async delete(message) {
      await client.deleteMessage(message.id, message.receipt).catch((error: unknown) => {
        // A stale receipt: someone else holds (or deleted) it now.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      });
    },
    async release(message, delayMs) {
      await client.updateMessage(message.id, message.receipt, undefined, seconds(delayMs)).catch((error: unknown) => {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      });
    },
  };
}
