import type { RunEntry } from './records';

/**
 * What undo takes back, per entry, apart from the engine: the page says it before an undo starts
 * with the same rules the undo then follows (and without loading the schemas to do so).
 */

/** The entries of a run that its undo takes back: those it wrote to an item. */
export function undoableEntries(entries: RunEntry[]): RunEntry[] {
  return entries.filter((e) => e.outcome === 'written' && e.changes.length > 0 && e.itemId !== null);
}

/** What undo does with an entry it takes back: a created item is recycled, a flag cleared, other values restored. */
export function undoActionOf(entry: RunEntry): 'remove' | 'unflag' | 'restore' {
  return entry.action === 'create' ? 'remove' : entry.action === 'deleted' ? 'unflag' : 'restore';
}

/**
 * What undoing a run would do, per kind, before it starts (items changed since are refused then,
 * so these are at most). The same kinds as the undo run's own counts: recycled, restored, unflagged.
 */
export function undoPlanCounts(entries: RunEntry[]): { remove: number; restore: number; unflag: number } {
  const counts = { remove: 0, restore: 0, unflag: 0 };
  for (const e of undoableEntries(entries)) counts[undoActionOf(e)]++;
  return counts;
}
