import { ListNotFoundError, type CrmFieldInfo, type CrmItem, type CrmList, type CrmTarget, type CrmWrite, type CrmWriteResult, type FieldValue } from '../../src/sync/ports';
import { normalizeKey } from '../../src/sync/model';
import { convertValues } from '../../src/crm/convert';
import { companiesList, contactsList, type CrmListSchema } from '../../src/crm/schema';
import type { CrashSwitch } from './memoryStores';

/**
 * The CRM lists in memory, with SharePoint's rules where the engine depends on them: the real
 * column conversion (src/crm/convert), required columns, a unique key column, ETags (412 on a
 * stale one) and per-write results in a batch. Every applied write ticks the crash switch.
 */

interface StoredItem {
  values: Record<string, FieldValue>;
  version: number;
}

export class MemoryCrmList implements CrmList {
  public readonly items = new Map<number, StoredItem>();
  /** Items removed with a recycle write, as they were (what SharePoint's recycle bin would hold). */
  public readonly recycleBin: Array<{ id: number; values: Record<string, FieldValue> }> = [];
  public readonly fields: CrmFieldInfo[];
  private nextId = 1;

  public constructor(
    private readonly crm: MemoryCrm,
    private readonly schema: CrmListSchema,
  ) {
    this.fields = schema.fields.map((f) => ({ ...f }));
  }

  public get title(): string {
    return this.schema.title;
  }

  /** Adds an item as a CRM user would (no engine involved). */
  public seed(values: Record<string, FieldValue>): number {
    const id = this.nextId++;
    this.items.set(id, { values: { ...values }, version: 1 });
    this.crm.itemsChanged();
    return id;
  }

  /** A CRM user edits an item. */
  public edit(id: number, values: Record<string, FieldValue>): void {
    const item = this.items.get(id);
    if (!item) throw new Error(`no item ${id} in ${this.title}`);
    item.values = { ...item.values, ...values };
    item.version++;
  }

  /** Items as plain values, keyed by id, for end-state comparisons. */
  public snapshot(): Record<number, Record<string, FieldValue>> {
    const out: Record<number, Record<string, FieldValue>> = {};
    for (const [id, item] of this.items) out[id] = normalizeValues(item.values);
    return out;
  }

  /** Items keyed by a column (e.g. ExactId), ids left out, for comparing runs that created items in another order. */
  public byKey(field: string): Record<string, Record<string, FieldValue>> {
    const out: Record<string, Record<string, FieldValue>> = {};
    for (const item of this.items.values()) out[String(item.values[field] ?? '')] = normalizeValues(item.values);
    return out;
  }

  public async readItems(fields: string[]): Promise<CrmItem[]> {
    this.crm.reads++;
    return Array.from(this.items.entries()).map(([id, item]) => this.view(id, item, fields));
  }

  /** As SharePoint answers the key filter: items with one of the keys (any spelling), and every item without a key. */
  public async readItemsByKey(keyField: string, keys: string[], fields: string[]): Promise<CrmItem[] | undefined> {
    this.crm.reads++;
    const wanted = new Set(keys.map((k) => normalizeKey(k)));
    const out: CrmItem[] = [];
    for (const [id, item] of this.items) {
      const key = normalizeKey(item.values[keyField]);
      if (key === '' || wanted.has(key)) out.push(this.view(id, item, fields));
    }
    return out;
  }

  public async readItemsById(ids: number[], fields: string[]): Promise<CrmItem[]> {
    this.crm.reads++;
    const out: CrmItem[] = [];
    for (const id of ids) {
      const item = this.items.get(id);
      if (item) out.push(this.view(id, item, fields));
    }
    return out;
  }

  public convert(values: Record<string, FieldValue>): { values: Record<string, FieldValue>; problems: { field: string; reason: string }[] } {
    return convertValues(this.fields, values, { lookupTargets: this.crm.lookupTargets() });
  }

  public async write(writes: CrmWrite[]): Promise<CrmWriteResult[]> {
    this.crm.writeCalls++;
    const results: CrmWriteResult[] = [];
    for (const w of writes) {
      const result = this.apply(w);
      results.push(result);
      if (result.ok) {
        this.crm.itemWrites++;
        this.crm.crash?.tick(`${w.kind} ${w.ref} in ${this.title}`);
      }
    }
    return results;
  }

  private apply(w: CrmWrite): CrmWriteResult {
    const rejection = this.crm.reject?.(this.title, w);
    if (rejection) return { ref: w.ref, ok: false, status: 400, message: rejection };
    if (w.kind === 'delete' || w.kind === 'recycle') {
      const item = this.items.get(w.id);
      if (!item) return { ref: w.ref, ok: false, status: 404, message: `item ${w.id} does not exist` };
      if (w.kind === 'delete' && w.etag !== undefined && w.etag !== `"${item.version}"`) return { ref: w.ref, ok: false, status: 412, message: 'the item was changed since it was read' };
      if (w.kind === 'recycle') this.recycleBin.push({ id: w.id, values: { ...item.values } });
      this.items.delete(w.id);
      this.crm.itemsChanged();
      return { ref: w.ref, ok: true, id: w.id };
    }
    const converted = this.convert(w.values);
    if (converted.problems.length > 0) {
      return { ref: w.ref, ok: false, status: 400, message: 'values do not fit', problems: converted.problems };
    }
    const existing = w.kind === 'update' ? this.items.get(w.id) : undefined;
    if (w.kind === 'update') {
      if (!existing) return { ref: w.ref, ok: false, status: 404, message: `item ${w.id} does not exist` };
      if (w.etag !== undefined && w.etag !== `"${existing.version}"`) return { ref: w.ref, ok: false, status: 412, message: 'the item was changed since it was read' };
    }
    const merged = { ...(existing ? existing.values : {}), ...converted.values };
    for (const f of this.schema.fields) {
      if (f.required && (merged[f.internalName] === null || merged[f.internalName] === undefined || merged[f.internalName] === '')) {
        return { ref: w.ref, ok: false, status: 400, message: `${f.internalName} is required`, problems: [{ field: f.internalName, reason: 'required' }] };
      }
      if (f.unique && merged[f.internalName]) {
        for (const [id, other] of this.items) {
          if (id !== (w.kind === 'update' ? w.id : -1) && other.values[f.internalName] === merged[f.internalName]) {
            return { ref: w.ref, ok: false, status: 409, message: `${f.internalName} "${String(merged[f.internalName])}" is already used by item ${id}` };
          }
        }
      }
    }
    if (existing && w.kind === 'update') {
      existing.values = merged;
      existing.version++;
      return { ref: w.ref, ok: true, id: w.id, etag: `"${existing.version}"` };
    }
    const id = this.nextId++;
    this.items.set(id, { values: merged, version: 1 });
    this.crm.itemsChanged();
    return { ref: w.ref, ok: true, id, etag: '"1"' };
  }

  private view(id: number, item: StoredItem, fields: string[]): CrmItem {
    const values: Record<string, FieldValue> = {};
    for (const f of fields) values[f] = item.values[f] ?? null;
    return { id, etag: `"${item.version}"`, values };
  }
}

function normalizeValues(values: Record<string, FieldValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const key of Object.keys(values).sort()) {
    const v = values[key];
    if (v !== null && v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

export class MemoryCrm implements CrmTarget {
  public readonly lists = new Map<string, MemoryCrmList>();
  public writeCalls = 0;
  public itemWrites = 0;
  public reads = 0;
  /** Return a message to make SharePoint refuse a write. */
  public reject?: (list: string, write: CrmWrite) => string | undefined;

  public constructor(public crash?: CrashSwitch, schemas: CrmListSchema[] = [companiesList, contactsList]) {
    for (const s of schemas) this.lists.set(s.title, new MemoryCrmList(this, s));
  }

  /** Another list, for profiles on other entities than the shipped ones. */
  public addList(schema: CrmListSchema): MemoryCrmList {
    const list = new MemoryCrmList(this, schema);
    this.lists.set(schema.title, list);
    this.itemsChanged();
    return list;
  }

  public list(title: string): MemoryCrmList {
    const list = this.lists.get(title);
    if (!list) throw new Error(`no list ${title}`);
    return list;
  }

  public async openList(title: string): Promise<CrmList> {
    const list = this.lists.get(title);
    if (!list) throw new ListNotFoundError(title);
    return list;
  }

  private targets: Map<string, Set<number>> | undefined;

  /** Ids per list for lookup checks; built once and rebuilt after items come or go. */
  public lookupTargets(): Map<string, Set<number>> {
    if (!this.targets) {
      this.targets = new Map();
      for (const [title, list] of this.lists) this.targets.set(title, new Set(list.items.keys()));
    }
    return this.targets;
  }

  public itemsChanged(): void {
    this.targets = undefined;
  }
}
