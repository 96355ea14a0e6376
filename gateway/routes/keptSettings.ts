/**
 * What an admin confirmed about the company's books outlives a disconnect: the financial year
 * starts are facts about the administrations, not about the Exact grant. Disconnect keeps them
 * for a year; the next connect of the same connection takes them back (exactly once), but only
 * for the same administrations: a connect with another company's Exact login starts unconfirmed.
 */
import { z } from 'zod';
import { connectionRecordSchema, type ConnectionRecord, type GatewayStore } from '../store/types';

const kind = 'kept-financial-year';
// Kept before the divisions were kept with them: the `.default([])` restores nothing from those.
const keptSchema = connectionRecordSchema.pick({ financialYearStart: true, financialYearStarts: true }).extend({ divisions: z.array(z.number().int()).default([]) });
type Kept = Pick<ConnectionRecord, 'financialYearStart' | 'financialYearStarts'>;
const keepForMs = 365 * 24 * 3600_000;
const idOf = (tenantId: string, connectionId: string): string => `${tenantId}/${connectionId}`;

/**
 * The confirmed financial years that still apply to a connection to the administrations `codes`:
 * a division's own start when that division is among them, the connection-wide start when any of
 * the divisions it was confirmed for is (Exact's division codes are unique across companies).
 */
export function financialYearsFor(saved: Kept & { divisions: readonly number[] }, codes: readonly number[]): Kept {
  const starts = Object.entries(saved.financialYearStarts ?? {}).filter(([division]) => codes.includes(Number(division)));
  const sameBooks = saved.divisions.some((division) => codes.includes(division));
  return {
    ...(saved.financialYearStart && sameBooks ? { financialYearStart: saved.financialYearStart } : {}),
    ...(starts.length > 0 ? { financialYearStarts: Object.fromEntries(starts) } : {}),
  };
}

export async function keepSettings(store: GatewayStore, connection: ConnectionRecord, now: number): Promise<void> {
  const { financialYearStart, financialYearStarts } = connection;
  if (!financialYearStart && !financialYearStarts) return;
  const divisions = connection.divisions.map((d) => d.code);
  await store.putOneTime({ kind, id: idOf(connection.tenantId, connection.connectionId), payload: { financialYearStart, financialYearStarts, divisions }, expiresAt: now + keepForMs });
}

/**
 * The kept settings that apply to the administrations `codes`, taken: the caller puts them back
 * (`keepSettings`) if its own write fails.
 */
export async function takeKeptSettings(store: GatewayStore, key: { tenantId: string; connectionId: string; codes: readonly number[] }): Promise<Kept | undefined> {
  const record = await store.takeOneTime(kind, idOf(key.tenantId, key.connectionId));
  const parsed = keptSchema.safeParse(record?.payload);
  return parsed.success ? financialYearsFor(parsed.data, key.codes) : undefined;
}
