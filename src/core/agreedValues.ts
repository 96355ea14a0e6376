import type { RunContext } from './context';
import { sameValue } from './normalize';
import type { ProfileState, RunEntry } from './records';

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
    const compared = e.action === 'update' || (e.action === 'skip' && e.reason.startsWith('unchanged'));
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
