import * as strings from 'ImportProfilesWebPartStrings';
import type { RunAction, RunRecord } from '../../../sync/journal/records';
import { format } from '../../../ui/format';

/** The user's words for the engine's enums. */
export const modeLabel = (mode: RunRecord['mode']): string =>
  ({ Import: strings.ModeImport, ImportAndUpdate: strings.ModeImportAndUpdate, Update: strings.ModeUpdate, Undo: strings.ModeUndo })[mode];

export const modeHelp = (mode: RunRecord['mode']): string =>
  ({ Import: strings.ModeImportHelp, ImportAndUpdate: strings.ModeImportAndUpdateHelp, Update: strings.ModeUpdateHelp, Undo: '' })[mode];

export const statusLabel = (status: RunRecord['status']): string =>
  ({
    Running: strings.StatusRunning,
    Completed: strings.StatusCompleted,
    CompletedWithErrors: strings.StatusCompletedWithErrors,
    Failed: strings.StatusFailed,
    Undone: strings.StatusUndone,
    Stopped: strings.StatusStopped,
    Abandoned: strings.StatusAbandoned,
  })[status];

/** Identifier signals match exactly or not at all; the others are a likelihood. */
const EXACT_SIGNALS = ['exactId', 'code', 'kvk', 'vat', 'review'];

/** "KvK number: exact match" / "Name and postcode: likely the same (70% sure)". */
export function signalText(signal: string, confidence: number): string {
  const name = (strings as unknown as Record<string, string>)[`Signal_${signal}`] ?? signal;
  return EXACT_SIGNALS.indexOf(signal) >= 0
    ? format(strings.SignalExactMatch, name)
    : format(strings.SignalLikelyMatch, name, Math.round(confidence * 100));
}

export const outcomeLabel = (action: RunAction): string =>
  ({
    create: strings.OutcomeCreate,
    update: strings.OutcomeUpdate,
    skip: strings.OutcomeSkip,
    conflict: strings.OutcomeConflict,
    error: strings.OutcomeError,
    deleted: strings.OutcomeDeleted,
    remove: strings.OutcomeRemove,
    restore: strings.OutcomeRestore,
    unflag: strings.OutcomeUnflag,
    refused: strings.OutcomeRefused,
  })[action];
