import type { RunContext } from '../read/read';
import { normalizeKey, sameValue } from '../model';
import type { FieldMapping } from '../profile/profile';
import type { ProfileState, RunEntry } from './records';

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

/** Remembers what a written entry wrote to the guarded fields. */
export function rememberWritten(state: ProfileState, e: RunEntry, guarded: Set<string>): void {
  const values = e.action === 'create' ? {} : { ...(state.written[e.exactKey] ?? {}) };
  for (const c of e.changes) if (guarded.has(c.field)) values[c.field] = c.after;
  if (Object.keys(values).length > 0) state.written[e.exactKey] = values;
  else delete state.written[e.exactKey];
}

/**
 * When a read of everything starts covering a field, every linked CRM item's value in it that the
 * memory does not hold yet becomes the remembered one: the values this run wrote are already
 * remembered, and an item the run did not write (its write failed, a conflict, outside the
 * profile's filter) would otherwise have no memory, so any value in it would count as a CRM edit
 * and Exact's changes would never reach it again (review finding). Call before pruneWritten.
 */
export function rememberFoundValues(state: ProfileState, ctx: RunContext, guarded: Set<string>): boolean {
  const newlyCovered = state.tracked === undefined ? [] : Array.from(guarded).filter((field) => !state.tracked!.includes(field));
  if (newlyCovered.length === 0) return false;
  const keyField = ctx.profile.key.crmField;
  let remembered = false;
  for (const item of ctx.items) {
    const key = normalizeKey(item.values[keyField]);
    if (!key) continue;
    const known = state.written[key] ?? {};
    const found = newlyCovered.filter((field) => !(field in known) && item.values[field] !== undefined && item.values[field] !== null);
    if (found.length === 0) continue;
    const values = { ...known };
    for (const field of found) values[field] = item.values[field] ?? null;
    state.written[key] = values;
    remembered = true;
  }
  return remembered;
}

/**
 * Before the state is written: only guarded fields stay, and `tracked` says which fields the
 * memory covers. A field starts being covered after a read of everything (every record was
 * compared, so every agreed value was remembered); an incremental run only drops fields.
 */
export function pruneWritten(state: ProfileState, guarded: Set<string>, readEverything: boolean): void {
  for (const key of Object.keys(state.written)) {
    const values = state.written[key];
    let kept = 0;
    for (const field of Object.keys(values)) {
      if (guarded.has(field)) kept++;
      else delete values[field];
    }
    if (kept === 0) delete state.written[key];
  }
  const before = state.tracked;
  state.tracked = before === undefined || readEverything ? Array.from(guarded).sort() : before.filter((f) => guarded.has(f));
}

/**
 * Keep CRM edits compares a CRM value with the one a run last wrote. When a run finds the CRM
 * already holding Exact's value without having written it (a write whose answer was lost and
 * came back as a conflict, an item linked by matching), that agreement is remembered as if
 * written: else the next change in Exact meets an older "last written" value, looks like a CRM
 * edit, and is kept, so the item stays stale for good (the chaos suite found this). Returns
 * whether anything was remembered (the state document must then be written).
 */
export function rememberAgreedValues(state: ProfileState, ctx: RunContext, entries: RunEntry[]): boolean {
  if (ctx.profile.mode === 'Import') return false;
  const guarded = ctx.mappings.filter((m) => m.keepCrmEdits).map((m) => m.target);
  if (guarded.length === 0) return false;
  let remembered = false;
  const items = new Map(ctx.items.map((i) => [i.id, i]));
  for (const e of entries) {
    const compared = e.action === 'update' || (e.action === 'skip' && (e.reason.code === 'unchanged' || e.reason.code === 'unchangedKept'));
    const item = compared && e.itemId !== null ? items.get(e.itemId) : undefined;
    if (!item) continue;
    const differing = new Set([...e.kept, ...e.changes.map((c) => c.field)]);
    const known = state.written[e.exactKey];
    // Already remembered as it is: nothing to write (a full re-read finds most items so).
    const agreed = guarded.filter((field) => !differing.has(field) && item.values[field] !== undefined && item.values[field] !== null && !(known && field in known && sameValue(known[field], item.values[field] ?? null)));
    if (agreed.length === 0) continue;
    const values = { ...(known ?? {}) };
    for (const field of agreed) values[field] = item.values[field] ?? null;
    state.written[e.exactKey] = values;
    remembered = true;
  }
  return remembered;
}
