import * as strings from 'ImportProfilesWebPartStrings';
import type { RunCounts, RunRecord } from '../../../sync/journal/records';
import { format, formatNumber } from '../../../ui/format';

/**
 * The words for what a run and its undo change, shared by the run summary, the history and the
 * undo dialog, so "2 flagged as deleted in Exact" after a run is "2 items flagged as deleted in
 * Exact lose that flag" before its undo and "2 items no longer flagged as deleted in Exact" after.
 */

/** What an import run changed: created and updated always, flags and reported deletions when there are any. */
export function runChangesText(counts: RunCounts, locale: string): string {
  const n = (v: number): string => formatNumber(v, locale);
  const parts = [format(strings.CountCreated, n(counts.created)), format(strings.CountUpdated, n(counts.updated))];
  if (counts.flagged > 0) parts.push(format(strings.CountFlagged, n(counts.flagged)));
  if (counts.deleted > 0) parts.push(format(strings.CountDeletedReported, n(counts.deleted)));
  return parts.join(', ');
}

/** The summary after a run: read, what changed, and what was left. */
export function runSummaryText(counts: RunCounts, locale: string): string {
  const n = (v: number): string => formatNumber(v, locale);
  return format(strings.RunCounts, n(counts.read), runChangesText(counts, locale), n(counts.skipped), n(counts.conflicts), n(counts.failed));
}

/** Per kind, what an undo takes back: created items recycled, updated ones restored, deletion flags cleared. */
export interface UndoKinds {
  remove: number;
  restore: number;
  unflag: number;
}

const KINDS: Array<keyof UndoKinds> = ['remove', 'restore', 'unflag'];
const WILL: Record<keyof UndoKinds, () => string> = { remove: () => strings.UndoWillRemove, restore: () => strings.UndoWillRestore, unflag: () => strings.UndoWillUnflag };
const DID: Record<keyof UndoKinds, () => string> = { remove: () => strings.UndoDidRemove, restore: () => strings.UndoDidRestore, unflag: () => strings.UndoDidUnflag };

/** Before an undo: one line per kind it will take back. */
export function undoPlanLines(plan: UndoKinds, locale: string): string[] {
  return KINDS.filter((k) => plan[k] > 0).map((k) => format(WILL[k](), formatNumber(plan[k], locale)));
}

/**
 * After an undo: the kinds the dialog named (and any other it did), then what it left alone, what
 * was already undone and what failed.
 */
export function undoDoneText(done: UndoKinds & { refused: number; skipped: number; failed: number }, plan: UndoKinds, locale: string): string {
  const n = (v: number): string => formatNumber(v, locale);
  const parts = KINDS.filter((k) => plan[k] > 0 || done[k] > 0).map((k) => format(DID[k](), n(done[k])));
  parts.push(format(strings.UndoDidRefuse, n(done.refused)));
  if (done.skipped > 0) parts.push(format(strings.UndoDidSkip, n(done.skipped)));
  if (done.failed > 0) parts.push(format(strings.CountFailed, n(done.failed)));
  return format(strings.UndoDone, parts.join(', '));
}

/** A run's row in the history: an import's changes, or what an undo took back, and what failed. */
export function historyCountsText(run: RunRecord, locale: string): string {
  const n = (v: number): string => formatNumber(v, locale);
  const c = run.counts;
  const failed = format(strings.CountFailed, n(c.failed));
  if (run.mode !== 'Undo') return `${runChangesText(c, locale)}, ${failed}`;
  // An undo run counts recycled items in deleted, restored in updated, cleared flags in flagged.
  const took: UndoKinds = { remove: c.deleted, restore: c.updated, unflag: c.flagged };
  const parts = KINDS.filter((k) => took[k] > 0).map((k) => format(DID[k](), n(took[k])));
  return [...parts, failed].join(', ');
}
