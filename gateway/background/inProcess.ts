/**
 * Background runs inside one Node process (`npm start`): what the Functions host does on Azure,
 * with real timers: the timer function every minute, and a pump that hands the queue's messages
 * to the queue handler (and failed-out ones to the poison handler).
 */
import type { Logger } from '../log';
import { pumpQueue, type MessageQueue } from './queue';
import type { Background } from './service';

export interface InProcessOptions {
  background: Background;
  queue: MessageQueue;
  poison: MessageQueue;
  logger: Logger;
  /** How long a message stays hidden while handled: more than a chunk's budget. */
  visibilityMs: number;
  tickEveryMs?: number;
  pumpEveryMs?: number;
}

export function startInProcessBackground(options: InProcessOptions): { stop(): Promise<void> } {
  const { background, logger } = options;
  // One chain each, so a long chunk does not hold up the timer; a round never overlaps its own next one.
  const busy: Record<string, Promise<unknown>> = { timer: Promise.resolve(), pump: Promise.resolve() };
  let stopped = false;
  const guard = (what: 'timer' | 'pump', work: () => Promise<unknown>) => () => {
    if (stopped) return;
    busy[what] = busy[what]!.then(work).catch((error: unknown) => logger.log('error', `background.${what}-failed`, { reason: error instanceof Error ? error.message : String(error) }));
  };
  const tick = setInterval(guard('timer', () => background.tick()), options.tickEveryMs ?? 60_000);
  const pump = setInterval(
    guard('pump', async () => {
      // Drain what is visible now; the next interval picks up delayed messages.
      while (!stopped && (await pumpQueue({ queue: options.queue, poison: options.poison, visibilityMs: options.visibilityMs, handle: async (text) => void (await background.handleMessage(text)), onPoison: (text) => background.handlePoison(text) })) > 0);
    }),
    options.pumpEveryMs ?? 1000,
  );
  tick.unref();
  pump.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(tick);
      clearInterval(pump);
      await Promise.all(Object.values(busy));
    },
  };
}
