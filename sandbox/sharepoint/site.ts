import type { Clock } from '../../src/sync/clock';
import { SpCodes, SpError, badRequest, notFound } from './errors';
import { builtInFields, encodeInternalName, toSpDate } from './fields';
import {
  accessDenied, effectiveMask, hasKind, ownerOnlyAssignments, ownerOnlyLists, seedGroups, seedWebRoleAssignments, type PermissionName, PermissionKind,
} from './permissions';
import { emptySiteState, newGuid, type FieldState, type ItemState, type ListState, type SiteState, type SiteUser } from './state';

/**
 * Hears what each write touched, so persistence can log just that before the response goes out
 * (an item rewritten per write, not the whole site).
 */
export interface SiteChangeSink {
  /** An item was added, changed or removed (persistence looks up which when it saves). */
  item(listId: string, itemId: number): void;
  /** A list's own properties, columns or permissions changed, or the list was added or deleted. */
  list(listId: string): void;
  /** Users, groups, the web's role assignments or tenant properties changed. */
  site(): void;
}

export const ignoreChanges: SiteChangeSink = { item: () => undefined, list: () => undefined, site: () => undefined };

export const SITE_PATH = '/sites/crm';

const membership = (email: string): string => `i:0#.f|membership|${email}`;

/** People every sandbox site starts with; Id 6 owns the site and is who cookie-less callers act as (tests). */
export const seedUsers: SiteUser[] = [
  { Id: 6, Title: 'Sandbox Admin', EMail: 'admin@contoso.test', LoginName: membership('admin@contoso.test') },
  { Id: 7, Title: 'Sanne de Vries', EMail: 'sales@contoso.test', LoginName: membership('sales@contoso.test') },
  { Id: 8, Title: 'Pieter Janssens', EMail: 'pieter@contoso.test', LoginName: membership('pieter@contoso.test') },
];
export const DEFAULT_USER_ID = 6;
const SEED_MEMBER_ID = 7;

/**
 * The site's lists with the indexes the REST layer needs to stay fast at 10,000+ items:
 * items by Id and, for columns that enforce unique values, value → item Id.
 */
export class Site {
  state: SiteState;
  private byId = new Map<string, Map<number, ItemState>>();
  private unique = new Map<string, Map<string, number>>();
  private stamps = new Map<string, number>();
  private equality = new Map<string, { stamp: number; index: Map<string, ItemState[]> }>();
  /** Who the request being answered runs as; undefined = the sandbox itself (control knobs), unchecked. */
  private acting: SiteUser | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly changes: SiteChangeSink,
    state?: SiteState,
  ) {
    this.state = state ?? this.freshState();
    this.seedSecurity();
    this.reindex();
  }

  /** Files from before users, groups or permissions existed get the seeded ones. */
  private seedSecurity(): void {
    const s = this.state;
    if (s.users.length === 0) s.users = seedUsers.map((u) => ({ ...u }));
    if (s.groups.length === 0) s.groups = seedGroups(DEFAULT_USER_ID, SEED_MEMBER_ID);
    if (s.webRoleAssignments.length === 0) s.webRoleAssignments = seedWebRoleAssignments();
    for (const list of s.lists) {
      if (list.HasUniqueRoleAssignments === undefined) this.applyDefaultPermissions(list);
    }
  }

  /**
   * Stands in for the admin's one-time setup step (the connector's lists are locked down to owners
   * by hand, not by provisioning): a list with one of these titles stops inheriting when created.
   */
  private applyDefaultPermissions(list: ListState): void {
    const ownerOnly = ownerOnlyLists.some((t) => t.toLowerCase() === list.Title.toLowerCase());
    list.HasUniqueRoleAssignments = ownerOnly;
    list.roleAssignments = ownerOnly ? ownerOnlyAssignments() : undefined;
  }

  /**
   * Runs one request as `user`. Safe as ambient state because the REST layer answers a request
   * (and every part of a $batch) synchronously: no other request interleaves.
   */
  actAs<T>(user: SiteUser | undefined, run: () => T): T {
    const previous = this.acting;
    this.acting = user;
    try {
      return run();
    } finally {
      this.acting = previous;
    }
  }

  /** Author/Editor of what the current request writes. */
  get actingUserId(): number {
    return this.acting?.Id ?? DEFAULT_USER_ID;
  }

  /** The signed-in user of the current request, or the default user for cookie-less callers and control knobs. */
  callingUser(): SiteUser {
    const user = this.acting ?? this.userById(DEFAULT_USER_ID);
    if (!user) throw new SpError(500, SpCodes.generic, `The site has no user ${DEFAULT_USER_ID} to act as.`);
    return user;
  }

  /** Refuses the current request (403, as SharePoint) unless its user has `kind` on the list (or the web). */
  demand(kind: PermissionName, list?: ListState, refuse: () => SpError = accessDenied): void {
    if (!this.acting) return;
    if (!hasKind(effectiveMask(this.state, this.acting, list), PermissionKind[kind])) throw refuse();
  }

  /** Lists are security-trimmed: one the user cannot view is reported as missing. */
  canView(list: ListState): boolean {
    return !this.acting || hasKind(effectiveMask(this.state, this.acting, list), PermissionKind.ViewListItems);
  }

  private freshState(): SiteState {
    const state = emptySiteState(this.nowIso());
    // Every SharePoint team site starts with a "Documents" library at /Shared Documents.
    state.lists.push(this.newList(state, { Title: 'Documents', BaseTemplate: 101, Description: '', ContentTypesEnabled: false }, 'Shared Documents'));
    return state;
  }

  nowIso(): string {
    return toSpDate(new Date(this.clock.now()));
  }

  /** The list's properties, columns or permissions changed; `withItems` when a change rewrote its items too. */
  listChanged(list: ListState, options: { withItems?: boolean } = {}): void {
    this.changes.list(list.Id);
    if (options.withItems) for (const item of list.items) this.changes.item(list.Id, item.Id);
  }

  /** Users, groups, the web's role assignments or tenant properties changed. */
  siteChanged(): void {
    this.changes.site();
  }

  /** Back to a fresh site; nothing is written until the next change (the caller removed the file). */
  reset(state?: SiteState): void {
    this.state = state ?? this.freshState();
    this.seedSecurity();
    this.reindex();
  }

  private reindex(): void {
    this.byId.clear();
    this.unique.clear();
    this.equality.clear();
    for (const list of this.state.lists) {
      this.byId.set(list.Id, new Map(list.items.map((i) => [i.Id, i])));
    }
  }

  listByTitle(title: string): ListState {
    const list = this.state.lists.find((l) => l.Title.toLowerCase() === title.toLowerCase());
    if (!list || !this.canView(list)) {
      throw notFound(SpCodes.argument, `List '${title}' does not exist at site with URL '${SITE_PATH}'.`);
    }
    return list;
  }

  listById(id: string): ListState {
    const wanted = id.replace(/[{}]/g, '').toLowerCase();
    const list = this.state.lists.find((l) => l.Id === wanted);
    if (!list || !this.canView(list)) {
      throw notFound(SpCodes.argument, `List '${id}' does not exist at site with URL '${SITE_PATH}'.`);
    }
    return list;
  }

  listByRootFolder(serverRelativeUrl: string): ListState | undefined {
    const url = serverRelativeUrl.toLowerCase();
    return this.state.lists.find((l) => url === l.RootFolderUrl.toLowerCase() || url.startsWith(`${l.RootFolderUrl.toLowerCase()}/`));
  }

  private newList(
    state: SiteState,
    input: { Title: string; BaseTemplate: number; Description: string; ContentTypesEnabled: boolean },
    urlName?: string,
  ): ListState {
    const library = input.BaseTemplate === 101;
    const name = urlName ?? (input.Title.replace(/[~"#%&*:<>?/\\{|}.]/g, '').trim() || 'List');
    const base = library ? `${SITE_PATH}/${name}` : `${SITE_PATH}/Lists/${name}`;
    let RootFolderUrl = base;
    for (let i = 1; state.lists.some((l) => l.RootFolderUrl.toLowerCase() === RootFolderUrl.toLowerCase()); i++) {
      RootFolderUrl = `${base}${i}`;
    }
    const leaf = RootFolderUrl.slice(RootFolderUrl.lastIndexOf('/') + 1);
    const now = this.nowIso();
    return {
      Id: newGuid(), Title: input.Title, Description: input.Description, BaseTemplate: input.BaseTemplate,
      EntityTypeName: library ? encodeInternalName(leaf) : `${encodeInternalName(leaf)}List`,
      RootFolderUrl, Created: now, LastItemModifiedDate: now, ContentTypesEnabled: input.ContentTypesEnabled,
      Hidden: false, version: 1, nextItemId: 1, fields: builtInFields(input.BaseTemplate), items: [],
    };
  }

  addList(input: { Title: string; BaseTemplate: number; Description: string; ContentTypesEnabled: boolean }): ListState {
    if (input.BaseTemplate !== 100 && input.BaseTemplate !== 101) {
      throw badRequest(SpCodes.notSupported, `List template ${input.BaseTemplate} of list '${input.Title}' is not supported by the emulator (100 or 101).`);
    }
    this.demand('ManageLists');
    if (this.state.lists.some((l) => l.Title.toLowerCase() === input.Title.toLowerCase())) {
      throw new SpError(500, SpCodes.listExists,
        'A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.');
    }
    const list = this.newList(this.state, input);
    this.applyDefaultPermissions(list);
    this.state.lists.push(list);
    this.byId.set(list.Id, new Map());
    this.listChanged(list);
    return list;
  }

  deleteList(list: ListState): void {
    this.demand('ManageLists', list);
    this.state.lists = this.state.lists.filter((l) => l !== list);
    this.byId.delete(list.Id);
    this.listChanged(list);
  }

  itemIndex(list: ListState): Map<number, ItemState> {
    let index = this.byId.get(list.Id);
    if (!index) {
      index = new Map(list.items.map((i) => [i.Id, i]));
      this.byId.set(list.Id, index);
    }
    return index;
  }

  item(list: ListState, id: number): ItemState {
    const item = this.itemIndex(list).get(id);
    if (!item) {
      throw notFound(SpCodes.itemMissing, 'Item does not exist. It may have been deleted by another user.');
    }
    return item;
  }

  insertItem(list: ListState, item: ItemState): void {
    this.demand('AddListItems', list);
    list.items.push(item);
    this.itemIndex(list).set(item.Id, item);
    this.touch(list, item);
  }

  removeItem(list: ListState, item: ItemState): void {
    this.demand('DeleteListItems', list);
    const at = list.items.indexOf(item);
    if (at >= 0) list.items.splice(at, 1);
    this.itemIndex(list).delete(item.Id);
    this.forgetUnique(list, item);
    this.touch(list, item);
  }

  /** After `item` of `list` was added, changed or removed. */
  touch(list: ListState, item: ItemState): void {
    list.LastItemModifiedDate = this.nowIso();
    this.stamps.set(list.Id, this.stamp(list) + 1);
    this.changes.item(list.Id, item.Id);
  }

  /** Changes on every item write; equality indexes built at an older stamp are stale. */
  stamp(list: ListState): number {
    return this.stamps.get(list.Id) ?? 0;
  }

  /** Normalized value → items for one property, rebuilt lazily after writes to the list. */
  equalityIndex(list: ListState, path: string, build: () => Map<string, ItemState[]>): Map<string, ItemState[]> {
    const key = `${list.Id}|${path.toLowerCase()}`;
    const cached = this.equality.get(key);
    if (cached && cached.stamp === this.stamp(list)) return cached.index;
    const index = build();
    this.equality.set(key, { stamp: this.stamp(list), index });
    return index;
  }

  /** Value → item Id for a column with EnforceUniqueValues, built on first use and kept current. */
  uniqueIndex(list: ListState, field: FieldState): Map<string, number> {
    const key = `${list.Id}|${field.InternalName}`;
    let index = this.unique.get(key);
    if (!index) {
      index = new Map();
      for (const item of list.items) {
        const k = uniqueKey(item.values[field.InternalName]);
        if (k !== undefined) index.set(k, item.Id);
      }
      this.unique.set(key, index);
    }
    return index;
  }

  forgetUnique(list: ListState, item: ItemState): void {
    for (const field of list.fields) {
      if (!field.EnforceUniqueValues) continue;
      const index = this.uniqueIndex(list, field);
      const k = uniqueKey(item.values[field.InternalName]);
      if (k !== undefined && index.get(k) === item.Id) index.delete(k);
    }
  }

  invalidateUnique(list: ListState): void {
    this.stamps.set(list.Id, this.stamp(list) + 1);
    for (const key of [...this.unique.keys()]) {
      if (key.startsWith(`${list.Id}|`)) this.unique.delete(key);
    }
  }

  userById(id: number): SiteUser | undefined {
    return this.state.users.find((u) => u.Id === id);
  }

  /** Like `web.ensureUser`: finds the person by login or e-mail, adding them to the site on first use. */
  ensureUser(logonName: string): SiteUser {
    const email = logonName.includes('|') ? logonName.slice(logonName.lastIndexOf('|') + 1) : logonName;
    const lower = email.toLowerCase();
    const found = this.state.users.find((u) => u.EMail.toLowerCase() === lower || u.LoginName.toLowerCase() === logonName.toLowerCase());
    if (found) return found;
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
      throw new SpError(500, SpCodes.generic, `The specified user ${logonName} could not be found.`);
    }
    const user: SiteUser = {
      Id: Math.max(...this.state.users.map((u) => u.Id), 10) + 1,
      Title: email.slice(0, email.indexOf('@')).replace(/[._-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
      EMail: email, LoginName: membership(email),
    };
    this.state.users.push(user);
    this.siteChanged();
    return user;
  }
}

export function uniqueKey(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'string' ? value.toLowerCase() : JSON.stringify(value);
}
