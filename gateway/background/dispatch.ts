/**
 * The timer's work (every minute): one message per due scheduled run. The message goes on the
 * queue before the schedule moves on to its next slot (a compare-and-swap), so a crash in between
 * sends it twice at worst, and the key (schedule and slot) makes the second a duplicate. Slots
 * missed while the gateway was down give one run, not one per slot.
 */
import type { Logger } from '../log';
import type { MessageQueue, RunMessage } from './queue';
import { connectionKey, type BackgroundRecords } from './records';
import { nextRunAt } from './schedule';

export interface DispatchDeps {
  records: BackgroundRecords;
  queue: MessageQueue;
  now: () => number;
  logger: Logger;
}

export async function dispatchDueRuns(deps: DispatchDeps): Promise<number> {
  const now = deps.now();
  const paused = new Map<string, boolean>();
  let sent = 0;
  for (const { id, value: schedule, version } of await deps.records.schedules.list()) {
    const connection = connectionKey(schedule.tenantId, schedule.connectionId);
    if (!paused.has(connection)) {
      paused.set(connection, (await deps.records.settings.get(connection))?.value.paused ?? false);
    }
    const next = nextRunAt(schedule.spec, now);
    if (paused.get(connection) || schedule.nextRunAt === undefined || schedule.nextRunAt > now) {
      // Off, paused or not yet due: keep "next run at" true to the schedule (a resume starts from now).
      const shown = paused.get(connection) ? undefined : (schedule.nextRunAt ?? next);
      if (shown !== schedule.nextRunAt) {
        await deps.records.schedules.put(id, { ...schedule, nextRunAt: shown }, version);
      }
      continue;
    }
    const message: RunMessage = {
      tenantId: schedule.tenantId,
      connectionId: schedule.connectionId,
      siteUrl: schedule.siteUrl,
      profileId: schedule.profileId,
      key: `schedule:${id}:${schedule.nextRunAt}`,
      step: 0,
      trigger: { kind: 'schedule' },
    };
    await deps.queue.send(JSON.stringify(message));
    sent++;
    if (!(await deps.records.schedules.put(id, { ...schedule, nextRunAt: next }, version))) {
      deps.logger.log('info', 'background.dispatch-raced', { schedule: id });
    }
  }
  return sent;
}
