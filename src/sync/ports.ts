/**
 * The sync engine's view of the outside world. sync/ owns these interfaces; src/exact and
 * src/crm implement them, tests implement them in memory. Nothing here knows about HTTP,
 * PnPjs, React or SPFx, so the same engine runs in the browser and in the gateway.
 *
 * Value conventions across the ports (the Exact client normalises to these):
 * - dates are ISO 8601 strings in UTC (`2026-11-21T00:00:00.000Z`), never `/Date(ms)/`;
 * - Exact's space-padded `Code` is trimmed; Int64 values that fit are numbers;
 * - sync `Timestamp` cursors are decimal strings (they may exceed 2^53);
 * - missing values are `null`.
 */

import type { CrmFieldInfo, CrmItem, ExactEntityInfo, ExactRecord, FieldProblem, FieldValue } from './model';
import type { Issue } from './profile/issues';
import type { Profile } from './profile/profile';
import type { RunRecord } from './journal/records';

export { fieldProblem, renderFieldProblem, englishFieldProblems, FIELD_PROBLEM_CODES, type FieldProblemArgs, type FieldProblemCode, type FieldProblemWords } from './journal/fieldProblems';
export type { CrmFieldInfo, CrmFieldType, CrmItem, ExactEntityInfo, ExactFieldInfo, ExactFieldType, ExactRecord, FieldProblem, FieldValue } from './model';

export interface ExactReadRequest {
  division: number;
  entity: string;
  /** Fields to `$select`; the key and (for sync) `Timestamp` are added by the source. */
  fields: string[];
  /** The profile's validated OData filter, passed through. */
  filter?: string;
}

export interface ExactDeletion {
  /** Key of the deleted record (`EntityKey`). */
  key: string;
  timestamp: string;
  deletedAt: string | null;
}

export interface ExactRecordSource {
  describeEntity(entity: string): ExactEntityInfo | undefined;
  listEntities(): ExactEntityInfo[];
  /** Full read, page by page (bulk endpoint where one exists). */
  readAll(request: ExactReadRequest): AsyncIterable<ExactRecord[]>;
  /** Records changed after `since` (exclusive), page by page; every record carries `Timestamp`. */
  readChanges(request: ExactReadRequest & { since: string }): AsyncIterable<ExactRecord[]>;
  /** Deletions of this entity after `since`. */
  readDeletions(request: { division: number; entity: string; since: string }): AsyncIterable<ExactDeletion[]>;
}

// ---------------------------------------------------------------- SharePoint side

export type CrmWrite =
  | { kind: 'create'; ref: string; values: Record<string, FieldValue> }
  | { kind: 'update'; ref: string; id: number; etag?: string; values: Record<string, FieldValue> }
  | { kind: 'delete'; ref: string; id: number; etag?: string }
  /** Moves the item to the site's recycle bin, where a person can restore it (SharePoint keeps it 93 days). */
  | { kind: 'recycle'; ref: string; id: number };

export type CrmWriteResult =
  | { ref: string; ok: true; id: number; etag?: string }
  | { ref: string; ok: false; status?: number; message: string; problems?: FieldProblem[] };

export interface CrmList {
  title: string;
  fields: CrmFieldInfo[];
  /**
   * Every item with the given fields, read in pages of 5,000. Used once per run to build the
   * key index (key -> item) and the values the planner compares against.
   */
  readItems(fields: string[]): Promise<CrmItem[]>;
  /**
   * The items whose `keyField` is one of `keys` (as the key is spelled in Exact, compared as
   * SharePoint compares text) plus every item without a key (candidates for matching): what an
   * incremental run with few changes needs instead of the whole list. Undefined when the list
   * cannot answer that cheaply (a key column without an index on a big list): then `readItems`.
   */
  readItemsByKey(keyField: string, keys: string[], fields: string[]): Promise<CrmItem[] | undefined>;
  /** Items by id (fresh values and ETags, used by undo and conflict checks). */
  readItemsById(ids: number[], fields: string[]): Promise<CrmItem[]>;
  /**
   * Converts engine values to what the columns accept, or says per field why a value does not
   * fit (text too long, number out of range, invalid date, unknown choice, missing lookup target).
   */
  convert(values: Record<string, FieldValue>): { values: Record<string, FieldValue>; problems: FieldProblem[] };
  /** Writes in `$batch` requests; one result per write, in order; a failed part does not fail the others. */
  write(writes: CrmWrite[]): Promise<CrmWriteResult[]>;
}

export interface CrmTarget {
  /**
   * The list with its columns. A list that is not there is a `ListNotFoundError`; any other
   * failure (no access, throttled, no network) is thrown as what it is.
   */
  openList(title: string): Promise<CrmList>;
}

/** Thrown by `CrmTarget.openList` only when the list does not exist (SharePoint's 404). */
export class ListNotFoundError extends Error {
  public constructor(
    public readonly listTitle: string,
    message = `CRM list "${listTitle}" does not exist`,
  ) {
    super(message);
    this.name = 'ListNotFoundError';
  }
}

// ---------------------------------------------------------------- Stores

/** Small JSON documents and log files in the run-log document library. */
export interface DocumentStore {
  write(path: string, content: string): Promise<void>;
  /** Several documents in one request where the store can (SharePoint's $batch, in order); each is written or the call fails. */
  writeMany(documents: { path: string; content: string }[]): Promise<void>;
  read(path: string): Promise<string | undefined>;
  /** Several documents in one request where the store can; undefined for each one that is not there. */
  readMany(paths: string[]): Promise<(string | undefined)[]>;
  list(folder: string): Promise<string[]>;
}

/** A document of the run-log library, as the journal writes it with a run record. */
export interface RunDocument {
  path: string;
  content: string;
}

/**
 * Run records, and the documents written with a run's start and end; src/crm keeps the records
 * in the "Sync Runs" list (columns for views, the record as JSON).
 */
export interface RunJournal {
  /**
   * Starts a run that is about to write, in one request where the store can: inserts `run` (an id
   * in no store yet), lists the profile's unfinished runs as they stand just after that insert
   * (this one included, in save order), then writes `documents` (the first write-ahead document).
   * The parts take effect in that order, so a crash leaves a prefix of them.
   */
  begin(run: RunRecord, documents: RunDocument[]): Promise<RunningRun[]>;
  /** Insert or replace by id: a run's progress, an undo's record, a record marked undone. */
  save(run: RunRecord): Promise<void>;
  /**
   * Ends a run, in one request where the store can: writes `documents` (log, state, review), then
   * saves `run`, in that order; a part that fails is written again on its own, documents before
   * the record. `begun: false`: the run wrote nothing and its record was never saved, so it is
   * inserted without looking it up first.
   */
  finish(run: RunRecord, documents: RunDocument[], options: { begun: boolean }): Promise<void>;
  /** A stored record that no longer fits the schema is an error naming the run and the field. */
  get(id: string): Promise<RunRecord | undefined>;
  /** Newest first is not required; the engine sorts. */
  list(profileId?: string): Promise<RunRecord[]>;
  /**
   * Runs with status Running, in the order they were first saved (oldest first: the engine lets
   * the first of two simultaneous runs go on). `except`: a run the caller already has, left out
   * without reading it.
   */
  listRunning(profileId: string, except?: string): Promise<RunRecord[]>;
}

/** What `RunJournal.begin` knows of an unfinished run from the list's columns alone. */
export interface RunningRun {
  id: string;
  mode: RunRecord['mode'];
  startedBy: string;
  startedAt: string;
}

/**
 * A stored profile as the admin screen lists it. `etag` is the stored version: pass it back to
 * `save` so a save over someone else's newer one fails instead of overwriting it.
 */
export interface ValidProfileEntry {
  valid: true;
  id: string;
  title: string;
  etag: string;
  profile: Profile;
}

/** A stored profile that no longer fits the schema: listed, never hidden, so it can be fixed or deleted. */
export interface InvalidProfileEntry {
  valid: false;
  id: string;
  title: string;
  etag: string;
  issues: Issue[];
  /** `Profile "<title>": field <path>: <message>; ...` */
  message: string;
  /** The stored text, so an editor can show and repair it. */
  definition: string | null;
}

export type ProfileEntry = ValidProfileEntry | InvalidProfileEntry;

export interface ProfileStore {
  /** Every stored profile, valid or not. */
  list(): Promise<ProfileEntry[]>;
  get(id: string): Promise<ProfileEntry | undefined>;
  /**
   * Without `etag`: creates the profile; one with this id already stored is a conflict. With the
   * `etag` from `list`/`get`: replaces it only if nobody saved or deleted it since; else a
   * `ProfileConflictError`. An invalid profile is a `ProfileError`.
   */
  save(profile: Profile, options?: { etag?: string }): Promise<ValidProfileEntry>;
  delete(id: string): Promise<void>;
}

/** A save that would overwrite or resurrect what someone else stored (SharePoint's 412). */
export class ProfileConflictError extends Error {
  public constructor(
    public readonly profileId: string,
    public readonly reason: 'exists' | 'changed' | 'deleted',
    title: string = profileId,
  ) {
    super(
      reason === 'exists'
        ? `Profile "${title}" (${profileId}) already exists; open it to change it, or save under another name`
        : reason === 'changed'
          ? `Profile "${title}" was saved by someone else since you opened it; reload it and make your change again`
          : `Profile "${title}" was deleted by someone else since you opened it`,
    );
    this.name = 'ProfileConflictError';
  }
}
