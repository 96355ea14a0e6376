import type { z } from 'zod';
import { profileSchema } from './profile';
import type { Profile } from './profile';
import type { ProfileStore, RunRecord, RunStore } from './records';

/**
 * Glue between the engine's small store interfaces and src/crm's generic, list-backed stores
 * (`createRunStore(sp, runRecordSchema, { summarize: summarizeRun })`, `createProfileStore(sp,
 * profileSchema, profileIdentity)`). Typed structurally so core does not import src/crm.
 */

export interface RunSummaryShape {
  runId: string;
  profileId: string;
  title: string;
  mode: RunRecord['mode'];
  status: RunRecord['status'];
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  counts: { read: number; created: number; updated: number; skipped: number; conflicts: number; failed: number };
}

/** The columns of the "Sync Runs" list for one run record. */
export function summarizeRun(run: RunRecord): RunSummaryShape {
  const when = run.startedAt.replace('T', ' ').slice(0, 16);
  return {
    runId: run.id,
    profileId: run.profileId,
    title: `${run.mode === 'Undo' ? 'Undo: ' : ''}${run.profileTitle}, ${when}`,
    mode: run.mode,
    status: run.status,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? null,
    counts: {
      read: run.counts.read,
      created: run.counts.created,
      updated: run.counts.updated,
      skipped: run.counts.skipped,
      conflicts: run.counts.conflicts,
      failed: run.counts.failed,
    },
  };
}

/**
 * The profile schema typed as `ZodType<Profile>` for stores generic over `z.ZodType<T>`: its
 * defaults make the input type looser than `Profile`, but what it parses to is always a Profile.
 */
export const storedProfileSchema = profileSchema as unknown as z.ZodType<Profile>;

export const profileIdentity = {
  identify: (profile: Profile): { id: string; title: string } => ({ id: profile.id, title: profile.title }),
  withIdentity: (profile: Profile, identity: { id: string; title: string }): Profile => ({ ...profile, id: identity.id, title: identity.title }),
};

type StoredRun = { valid: true; run: RunRecord } | { valid: false; message: string };

export interface GenericRunStore {
  save(run: RunRecord): Promise<unknown>;
  get(runId: string): Promise<StoredRun | undefined>;
  list(options?: { profileId?: string }): Promise<Array<{ runId: string; status?: string }>>;
}

export function fromGenericRunStore(store: GenericRunStore): RunStore {
  const get = async (id: string): Promise<RunRecord | undefined> => {
    const entry = await store.get(id);
    if (!entry) return undefined;
    if (!entry.valid) throw new Error(`Run ${id} cannot be read: ${entry.message}`);
    return entry.run;
  };
  // The list's columns carry the status; only the runs asked for are read in full (Details).
  const read = async (profileId: string | undefined, status?: string): Promise<RunRecord[]> => {
    const summaries = await store.list(profileId === undefined ? {} : { profileId });
    const runs: RunRecord[] = [];
    for (const s of summaries) {
      if (status !== undefined && s.status !== undefined && s.status !== status) continue;
      const entry = await store.get(s.runId);
      if (entry && entry.valid) runs.push(entry.run);
    }
    return runs;
  };
  return {
    save: async (run) => {
      await store.save(run);
    },
    get,
    list: (profileId) => read(profileId),
    listRunning: (profileId) => read(profileId, 'Running'),
  };
}

type StoredProfile = { valid: true; profile: Profile } | { valid: false; message: string };

export interface GenericProfileStore {
  list(): Promise<StoredProfile[]>;
  get(profileId: string): Promise<StoredProfile | undefined>;
  save(profile: Profile): Promise<unknown>;
  delete(profileId: string): Promise<unknown>;
}

/** Invalid stored profiles are left out of `list` (the store's own list shows them) and are an error on `get`. */
export function fromGenericProfileStore(store: GenericProfileStore): ProfileStore {
  return {
    list: async () => {
      const out: Profile[] = [];
      for (const e of await store.list()) if (e.valid) out.push(e.profile);
      return out;
    },
    get: async (id) => {
      const entry = await store.get(id);
      if (!entry) return undefined;
      if (!entry.valid) throw new Error(entry.message);
      return entry.profile;
    },
    save: async (profile) => {
      await store.save(profile);
    },
    delete: async (id) => {
      await store.delete(id);
    },
  };
}
