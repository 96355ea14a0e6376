import { z } from 'zod';
import { checkJson, describeIssues, etagProp, findByKey, numberProp, stringProp, StoreValidationError, type JsonIssue, type RawItem } from './jsonEntries';
import type { SPFI } from './pnp';
import { CRM_LISTS, TEXT_MAX_LENGTH } from './schema';

/**
 * Run records in the "Sync Runs" list: the columns carry what a history view shows and filters
 * on; `Details` carries the engine's full run record (its schema lives in src/core, so the store
 * is generic over it, like the profile store).
 */

export const RUN_MODES = ['Import', 'ImportAndUpdate', 'Update', 'Undo'] as const;
export const RUN_STATUSES = ['Running', 'Completed', 'CompletedWithErrors', 'Failed', 'Undone'] as const;

export interface RunCounts {
  read: number;
  created: number;
  updated: number;
  skipped: number;
  conflicts: number;
  failed: number;
}

export interface RunSummary {
  runId: string;
  profileId: string;
  /** Shown in the list's Title column, e.g. "Accounts to Companies, 21-11-2026 23:40". */
  title: string;
  mode: (typeof RUN_MODES)[number];
  status: (typeof RUN_STATUSES)[number];
  startedBy: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
}

export interface RunStoreOptions<T> {
  summarize(run: T): RunSummary;
  listTitle?: string;
}

export interface RunSummaryEntry extends RunSummary {
  itemId: number;
}

export type RunEntry<T> =
  | { valid: true; itemId: number; runId: string; title: string; etag?: string; run: T }
  | { valid: false; itemId: number; runId: string; title: string; issues: JsonIssue[]; message: string; details: string | null };

export interface RunStore<T> {
  /** Creates or replaces the run record with this run's id. */
  save(run: T): Promise<RunSummaryEntry>;
  get(runId: string): Promise<RunEntry<T> | undefined>;
  /**
   * Newest first; `profileId` narrows to one profile's runs, `top` to the newest N (default: all).
   * Reads columns only, not Details.
   */
  list(options?: { profileId?: string; top?: number }): Promise<RunSummaryEntry[]>;
  /** Full records (Details) of every run, or of one profile's runs; newest first, invalid ones included. */
  listRecords(profileId?: string): Promise<RunEntry<T>[]>;
}

const COLUMNS = [
  'Title',
  'RunId',
  'ProfileId',
  'Mode',
  'Status',
  'StartedBy',
  'StartedAt',
  'FinishedAt',
  'CountRead',
  'CountCreated',
  'CountUpdated',
  'CountSkipped',
  'CountConflicts',
  'CountFailed',
];

const count = z.number().int().nonnegative().catch(0);
const summaryColumns = z.object({
  Id: z.number(),
  Title: z.string().nullish().transform((v) => v ?? ''),
  RunId: z.string(),
  ProfileId: z.string().nullish().transform((v) => v ?? ''),
  Mode: z.enum(RUN_MODES).catch('Import'),
  Status: z.enum(RUN_STATUSES).catch('Failed'),
  StartedBy: z.string().nullish().transform((v) => v ?? ''),
  StartedAt: z.string().nullish().transform((v) => v ?? ''),
  FinishedAt: z.string().nullish().transform((v) => v ?? null),
  CountRead: count,
  CountCreated: count,
  CountUpdated: count,
  CountSkipped: count,
  CountConflicts: count,
  CountFailed: count,
});

function toSummary(raw: RawItem): RunSummaryEntry | undefined {
  const parsed = summaryColumns.safeParse(raw);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  return {
    itemId: c.Id,
    runId: c.RunId,
    profileId: c.ProfileId,
    title: c.Title,
    mode: c.Mode,
    status: c.Status,
    startedBy: c.StartedBy,
    startedAt: c.StartedAt,
    finishedAt: c.FinishedAt,
    counts: {
      read: c.CountRead,
      created: c.CountCreated,
      updated: c.CountUpdated,
      skipped: c.CountSkipped,
      conflicts: c.CountConflicts,
      failed: c.CountFailed,
    },
  };
}

/** Pages when listing runs; history views ask for tens, so small pages keep the first answer fast. */
const LIST_PAGE = 500;

export function createRunStore<T>(sp: SPFI, schema: z.ZodType<T, z.ZodTypeDef, unknown>, options: RunStoreOptions<T>): RunStore<T> {
  const listTitle = options.listTitle ?? CRM_LISTS.syncRuns;
  const items = () => sp.web.lists.getByTitle(listTitle).items;

  function toEntry(raw: RawItem): RunEntry<T> {
    const runId = stringProp(raw, 'RunId') ?? '';
    const base = { itemId: numberProp(raw, 'Id') ?? 0, runId, title: stringProp(raw, 'Title') ?? '' };
    const details = stringProp(raw, 'Details');
    const checked = checkJson(schema, details);
    if (checked.ok) {
      const etag = etagProp(raw);
      return { valid: true, ...base, ...(etag === undefined ? {} : { etag }), run: checked.value };
    }
    return {
      valid: false,
      ...base,
      issues: checked.issues,
      message: describeIssues(`Run "${base.title || runId || `item ${base.itemId}`}"`, checked.issues),
      details,
    };
  }

  return {
    async save(run) {
      const parsed = schema.safeParse(run);
      if (!parsed.success) {
        throw new StoreValidationError(
          'Run record',
          parsed.error.issues.map((i) => ({ path: i.path.length > 0 ? i.path.join('.') : '(root)', message: i.message })),
        );
      }
      const s = options.summarize(parsed.data);
      const fields = {
        Title: s.title.slice(0, TEXT_MAX_LENGTH),
        RunId: s.runId,
        ProfileId: s.profileId,
        Mode: s.mode,
        Status: s.status,
        StartedBy: s.startedBy.slice(0, TEXT_MAX_LENGTH),
        StartedAt: s.startedAt,
        FinishedAt: s.finishedAt,
        CountRead: s.counts.read,
        CountCreated: s.counts.created,
        CountUpdated: s.counts.updated,
        CountSkipped: s.counts.skipped,
        CountConflicts: s.counts.conflicts,
        CountFailed: s.counts.failed,
        Details: JSON.stringify(parsed.data),
      };
      const existing = await findByKey(sp, listTitle, 'RunId', s.runId, []);
      let itemId: number;
      if (existing === undefined) {
        const created = (await items().add(fields)) as RawItem;
        itemId = numberProp(created, 'Id') ?? 0;
      } else {
        itemId = numberProp(existing, 'Id') ?? 0;
        await items().getById(itemId).update(fields);
      }
      return { ...s, itemId };
    },

    async get(runId) {
      const raw = await findByKey(sp, listTitle, 'RunId', runId, ['Title', 'RunId', 'Details']);
      return raw === undefined ? undefined : toEntry(raw);
    },

    async listRecords(profileId) {
      const entries: RunEntry<T>[] = [];
      for await (const page of items().select('Id', 'Title', 'RunId', 'ProfileId', 'Details').orderBy('Id', false).top(LIST_PAGE)) {
        for (const raw of page as RawItem[]) {
          if (profileId === undefined || stringProp(raw, 'ProfileId') === profileId) {
            entries.push(toEntry(raw));
          }
        }
      }
      return entries;
    },


    async list(listOptions = {}) {
      const top = listOptions.top ?? Number.POSITIVE_INFINITY;
      const result: RunSummaryEntry[] = [];
      // Ordered by Id (always indexed) rather than filtered on ProfileId, which is not indexed and
      // would hit the list view threshold on a long history.
      for await (const page of items().select('Id', ...COLUMNS).orderBy('Id', false).top(LIST_PAGE)) {
        for (const raw of page as RawItem[]) {
          const summary = toSummary(raw);
          if (summary !== undefined && (listOptions.profileId === undefined || summary.profileId === listOptions.profileId)) {
            result.push(summary);
          }
        }
        if (result.length >= top) break;
      }
      return Number.isFinite(top) ? result.slice(0, top) : result;
    },
  };
}
