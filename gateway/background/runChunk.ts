/**
 * One bounded chunk of a profile's run, in the gateway (Azure Functions queue handler or the Node
 * entry under `npm start`). The queue, schedule and lease code (wt-sched) builds on this interface.
 */

export type RunTrigger = { kind: 'person'; name: string } | { kind: 'schedule' } | { kind: 'exactChange'; topic: string };

export interface ChunkRequest {
  siteUrl: string;
  profileId: string;
  /** A continuation: the run a previous chunk left unfinished. */
  runId?: string;
  trigger: RunTrigger;
  budgetMs: number;
}

export type ChunkOutcome =
  | { kind: 'finished'; runId: string; status: string }
  /** Budget spent, run unfinished and resumable. */
  | { kind: 'continue'; runId: string }
  /** Another run of this profile is going (lease/run lock). */
  | { kind: 'busy'; runId: string }
  | { kind: 'failed'; runId?: string; reason: string };

export type RunChunk = (request: ChunkRequest) => Promise<ChunkOutcome>;

/** Filled in by the implementation commit that follows; the shape of `createRunChunk` stays. */
export interface RunChunkDeps {
  [name: string]: unknown;
}

export function createRunChunk(deps: RunChunkDeps): RunChunk {
  void deps;
  return () => Promise.reject(new Error('runChunk: not implemented yet'));
}
