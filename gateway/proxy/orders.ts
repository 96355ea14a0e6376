/**
 * The order run's writes through the proxy: POST salesorder/SalesOrders with the lines inline,
 * and DELETE of one order (undo). The body is checked against the fields an order run sends
 * (src/exact/salesOrders.ts), so the gateway never forwards anything else to Exact as an order.
 * One attempt only, as every write: a POST that may have reached Exact is never repeated here;
 * the engine settles it by looking the order up by its reference. Each write is an audit line.
 */
import { z } from 'zod';
import { audit } from '../access/authorize';
import type { Caller } from '../auth';
import { HttpError } from '../http';
import type { Logger } from '../log';
import type { ConnectionRecord } from '../store/types';
import { toResponse } from './answer';
import type { ProxyContext } from './context';
import { callExact } from './exactCall';
import { forwardedHeaders, readWriteBody, type ExactTarget } from './target';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const orderBody = z.object({
  OrderedBy: guid,
  YourRef: z.string().min(1).max(30),
  Description: z.string().max(60).optional(),
  OrderDate: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/).optional(),
  PaymentCondition: z.string().min(1).max(10).optional(),
  SalesOrderLines: z.array(z.object({
    Item: guid,
    Description: z.string().max(200).optional(),
    Quantity: z.number().finite(),
    UnitPrice: z.number().finite(),
    VATCode: z.string().min(1).max(3),
    /** A CRM line's discount, as Exact takes it: a fraction (0.1 = 10 %). */
    Discount: z.number().min(0).max(1).optional(),
  }).strict()).min(1).max(500),
}).strict();

export interface OrderWrite {
  operation: 'send-orders' | 'undo-orders';
  target: ExactTarget & { division: number };
  connection: ConnectionRecord;
  caller: Caller;
  logger: Logger;
  endpointKey: string;
}

export async function writeOrder(context: ProxyContext, request: Request, write: OrderWrite): Promise<Response> {
  const { operation, target, connection, caller, logger } = write;
  let body: unknown;
  if (operation === 'send-orders') {
    const parsed = orderBody.safeParse(await readWriteBody(request, context.config.maxProxyBodyBytes));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'bad-request', `Not an order the connector sends: field ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? ''}. Nothing was sent to Exact.`);
    }
    body = parsed.data;
  }
  const method = operation === 'send-orders' ? 'POST' : 'DELETE';
  const answer = await callExact(context, { ...target, connection, caller, method, body, forwarded: forwardedHeaders(request), logger, endpointKey: write.endpointKey, signal: request.signal });
  const outcome = answer.status < 300 ? (operation === 'send-orders' ? 'created' : 'changed') : 'failed';
  audit(logger, { caller, operation, outcome, division: target.division, details: { endpoint: target.endpoint, status: answer.status, ...(operation === 'send-orders' ? { yourRef: (body as { YourRef: string }).YourRef } : { order: target.rest }) } });
  return toResponse(answer, {});
}
