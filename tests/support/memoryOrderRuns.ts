import type { OrderRun, OrderRunStore } from '../../src/orders/ports';

/** Order runs in memory, with the one lock per profile a shared store gives (SharePoint in the product). */
export function memoryOrderRuns(): OrderRunStore & { runs: Map<string, OrderRun>; saves: number } {
  const locks = new Map<string, string>();
  const store = {
    runs: new Map<string, OrderRun>(),
    saves: 0,
    acquire: async (profileId: string, runId: string) => {
      const holder = locks.get(profileId);
      if (holder !== undefined && holder !== runId) return false;
      locks.set(profileId, runId);
      return true;
    },
    release: async (profileId: string, runId: string) => {
      if (locks.get(profileId) === runId) locks.delete(profileId);
    },
    save: async (run: OrderRun) => {
      store.saves += 1;
      store.runs.set(run.id, structuredClone(run));
    },
    get: async (runId: string) => {
      const run = store.runs.get(runId);
      return run ? structuredClone(run) : undefined;
    },
  };
  return store;
}
