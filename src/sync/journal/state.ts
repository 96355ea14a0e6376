import type { CrmItem } from '../model';
import type { FieldMapping, Profile } from '../profile/profile';
import { guardedFields, prunedMemory, rememberAgreedValues, rememberFoundValues, writtenAfter } from './agreedValues';
import type { WrittenValues } from './agreedValues';
import type { TimestampCursor } from './cursor';
import type { ProfileState, RunEntry, RunRecord } from './records';

/** What a finished (or abandoned) run read, for the state it leaves. */
export interface StateInputs {
  state: ProfileState;
  run: Pick<RunRecord, 'id' | 'since' | 'deletionsSince'>;
  profile: Profile;
  mappings: FieldMapping[];
  /** The CRM items the run planned against. */
  items: CrmItem[];
  supportsSync: boolean;
  entries: RunEntry[];
  /** The Exact read's cursors; absent when the run read nothing (abandoned): the cursor stays. */
  cursors?: { records: TimestampCursor; deletions: TimestampCursor; deletionTimestamps: Map<string, string> };
}

/**
 * The profile's state after a run: the cursor and the last written values move only now, after
 * the writes succeeded. `changed` is false when nothing in it moved (the document is then not
 * rewritten: a full re-read that changes nothing costs no write).
 */
export function nextProfileState(input: StateInputs): { state: ProfileState; changed: boolean } {
  const { state, run, entries } = input;
  const written: WrittenValues = { ...state.written };
  let changed = rememberAgreedValues(written, { mode: input.profile.mode, mappings: input.mappings, items: input.items, entries });
  const guarded = guardedFields(input.mappings);
  for (const e of entries) {
    if (e.outcome !== 'written') continue;
    const values = writtenAfter(written[e.exactKey], e, guarded);
    if (values) written[e.exactKey] = values;
    else delete written[e.exactKey];
    changed = true;
  }
  let { cursor, deletionsCursor } = state;
  if (input.supportsSync && input.cursors) {
    cursor = input.cursors.records.next(run.since, heldBackRecords(entries));
    deletionsCursor = input.cursors.deletions.next(run.deletionsSince, heldBackDeletions(entries, input.cursors.deletionTimestamps));
    changed = changed || cursor !== state.cursor || deletionsCursor !== state.deletionsCursor;
  }
  // A read of everything, filtered or not: rememberFoundValues gives every linked item outside
  // what this run wrote its memory of a newly covered field.
  const readEverything = (run.since === null || !input.supportsSync) && input.cursors !== undefined;
  if (readEverything && rememberFoundValues(written, { tracked: state.tracked, guarded, items: input.items, keyField: input.profile.key.crmField })) changed = true;
  if (!changed) return { state, changed };
  const memory = prunedMemory({ written, tracked: state.tracked }, guarded, readEverything);
  return { state: { ...state, cursor, deletionsCursor, lastRunId: run.id, written: memory.written, tracked: memory.tracked }, changed };
}

/** Records that did not make it into the CRM: the next incremental read starts before the oldest. */
function heldBackRecords(entries: RunEntry[]): string[] {
  return entries
    .filter((e) => e.timestamp !== undefined && (e.action === 'error' || e.outcome === 'failed' || (e.action === 'conflict' && e.kept.length === 0)))
    .map((e) => e.timestamp as string);
}

/** A deletion whose flag could not be written is read again next time. */
function heldBackDeletions(entries: RunEntry[], timestamps: Map<string, string>): string[] {
  return entries
    .filter((e) => e.action === 'deleted' && e.outcome === 'failed')
    .map((e) => timestamps.get(e.exactKey))
    .filter((t): t is string => t !== undefined);
}
