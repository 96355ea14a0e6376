import { z } from 'zod';
import { checkJson, formatZodIssues } from '../sync/profile/issues';
import type { RunJournal } from '../sync/ports';
import type { RunningRun } from '../sync/ports';
import { runModeSchema, runRecordSchema, runStatusSchema, type RunRecord } from '../sync/journal/records';
import type { SharePointDocumentStore } from './documentStore';
import { findByKey, numberProp, stringProp, type RawItem } from './jsonEntries';
import type { SPFI } from './pnp';
import { CRM_LISTS, TEXT_MAX_LENGTH } from './schema';
import { isNotFound } from './spErrors';

/**
 * The engine's `RunJournal` on the "Sync Runs" list: the columns carry what a history view shows
 * and filters on; `Details` carries the full run record as JSON.
 */

/** Characters above which a run's final document is written in a request of its own (see finish). */
export const ALONE_ABOVE = 32 * 1024 * 1024;

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

const beginColumns = z.object({
  Id: z.number(),
  RunId: z.string().nullish(),
  ProfileId: z.string().nullish(),
  Status: runStatusSchema.catch('Failed'),
  Mode: runModeSchema.catch('ImportAndUpdate'),
  StartedBy: z.string().nullish(),
  StartedAt: z.string().nullish(),
});

/**
 * `documents`: the Run Logs store; `begin` and `finish` put the run's documents and its record
 * into one `$batch`. `aloneAbove`: see ALONE_ABOVE.
 */
export function createSharePointRunJournal(sp: SPFI, options: { documents: SharePointDocumentStore; listTitle?: string; aloneAbove?: number }): RunJournal {
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

  async function save(input: RunRecord): Promise<void> {
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
  }

  async function listRunning(profileId: string, except?: string): Promise<RunRecord[]> {
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
  }

  const documents = options.documents;
  return {
    save,

    async begin(input: RunRecord, docs: { path: string; content: string }[]): Promise<RunningRun[]> {
      const fields = columnsChecked(input);
      const [batched, execute] = sp.batched();
      const list = () => batched.web.lists.getByTitle(listTitle).items;
      // Each part's outcome is taken as a value, so a request that fails as a whole leaves no
      // part's promise unhandled.
      const outcome = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
      const added = outcome(list().add(fields) as Promise<RawItem>);
      // The newest page only: a rival that matters started moments ago (an older unfinished run
      // stopped this one before its Exact read, in the engine's check with listRunning).
      const running = outcome(list().select('Id', 'RunId', 'ProfileId', 'Status', 'Mode', 'StartedBy', 'StartedAt').orderBy('Id', false).top(LIST_PAGE)() as Promise<RawItem[]>);
      const written = await documents.addToBatch(batched, docs);
      await execute();
      const insert = await added;
      if ('error' in insert) throw insert.error;
      const id = numberProp(insert.value, 'Id') ?? numberProp(insert.value, 'ID');
      if (id !== undefined) itemIds.set(input.id, id);
      for (const doc of await written.settle()) await documents.write(doc.path, doc.content);
      const listed = await running;
      // The record is in: a listing that failed is asked for again on its own.
      if ('error' in listed) return (await listRunning(input.profileId)).map((r) => ({ id: r.id, mode: r.mode, startedBy: r.startedBy, startedAt: r.startedAt }));
      const found: (RunningRun & { itemId: number })[] = [];
      for (const raw of listed.value) {
        const c = beginColumns.safeParse(raw);
        if (!c.success || c.data.ProfileId !== input.profileId || c.data.Status !== 'Running' || !c.data.RunId) continue;
        found.push({ itemId: c.data.Id, id: c.data.RunId, mode: c.data.Mode, startedBy: c.data.StartedBy ?? '', startedAt: c.data.StartedAt ?? '' });
      }
      // Only runs that can be resumed or abandoned count: a record whose Details cannot be read
      // would otherwise block every new run with nothing to close it (review finding). Asked
      // only when another run is there, which is rare. A rival that finished since the listing
      // still counts: this run's plan was made before the rival's writes.
      const readable = new Set([input.id]);
      for (const r of found) {
        if (r.id === input.id) continue;
        // Deleted since (history cleaned up): no rival. Any other failure counts as one: better to
        // stop before writing than to write beside a run this one could not check.
        const raw = await items().getById(r.itemId).select('Id', 'Title', 'RunId', 'Details')().then((item: RawItem) => item, (error: unknown) => (isNotFound(error) ? undefined : null));
        if (raw === null || (raw !== undefined && 'run' in check(raw))) readable.add(r.id);
      }
      // Oldest first: item ids follow the order the runs were first saved in.
      return found
        .filter((r) => readable.has(r.id))
        .sort((x, y) => x.itemId - y.itemId)
        .map((r) => ({ id: r.id, mode: r.mode, startedBy: r.startedBy, startedAt: r.startedAt }));
    },

    async finish(input: RunRecord, docs: { path: string; content: string }[], { begun }: { begun: boolean }): Promise<void> {
      if (!begun) {
        // Nothing was written, so the record was never saved: no item to look up.
        if (docs.length > 1) await documents.writeMany(docs);
        else for (const doc of docs) await documents.write(doc.path, doc.content);
        await add(input, columnsChecked(input));
        return;
      }
      const id = itemIds.get(input.id);
      if (id === undefined) {
        // A run resumed in another tab: its item id is looked up by save, after the documents.
        await documents.writeMany(docs);
        await save(input);
        return;
      }
      const fields = columnsChecked(input);
      // A very large document (the log of a run of tens of thousands of records) goes on its own
      // first, in order: in a $batch it would be copied into the batch body, doubling what the
      // end of a run holds in memory (at 100,000 records, ~100 MB more).
      const aloneAbove = options.aloneAbove ?? ALONE_ABOVE;
      const alone = docs.reduce((n, doc, i) => (doc.content.length > aloneAbove ? i + 1 : n), 0);
      for (const doc of docs.slice(0, alone)) await documents.write(doc.path, doc.content);
      const [batched, execute] = sp.batched();
      const written = await documents.addToBatch(batched, docs.slice(alone));
      const saved = batched.web.lists.getByTitle(listTitle).items.getById(id).update(fields).then(() => true, () => false);
      await execute();
      const failed = await written.settle();
      try {
        for (const doc of failed) await documents.write(doc.path, doc.content);
      } catch (error) {
        // The record may say finished while a document is missing: put it back to unfinished, so
        // a resume writes the documents again.
        if (failed.length > 0 && (await saved)) await save({ ...input, status: 'Running', finishedAt: undefined, durationMs: undefined }).catch(() => undefined);
        throw error;
      }
      if (!(await saved)) await save(input);
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

    listRunning,
  };
}
