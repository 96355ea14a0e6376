import { lookupIndexName } from '../plan/mapping';
import type { LookupIndex } from '../plan/mapping';
import { asText, compareDecimal, normalizeKey } from '../model';
import { checkProfile, ProfileError, transformSources } from '../profile/profile';
import type { FieldMapping, Profile, ProfileProblem } from '../profile/profile';
import { ListNotFoundError } from '../ports';
import type { CrmItem, CrmList, CrmTarget, DocumentStore, ExactEntityInfo, ExactRecord, ExactRecordSource } from '../ports';
import { emptyState, paths, parseDocument, profileStateSchema, reviewDocumentSchema } from '../journal/records';
import type { ProfileState, ReviewDocument } from '../journal/records';
import { LABEL_FIELDS } from '../plan/planner';

/** Everything one plan needs, read once: step 2 and 3 of "Data flow of a run". */

export type ProgressPhase = 'read' | 'planned' | 'written' | 'failed';
export interface ProgressEvent {
  phase: ProgressPhase;
  /** Records (read), entries (planned) or writes (written/failed) so far. */
  count: number;
  total?: number;
}
export type ProgressListener = (event: ProgressEvent) => void;

export interface ReadWindow {
  /** null = full read. */
  since: string | null;
  deletionsSince: string | null;
}

export interface RunContext {
  profile: Profile;
  entity: ExactEntityInfo;
  list: CrmList;
  mappings: FieldMapping[];
  profileProblems: ProfileProblem[];
  items: CrmItem[];
  records: ExactRecord[];
  deletedKeys: string[];
  detectAbsence: boolean;
  lookups: Map<string, LookupIndex>;
  state: ProfileState;
  review: ReviewDocument;
  maxTimestamp: string | null;
  maxDeletionTimestamp: string | null;
  /** Timestamp of each deletion read (by normalised key), so a failed flag write holds the deletions cursor back. */
  deletionTimestamps: Map<string, string>;
}

export async function readState(documents: DocumentStore, profileId: string): Promise<ProfileState> {
  const path = paths.state(profileId);
  return parseDocument(path, await documents.read(path), profileStateSchema) ?? emptyState();
}

/** State and review list of a profile, in one request where the store can. */
export async function readStateAndReview(documents: DocumentStore, profileId: string): Promise<{ state: ProfileState; review: ReviewDocument }> {
  if (!documents.readMany) return { state: await readState(documents, profileId), review: await readReview(documents, profileId) };
  const [state, review] = await documents.readMany([paths.state(profileId), paths.review(profileId)]);
  return {
    state: parseDocument(paths.state(profileId), state, profileStateSchema) ?? emptyState(),
    review: parseDocument(paths.review(profileId), review, reviewDocumentSchema) ?? { items: [] },
  };
}

export async function readReview(documents: DocumentStore, profileId: string): Promise<ReviewDocument> {
  const path = paths.review(profileId);
  return parseDocument(path, await documents.read(path), reviewDocumentSchema) ?? { items: [] };
}

/** The list, or undefined when it does not exist; no access, throttling or no network are thrown as they are. */
export async function openTarget(crm: CrmTarget, title: string): Promise<CrmList | undefined> {
  try {
    return await crm.openList(title);
  } catch (error) {
    if (error instanceof ListNotFoundError) return undefined;
    throw error;
  }
}

/** Where a lookup mapping finds its target items; read into a LookupIndex only when records need it. */
export interface LookupSource {
  list: CrmList;
  keyField: string;
}

export async function readLookupIndexes(sources: Map<string, LookupSource>): Promise<Map<string, LookupIndex>> {
  const lookups = new Map<string, LookupIndex>();
  for (const [name, source] of sources) {
    const index: LookupIndex = new Map();
    for (const item of await source.list.readItems([source.keyField])) {
      const key = normalizeKey(item.values[source.keyField]);
      if (key) index.set(key, item.id);
    }
    lookups.set(name, index);
  }
  return lookups;
}

/** Checks the profile against Exact's catalog and the list; fatal problems throw a ProfileError. */
export async function prepareProfile(
  exact: ExactRecordSource,
  crm: CrmTarget,
  profile: Profile,
): Promise<{ entity: ExactEntityInfo; list: CrmList; mappings: FieldMapping[]; problems: ProfileProblem[]; lookups: Map<string, LookupSource> }> {
  const entity = exact.describeEntity(profile.source.entity);
  const list = await openTarget(crm, profile.targetList);
  const check = checkProfile(profile, entity, list?.fields);
  if (check.fatal.length > 0 || !entity || !list) throw new ProfileError(profile.title, check.fatal);
  const dropped = new Set(check.mappings.map((m) => m.index));
  const problems: ProfileProblem[] = check.mappings.map((m) => ({ path: m.path, message: `${m.message}; this mapping is left out` }));
  const lookups = new Map<string, LookupSource>();
  for (let i = 0; i < profile.mappings.length; i++) {
    const t = profile.mappings[i].transform;
    if (dropped.has(i) || t.kind !== 'lookup') continue;
    const name = lookupIndexName(t.list, t.keyField);
    if (lookups.has(name)) continue;
    const other = t.list === profile.targetList ? list : await openTarget(crm, t.list);
    if (!other || !other.fields.some((f) => f.internalName === t.keyField)) {
      dropped.add(i);
      problems.push({ path: `mappings[${i}].transform`, message: `lookup list ${t.list} or its column ${t.keyField} does not exist; this mapping is left out` });
      continue;
    }
    lookups.set(name, { list: other, keyField: t.keyField });
  }
  const mappings = profile.mappings.filter((_, i) => !dropped.has(i));
  return { entity, list, mappings, problems, lookups };
}

/** Which CRM columns and Exact fields a profile reads, and the Exact request. */
function readShape(profile: Profile, prepared: Awaited<ReturnType<typeof prepareProfile>>) {
  const { entity, list, mappings } = prepared;
  const crmFields = unique([
    profile.key.crmField,
    'Title',
    ...mappings.map((m) => m.target),
    ...profile.matching.flatMap((r) => r.crm),
    ...(profile.deletedFlagField ? [profile.deletedFlagField] : []),
  ]).filter((f) => list.fields.some((c) => c.internalName === f));
  const entityFields = new Set(entity.fields.map((f) => f.name));
  const exactFields = unique([
    ...mappings.flatMap((m) => transformSources(m.transform)),
    ...profile.matching.flatMap((r) => r.exact),
    ...LABEL_FIELDS,
  ]).filter((f) => entityFields.has(f) && f !== entity.key && f !== 'Timestamp');
  if (profile.key.exactField !== entity.key && exactFields.indexOf(profile.key.exactField) < 0) exactFields.push(profile.key.exactField);
  return { crmFields, request: { division: profile.division, entity: entity.name, fields: exactFields, filter: profile.source.filter } };
}

async function readDeletions(exact: ExactRecordSource, profile: Profile, entity: ExactEntityInfo, since: string | null) {
  const deletedKeys: string[] = [];
  const deletionTimestamps = new Map<string, string>();
  let maxDeletionTimestamp: string | null = null;
  if (entity.supportsSync && entity.deletedEntityType !== undefined) {
    for await (const page of exact.readDeletions({ division: profile.division, entity: entity.name, since: since ?? '0' })) {
      for (const d of page) {
        deletedKeys.push(d.key);
        deletionTimestamps.set(normalizeKey(d.key), d.timestamp);
        if (maxDeletionTimestamp === null || compareDecimal(d.timestamp, maxDeletionTimestamp) > 0) maxDeletionTimestamp = d.timestamp;
      }
    }
  }
  return { deletedKeys, deletionTimestamps, maxDeletionTimestamp };
}

/** A full read whose Exact pages are planned and written as they come in (a run, not a preview). */
export interface StreamedRead {
  /** Everything but the records: `records` stays empty, `maxTimestamp` and the deletions are filled in as the read goes. */
  ctx: RunContext;
  /** Exact's pages, one read ahead of the one being planned. */
  pages: AsyncIterable<ExactRecord[]>;
  /** Fills in the deletions (read while the pages come in); call after the last page. */
  deletions(): Promise<void>;
}

/** True when a run with this window reads the whole CRM list and so can plan page by page. */
export function readsInFull(window: ReadWindow, entity: ExactEntityInfo | undefined): boolean {
  return window.since === null || entity?.supportsSync !== true;
}

/**
 * The context of a full read before its records: the CRM index, lookups and review are read
 * first (with Exact's first page already on its way), the records come as `pages`.
 */
export async function openFullRead(
  deps: { exact: ExactRecordSource; crm: CrmTarget; documents: DocumentStore },
  profile: Profile,
  window: ReadWindow,
  preloaded: { state: ProfileState; review: ReviewDocument },
): Promise<StreamedRead> {
  const prepared = await prepareProfile(deps.exact, deps.crm, profile);
  const { entity, list, mappings } = prepared;
  const { crmFields, request } = readShape(profile, prepared);
  const source = entity.supportsSync ? deps.exact.readChanges({ ...request, since: window.since ?? '0' }) : deps.exact.readAll(request);
  const ahead = readAhead(source);
  // Deletions are read once the first page came (an Exact that refuses the read is not asked twice).
  let deletionsRead: ReturnType<typeof readDeletions> | undefined;
  const startDeletions = () => {
    if (deletionsRead) return deletionsRead;
    deletionsRead = readDeletions(deps.exact, profile, entity, window.deletionsSince);
    deletionsRead.catch(() => undefined);
    return deletionsRead;
  };
  const [items, lookups] = await Promise.all([list.readItems(crmFields), readLookupIndexes(prepared.lookups)]);
  const ctx: RunContext = {
    profile, entity, list, mappings, profileProblems: prepared.problems, items, records: [], deletedKeys: [],
    detectAbsence: window.since === null && !profile.source.filter, lookups, state: preloaded.state, review: preloaded.review,
    maxTimestamp: null, maxDeletionTimestamp: null, deletionTimestamps: new Map(),
  };
  async function* pages(): AsyncIterable<ExactRecord[]> {
    for await (const page of ahead) {
      for (const record of page) {
        const ts = record.Timestamp;
        if (ts !== null && ts !== undefined && (ctx.maxTimestamp === null || compareDecimal(String(ts), ctx.maxTimestamp) > 0)) ctx.maxTimestamp = String(ts);
      }
      void startDeletions();
      yield page;
    }
  }
  return {
    ctx,
    pages: pages(),
    deletions: async () => {
      const d = await startDeletions();
      ctx.deletedKeys = d.deletedKeys;
      ctx.deletionTimestamps = d.deletionTimestamps;
      ctx.maxDeletionTimestamp = d.maxDeletionTimestamp;
    },
  };
}

/**
 * Keeps the next page of `source` on its way while the current one is planned and written; the
 * first is asked for at once (it comes in while the CRM index is read).
 */
function readAhead<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  const iterator = source[Symbol.asyncIterator]();
  const ask = () => {
    const next = iterator.next();
    // Seen when the consumer reaches it, not as an unhandled rejection before.
    next.catch(() => undefined);
    return next;
  };
  let next = ask();
  return {
    async *[Symbol.asyncIterator]() {
      let finished = false;
      try {
        for (;;) {
          const current = await next;
          if (current.done) {
            finished = true;
            return;
          }
          next = ask();
          yield current.value;
        }
      } finally {
        if (!finished) await iterator.return?.();
      }
    },
  };
}

export async function loadContext(
  deps: { exact: ExactRecordSource; crm: CrmTarget; documents: DocumentStore },
  profile: Profile,
  window: ReadWindow,
  onProgress?: ProgressListener,
  /** The profile's state (and review list) when the caller has just read them. */
  preloaded?: { state: ProfileState; review?: ReviewDocument },
): Promise<RunContext> {
  const prepared = await prepareProfile(deps.exact, deps.crm, profile);
  const { entity, list, mappings } = prepared;
  const { crmFields, request } = readShape(profile, prepared);
  // A full read needs the whole CRM index anyway, so it is read while Exact pages come in; an
  // incremental read reads it only when Exact reported something (most runs find nothing).
  const fullRead = readsInFull(window, entity);
  const itemsEarly = fullRead ? list.readItems(crmFields) : undefined;
  itemsEarly?.catch(() => undefined);
  const records: ExactRecord[] = [];
  let maxTimestamp: string | null = null;
  const pages = entity.supportsSync
    ? deps.exact.readChanges({ ...request, since: window.since ?? '0' })
    : deps.exact.readAll(request);
  for await (const page of pages) {
    for (const record of page) {
      records.push(record);
      const ts = record.Timestamp;
      if (ts !== null && ts !== undefined && (maxTimestamp === null || compareDecimal(String(ts), maxTimestamp) > 0)) maxTimestamp = String(ts);
    }
    if (onProgress) onProgress({ phase: 'read', count: records.length });
  }
  const { deletedKeys, deletionTimestamps, maxDeletionTimestamp } = await readDeletions(deps.exact, profile, entity, window.deletionsSince);
  const needsCrm = fullRead || records.length > 0 || deletedKeys.length > 0;
  const [items, lookups, review] = await Promise.all([
    itemsEarly ?? (needsCrm ? readChangedItems(list, profile, records, deletedKeys, crmFields) : Promise.resolve([])),
    records.length > 0 ? readLookupIndexes(prepared.lookups) : Promise.resolve(new Map<string, LookupIndex>()),
    preloaded?.review ?? (records.length > 0 ? readReview(deps.documents, profile.id) : Promise.resolve({ items: [] })),
  ]);
  return {
    profile,
    entity,
    list,
    mappings,
    profileProblems: prepared.problems,
    items,
    records,
    deletedKeys,
    detectAbsence: window.since === null && !profile.source.filter,
    lookups,
    state: preloaded?.state ?? (await readState(deps.documents, profile.id)),
    review,
    maxTimestamp,
    maxDeletionTimestamp,
    deletionTimestamps,
  };
}

/**
 * What abandoning an unfinished run needs: the CRM items its pending segments are reconciled
 * against, the state and the review list. No Exact read: a run stopped by an Exact failure (its
 * error block, the day's limit) must be closable while Exact still refuses (review finding).
 */
export async function loadAbandonContext(deps: { exact: ExactRecordSource; crm: CrmTarget; documents: DocumentStore }, profile: Profile): Promise<RunContext> {
  const prepared = await prepareProfile(deps.exact, deps.crm, profile);
  const { crmFields } = readShape(profile, prepared);
  const [items, state, review] = await Promise.all([prepared.list.readItems(crmFields), readState(deps.documents, profile.id), readReview(deps.documents, profile.id)]);
  return {
    profile,
    entity: prepared.entity,
    list: prepared.list,
    mappings: prepared.mappings,
    profileProblems: prepared.problems,
    items,
    records: [],
    deletedKeys: [],
    detectAbsence: false,
    lookups: new Map<string, LookupIndex>(),
    state,
    review,
    maxTimestamp: null,
    maxDeletionTimestamp: null,
    deletionTimestamps: new Map<string, string>(),
  };
}

/** Up to this many changed records, an incremental run reads only their items (and the unlinked ones). */
export const TARGETED_READ_MAX = 500;

async function readChangedItems(list: CrmList, profile: Profile, records: ExactRecord[], deletedKeys: string[], fields: string[]): Promise<CrmItem[]> {
  const keys = unique([...records.map((r) => asText(r[profile.key.exactField]).trim()), ...deletedKeys.map((k) => k.trim())].filter((k) => k !== ''));
  let targeted: CrmItem[] | undefined;
  if (list.readItemsByKey && keys.length <= TARGETED_READ_MAX) {
    // A key column without an index refuses such filters on a big list (the list view
    // threshold); the whole list is the answer then, as it always was.
    targeted = await list.readItemsByKey(profile.key.crmField, keys, fields).catch(() => undefined);
  }
  return targeted ?? list.readItems(fields);
}

function unique(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}
