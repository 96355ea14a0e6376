import { z } from 'zod';
import { checkJson, formatZodIssues } from '../profile/issues';
import { modeSchema } from '../profile/profile';
import { legacyReason, reasonOrSentenceSchema, reasonSchema } from './reasons';

/** Shapes the engine stores: run records, per-record log entries, profile state, review list. */

type FieldValue = string | number | boolean | null;
const isScalar = (v: unknown): v is FieldValue =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A field value: string, number, boolean or null. One type check instead of a union of four
 * schemas: a union builds an issue for every option that does not fit, and a run's documents
 * hold tens of thousands of values.
 */
const scalar = z.custom<string | number | boolean | null>((v) => isScalar(v), { message: 'Expected a string, number, boolean or null' });

/** A field problem as stored: older logs have only the English reason. */
const fieldProblemSchema = z.object({ field: z.string(), reason: z.string(), code: z.string().optional(), args: z.array(z.union([z.string(), z.number()])).optional() });

export const fieldChangeSchema = z.object({ field: z.string(), before: scalar, after: scalar });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const actionSchema = z.enum([
  'create', 'update', 'skip', 'conflict', 'error', 'deleted',
  // undo runs; unflag takes back a deletion flag a run set
  'remove', 'restore', 'unflag', 'refused',
]);
export type RunAction = z.infer<typeof actionSchema>;

const candidateSchema = z.object({
  itemId: z.number(),
  signal: z.string(),
  confidence: z.number(),
});

/**
 * Logs written before reasons had codes hold an English sentence. It is read here, where the
 * entry's problems are at hand: an error's sentence was the list of them.
 */
function withCodedReason(entry: unknown): unknown {
  if (!isPlainObject(entry) || typeof entry.reason !== 'string') return entry;
  return { ...entry, reason: legacyReason(entry.reason, Array.isArray(entry.problems) ? entry.problems : []) };
}

/** What an Exact record would write, by CRM column: shown beside the CRM candidates of a review question. */
const exactValuesSchema = z.record(scalar);

export const runEntrySchema = z.preprocess(withCodedReason, z.object({
  exactKey: z.string(),
  label: z.string(),
  /** Exact's code (trimmed) and city of the record: two "Bakkerij Jansen" are told apart by them. */
  code: z.string().optional(),
  city: z.string().optional(),
  /** A conflict's record as the CRM would hold it (mapped values by column), to compare with its candidates. */
  exactValues: exactValuesSchema.optional(),
  action: actionSchema,
  reason: reasonSchema,
  itemId: z.number().nullable(),
  etag: z.string().optional(),
  changes: z.array(fieldChangeSchema),
  problems: z.array(fieldProblemSchema),
  /** Fields not overwritten because they were edited in the CRM (keep CRM edits). */
  kept: z.array(z.string()),
  match: candidateSchema.optional(),
  candidates: z.array(candidateSchema).optional(),
  /** Exact `Timestamp` of the record, to hold the cursor back for records that did not make it. */
  timestamp: z.string().optional(),
  /** none = nothing to write; pending = sent, outcome unknown (crash window). */
  outcome: z.enum(['none', 'pending', 'written', 'failed']),
  message: z.string().optional(),
}));
export type RunEntry = z.infer<typeof runEntrySchema>;

export const countsSchema = z.object({
  read: z.number(),
  created: z.number(),
  updated: z.number(),
  skipped: z.number(),
  conflicts: z.number(),
  failed: z.number(),
  /** Deleted in Exact and only reported (no flag column); in an undo run, the items it recycled. */
  deleted: z.number(),
  /**
   * Items flagged as deleted in Exact; in an undo run, the flags it cleared. A write of its own
   * kind, so a summary and the undo that takes it back can name it. Absent in records written
   * before it was counted apart (their flags are in `deleted`).
   */
  flagged: z.number().default(0),
});
export type RunCounts = z.infer<typeof countsSchema>;

export const runModeSchema = z.enum([...modeSchema.options, 'Undo']);
/**
 * How a run ended. Stopped: a person pressed Stop and the run was closed there; Abandoned: an
 * unfinished run (crash, closed tab, a stop left open) closed without more writes. Both keep
 * what was written in their log, undoable.
 */
export const runStatusSchema = z.enum(['Running', 'Completed', 'CompletedWithErrors', 'Failed', 'Undone', 'Stopped', 'Abandoned']);

/** Who or what started a run: a person on the page, the schedule, or a change in Exact (webhook). */
export const runTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), name: z.string() }),
  z.object({ kind: z.literal('schedule') }),
  z.object({ kind: z.literal('exactChange'), topic: z.string() }),
]);
export type RunTriggerRecord = z.infer<typeof runTriggerSchema>;

export const runRecordSchema = z.object({
  id: z.string(),
  profileId: z.string(),
  profileTitle: z.string(),
  targetList: z.string(),
  keyField: z.string(),
  mode: runModeSchema,
  status: runStatusSchema,
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  /** Full re-read, or incremental from `since`. */
  full: z.boolean(),
  since: z.string().nullable(),
  deletionsSince: z.string().nullable(),
  cursorBefore: z.string().nullable(),
  cursorAfter: z.string().nullable().optional(),
  counts: countsSchema,
  checkpoint: z.object({ batchesCompleted: z.number() }),
  undoOf: z.string().optional(),
  undoneBy: z.string().optional(),
  message: z.string().optional(),
  profileProblems: z.array(z.object({ path: z.string(), message: z.string() })),
  /** The profile as it was when the run started; a resume continues with it, not with later edits. */
  profile: z.unknown().optional(),
  /** Who or what started it; runs from before triggers were recorded have none (a person: `startedBy`). */
  trigger: runTriggerSchema.optional(),
  /** Who wrote to SharePoint when not the person who started it: the connector's app in a background run. */
  writer: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * The path of the first value in a state's `written` map that is not a field value, or
 * undefined when all are. A loop, not a zod record of records: the map has an entry per record
 * the profile ever wrote, and is read at the start of every run.
 */
function badWrittenValue(written: unknown): string | undefined {
  if (!isPlainObject(written)) return 'written';
  for (const key in written) {
    const fields = written[key];
    if (!isPlainObject(fields)) return `written.${key}`;
    for (const field in fields) if (!isScalar(fields[field])) return `written.${key}.${field}`;
  }
  return undefined;
}

export const profileStateSchema = z.object({
  /** Highest Exact `Timestamp` whose records are all in the CRM (exclusive lower bound of the next read). */
  cursor: z.string().nullable(),
  deletionsCursor: z.string().nullable(),
  lastRunId: z.string().nullable(),
  /**
   * Per Exact key, the value each field that keeps CRM edits had when a run last wrote it (for keep
   * CRM edits). `tracked`: the fields this memory covers; absent in states written before it
   * existed, which kept every field.
   */
  tracked: z.array(z.string()).optional(),
  written: z.custom<Record<string, Record<string, FieldValue>>>(
    (v) => badWrittenValue(v) === undefined,
    (v) => ({ message: `Expected values by Exact key and field; ${badWrittenValue(v) ?? ''} is not a string, number, boolean or null` }),
  ),
});
export type ProfileState = z.infer<typeof profileStateSchema>;

export const emptyState = (): ProfileState => ({ cursor: null, deletionsCursor: null, lastRunId: null, written: {} });

export const reviewItemSchema = z.object({
  exactKey: z.string(),
  /** The key as Exact spells it, written to the CRM item on confirm. */
  exactValue: z.string(),
  label: z.string(),
  reason: reasonOrSentenceSchema,
  code: z.string().optional(),
  city: z.string().optional(),
  /** The Exact record as the CRM would hold it (mapped values by column), beside its candidates. */
  exactValues: exactValuesSchema.optional(),
  candidates: z.array(candidateSchema.extend({ label: z.string() })),
  status: z.enum(['pending', 'confirmed', 'rejected']),
  itemId: z.number().optional(),
  /** Candidates an admin said are different companies. */
  rejectedItemIds: z.array(z.number()).default([]),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  firstSeenRunId: z.string().optional(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;
export const reviewDocumentSchema = z.object({ items: z.array(reviewItemSchema) });
export type ReviewDocument = z.infer<typeof reviewDocumentSchema>;

/** What a write settled of an entry (see apply.ts `settle`). */
export const writeOutcomeSchema = z.object({
  outcome: z.enum(['none', 'pending', 'written', 'failed']),
  itemId: z.number().nullable(),
  message: z.string().optional(),
  problems: z.array(fieldProblemSchema).optional(),
});
export type WriteOutcome = z.infer<typeof writeOutcomeSchema>;

export const batchDocumentSchema = z.object({
  batch: z.number(),
  status: z.enum(['pending', 'done']),
  entries: z.array(runEntrySchema),
  /**
   * The outcomes of a segment before this one. Writing them into this segment's write-ahead
   * document saves a SharePoint request per segment. `outcomes` go with that segment's own
   * entries, one per entry in its order (what a write changed: outcome, item id, message,
   * problems); documents written before that carried the whole `entries` instead.
   */
  previous: z.union([
    z.object({ batch: z.number(), outcomes: z.array(writeOutcomeSchema) }),
    z.object({ batch: z.number(), entries: z.array(runEntrySchema) }),
  ]).optional(),
});
export type BatchDocument = z.infer<typeof batchDocumentSchema>;

export const paths = {
  state: (profileId: string) => `profiles/${profileId}/state.json`,
  review: (profileId: string) => `profiles/${profileId}/review.json`,
  batch: (runId: string, n: number) => `${runId}/batch-${String(n).padStart(5, '0')}.json`,
  log: (runId: string) => `${runId}/log.json`,
  csv: (runId: string) => `${runId}/log.csv`,
};

export function emptyCounts(): RunCounts {
  return { read: 0, created: 0, updated: 0, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 };
}

/** Counts as the run log shows them: planned actions, with writes that failed counted as failed. */
export function countEntries(entries: RunEntry[], read: number): RunCounts {
  const counts = emptyCounts();
  counts.read = read;
  for (const e of entries) {
    if (e.outcome === 'failed' || e.action === 'error' || e.action === 'refused') counts.failed++;
    else if (e.action === 'create') counts.created++;
    else if (e.action === 'update' || e.action === 'restore') counts.updated++;
    else if (e.action === 'remove') counts.deleted++;
    else if (e.action === 'skip') counts.skipped++;
    else if (e.action === 'conflict') counts.conflicts++;
    else if (e.action === 'deleted' && e.changes.length > 0) counts.flagged++;
    else if (e.action === 'deleted') counts.deleted++;
    else if (e.action === 'unflag') counts.flagged++;
  }
  return counts;
}

/** Reads and validates a JSON document; a corrupt one names its path and the field. */
export function parseDocument<T>(path: string, text: string | undefined, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T | undefined {
  if (text === undefined) return undefined;
  const checked = checkJson(schema, text);
  if (!checked.ok) throw new Error(formatZodIssues(checked.issues, { record: `Document ${path}` }));
  return checked.value;
}
