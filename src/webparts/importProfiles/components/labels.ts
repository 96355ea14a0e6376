import * as strings from 'ImportProfilesWebPartStrings';
import type { RunAction, RunRecord } from '../../../sync/journal/records';

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
  })[status];

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
