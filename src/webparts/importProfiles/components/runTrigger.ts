import * as strings from 'ImportProfilesWebPartStrings';
import type { RunRecord } from '../../../sync/journal/records';
import { format } from '../../../ui/format';

/**
 * Who or what started a run, in the user's words, and who wrote it when that was not the person
 * (the connector's app in a background run). Runs from before triggers were recorded show `startedBy`.
 */
export function startedByText(run: Pick<RunRecord, 'startedBy' | 'trigger' | 'writer'>): string {
  const trigger = run.trigger;
  const who = trigger === undefined || trigger.kind === 'person'
    ? (trigger?.name ?? run.startedBy)
    : trigger.kind === 'schedule' ? strings.TriggerSchedule : format(strings.TriggerExactChange, trigger.topic);
  return run.writer ? format(strings.WrittenAs, who, run.writer) : who;
}

/** A run not started by a person: the schedule or a change in Exact, the gateway's background runs. */
export const isBackgroundRun = (run: Pick<RunRecord, 'trigger'>): boolean => run.trigger !== undefined && run.trigger.kind !== 'person';

/** "the schedule" / "a change in Exact", to follow "started … by". */
export const backgroundStarter = (run: Pick<RunRecord, 'trigger'>): string =>
  run.trigger?.kind === 'exactChange' ? strings.BackgroundByExactChange : strings.BackgroundBySchedule;
