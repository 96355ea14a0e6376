import type { z } from 'zod';
import type { SPFI } from './pnp';

/**
 * Shared by the profile and run stores: JSON documents kept in a note column of a list item,
 * validated by a schema the caller owns (the engine's, in src/core). A document that fails its
 * schema becomes an `invalid` entry naming the item and each zod issue path, never an exception.
 */

export interface JsonIssue {
  /** Dotted zod path (`mapping.0.target`), or `(json)` when the text is not JSON at all. */
  path: string;
  message: string;
}

export type JsonCheck<T> = { ok: true; value: T } | { ok: false; issues: JsonIssue[] };

export function checkJson<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, text: string | null | undefined): JsonCheck<T> {
  if (text === null || text === undefined || text.trim() === '') {
    return { ok: false, issues: [{ path: '(json)', message: 'no JSON stored' }] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '(json)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
      message: issue.message,
    })),
  };
}

export function describeIssues(what: string, issues: readonly JsonIssue[]): string {
  return `${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
}

/** Thrown when a caller hands a store a document its own schema rejects. */
export class StoreValidationError extends Error {
  public constructor(
    what: string,
    public readonly issues: JsonIssue[],
  ) {
    super(describeIssues(what, issues));
    this.name = 'StoreValidationError';
  }
}

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
