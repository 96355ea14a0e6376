/**
 * Waiting that follows the Clock: production waits real time, tests move a TestClock and the
 * waits end. The sleeper checks the clock at a short real-time interval, so it needs no hook
 * into the clock and works with any Clock implementation.
 */
import type { Clock } from '../src/sync/clock';

export interface Sleeper {
  /** Resolves once the clock has moved `ms` past the moment of the call. */
  sleep(ms: number): Promise<void>;
  /** Resolves once the clock reaches `at` (epoch ms). */
  until(at: number): Promise<void>;
  /** How many waits are running (tests use it to know the gateway is waiting for time). */
  readonly waiting: number;
}

export function createClockSleeper(clock: Clock, pollMs = 5): Sleeper {
  let waiting = 0;
  const until = async (at: number): Promise<void> => {
    waiting++;
    try {
      while (clock.now() < at) {
        const left = at - clock.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(left, pollMs))));
      }
    } finally {
      waiting--;
    }
  };
  return {
    until,
    sleep: (ms) => until(clock.now() + ms),
    get waiting() {
      return waiting;
    },
  };
}
