import type { Clock } from '../clock';
import { readState } from '../journal/documents';
import { asText, sameValue } from '../model';
import type { CrmItem, CrmTarget, CrmWrite, DocumentStore, FieldValue, RunJournal } from '../ports';
import { countEntries, emptyCounts, paths } from '../journal/records';
import { undoableEntries, undoActionOf } from '../journal/undoPlan';
import type { RunEntry, RunRecord } from '../journal/records';
import { because, type Reason } from '../journal/reasons';
import type { ProgressListener } from '../progress';

/**
 * Undo a run: items it created go to the site's recycle bin (restorable), fields it changed get
 * their before-values back, deletion flags it set are cleared.
 *
 * Decision (per item, not all-or-nothing): an item whose current values differ from what the
 * run wrote was changed since, by a person or a later run. Undoing it would throw that change
 * away, so that item is refused with a message naming the fields; every other item is undone.
 * The run is marked Undone only when nothing was refused or failed; otherwise the admin can
 * resolve the refused items and undo again (undo is idempotent: items already back to their
 * before-values are skipped).
 */

export interface UndoDeps {
  crm: CrmTarget;
  documents: DocumentStore;
  runs: RunJournal;
  clock: Clock;
  newRunId: () => string;
  readLog: (runId: string) => Promise<RunEntry[]>;
}

/** What a column holds when nobody filled it in (SharePoint answers an untouched yes/no as false). */
function isEmpty(v: FieldValue | undefined): boolean {
  return v === null || v === undefined || v === '' || v === false;
}

export async function undoRun(deps: UndoDeps, runId: string, options: { user: string; onProgress?: ProgressListener }): Promise<RunRecord> {
  const target = await deps.runs.get(runId);
  if (!target) throw new Error(`Run ${runId} does not exist`);
  if (target.mode === 'Undo') throw new Error(`Run ${runId} is an undo run; it cannot be undone`);
  if (target.status === 'Running') throw new Error(`Run ${runId} has not finished; resume it before undoing it`);
  if (target.status === 'Undone') throw new Error(`Run ${runId} was already undone by run ${target.undoneBy ?? '?'}`);
  const started = deps.clock.now();
  const log = await deps.readLog(runId);
  // A run that wrote has a log; without it undo would find nothing to do and call the run undone.
  const wrote = target.counts.created + target.counts.updated + target.counts.flagged;
  if (log.length === 0 && wrote > 0) throw new Error(`Run ${runId} wrote ${wrote} item(s) but its log (${paths.log(runId)}) is missing; it cannot be undone`);
  const writtenEntries = undoableEntries(log);
  const list = await deps.crm.openList(target.targetList);
  // For created items every column counts: a value a person typed into a column the run left
  // empty would be thrown away with the item.
  const editable = writtenEntries.some((e) => e.action === 'create') ? list.fields.filter((f) => !f.readOnly).map((f) => f.internalName) : [];
  const fields = Array.from(new Set([...writtenEntries.flatMap((e) => e.changes.map((c) => c.field)), ...editable]));
  const ids = Array.from(new Set(writtenEntries.map((e) => e.itemId as number)));
  const current = new Map<number, CrmItem>();
  if (ids.length > 0) for (const item of await list.readItemsById(ids, fields)) current.set(item.id, item);

  const planned: Array<{ entry: RunEntry; write?: CrmWrite; original: RunEntry }> = [];
  // Newest first, so an item written twice in one run goes back through both steps.
  for (const e of writtenEntries.slice().reverse()) {
    const id = e.itemId as number;
    const item = current.get(id);
    const base = { exactKey: e.exactKey, label: e.label, itemId: id, problems: [], kept: [], outcome: 'none' as const };
    if (e.action === 'create') {
      if (!item) {
        planned.push({ original: e, entry: { ...base, action: 'skip', reason: because('alreadyRemoved'), changes: [] } });
        continue;
      }
      const differing = e.changes.filter((c) => !sameValue(item.values[c.field], c.after));
      const written = new Set(e.changes.map((c) => c.field));
      const filledSince = editable
        .filter((f) => !written.has(f) && !isEmpty(item.values[f]))
        .map((f) => ({ field: f, before: null, after: null }));
      if (differing.length > 0 || filledSince.length > 0) {
        planned.push({ original: e, entry: { ...base, action: 'refused', reason: changedSince(item, { differing: [...differing, ...filledSince], runId }), changes: [] } });
        continue;
      }
      const changes = e.changes.map((c) => ({ field: c.field, before: c.after, after: null }));
      planned.push({ original: e, entry: { ...base, action: 'remove', reason: because('createdByRun', runId), changes }, write: { kind: 'recycle', ref: e.exactKey, id } });
      current.delete(id);
      continue;
    }
    if (!item) {
      planned.push({ original: e, entry: { ...base, action: 'refused', reason: because('itemGone', id, e.label), changes: [] } });
      continue;
    }
    if (e.changes.every((c) => sameValue(item.values[c.field], c.before))) {
      planned.push({ original: e, entry: { ...base, action: 'skip', reason: because('alreadyRestored'), changes: [] } });
      continue;
    }
    const differing = e.changes.filter((c) => !sameValue(item.values[c.field], c.after));
    if (differing.length > 0) {
      planned.push({ original: e, entry: { ...base, action: 'refused', reason: changedSince(item, { differing, runId }), changes: [] } });
      continue;
    }
    const values: Record<string, FieldValue> = {};
    for (const c of e.changes) values[c.field] = c.before;
    const changes = e.changes.map((c) => ({ field: c.field, before: c.after, after: c.before }));
    // A deletion flag taken back is counted and worded apart from restored values.
    const action = undoActionOf(e);
    planned.push({ original: e, entry: { ...base, action, reason: because('changedByRun', runId), changes }, write: { kind: 'update', ref: e.exactKey, id, etag: item.etag, values } });
    item.values = { ...item.values, ...values };
  }

  const undo: RunRecord = {
    ...target,
    id: deps.newRunId(),
    mode: 'Undo',
    status: 'Running',
    startedBy: options.user,
    startedAt: new Date(started).toISOString(),
    finishedAt: undefined,
    durationMs: undefined,
    counts: emptyCounts(),
    checkpoint: { batchesCompleted: 0 },
    undoOf: runId,
    undoneBy: undefined,
    profileProblems: [],
    cursorAfter: undefined,
    profile: undefined,
  };
  await deps.runs.save(undo);
  const toWrite = planned.filter((p) => p.write);
  let written = 0;
  for (let i = 0; i < toWrite.length; i += 100) {
    const chunk = toWrite.slice(i, i + 100);
    const results = await list.write(chunk.map((p) => p.write as CrmWrite));
    chunk.forEach((p, j) => {
      const r = results[j];
      if (r && r.ok) {
        p.entry.outcome = 'written';
        written++;
      } else {
        p.entry.outcome = 'failed';
        p.entry.message = r ? r.message : 'no result for this write';
      }
    });
    undo.checkpoint.batchesCompleted++;
    await deps.runs.save(undo);
    if (options.onProgress) options.onProgress({ phase: 'written', count: written, total: toWrite.length });
  }
  const entries = planned.map((p) => p.entry);
  await deps.documents.write(paths.log(undo.id), JSON.stringify(entries));
  await restoreState(deps, target, planned);

  const counts = countEntries(entries, writtenEntries.length);
  const finished = deps.clock.now();
  const result: RunRecord = { ...undo, counts, status: counts.failed > 0 ? 'CompletedWithErrors' : 'Completed', finishedAt: new Date(finished).toISOString(), durationMs: finished - started };
  await deps.runs.save(result);
  await deps.runs.save({ ...target, status: counts.failed > 0 ? target.status : 'Undone', undoneBy: result.id });
  return result;
}

/** Why an item the run wrote is not undone: the fields whose values moved since `runId` wrote them. */
function changedSince(item: CrmItem, { differing, runId }: { differing: RunEntry['changes']; runId: string }): Reason {
  const fields = differing.flatMap((c) => [c.field, asText(item.values[c.field]), asText(c.after)]);
  return because('changedSince', item.id, asText(item.values.Title), runId, ...fields);
}

/**
 * The profile's memory of written values (and its cursor, if this was the last run) goes back
 * too, for every item that is back in its state before the run, including items an earlier,
 * interrupted undo already handled (skipped here as "already removed/restored").
 */
async function restoreState(deps: UndoDeps, target: RunRecord, planned: Array<{ entry: RunEntry; original: RunEntry }>): Promise<void> {
  const state = await readState(deps.documents, target.profileId);
  for (const { entry, original } of planned) {
    const undone = entry.action === 'skip' || ((entry.action === 'remove' || entry.action === 'restore' || entry.action === 'unflag') && entry.outcome === 'written');
    if (!undone) continue;
    if (original.action === 'create') {
      delete state.written[original.exactKey];
      continue;
    }
    const remembered = state.written[original.exactKey] ?? {};
    const values = { ...remembered };
    // The fields the memory covers (see agreedValues.ts; older states covered all), and any field
    // it remembers although not covered yet (a field that just started keeping CRM edits): left
    // at the undone value, the next run would take the restored CRM value for a CRM edit.
    for (const c of original.changes) {
      if (state.tracked === undefined || state.tracked.includes(c.field) || Object.prototype.hasOwnProperty.call(remembered, c.field)) values[c.field] = c.before;
    }
    state.written[original.exactKey] = values;
  }
  if (state.lastRunId === target.id) {
    state.cursor = target.cursorBefore;
    state.deletionsCursor = target.deletionsSince;
  }
  await deps.documents.write(paths.state(target.profileId), JSON.stringify(state));
}
