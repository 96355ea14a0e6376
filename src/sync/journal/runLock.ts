import type { RunRecord } from './records';

/**
 * Which unfinished runs of a profile stop this one: those saved before it. Order of saving is
 * the one thing two admins' tabs agree on (the store lists runs in that order); start times
 * come from each computer's clock, and a tab whose clock was behind went ahead of a run that
 * had already passed this check, so both wrote. A run not in the list (a store that lags) is
 * stopped by every other run, which can leave none going but never two.
 */
export function earlierRuns<R extends Pick<RunRecord, 'id'>>(unfinished: R[], run: Pick<RunRecord, 'id'>): R[] {
  const at = unfinished.findIndex((r) => r.id === run.id);
  return (at < 0 ? unfinished : unfinished.slice(0, at)).filter((r) => r.id !== run.id);
}
