/**
 * The order engine's `SalesOrderTarget` over Exact's `salesorder/SalesOrders`: lookups by
 * `YourRef` (batched `or` filters that stay under Exact's URL limit; the filter also satisfies
 * mandatory filtering), POST with the lines inline and `Prefer: return=representation`, DELETE.
 * Exact's refusals become `OrderRefusedError` with its messages; no answer to a POST becomes
 * `OrderOutcomeUnknownError`, which the engine settles with a lookup.
 */
import { z } from 'zod';
import type { ExactOrder, OrderDraft, SalesOrderTarget } from '../orders/ports';
import { OrderOutcomeUnknownError, OrderRefusedError } from '../orders/ports';
import type { ExactConnection } from './connection';
import { ExactApiError } from './errors';
import { literal } from './query';

const orderSchema = z.object({
  OrderID: z.string(),
  OrderNumber: z.number().int(),
  YourRef: z.string().nullable(),
  Status: z.number().int(),
  StatusDescription: z.string().nullable(),
  OrderedBy: z.string(),
  OrderedByName: z.string().nullable().optional(),
  // Expanded on lookups; a `__deferred` link on the POST's answer.
  SalesOrderLines: z.union([
    z.object({ results: z.array(z.object({ QuantityDelivered: z.number().nullable(), QuantityInvoiced: z.number().nullable() })) }),
    z.object({ __deferred: z.unknown() }),
  ]).optional(),
});
const collectionSchema = z.object({ d: z.union([z.object({ results: z.array(z.unknown()), __next: z.string().optional() }), z.array(z.unknown())]) });
const singleSchema = z.object({ d: z.unknown() });

const select = 'OrderID,OrderNumber,YourRef,Status,StatusDescription,OrderedBy,OrderedByName,SalesOrderLines/QuantityDelivered,SalesOrderLines/QuantityInvoiced';

function toOrder(raw: unknown): ExactOrder {
  const row = orderSchema.parse(raw);
  return {
    orderId: row.OrderID.toLowerCase(),
    orderNumber: row.OrderNumber,
    yourRef: (row.YourRef ?? '').trim(),
    status: row.Status,
    statusText: row.StatusDescription ?? String(row.Status),
    orderedBy: row.OrderedBy.toLowerCase(),
    orderedByName: row.OrderedByName ?? null,
    moved: (row.SalesOrderLines && 'results' in row.SalesOrderLines ? row.SalesOrderLines.results : []).some((l) => (l.QuantityDelivered ?? 0) !== 0 || (l.QuantityInvoiced ?? 0) !== 0),
  };
}

/**
 * Splits `or`-joined clauses into filters that keep the URL well under Exact's limit and match at
 * most one page (60 rows), so each lookup is one call.
 */
export function chunks(clauses: string[], maxLength = 2500, maxClauses = 60): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const clause of clauses) {
    if (current.length && (current.length >= maxClauses || [...current, clause].join(' or ').length > maxLength)) {
      out.push(current.join(' or '));
      current = [];
    }
    current.push(clause);
  }
  if (current.length) out.push(current.join(' or '));
  return out;
}

/** Every row the filtered read answers, following `__next` (one call when the filter matches a page). */
export async function readRows(connection: ExactConnection, first: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const response = await connection.send('GET', next);
    const body = collectionSchema.parse(response.data).d;
    out.push(...(Array.isArray(body) ? body : body.results));
    const link = Array.isArray(body) ? undefined : body.__next;
    next = link ? link.slice(link.indexOf('/api/v1/') + '/api/v1/'.length) : undefined;
  }
  return out;
}

/**
 * Validation comes back as 400 or 500 with Exact's words; those are the document's answer, not a
 * reason to retry. 429, 503 and missing answers are thrown as they are.
 */
export function refusedOrThrow(error: unknown): never {
  if (error instanceof ExactApiError && (error.status === 400 || error.status === 500) && error.messages.length) {
    throw new OrderRefusedError(error.messages, error.status);
  }
  throw error;
}

/** POSTs a document with its lines inline; no answer (or a 502/503/504 in front of Exact) means "look it up". */
export async function postDocument(connection: ExactConnection, path: string, body: Record<string, unknown>, what: string): Promise<unknown> {
  let response;
  try {
    response = await connection.send('POST', path, { headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' }, body });
  } catch (error) {
    if (error instanceof ExactApiError && [0, 502, 503, 504].includes(error.status)) {
      throw new OrderOutcomeUnknownError(`Exact did not answer the ${what}: ${error.messages.join('; ')}`);
    }
    return refusedOrThrow(error);
  }
  return singleSchema.parse(response.data).d;
}

export function createSalesOrderTarget(connection: ExactConnection): SalesOrderTarget {
  const readAll = async (division: number, filter: string): Promise<ExactOrder[]> =>
    (await readRows(connection, `${division}/salesorder/SalesOrders?$filter=${encodeURIComponent(filter)}&$select=${select}&$expand=SalesOrderLines`)).map(toOrder);
  return {
    async findByReference(division, refs) {
      const unique = [...new Set(refs)];
      const found: ExactOrder[] = [];
      for (const filter of chunks(unique.map((ref) => `YourRef eq ${literal.string(ref)}`))) {
        found.push(...(await readAll(division, filter)));
      }
      const wanted = new Set(unique);
      return found.filter((order) => wanted.has(order.yourRef));
    },
    async get(division, orderIds) {
      const found: ExactOrder[] = [];
      for (const filter of chunks(orderIds.map((id) => `OrderID eq ${literal.guid(id)}`))) {
        found.push(...(await readAll(division, filter)));
      }
      return found;
    },
    async create(division, draft: OrderDraft) {
      const body = {
        OrderedBy: draft.accountId,
        YourRef: draft.yourRef,
        Description: draft.description,
        OrderDate: `${draft.orderDate}T00:00:00`,
        ...(draft.paymentCondition ? { PaymentCondition: draft.paymentCondition } : {}),
        SalesOrderLines: draft.lines.map((line) => ({ Item: line.itemId, Description: line.description, Quantity: line.quantity, UnitPrice: line.unitPrice, VATCode: line.vatCode })),
      };
      return toOrder(await postDocument(connection, `${division}/salesorder/SalesOrders`, body, `order ${draft.yourRef}`));
    },
    async delete(division, orderId) {
      try {
        await connection.send('DELETE', `${division}/salesorder/SalesOrders(${literal.guid(orderId)})`);
      } catch (error) {
        refusedOrThrow(error);
      }
    },
  };
}
