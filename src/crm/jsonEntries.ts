import type { SPFI } from './pnp';

/** Column access for the profile and run stores, which keep JSON documents in list items. */

/** OData string literal: single quotes doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export type RawItem = Record<string, unknown>;

export function stringProp(item: RawItem, name: string): string | null {
  const value = item[name];
  return typeof value === 'string' ? value : null;
}

export function numberProp(item: RawItem, name: string): number | undefined {
  const value = item[name];
  return typeof value === 'number' ? value : undefined;
}

export function etagProp(item: RawItem): string | undefined {
  const value = item['odata.etag'];
  return typeof value === 'string' ? value : undefined;
}

/** The first item whose key column equals `key`, or undefined. */
export async function findByKey(sp: SPFI, listTitle: string, keyField: string, key: string, select: string[]): Promise<RawItem | undefined> {
  const found = (await sp.web.lists
    .getByTitle(listTitle)
    .items.select('Id', ...select)
    .filter(`${keyField} eq ${odataString(key)}`)
    .top(1)()) as RawItem[];
  return found[0];
}
