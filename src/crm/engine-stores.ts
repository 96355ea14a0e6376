import type { z } from 'zod';
import type { Profile } from '../core/profile';
import type { ProfileStore as EngineProfileStore, RunRecord, RunStore as EngineRunStore } from '../core/records';
import type { SPFI } from './pnp';
import { createProfileStore, type InvalidProfileEntry, type ProfileStore, type ProfileStoreOptions } from './profile-store';
import { createRunStore, type RunEntry, type RunStore, type RunSummary } from './run-store';

/**
 * The generic stores wired to the sync engine's own store interfaces (src/core/records.ts).
 * The engine's zod schemas are values in src/core, which src/crm may only import types from,
 * so the composition root passes them in: `createEngineProfileStore(sp, profileSchema)`.
 */

type InvalidRunEntry = Extract<RunEntry<RunRecord>, { valid: false }>;

export interface EngineStoreOptions<I> {
  /**
   * The engine's interfaces return valid documents only; stored JSON that fails the schema is
   * handed here instead (the admin UI lists it through `.store.list()`, which keeps it).
   */
  onInvalid?: (entries: I[]) => void;
}

export function createEngineProfileStore(
  sp: SPFI,
  schema: z.ZodType<Profile, z.ZodTypeDef, unknown>,
  options: EngineStoreOptions<InvalidProfileEntry> & Pick<ProfileStoreOptions<Profile>, 'listTitle' | 'newId'> = {},
): EngineProfileStore & { store: ProfileStore<Profile> } {
  const store = createProfileStore(sp, schema, {
    identify: (profile) => ({ id: profile.id, title: profile.title }),
    withIdentity: (profile, identity) => ({ ...profile, id: identity.id, title: identity.title }),
    ...(options.listTitle === undefined ? {} : { listTitle: options.listTitle }),
    ...(options.newId === undefined ? {} : { newId: options.newId }),
  });
  return {
    store,
    async list() {
      const entries = await store.list();
      const invalid = entries.filter((e): e is InvalidProfileEntry => !e.valid);
      if (invalid.length > 0) options.onInvalid?.(invalid);
      return entries.flatMap((e) => (e.valid ? [e.profile] : []));
    },
    async get(id) {
      const entry = await store.get(id);
      if (entry === undefined) return undefined;
      if (!entry.valid) {
        // A broken profile must not run; the message names the title and each issue path.
        throw new Error(entry.message);
      }
      return entry.profile;
    },
    async save(profile) {
      await store.save(profile);
    },
    async delete(id) {
      await store.delete(id);
    },
  };
}

/** Sync Runs columns from the engine's run record. */
export function summarizeRunRecord(run: RunRecord): RunSummary {
  return {
    runId: run.id,
    profileId: run.profileId,
    title: `${run.profileTitle} (${run.mode}) ${run.startedAt}`,
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

export function createEngineRunStore(
  sp: SPFI,
  schema: z.ZodType<RunRecord, z.ZodTypeDef, unknown>,
  options: EngineStoreOptions<InvalidRunEntry> & { listTitle?: string } = {},
): EngineRunStore & { store: RunStore<RunRecord> } {
  const store = createRunStore(sp, schema, {
    summarize: summarizeRunRecord,
    ...(options.listTitle === undefined ? {} : { listTitle: options.listTitle }),
  });
  return {
    store,
    async save(run) {
      await store.save(run);
    },
    async get(id) {
      const entry = await store.get(id);
      if (entry === undefined) return undefined;
      if (!entry.valid) throw new Error(entry.message);
      return entry.run;
    },
    async list(profileId) {
      const entries = await store.listRecords(profileId);
      const invalid = entries.filter((e): e is InvalidRunEntry => !e.valid);
      if (invalid.length > 0) options.onInvalid?.(invalid);
      return entries.flatMap((e) => (e.valid ? [e.run] : []));
    },
  };
}
