import { FLUSH } from './apply';
import type { DeletionsRead, StreamedRead } from '../read/exactRead';
import { normalizeKey } from '../model';
import type { Planner } from '../plan/planner';
import type { ExactRecord } from '../model';
import type { RunEntry } from '../journal/records';

/**
 * The writes of a full read as its pages come in, for `applyWrites`: each page is planned on
 * its own (the Planner carries what pages share), deletions after the last page. A record Exact
 * returned again on a later page (it changed while paging) is planned after the writes before
 * it are known (FLUSH), against what its first write left (Planner.learn).
 */
export async function* streamedWrites(
  read: StreamedRead,
  planner: Planner,
  hooks: {
    /** Takes a page's entries, keeps the ones that write nothing, returns the writes. */
    sort: (entries: RunEntry[]) => RunEntry[];
    onPage: (records: number) => void;
    /** The plan is complete. */
    onPlanned: () => void;
    /** The written entry of a key, once its batch is back. */
    writtenFor: (key: string) => RunEntry | undefined;
    /** The deletions, once read. */
    onDeletions: (deletions: DeletionsRead) => void;
  },
): AsyncIterable<RunEntry[] | typeof FLUSH> {
  const keyField = read.inputs.prepared.profile.key.exactField;
  const repeats: ExactRecord[] = [];
  for await (const page of read.pages) {
    hooks.onPage(page.length);
    const plan = planner.plan(page);
    for (const r of plan.repeats) repeats.push(r);
    yield hooks.sort(plan.entries);
  }
  const deleted = await read.deletions();
  hooks.onDeletions(deleted);
  const deletions = hooks.sort(planner.deletions(deleted.keys, read.detectAbsence));
  if (repeats.length === 0) {
    hooks.onPlanned();
    yield deletions;
    return;
  }
  yield deletions;
  yield FLUSH;
  const firsts = repeats.map((r) => hooks.writtenFor(normalizeKey(r[keyField])));
  planner.learn(firsts.filter((e): e is RunEntry => e !== undefined));
  const again = hooks.sort(planner.plan(repeats, true).entries);
  hooks.onPlanned();
  yield again;
}
