import { normalizeKey, sameValue } from '../model';
import type { CrmItem, FieldValue } from '../model';
import type { FieldMapping, SyncMode } from '../profile/profile';
import type { ProfileState, RunEntry } from './records';

/** Per Exact key, the value each guarded field had when a run last wrote (or found) it. */
export type WrittenValues = ProfileState['written'];

/**
 * The state's memory of written values covers only the fields that keep CRM edits: no other
 * field ever consults it, and keeping every field made the state document of 100,000 records
 * some 60 MB, read at the start of every run and rewritten by every run that wrote.
 */
export function guardedFields(mappings: FieldMapping[]): Set<string> {
  return new Set(mappings.filter((m) => m.keepCrmEdits).map((m) => m.target));
}

/**
 * False for a field that keeps CRM edits since fewer runs than the memory knows: no run
 * remembered what it wrote there, so a CRM value that differs is not taken for an edit (until
 * then, runs overwrote it anyway); protection starts with the values this run writes or finds.
 */
export function remembers(state: ProfileState, field: string): boolean {
  return state.tracked === undefined || state.tracked.includes(field);
}

/** What the memory holds for a record after a written entry: `previous` with the guarded fields it wrote. */
export function writtenAfter(previous: Record<string, FieldValue> | undefined, e: RunEntry, guarded: Set<string>): Record<string, FieldValue> | undefined {
  const values = e.action === 'create' ? {} : { ...(previous ?? {}) };
  for (const c of e.changes) if (guarded.has(c.field)) values[c.field] = c.after;
  return Object.keys(values).length > 0 ? values : undefined;
}

/**
 * When a read of everything starts covering a field, every linked CRM item's value in it that the
 * memory does not hold yet becomes the remembered one: the values this run wrote are already
 * remembered, and an item the run did not write (its write failed, a conflict, outside the
 * profile's filter) would otherwise have no memory, so any value in it would count as a CRM edit
 * and Exact's changes would never reach it again (review finding). Adds to `written` (the
 * caller's own copy); returns whether anything was remembered.
 */
export function rememberFoundValues(
  written: WrittenValues,
  found: { tracked: string[] | undefined; guarded: Set<string>; items: CrmItem[]; keyField: string },
): boolean {
  const { tracked } = found;
  const newlyCovered = tracked === undefined ? [] : Array.from(found.guarded).filter((field) => !tracked.includes(field));
  if (newlyCovered.length === 0) return false;
  let remembered = false;
  for (const item of found.items) {
    const key = normalizeKey(item.values[found.keyField]);
    if (!key) continue;
    const known = written[key] ?? {};
    const fields = newlyCovered.filter((field) => !(field in known) && item.values[field] !== undefined && item.values[field] !== null);
    if (fields.length === 0) continue;
    const values = { ...known };
    for (const field of fields) values[field] = item.values[field] ?? null;
    written[key] = values;
    remembered = true;
  }
  return remembered;
}

/**
 * Before the state is written: only guarded fields stay, and `tracked` says which fields the
 * memory covers. A field starts being covered after a read of everything (every record was
 * compared, so every agreed value was remembered); an incremental run only drops fields.
 */
export function prunedMemory(
  memory: { written: WrittenValues; tracked: string[] | undefined },
  guarded: Set<string>,
  readEverything: boolean,
): { written: WrittenValues; tracked: string[] } {
  const written: WrittenValues = {};
  for (const key of Object.keys(memory.written)) {
    const values = memory.written[key];
    let kept: Record<string, FieldValue> | undefined;
    for (const field of Object.keys(values)) {
      if (!guarded.has(field)) continue;
      kept ??= {};
      kept[field] = values[field];
    }
    if (kept) written[key] = kept;
  }
  const before = memory.tracked;
  const tracked = before === undefined || readEverything ? Array.from(guarded).sort() : before.filter((f) => guarded.has(f));
  return { written, tracked };
}

/**
 * Keep CRM edits compares a CRM value with the one a run last wrote. When a run finds the CRM
 * already holding Exact's value without having written it (a write whose answer was lost and
 * came back as a conflict, an item linked by matching), that agreement is remembered as if
 * written: else the next change in Exact meets an older "last written" value, looks like a CRM
 * edit, and is kept, so the item stays stale for good (the chaos suite found this). Adds to
 * `written` (the caller's own copy); returns whether anything was remembered.
 */
export function rememberAgreedValues(
  written: WrittenValues,
  run: { mode: SyncMode; mappings: FieldMapping[]; items: CrmItem[]; entries: RunEntry[] },
): boolean {
  if (run.mode === 'Import') return false;
  const guarded = run.mappings.filter((m) => m.keepCrmEdits).map((m) => m.target);
  if (guarded.length === 0) return false;
  let remembered = false;
  const items = new Map(run.items.map((i) => [i.id, i]));
  for (const e of run.entries) {
    const compared = e.action === 'update' || (e.action === 'skip' && (e.reason.code === 'unchanged' || e.reason.code === 'unchangedKept'));
    const item = compared && e.itemId !== null ? items.get(e.itemId) : undefined;
    if (!item) continue;
    const differing = new Set([...e.kept, ...e.changes.map((c) => c.field)]);
    const known = written[e.exactKey];
    // Already remembered as it is: nothing to write (a full re-read finds most items so).
    const agreed = guarded.filter((field) => !differing.has(field) && item.values[field] !== undefined && item.values[field] !== null && !(known && field in known && sameValue(known[field], item.values[field] ?? null)));
    if (agreed.length === 0) continue;
    const values = { ...(known ?? {}) };
    for (const field of agreed) values[field] = item.values[field] ?? null;
    written[e.exactKey] = values;
    remembered = true;
  }
  return remembered;
}
