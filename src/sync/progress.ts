/** What a run tells its screen as it goes. */
export type ProgressPhase = 'read' | 'planned' | 'written' | 'failed';

export interface ProgressEvent {
  phase: ProgressPhase;
  /** Records (read), entries (planned) or writes (written/failed) so far. */
  count: number;
  /** Writes planned in all (written, failed); on `planned`, the final number of writes. */
  total?: number;
}

export type ProgressListener = (event: ProgressEvent) => void;
