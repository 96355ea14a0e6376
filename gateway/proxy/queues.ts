/** The budget queue per Exact division, and what is left of each division's budget for the status page. */
import { DivisionQueue } from '../queue';
import type { ConnectionRecord } from '../store/types';
import type { ProxyContext } from './context';

const queueKey = (connection: ConnectionRecord, division: number): string => `${connection.exactBaseUrl}|${division}`;

export function queueFor(context: ProxyContext, connection: ConnectionRecord, division: number): DivisionQueue {
  const { queues, clock, sleeper, config } = context;
  const key = queueKey(connection, division);
  let queue = queues.get(key);
  if (!queue) {
    queue = new DivisionQueue(clock, sleeper, config.budget);
    queues.set(key, queue);
  }
  return queue;
}

/** A division with no queue yet shows a fresh one's windows, without keeping it. */
export function budgetsOf(context: ProxyContext, connection: ConnectionRecord) {
  const { queues, clock, sleeper, config } = context;
  return connection.divisions.map((d) => {
    const queue = queues.get(queueKey(connection, d.code)) ?? new DivisionQueue(clock, sleeper, config.budget);
    return { division: d.code, ...queue.windows(), queued: queue.queued };
  });
}
