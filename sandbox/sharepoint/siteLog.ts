import { z } from 'zod';
import type { SiteChangeSink } from './site';
import {
  groupSchema, itemSchema, listSchema, roleAssignmentSchema, siteStateSchema, userSchema, type ItemState, type ListState, type SiteState,
} from './state';

/**
 * The SharePoint stand-in's write-ahead log: one JSON line per saved request with what it wrote
 * (whole items, a list's own properties, the site's people and permissions), replayed over the
 * last snapshot (`site.json`) on start. Records hold values, not operations, so replaying a line
 * twice is harmless.
 */

const siteRecordSchema = z.object({
  kind: z.literal('site'),
  webId: z.string(),
  created: z.string(),
  users: z.array(userSchema),
  groups: z.array(groupSchema),
  webRoleAssignments: z.array(roleAssignmentSchema),
  storageEntities: siteStateSchema.shape.storageEntities,
  appGrants: siteStateSchema.shape.appGrants,
});

const listRecordSchema = z.object({ kind: z.literal('list'), list: listSchema.omit({ items: true }) });
const listGoneRecordSchema = z.object({ kind: z.literal('listGone'), listId: z.string() });

/** The items a request wrote, with the two list properties every item write moves. */
const itemsRecordSchema = z.object({
  kind: z.literal('items'),
  listId: z.string(),
  nextItemId: z.number(),
  LastItemModifiedDate: z.string(),
  put: z.array(itemSchema),
  gone: z.array(z.number()),
});

const recordSchema = z.discriminatedUnion('kind', [siteRecordSchema, listRecordSchema, listGoneRecordSchema, itemsRecordSchema]);
type LogRecord = z.infer<typeof recordSchema>;

export const logLineSchema = z.object({ records: z.array(recordSchema) });
export type LogLine = z.infer<typeof logLineSchema>;

function withoutItems(list: ListState): Omit<ListState, 'items'> {
  const meta: Partial<ListState> = { ...list };
  delete meta.items;
  return meta as Omit<ListState, 'items'>;
}

/** What changed since the last save, by reference: values are read from the site when it is saved. */
export class PendingChanges implements SiteChangeSink {
  private items = new Map<string, Set<number>>();
  private lists = new Set<string>();
  private siteTouched = false;

  constructor(private readonly onFirstChange: () => void) {}

  get empty(): boolean {
    return !this.siteTouched && this.lists.size === 0 && this.items.size === 0;
  }

  item(listId: string, itemId: number): void {
    this.first();
    let ids = this.items.get(listId);
    if (!ids) this.items.set(listId, (ids = new Set()));
    ids.add(itemId);
  }

  list(listId: string): void {
    this.first();
    this.lists.add(listId);
  }

  site(): void {
    this.first();
    this.siteTouched = true;
  }

  clear(): void {
    this.items = new Map();
    this.lists = new Set();
    this.siteTouched = false;
  }

  /** The log line for these changes as the site stands now; `itemOf` finds an item still there. */
  line(state: SiteState, itemOf: (list: ListState, id: number) => ItemState | undefined): LogLine {
    const records: LogRecord[] = [];
    const byId = new Map(state.lists.map((l) => [l.Id, l]));
    if (this.siteTouched) {
      const { webId, created, users, groups, webRoleAssignments, storageEntities, appGrants } = state;
      records.push({ kind: 'site', webId, created, users, groups, webRoleAssignments, storageEntities, appGrants });
    }
    const gone: LogRecord[] = [];
    for (const listId of this.lists) {
      const list = byId.get(listId);
      if (!list) {
        gone.push({ kind: 'listGone', listId });
        continue;
      }
      records.push({ kind: 'list', list: withoutItems(list) });
    }
    for (const [listId, ids] of this.items) {
      const list = byId.get(listId);
      if (!list) continue;
      const record = { kind: 'items' as const, listId, nextItemId: list.nextItemId, LastItemModifiedDate: list.LastItemModifiedDate, put: [] as ItemState[], gone: [] as number[] };
      for (const id of ids) {
        const item = itemOf(list, id);
        if (item) record.put.push(item);
        else record.gone.push(id);
      }
      records.push(record);
    }
    // Last: an item record of a list deleted in the same request is skipped above anyway.
    records.push(...gone);
    return { records };
  }

  private first(): void {
    if (this.empty) this.onFirstChange();
  }
}

/** Applies log lines, in order, to a snapshot (in place). */
export function replay(state: SiteState, lines: LogLine[]): void {
  // Items by Id per list while replaying, in list order (a Map keeps insertion order, as `items` does).
  const items = new Map<string, Map<number, ItemState>>();
  const itemsOf = (list: ListState): Map<number, ItemState> => {
    let map = items.get(list.Id);
    if (!map) items.set(list.Id, (map = new Map(list.items.map((i) => [i.Id, i]))));
    return map;
  };
  const listById = (id: string): ListState | undefined => state.lists.find((l) => l.Id === id);
  for (const { records } of lines) {
    for (const record of records) {
      switch (record.kind) {
        case 'site':
          Object.assign(state, {
            webId: record.webId, created: record.created, users: record.users, groups: record.groups,
            webRoleAssignments: record.webRoleAssignments, storageEntities: record.storageEntities, appGrants: record.appGrants,
          });
          break;
        case 'list': {
          const at = state.lists.findIndex((l) => l.Id === record.list.Id);
          if (at >= 0) state.lists[at] = { ...record.list, items: state.lists[at].items };
          else state.lists.push({ ...record.list, items: [] });
          break;
        }
        case 'listGone':
          state.lists = state.lists.filter((l) => l.Id !== record.listId);
          items.delete(record.listId);
          break;
        case 'items': {
          const list = listById(record.listId);
          if (!list) break;
          const map = itemsOf(list);
          for (const item of record.put) map.set(item.Id, item);
          for (const id of record.gone) map.delete(id);
          list.nextItemId = Math.max(list.nextItemId, record.nextItemId);
          list.LastItemModifiedDate = record.LastItemModifiedDate;
          break;
        }
      }
    }
  }
  for (const [listId, map] of items) {
    const list = listById(listId);
    if (list) list.items = [...map.values()];
  }
}

/**
 * Splits a log file into its complete lines. A line without its newline is a write cut short by a
 * kill, which was never acknowledged: it is dropped, and `validBytes` says where to cut the file.
 */
export function parseLog(bytes: Buffer, file: string): { lines: LogLine[]; validBytes: number } {
  const validBytes = bytes.lastIndexOf(0x0a) + 1;
  const text = bytes.subarray(0, validBytes).toString('utf8');
  const lines: LogLine[] = [];
  let number = 0;
  for (const raw of text.split('\n')) {
    number++;
    if (raw === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new Error(`SharePoint emulator log ${file} line ${number} is not JSON.`);
    }
    const parsed = logLineSchema.safeParse(json);
    if (!parsed.success) throw new Error(`SharePoint emulator log ${file} line ${number} is not valid: ${parsed.error.message}`);
    lines.push(parsed.data);
  }
  return { lines, validBytes };
}
