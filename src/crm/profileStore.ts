import type { z } from 'zod';
import { checkJson, describeIssues, etagProp, findByKey, numberProp, stringProp, StoreValidationError, type JsonIssue, type RawItem } from './jsonEntries';
import { READ_PAGE_SIZE, type SPFI } from './pnp';
import { CRM_LISTS, TEXT_MAX_LENGTH } from './schema';

/**
 * Import profiles as JSON in the "Import Profiles" list. The profile schema belongs to the sync
 * engine (src/core), so the store is generic over it: it only needs to know how to read and set a
 * profile's id and name. Stored JSON that no longer fits the schema is listed as an invalid entry
 * (title + zod issue paths), so the admin sees it and can fix or delete it.
 */

export interface ProfileIdentity {
  id: string;
  title: string;
}

export interface ProfileStoreOptions<T> {
  identify(profile: T): ProfileIdentity;
  /** A copy of the profile under another id and name (used by `saveAsNew`). */
  withIdentity(profile: T, identity: ProfileIdentity): T;
  newId?: () => string;
  listTitle?: string;
}

interface EntryBase {
  itemId: number;
  profileId: string;
  title: string;
  /** Last saved Exact `Timestamp` cursor (decimal string), if any. */
  cursor: string | null;
  lastRunId: string | null;
  etag?: string;
}

export interface ValidProfileEntry<T> extends EntryBase {
  valid: true;
  profile: T;
}

export interface InvalidProfileEntry extends EntryBase {
  valid: false;
  issues: JsonIssue[];
  /** `Profile "<title>": <path>: <message>; ...` */
  message: string;
  /** The stored text, so an editor can show and repair it. */
  definition: string | null;
}

export type ProfileEntry<T> = ValidProfileEntry<T> | InvalidProfileEntry;

export interface ProfileStore<T> {
  list(): Promise<ProfileEntry<T>[]>;
  get(profileId: string): Promise<ProfileEntry<T> | undefined>;
  /** Creates or replaces the profile with this id; the cursor is kept. */
  save(profile: T): Promise<ValidProfileEntry<T>>;
  /** Saves a copy under a new id and the given name, with no cursor. */
  saveAsNew(profile: T, title: string): Promise<ValidProfileEntry<T>>;
  /** False when there was no such profile. */
  delete(profileId: string): Promise<boolean>;
  getCursor(profileId: string): Promise<string | null>;
  setCursor(profileId: string, cursor: string | null, lastRunId?: string): Promise<void>;
}

const SELECT = ['Title', 'ProfileId', 'Definition', 'Cursor', 'LastRunId'];

export function createProfileStore<T>(sp: SPFI, schema: z.ZodType<T, z.ZodTypeDef, unknown>, options: ProfileStoreOptions<T>): ProfileStore<T> {
  const listTitle = options.listTitle ?? CRM_LISTS.importProfiles;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const items = () => sp.web.lists.getByTitle(listTitle).items;

  function toEntry(raw: RawItem): ProfileEntry<T> {
    const title = stringProp(raw, 'Title') ?? '';
    const etag = etagProp(raw);
    const base: EntryBase = {
      itemId: numberProp(raw, 'Id') ?? 0,
      profileId: stringProp(raw, 'ProfileId') ?? '',
      title,
      cursor: stringProp(raw, 'Cursor'),
      lastRunId: stringProp(raw, 'LastRunId'),
      ...(etag === undefined ? {} : { etag }),
    };
    const definition = stringProp(raw, 'Definition');
    const checked = checkJson(schema, definition);
    if (checked.ok) {
      return { ...base, valid: true, profile: checked.value };
    }
    const name = title || base.profileId || `item ${base.itemId}`;
    return { ...base, valid: false, issues: checked.issues, message: describeIssues(`Profile "${name}"`, checked.issues), definition };
  }

  async function find(profileId: string): Promise<RawItem | undefined> {
    return findByKey(sp, listTitle, 'ProfileId', profileId, SELECT);
  }

  async function requireItem(profileId: string): Promise<RawItem> {
    const raw = await find(profileId);
    if (raw === undefined) {
      throw new Error(`Profile "${profileId}" does not exist in "${listTitle}"`);
    }
    return raw;
  }

  function validate(profile: T): { value: T; identity: ProfileIdentity } {
    const parsed = schema.safeParse(profile);
    if (!parsed.success) {
      const identity = safeIdentity(profile);
      throw new StoreValidationError(
        `Profile "${identity}"`,
        parsed.error.issues.map((i) => ({ path: i.path.length > 0 ? i.path.join('.') : '(root)', message: i.message })),
      );
    }
    return { value: parsed.data, identity: options.identify(parsed.data) };
  }

  function safeIdentity(profile: T): string {
    try {
      return options.identify(profile).title;
    } catch {
      return '(unnamed)';
    }
  }

  async function write(profile: T, keepCursor: boolean): Promise<ValidProfileEntry<T>> {
    const { value, identity } = validate(profile);
    const fields: Record<string, string | null> = {
      Title: identity.title.slice(0, TEXT_MAX_LENGTH),
      ProfileId: identity.id,
      Definition: JSON.stringify(value),
    };
    const existing = await find(identity.id);
    if (existing === undefined) {
      if (!keepCursor) {
        fields.Cursor = null;
      }
      const created = (await items().add(fields)) as RawItem;
      const entry = toEntry({ ...created, ...fields });
      if (!entry.valid) throw new Error(entry.message);
      return entry;
    }
    const id = numberProp(existing, 'Id') ?? 0;
    const answer = await items().getById(id).update(fields);
    const etag = typeof answer?.etag === 'string' ? answer.etag : undefined;
    const entry = toEntry({ ...existing, ...fields, ...(etag === undefined ? {} : { 'odata.etag': etag }) });
    if (!entry.valid) throw new Error(entry.message);
    return entry;
  }

  return {
    async list() {
      const entries: ProfileEntry<T>[] = [];
      for await (const page of items().select('Id', ...SELECT).top(READ_PAGE_SIZE)) {
        for (const raw of page as RawItem[]) {
          entries.push(toEntry(raw));
        }
      }
      return entries.sort((a, b) => a.title.localeCompare(b.title));
    },
    async get(profileId) {
      const raw = await find(profileId);
      return raw === undefined ? undefined : toEntry(raw);
    },
    save(profile) {
      return write(profile, true);
    },
    saveAsNew(profile, title) {
      return write(options.withIdentity(profile, { id: newId(), title }), false);
    },
    async delete(profileId) {
      const raw = await find(profileId);
      if (raw === undefined) return false;
      await items()
        .getById(numberProp(raw, 'Id') ?? 0)
        .delete();
      return true;
    },
    async getCursor(profileId) {
      return stringProp(await requireItem(profileId), 'Cursor');
    },
    async setCursor(profileId, cursor, lastRunId) {
      const raw = await requireItem(profileId);
      await items()
        .getById(numberProp(raw, 'Id') ?? 0)
        .update({ Cursor: cursor, ...(lastRunId === undefined ? {} : { LastRunId: lastRunId }) });
    },
  };
}
