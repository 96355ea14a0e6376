/**
 * What an admin confirmed about the company's books outlives a disconnect: the financial year
 * starts are facts about the administrations, not about the Exact grant. Disconnect keeps them
 * for a year; the next connect of the same connection takes them back (exactly once).
 */
import { connectionRecordSchema, type ConnectionRecord, type GatewayStore } from '../store/types';

const kind = 'kept-financial-year';
const keptSchema = connectionRecordSchema.pick({ financialYearStart: true, financialYearStarts: true });
type Kept = Pick<ConnectionRecord, 'financialYearStart' | 'financialYearStarts'>;
const keepForMs = 365 * 24 * 3600_000;
const idOf = (tenantId: string, connectionId: string): string => `${tenantId}/${connectionId}`;

export async function keepSettings(store: GatewayStore, connection: ConnectionRecord, now: number): Promise<void> {
  const { financialYearStart, financialYearStarts } = connection;
  if (!financialYearStart && !financialYearStarts) return;
  await store.putOneTime({ kind, id: idOf(connection.tenantId, connection.connectionId), payload: { financialYearStart, financialYearStarts }, expiresAt: now + keepForMs });
}

/** The kept settings, taken: the caller puts them back (`keepSettings`) if its own write fails. */
export async function takeKeptSettings(store: GatewayStore, tenantId: string, connectionId: string): Promise<Kept | undefined> {
  const record = await store.takeOneTime(kind, idOf(tenantId, connectionId));
  const parsed = keptSchema.safeParse(record?.payload);
  return parsed.success ? parsed.data : undefined;
}
