/** A queue table in the embedded store (`npm start`, one process): see ./queue.ts. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import type { EmbeddedStore } from '../store/embedded';
import type { MessageQueue, ReceivedMessage } from './queue';

const storedSchema = z.object({ id: z.string(), text: z.string(), visibleAt: z.number(), dequeueCount: z.number(), receipt: z.string() });
type Stored = z.infer<typeof storedSchema>;

const parseAll = (messages: unknown[]): Stored[] => messages.map((m) => storedSchema.parse(m));

export function createEmbeddedQueue(store: EmbeddedStore, name: string, clock: Clock): MessageQueue {
  return {
    send: (text, options) =>
      store.transactQueue(name, (messages) => ({
        result: undefined,
        messages: [...messages, { id: randomUUID(), text, visibleAt: clock.now() + (options?.delayMs ?? 0), dequeueCount: 0, receipt: '' }],
      })),
    receive: (max, visibilityMs) =>
      store.transactQueue(name, (raw) => {
        const now = clock.now();
        const messages = parseAll(raw);
        const taken: ReceivedMessage[] = [];
        for (const message of messages) {
          if (taken.length < max && message.visibleAt <= now) {
            message.visibleAt = now + visibilityMs;
            message.dequeueCount += 1;
            message.receipt = randomUUID();
            taken.push({ id: message.id, text: message.text, dequeueCount: message.dequeueCount, receipt: message.receipt });
          }
        }
        return { result: taken, messages: taken.length ? messages : undefined };
      }),
    delete: (message) =>
      store.transactQueue(name, (raw) => {
        const messages = parseAll(raw);
        const kept = messages.filter((m) => !(m.id === message.id && m.receipt === message.receipt));
        return { result: undefined, messages: kept.length === messages.length ? undefined : kept };
      }),
    release: (message, delayMs) =>
      store.transactQueue(name, (raw) => {
        const messages = parseAll(raw);
        const found = messages.find((m) => m.id === message.id && m.receipt === message.receipt);
        if (found) found.visibleAt = clock.now() + delayMs;
        return { result: undefined, messages: found ? messages : undefined };
      }),
  };
}
