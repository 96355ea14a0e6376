import { fieldProblem, ListNotFoundError } from '../sync/ports';
import type {
  CrmFieldInfo,
  CrmItem,
  CrmList,
  CrmTarget,
  CrmWrite,
  CrmWriteResult,
  FieldProblem,
  FieldValue,
} from '../sync/ports';
import { convertValues, fromRestItem, restPropertyName, toRestBody } from './convert';
import { READ_PAGE_SIZE, WRITE_BATCH_SIZE, type SPFI } from './pnp';
import { odataString } from './jsonEntries';
import { crmSchema, findListSchema, type CrmListSchema } from './schema';
import { masterSchema } from './masterSchema';
import { orderSchema } from './orderSchema';
import { describeSiteField, siteFieldSchema, type SiteField } from './siteFields';
import { describeSharePointError, isNotFound } from './spErrors';
import { listUrl, PartError, sendItemBatch, type ItemPart, type PartAnswer } from './itemBatch';

/**
 * The record store: one CRM list through PnPjs. Reads page at 5,000 (the list view threshold),
 * writes go out as `$batch` requests of WRITE_BATCH_SIZE parts, and every part's outcome is
 * reported on its own, because SharePoint commits the parts of a change set independently.
 */

type RestItem = Record<string, unknown>;

/** Keys per `or` filter: about 1.5 KB of URL each, well inside what SharePoint accepts. */
const KEYS_PER_FILTER = 20;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function unique(values: string[]): string[] {
  return Array.from(new Set(values));
}

function etagOf(item: RestItem): string | undefined {
  const minimal = item['odata.etag'];
  if (typeof minimal === 'string') return minimal;
  const meta = item.__metadata;
  if (typeof meta === 'object' && meta !== null && typeof (meta as { etag?: unknown }).etag === 'string') {
    return (meta as { etag: string }).etag;
  }
  return undefined;
}

function idOf(item: RestItem): number | undefined {
  const id = item.Id ?? item.ID;
  return typeof id === 'number' ? id : undefined;
}

/** Declared columns overlaid with what the site reports; site-only columns are added as found. */
export function mergeFields(declared: CrmListSchema | undefined, site: SiteField[]): { fields: CrmFieldInfo[]; missing: string[] } {
  const siteByName = new Map(site.map((f) => [f.InternalName, f] as const));
  const fields: CrmFieldInfo[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const field of declared?.fields ?? []) {
    const reported = siteByName.get(field.internalName);
    if (reported === undefined) {
      missing.push(field.internalName);
      continue;
    }
    const fromSite = describeSiteField(reported);
    seen.add(field.internalName);
    fields.push({
      internalName: field.internalName,
      title: reported.Title || field.title,
      type: field.type,
      ...(field.required || fromSite?.required ? { required: true } : {}),
      ...(fromSite?.maxLength !== undefined || field.maxLength !== undefined
        ? { maxLength: fromSite?.maxLength ?? field.maxLength }
        : {}),
      ...(field.min !== undefined || fromSite?.min !== undefined ? { min: fromSite?.min ?? field.min } : {}),
      ...(field.max !== undefined || fromSite?.max !== undefined ? { max: fromSite?.max ?? field.max } : {}),
      ...(fromSite?.choices ?? field.choices ? { choices: fromSite?.choices ?? field.choices } : {}),
      ...(field.lookupList !== undefined ? { lookupList: field.lookupList } : {}),
    });
  }
  for (const reported of site) {
    const info = seen.has(reported.InternalName) ? undefined : describeSiteField(reported);
    if (info !== undefined && !(info.type === 'lookup' && info.lookupList === undefined)) {
      fields.push(info);
    }
  }
  return { fields, missing };
}

export class SharePointCrmList implements CrmList {
  public readonly title: string;
  public fields: CrmFieldInfo[];
  /** Declared columns the site does not have (provisioning not run, or a column was deleted). */
  public readonly missingFields: string[];
  private readonly context: { lookupTargets: Map<string, ReadonlySet<number>> } = { lookupTargets: new Map() };
  /** The list's REST URL, spelled once: PnPjs builds a queryable per step of `sp.web.lists.getByTitle(…)`. */
  private restUrl: string | undefined;

  public constructor(
    private readonly sp: SPFI,
    title: string,
    fields: CrmFieldInfo[],
    missingFields: string[],
  ) {
    this.title = title;
    this.fields = fields;
    this.missingFields = missingFields;
  }

  private get items() {
    return this.sp.web.lists.getByTitle(this.title).items;
  }

  private fieldsNamed(names: readonly string[]): CrmFieldInfo[] {
    return names.map((name) => {
      const field = this.fields.find((f) => f.internalName === name);
      if (field === undefined) {
        throw new Error(`List "${this.title}" has no column "${name}"`);
      }
      return field;
    });
  }

  private toItem(raw: RestItem, fields: CrmFieldInfo[]): CrmItem | undefined {
    const id = idOf(raw);
    if (id === undefined) return undefined;
    const etag = etagOf(raw);
    return { id, ...(etag === undefined ? {} : { etag }), values: fromRestItem(fields, raw) };
  }

  /** Reads the ids of every lookup target list, so `convert` can say "lookup target missing". */
  public async refreshLookupTargets(): Promise<void> {
    this.context.lookupTargets.clear();
    for (const field of this.fields) {
      if (field.type === 'lookup' && field.lookupList !== undefined && !this.context.lookupTargets.has(field.lookupList)) {
        const ids = new Set<number>();
        for await (const page of this.sp.web.lists.getByTitle(field.lookupList).items.select('Id').top(READ_PAGE_SIZE)) {
          for (const raw of page as RestItem[]) {
            const id = idOf(raw);
            if (id !== undefined) ids.add(id);
          }
        }
        this.context.lookupTargets.set(field.lookupList, ids);
      }
    }
  }

  public async readItems(fieldNames: string[]): Promise<CrmItem[]> {
    const fields = this.fieldsNamed(fieldNames);
    const select = ['Id', ...fields.map(restPropertyName)];
    const result: CrmItem[] = [];
    for await (const page of this.items.select(...select).top(READ_PAGE_SIZE)) {
      for (const raw of page as RestItem[]) {
        const item = this.toItem(raw, fields);
        if (item !== undefined) result.push(item);
      }
    }
    return result;
  }

  public async readItemsByKey(keyField: string, keys: string[], fieldNames: string[]): Promise<CrmItem[] | undefined> {
    const fields = this.fieldsNamed(unique([keyField, ...fieldNames]));
    const select = ['Id', ...fields.map(restPropertyName)];
    const key = restPropertyName(this.fieldsNamed([keyField])[0]);
    // A hand-made import may have written a GUID in braces; normalizeKey treats both as one key.
    const spellings = unique(keys.flatMap((k) => (GUID.test(k) ? [k, `{${k}}`] : [k])));
    const filters: string[] = [`${key} eq null`];
    for (let i = 0; i < spellings.length; i += KEYS_PER_FILTER) {
      filters.push(spellings.slice(i, i + KEYS_PER_FILTER).map((k) => `${key} eq ${odataString(k)}`).join(' or '));
    }
    if (filters.length > WRITE_BATCH_SIZE) return undefined;
    const [batched, execute] = this.sp.batched({ maxRequests: WRITE_BATCH_SIZE });
    const pages = filters.map((filter) => batched.web.lists.getByTitle(this.title).items.select(...select).filter(filter).top(READ_PAGE_SIZE)() as Promise<RestItem[]>);
    await execute();
    const found = new Map<number, CrmItem>();
    for (const page of await Promise.all(pages)) {
      // A full page may have more behind it: read the whole list instead.
      if (page.length >= READ_PAGE_SIZE) return undefined;
      for (const raw of page) {
        const item = this.toItem(raw, fields);
        if (item !== undefined) found.set(item.id, item);
      }
    }
    return Array.from(found.values()).sort((a, b) => a.id - b.id);
  }

  public async readItemsById(ids: number[], fieldNames: string[]): Promise<CrmItem[]> {
    const fields = this.fieldsNamed(fieldNames);
    const select = ['Id', ...fields.map(restPropertyName)];
    const found = new Map<number, CrmItem>();
    const failures: string[] = [];
    const settled: Promise<void>[] = [];
    const [batched, execute] = this.sp.batched({ maxRequests: WRITE_BATCH_SIZE });
    for (const id of ids) {
      const part = batched.web.lists
        .getByTitle(this.title)
        .items
        .getById(id)
        .select(...select)()
        .then((raw: RestItem) => {
          const item = this.toItem(raw, fields);
          if (item !== undefined) found.set(id, item);
        })
        .catch(async (error: unknown) => {
          if (!isNotFound(error)) {
            failures.push(`item ${id}: ${(await describeSharePointError(error)).message}`);
          }
        });
      settled.push(part);
    }
    await execute();
    await Promise.all(settled);
    if (failures.length > 0) {
      throw new Error(`Reading items of "${this.title}" failed: ${failures.join('; ')}`);
    }
    // In the order asked for; ids that no longer exist are left out.
    return ids.flatMap((id) => {
      const item = found.get(id);
      return item === undefined ? [] : [item];
    });
  }

  public convert(values: Record<string, FieldValue>): { values: Record<string, FieldValue>; problems: FieldProblem[] } {
    return convertValues(this.fields, values, this.context);
  }

  public async write(writes: CrmWrite[]): Promise<CrmWriteResult[]> {
    const results: CrmWriteResult[] = [];
    for (let start = 0; start < writes.length; start += WRITE_BATCH_SIZE) {
      results.push(...(await this.writeBatch(writes.slice(start, start + WRITE_BATCH_SIZE))));
    }
    return results;
  }

  private async failure(write: CrmWrite, error: unknown): Promise<CrmWriteResult> {
    const described = await describeSharePointError(error, this.fields);
    if (described.status === 412 && write.kind !== 'create') {
      return {
        ref: write.ref,
        ok: false,
        status: 412,
        message: `Conflict: item ${write.id} in "${this.title}" was changed by someone else after it was read (ETag ${'etag' in write && write.etag ? write.etag : '?'} is no longer current); re-read it and plan again`,
      };
    }
    return {
      ref: write.ref,
      ok: false,
      ...(described.status === undefined ? {} : { status: described.status }),
      message: `${write.kind} ${write.kind === 'create' ? write.ref : `item ${write.id}`} in "${this.title}": ${described.message}`,
      ...(described.problems === undefined ? {} : { problems: described.problems }),
    };
  }

  private async writeBatch(writes: CrmWrite[]): Promise<CrmWriteResult[]> {
    const results: (CrmWriteResult | undefined)[] = writes.map(() => undefined);
    const base = (this.restUrl ??= listUrl(this.sp, this.title));
    const parts: ItemPart[] = [];
    /** Index in `writes` of each part. */
    const partOf: number[] = [];
    const add = (part: ItemPart, index: number) => {
      parts.push(part);
      partOf.push(index);
    };
    writes.forEach((write, index) => {
      if (write.kind === 'delete') return add({ method: 'DELETE', url: `${base}/items(${write.id})`, ifMatch: write.etag ?? '*' }, index);
      if (write.kind === 'recycle') return add({ method: 'POST', url: `${base}/items(${write.id})/recycle` }, index);
      const converted = this.convert(write.values);
      if (write.kind === 'create') {
        // SharePoint's REST API does not enforce Required (only its forms do), so a create
        // without them would leave e.g. a company without a name; say so instead.
        for (const field of this.fields) {
          if (field.required && !field.readOnly && !(field.internalName in write.values)) {
            converted.problems.push(fieldProblem(field.internalName, 'required'));
          }
        }
      }
      if (converted.problems.length > 0) {
        results[index] = {
          ref: write.ref,
          ok: false,
          message: `${write.kind} ${write.ref} in "${this.title}": ${converted.problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
          problems: converted.problems,
        };
        return;
      }
      const body = JSON.stringify(toRestBody(this.fields, converted.values));
      if (write.kind === 'create') add({ method: 'POST', url: `${base}/items`, body }, index);
      else add({ method: 'MERGE', url: `${base}/items(${write.id})`, ifMatch: write.etag ?? '*', body }, index);
    });
    let answers: PartAnswer[] | undefined;
    let batchError: unknown;
    if (parts.length > 0) {
      try {
        answers = await sendItemBatch(this.sp, parts);
      } catch (error) {
        // No answer at all (dropped connection, timeout): SharePoint may have applied any part, so
        // reporting the parts as failed would be wrong. Thrown, the engine keeps the batch pending
        // and its resume checks what the list shows.
        if (error instanceof TypeError) {
          throw new Error(`The $batch request to "${this.title}" got no answer (${(await describeSharePointError(error)).message}); SharePoint may or may not have applied it`);
        }
        // SharePoint answered with an error (5xx, 4xx): no part was applied.
        batchError = error;
      }
    }
    for (let k = 0; k < (answers?.length ?? 0); k++) {
      const answer = (answers as PartAnswer[])[k];
      const write = writes[partOf[k]];
      results[partOf[k]] = answer.status >= 200 && answer.status < 300 ? this.succeeded(write, answer) : await this.failure(write, new PartError(answer));
    }
    const batchFailure = batchError === undefined ? undefined : await describeSharePointError(batchError);
    return writes.map(
      (write, index) =>
        results[index] ?? {
          ref: write.ref,
          ok: false,
          ...(batchFailure?.status === undefined ? {} : { status: batchFailure.status }),
          message: `${write.kind} ${write.ref} in "${this.title}": the $batch request failed: ${batchFailure?.message ?? 'no answer for this part'}`,
        },
    );
  }

  /** A part SharePoint applied: the item id (a create answers the new item) and its ETag. */
  private succeeded(write: CrmWrite, answer: PartAnswer): CrmWriteResult {
    if (write.kind !== 'create') {
      const etag = answer.headers.get('etag');
      return { ref: write.ref, ok: true, id: write.id, ...(write.kind === 'update' && etag ? { etag } : {}) };
    }
    let created: RestItem | undefined;
    try {
      const json = JSON.parse(answer.body) as unknown;
      const item = typeof json === 'object' && json !== null && 'd' in json ? (json as { d: unknown }).d : json;
      if (typeof item === 'object' && item !== null) created = item as RestItem;
    } catch {
      created = undefined;
    }
    const id = created === undefined ? undefined : idOf(created);
    if (created === undefined || id === undefined) {
      return { ref: write.ref, ok: false, status: answer.status, message: `create ${write.ref} in "${this.title}": SharePoint did not return the new item id` };
    }
    const etag = etagOf(created);
    return { ref: write.ref, ok: true, id, ...(etag === undefined ? {} : { etag }) };
  }
}

export interface CrmTargetOptions {
  schema?: readonly CrmListSchema[];
  /** Read lookup target ids on open so `convert` can report missing targets (default true). */
  checkLookupTargets?: boolean;
}

export interface SharePointCrmTarget extends CrmTarget {
  openList(title: string): Promise<SharePointCrmList>;
}

/** `CrmTarget` over one site: every list is described from the declared schema merged with the site. */
export function createCrmTarget(sp: SPFI, options: CrmTargetOptions = {}): SharePointCrmTarget {
  const schema = options.schema ?? [...crmSchema, ...masterSchema, ...orderSchema];
  return {
    async openList(title: string): Promise<SharePointCrmList> {
      const declared = findListSchema(title, schema);
      const listTitle = declared?.title ?? title;
      let raw: unknown[];
      try {
        raw = (await sp.web.lists.getByTitle(listTitle).fields()) as unknown[];
      } catch (error) {
        if (isNotFound(error)) {
          throw new ListNotFoundError(listTitle, `CRM list "${listTitle}" does not exist on the site; run provisioning first`);
        }
        const failure = await describeSharePointError(error);
        throw new Error(`Opening CRM list "${listTitle}" failed${failure.status === undefined ? '' : ` (${failure.status})`}: ${failure.message}`);
      }
      const site = raw.flatMap((f) => {
        const parsed = siteFieldSchema.safeParse(f);
        return parsed.success ? [parsed.data] : [];
      });
      const { fields, missing } = mergeFields(declared, site);
      const list = new SharePointCrmList(sp, listTitle, fields, missing);
      if (options.checkLookupTargets !== false) {
        await list.refreshLookupTargets();
      }
      return list;
    },
  };
}
