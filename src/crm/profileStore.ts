import { checkJson, formatZodIssues, zodIssues } from '../sync/profile/issues';
import { ProfileConflictError } from '../sync/ports';
import type { ProfileEntry, ProfileStore, ValidProfileEntry } from '../sync/ports';
import { profileSchema, ProfileError } from '../sync/profile/profile';
import { etagProp, findByKey, numberProp, stringProp, type RawItem } from './jsonEntries';
import { READ_PAGE_SIZE, type SPFI } from './pnp';
import { CRM_LISTS, TEXT_MAX_LENGTH } from './schema';
import { describeSharePointError, httpStatusOf } from './spErrors';

/**
 * The engine's `ProfileStore` on the "Import Profiles" list: the profile as JSON in `Definition`,
 * its id and name in columns. A stored text that no longer fits the profile schema is listed as
 * an invalid entry (title, zod paths), so the admin sees it and can fix or delete it.
 *
 * The item's ETag is the profile's version: a replace sends it as `IF-Match`, and SharePoint's
 * 412 becomes a `ProfileConflictError`; only a first creation is unconditional.
 */

const SELECT = ['Title', 'ProfileId', 'Definition'];

export function createSharePointProfileStore(sp: SPFI, options: { listTitle?: string } = {}): ProfileStore {
  const listTitle = options.listTitle ?? CRM_LISTS.importProfiles;
  const items = () => sp.web.lists.getByTitle(listTitle).items;
  const find = (profileId: string) => findByKey(sp, listTitle, 'ProfileId', profileId, SELECT);

  function toEntry(raw: RawItem): ProfileEntry {
    const itemId = numberProp(raw, 'Id') ?? 0;
    const id = stringProp(raw, 'ProfileId') ?? '';
    const title = stringProp(raw, 'Title') ?? '';
    const etag = etagProp(raw) ?? '';
    const definition = stringProp(raw, 'Definition');
    const checked = checkJson(profileSchema, definition);
    if (checked.ok) return { valid: true, id, title, etag, profile: checked.value };
    const record = `Profile "${title || id || `item ${itemId}`}"`;
    return { valid: false, id, title, etag, issues: checked.issues, message: formatZodIssues(checked.issues, { record }), definition };
  }

  async function failure(what: string, error: unknown): Promise<Error> {
    return new Error(`${what} in "${listTitle}" failed: ${(await describeSharePointError(error)).message}`);
  }

  return {
    async list() {
      const entries: ProfileEntry[] = [];
      for await (const page of items().select('Id', ...SELECT).top(READ_PAGE_SIZE)) {
        for (const raw of page as RawItem[]) entries.push(toEntry(raw));
      }
      return entries;
    },

    async get(profileId) {
      const raw = await find(profileId);
      return raw === undefined ? undefined : toEntry(raw);
    },

    async save(input, saveOptions = {}) {
      const parsed = profileSchema.safeParse(input);
      if (!parsed.success) throw new ProfileError(input.title || input.id, zodIssues(parsed.error));
      const profile = parsed.data;
      const fields = { Title: profile.title.slice(0, TEXT_MAX_LENGTH), ProfileId: profile.id, Definition: JSON.stringify(profile) };
      const saved = (etag: string | undefined): ValidProfileEntry => ({ valid: true, id: profile.id, title: profile.title, etag: etag ?? '', profile });
      const existing = await find(profile.id);
      if (saveOptions.etag === undefined) {
        if (existing !== undefined) throw new ProfileConflictError(profile.id, 'exists', profile.title);
        try {
          return saved(etagProp((await items().add(fields)) as RawItem));
        } catch (error) {
          // ProfileId is a unique column: a second admin creating the same id at once lands here.
          if ((await find(profile.id)) !== undefined) throw new ProfileConflictError(profile.id, 'exists', profile.title);
          throw await failure(`Creating profile "${profile.title}"`, error);
        }
      }
      if (existing === undefined) throw new ProfileConflictError(profile.id, 'deleted', profile.title);
      try {
        const answer = await items()
          .getById(numberProp(existing, 'Id') ?? 0)
          .update(fields, saveOptions.etag);
        return saved(typeof answer?.etag === 'string' && answer.etag !== '' ? answer.etag : etagProp((await find(profile.id)) ?? {}));
      } catch (error) {
        if (httpStatusOf(error) === 412) throw new ProfileConflictError(profile.id, 'changed', profile.title);
        throw await failure(`Saving profile "${profile.title}"`, error);
      }
    },

    async delete(profileId) {
      const raw = await find(profileId);
      if (raw === undefined) return;
      await items()
        .getById(numberProp(raw, 'Id') ?? 0)
        .delete();
    },
  };
}
