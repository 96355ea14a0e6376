import { z } from 'zod';
import { checkJson, formatZodIssues } from '../core/issues';
import type { RunStore } from '../core/ports';
import { runRecordSchema, runStatusSchema, type RunRecord } from '../core/records';
import { findByKey, numberProp, stringProp, type RawItem } from './jsonEntries';
import type { SPFI } from './pnp';
import { CRM_LISTS, TEXT_MAX_LENGTH } from './schema';
import { isNotFound } from './spErrors';

/**
 * The engine's `RunStore` on the "Sync Runs" list: the columns carry what a history view shows
 * and filters on; `Details` carries the full run record as JSON.
 */

/** Pages when listing runs; history views ask for tens, so small pages keep the first answer fast. */
const LIST_PAGE = 500;

/** The list's columns for one run record. */
function columnsOf(run: RunRecord): Record<string, string | number | null> {
  const when = run.startedAt.replace('T', ' ').slice(0, 16);
  return {
    Title: `${run.mode === 'Undo' ? 'Undo: ' : ''}${run.profileTitle}, ${when}`.slice(0, TEXT_MAX_LENGTH),
    RunId: run.id,
    ProfileId: run.profileId,
    Mode: run.mode,
    Status: run.status,
    StartedBy: run.startedBy.slice(0, TEXT_MAX_LENGTH),
    StartedAt: run.startedAt,
    FinishedAt: run.finishedAt ?? null,
    CountRead: run.counts.read,
    CountCreated: run.counts.created,
    CountUpdated: run.counts.updated,
    CountSkipped: run.counts.skipped,
    CountConflicts: run.counts.conflicts,
    CountFailed: run.counts.failed,
    Details: JSON.stringify(run),
  };
}

const statusColumns = z.object({ Id: z.number(), RunId: z.string().nullish(), ProfileId: z.string().nullish(), Status: runStatusSchema.catch('Failed') });

export function createSharePointRunStore(sp: SPFI, options: { listTitle?: string } = {}): RunStore {
  const listTitle = options.listTitle ?? CRM_LISTS.syncRuns;
  const items = () => sp.web.lists.getByTitle(listTitle).items;
  // Item id per run id once known, so a run's progress and final saves are one request each.
  const itemIds = new Map<string, number>();

  function columnsChecked(input: RunRecord): Record<string, string | number | null> {
    const parsed = runRecordSchema.safeParse(input);
    if (!parsed.success) throw new Error(formatZodIssues(parsed.error, { record: `Run record ${input.id}` }));
    return columnsOf(parsed.data);
  }

  async function add(run: RunRecord, fields: Record<string, string | number | null>): Promise<void> {
    const added = (await items().add(fields)) as RawItem;
    const id = numberProp(added, 'Id') ?? numberProp(added, 'ID');
    if (id !== undefined) itemIds.set(run.id, id);
  }

  /** The run record in Details, or why it cannot be read (an old or hand-edited item). */
  function check(raw: RawItem): { run: RunRecord } | { message: string } {
    const checked = checkJson(runRecordSchema, stringProp(raw, 'Details'));
    if (checked.ok) return { run: checked.value };
    const name = stringProp(raw, 'Title') || stringProp(raw, 'RunId') || `item ${numberProp(raw, 'Id') ?? 0}`;
    return { message: formatZodIssues(checked.issues, { record: `Run "${name}" cannot be read` }) };
  }

  async function records(filter: (raw: RawItem) => boolean): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for await (const page of items().select('Id', 'Title', 'RunId', 'ProfileId', 'Details').orderBy('Id', false).top(LIST_PAGE)) {
      for (const raw of page as RawItem[]) {
        const checked = filter(raw) ? check(raw) : undefined;
        if (checked !== undefined && 'run' in checked) runs.push(checked.run);
      }
    }
    return runs;
  }

  return {
    async save(input) {
      const fields = columnsChecked(input);
      const known = itemIds.get(input.id);
      if (known !== undefined) {
        try {
          await items().getById(known).update(fields);
          return;
        } catch (error) {
          // Deleted from the list since (a person cleaning up history): look it up again below.
          if (!isNotFound(error)) throw error;
          itemIds.delete(input.id);
        }
      }
      const existing = await findByKey(sp, listTitle, 'RunId', input.id, []);
      if (existing === undefined) await add(input, fields);
      else {
        const id = numberProp(existing, 'Id') ?? 0;
        await items().getById(id).update(fields);
        itemIds.set(input.id, id);
      }
    },

    async insert(input) {
      await add(input, columnsChecked(input));
    },

    async get(runId) {
      const raw = await findByKey(sp, listTitle, 'RunId', runId, ['Title', 'RunId', 'Details']);
      if (raw === undefined) return undefined;
      const checked = check(raw);
      if ('message' in checked) throw new Error(checked.message);
      return checked.run;
    },

    // Ordered by Id (always indexed) and filtered here rather than on ProfileId, which is not
    // indexed and would hit the list view threshold on a long history.
    list: (profileId) => records((raw) => profileId === undefined || stringProp(raw, 'ProfileId') === profileId),

    async listRunning(profileId, except) {
      // Columns first; only the few running runs are read in full.
      const ids: number[] = [];
      for await (const page of items().select('Id', 'RunId', 'ProfileId', 'Status').orderBy('Id', false).top(LIST_PAGE)) {
        for (const raw of page as RawItem[]) {
          const c = statusColumns.safeParse(raw);
          if (c.success && c.data.ProfileId === profileId && c.data.Status === 'Running' && (except === undefined || c.data.RunId !== except)) ids.push(c.data.Id);
        }
      }
      const runs: RunRecord[] = [];
      // Oldest first: item ids follow the order the runs were first saved in.
      for (const id of ids.sort((x, y) => x - y)) {
        const checked = check((await items().getById(id).select('Id', 'Title', 'RunId', 'Details')()) as RawItem);
        if ('run' in checked) runs.push(checked.run);
      }
      return runs;
    },
  };
}
