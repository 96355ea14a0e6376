import { TestClock } from '../../src/sync/clock';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import type { ApplyOptions } from '../../src/sync/write/apply';
import { SyncEngine } from '../../src/sync/run/engine';
import type { Profile } from '../../src/sync/profile/profile';
import { ReviewService } from '../../src/sync/journal/review';
import { MemoryCrm } from './memoryCrm';
import { DIVISION, seededExact, type MemoryExact } from './memoryExact';
import { CrashSwitch, MemoryDocuments, MemoryProfileStore, MemoryRunJournal } from './memoryStores';

export interface Harness {
  exact: MemoryExact;
  crm: MemoryCrm;
  documents: MemoryDocuments;
  runs: MemoryRunJournal;
  profiles: MemoryProfileStore;
  crash: CrashSwitch;
  clock: TestClock;
  engine: SyncEngine;
  review: ReviewService;
  /** Total durable writes anywhere (CRM items, documents, run records). */
  writes(): number;
}

export function memoryHarness(options: { exact?: MemoryExact; profiles?: Profile[]; apply?: ApplyOptions } = {}): Harness {
  const crash = new CrashSwitch();
  const exact = options.exact ?? seededExact();
  const crm = new MemoryCrm(crash);
  const documents = new MemoryDocuments(crash);
  const runs = new MemoryRunJournal(crash, documents);
  const profiles = new MemoryProfileStore(options.profiles ?? defaultProfiles(DIVISION));
  const clock = new TestClock(Date.UTC(2026, 10, 21, 23, 0, 0));
  let n = 0;
  const engine = new SyncEngine({ exact, crm, documents, runs, profiles, clock, newRunId: () => `run-${String(++n).padStart(3, '0')}`, apply: options.apply });
  const review = new ReviewService({ documents, crm, clock });
  return {
    exact, crm, documents, runs, profiles, crash, clock, engine, review,
    writes: () => crm.itemWrites + crm.writeCalls + documents.writes + runs.saves,
  };
}
