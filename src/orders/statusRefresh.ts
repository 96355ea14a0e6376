/**
 * "Refresh status": one division's changes from Exact since the last refresh, folded into the
 * saved state, and every CRM Sales Order in Exact given the columns derived from it; only orders
 * whose columns differ are written. The state (with the cursors) is saved after each of Exact's
 * streams, so a refresh stopped at `stopAt` resumes; a failed write is derived and written again
 * next time. Writes are updates of one item to values
 * that depend only on Exact and the day, so a retry, or two people refreshing at once, write the
 * same values and never create anything.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { DocumentStore } from '../sync/ports';
import { deriveStatus, emptyState, foldChanges, knowsOrder, orderStatusStateSchema, statusPatch, type OrderStatusState } from './status';
import type { CrmOrderStatusList, OrderStatusCursor, OrderStatusProgress, OrderStatusReader } from './statusPorts';

export interface OrderStatusRefreshDeps {
  reader: OrderStatusReader;
  crm: CrmOrderStatusList;
  documents: DocumentStore;
  clock: { now(): number };
  /** Where a first refresh starts reading (src/exact/orderStatus.ts: `firstCursor`). */
  firstCursor: OrderStatusCursor;
  /** Whose "today" decides Overdue; the same in the browser and in the gateway (which runs in UTC). Default Europe/Amsterdam. */
  timeZone?: string;
}

export interface OrderStatusFailure { itemId: number; title: string; reason: string }

export interface OrderStatusResult {
  division: number;
  checkedAt: string;
  /** False when `stopAt` came before every stream was read: the state is saved, nothing written, the next refresh goes on. */
  complete: boolean;
  /** Rows Exact sent: order headers, invoices, receivables. */
  read: { orders: number; invoices: number; receivables: number };
  calls: number;
  /** CRM orders in Exact that were looked at. */
  orders: number;
  updated: number;
  /** Orders that became paid in this refresh. */
  paid: number;
  /** Orders overdue after this refresh. */
  overdue: number;
  failures: OrderStatusFailure[];
}

const statePath = (division: number): string => `orders/status/${division}.json`;

/** The background schedule of one division's refresh: a profile id of its own beside the import profiles'. */
export const orderStatusScheduleId = (division: number): string => `order-status-${division}`;

export async function loadStatusState(documents: DocumentStore, division: number, first: OrderStatusCursor): Promise<OrderStatusState> {
  const text = await documents.read(statePath(division));
  if (text === undefined) return emptyState(first);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = orderStatusStateSchema.safeParse(json);
  // A state this version cannot read (or a damaged one) is started again from the beginning: the CRM columns are derived, not lost.
  return parsed.success ? parsed.data : emptyState(first);
}

export async function refreshOrderStatus(
  deps: OrderStatusRefreshDeps, division: number, onProgress?: (progress: OrderStatusProgress) => void, stopAt?: number,
): Promise<OrderStatusResult> {
  const now = deps.clock.now();
  const checkedAt = new Date(now).toISOString();
  const today = format(new TZDate(now, deps.timeZone ?? 'Europe/Amsterdam'), 'yyyy-MM-dd');
  let next = await loadStatusState(deps.documents, division, deps.firstCursor);
  let saved = JSON.stringify(next);
  const crm = await deps.crm.read(division);
  // Saved after every stream: a first refresh of a big division that is stopped (or fails) goes on from there next time.
  const changes = await deps.reader.read(division, next.cursor, checkedAt, onProgress, async (stream) => {
    next = foldChanges(next, stream, crm);
    const text = JSON.stringify(next);
    if (text !== saved) await deps.documents.write(statePath(division), text);
    saved = text;
    return stopAt === undefined || deps.clock.now() < stopAt;
  });
  const read = { orders: changes.orders.length, invoices: changes.invoices.length, receivables: changes.receivables.length };
  // Half-read, the state may know an order but not yet its invoices: nothing is written until every stream is in.
  if (!changes.complete) return { division, checkedAt, complete: false, read, calls: changes.calls, orders: crm.length, updated: 0, paid: 0, overdue: 0, failures: [] };
  const state = next;
  // A CRM order without a division is the business of the division that knows it; that one writes its division.
  const derived = crm.filter((order) => order.division !== null || knowsOrder(order, state)).map((order) => ({ order, fields: deriveStatus(order, state, today) }));
  const patches = derived.flatMap(({ order, fields }) => {
    const patch = statusPatch(order, fields, checkedAt, division);
    return patch ? [patch] : [];
  });
  onProgress?.({ stage: 'writing', done: 0, total: patches.length });
  const results = patches.length ? await deps.crm.write(patches) : [];
  onProgress?.({ stage: 'writing', done: patches.length, total: patches.length });
  const failed = new Map(results.flatMap((r) => (r.ok ? [] : [[r.itemId, r.reason] as const])));
  const written = patches.filter((p) => !failed.has(p.itemId));
  return {
    division,
    checkedAt,
    complete: true,
    read,
    calls: changes.calls,
    orders: derived.length,
    updated: written.length,
    paid: written.filter((p) => p.fields.PaymentStatus === 'Paid').length,
    overdue: derived.filter((d) => d.fields.PaymentStatus === 'Overdue').length,
    failures: patches.filter((p) => failed.has(p.itemId)).map((p) => ({ itemId: p.itemId, title: p.title, reason: failed.get(p.itemId) ?? '' })),
  };
}
