import type { ProfileStore } from '../../src/sync/ports';
import type { Profile } from '../../src/sync/profile/profile';

/** A stored profile, changed and saved back with the version it was read with. */
export async function changeProfile(store: ProfileStore, id: string, change: Partial<Profile>): Promise<Profile> {
  const entry = await store.get(id);
  if (!entry || !entry.valid) throw new Error(`profile ${id} is not stored or not valid`);
  return (await store.save({ ...entry.profile, ...change }, { etag: entry.etag })).profile;
}

/** The stored profile (valid), for tests that read one to change it. */
export async function storedProfile(store: ProfileStore, id: string): Promise<Profile> {
  const entry = await store.get(id);
  if (!entry || !entry.valid) throw new Error(`profile ${id} is not stored or not valid`);
  return entry.profile;
}
