import { z } from 'zod';
import type { CrmItem, DocumentStore, FieldValue } from '../../src/sync/ports';
import type { RunRecord } from '../../src/sync/journal/records';
import type { SyncWiring } from '../../src/services/syncServices';
import type { Row } from '../../sandbox/exact/seed';

/**
 * The chaos suite's judge: the CRM lists compared record by record with the Exact emulator's
 * rows, with the profiles' mappings written out here by hand (not through the engine's code),
 * so an engine bug cannot hide behind the engine's own idea of "up to date".
 */

export type ChaosProfile = 'companies' | 'contacts';

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** Expected CRM values of one Exact row; `companyIds` resolves a contact's account to its Companies item. */
function expected(profile: ChaosProfile, row: Row, companyIds: Map<string, number>): Record<string, FieldValue> {
  if (profile === 'companies') {
    return {
      Title: text(row.Name),
      ExactCode: text(row.Code),
      City: text(row.City),
      Postcode: text(row.Postcode).toUpperCase(),
      Email: text(row.Email).toLowerCase(),
    };
  }
  const account = text(row.Account).toLowerCase();
  return {
    FirstName: text(row.FirstName),
    Email: text(row.Email).toLowerCase(),
    ExactAccountId: account,
    Company: companyIds.get(account) ?? null,
  };
}

export const CHECKED_FIELDS: Record<ChaosProfile, string[]> = {
  companies: ['ExactId', 'DeletedInExact', 'Title', 'ExactCode', 'City', 'Postcode', 'Email'],
  contacts: ['ExactId', 'DeletedInExact', 'FirstName', 'Email', 'ExactAccountId', 'Company'],
};

export interface Comparison {
  compared: number;
  missing: string[];
  duplicated: string[];
  /** `key field: CRM "x", Exact "y"`. */
  stale: string[];
  /** Items whose record is gone from Exact but which are not flagged DeletedInExact. */
  unflagged: string[];
}

const key = (v: FieldValue | undefined): string => text(v).toLowerCase();

function differences(item: CrmItem, want: Record<string, FieldValue>): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(want)) {
    const have = item.values[field];
    const same = typeof value === 'number' ? have === value : text(have) === text(value);
    if (!same) out.push(`${field}: CRM ${JSON.stringify(have ?? null)}, Exact ${JSON.stringify(value)}`);
  }
  return out;
}

export interface ListSnapshot {
  rows: Row[];
  items: CrmItem[];
  companyIds: Map<string, number>;
}

export async function snapshotList(services: SyncWiring, profile: ChaosProfile, rows: Row[]): Promise<ListSnapshot> {
  const list = await services.crm.openList(profile === 'companies' ? 'Companies' : 'Contacts');
  const items = await list.readItems(CHECKED_FIELDS[profile]);
  const companies = profile === 'companies' ? items : await (await services.crm.openList('Companies')).readItems(['ExactId']);
  const companyIds = new Map(companies.map((i) => [key(i.values.ExactId), i.id]));
  return { rows, items, companyIds };
}

/** Every Exact row in the list once, with its current values; every other keyed item flagged deleted. */
export function compareWithExact(profile: ChaosProfile, snap: ListSnapshot, rows: Row[] = snap.rows): Comparison {
  const byKey = new Map<string, CrmItem[]>();
  for (const item of snap.items) {
    const k = key(item.values.ExactId);
    if (k === '') continue;
    byKey.set(k, [...(byKey.get(k) ?? []), item]);
  }
  const result: Comparison = { compared: 0, missing: [], duplicated: [], stale: [], unflagged: [] };
  const alive = new Set<string>();
  for (const row of rows) {
    const k = key(row.ID as FieldValue);
    alive.add(k);
    const found = byKey.get(k) ?? [];
    result.compared++;
    if (found.length === 0) result.missing.push(k);
    if (found.length > 1) result.duplicated.push(`${k} (${found.length} items: ${found.map((i) => i.id).join(', ')})`);
    for (const item of found) {
      const diff = differences(item, expected(profile, row, snap.companyIds));
      if (item.values.DeletedInExact === true) diff.push('DeletedInExact: CRM true, but the record is in Exact');
      if (diff.length > 0) result.stale.push(`${k} item ${item.id}: ${diff.join('; ')}`);
    }
  }
  for (const [k, items] of byKey) {
    if (alive.has(k)) continue;
    if (items.length > 1) result.duplicated.push(`${k} (deleted in Exact; ${items.length} items)`);
    for (const item of items) if (item.values.DeletedInExact !== true) result.unflagged.push(`${k} item ${item.id}`);
  }
  return result;
}

const stateSchema = z.object({ cursor: z.string().nullable() }).passthrough();

export async function readCursor(documents: DocumentStore, profileId: string): Promise<string | null> {
  const raw = await documents.read(`profiles/${profileId}/state.json`);
  return raw === undefined ? null : stateSchema.parse(JSON.parse(raw)).cursor;
}

/**
 * The cursor is never ahead of what was written: every record at or below it is in the CRM with
 * its current values (else the next incremental run would never read it again).
 */
export function behindCursor(profile: ChaosProfile, snap: ListSnapshot, cursor: string | null): string[] {
  if (cursor === null) return [];
  const limit = BigInt(cursor);
  const covered = snap.rows.filter((r) => BigInt(String(r.Timestamp)) <= limit);
  const c = compareWithExact(profile, snap, covered);
  return [...c.missing.map((k) => `${k} missing`), ...c.stale];
}

/** Problems with a finished run's log: a failed write without its reason, or counts that disagree with the log. */
export async function logProblems(services: SyncWiring, run: RunRecord): Promise<string[]> {
  const log = await services.engine.readLog(run.id);
  const problems: string[] = [];
  const failed = log.filter((e) => e.outcome === 'failed' || e.action === 'error' || e.action === 'refused');
  for (const e of failed) {
    const reason = e.outcome === 'failed' ? text(e.message) : e.problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
    if (reason === '') problems.push(`${e.exactKey}: ${e.action} ${e.outcome} without a reason`);
  }
  if (failed.length !== run.counts.failed) problems.push(`run ${run.id}: counts.failed ${run.counts.failed}, log has ${failed.length} failed entries`);
  return problems;
}
