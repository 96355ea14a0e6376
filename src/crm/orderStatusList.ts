/**
 * The status columns of the CRM's Sales Orders through PnPjs: the orders that are in Exact (an
 * Exact order id or reference), read a page of 5,000 at a time by ID order (never refused over the
 * list view threshold), and the changed columns written back in `$batch`es of 100 updates. Dates are
 * written as UTC midnight, as Exact's own dates are, and read back as `yyyy-MM-dd`.
 */
import { z } from 'zod';
import type { CrmOrderStatusList, CrmStatusOrder, OrderStatusFields, StatusWriteResult } from '../orders/statusPorts';
import { DIVISION_FIELD } from '../sync/model';
import { EXACT_ORDER_STATUSES, INVOICE_STATUSES, ORDER_LISTS, PAYMENT_STATUSES } from './orderSchema';
import { listUrl, PartError, sendItemBatch, type PartAnswer } from './itemBatch';
import { READ_PAGE_SIZE, WRITE_BATCH_SIZE, type SPFI } from './pnp';
import { describeSharePointError, isNotFound } from './spErrors';
import { readIsoDate } from './isoDate';

const statusColumns = ['ExactOrderId', 'ExactOrderNumber', 'ExactOrderStatus', 'InvoiceNumber', 'InvoiceStatus', 'InvoiceDueDate', 'InvoiceAmount', 'OpenAmount', 'PaymentStatus', 'LastPaymentDate'] as const;
const select = ['Id', 'Title', 'ExactReference', DIVISION_FIELD, ...statusColumns];

const textOrNull = z.string().nullish().transform((v) => (v && v.trim() ? v.trim() : null));
const numberOrNull = z.number().nullish().transform((v) => v ?? null);
/** A choice outside the list's choices reads as empty, so the refresh writes a valid one. */
const choiceOf = <T extends string>(choices: readonly T[]) => z.string().nullish().transform((v) => (choices as readonly string[]).includes(v ?? '') ? (v as T) : null);
const dateOrNull = z.string().nullish().transform((v) => {
  const date = v ? readIsoDate(v) : undefined;
  return date ? date.iso.slice(0, 10) : null;
});

const itemSchema = z.object({
  Id: z.number().int(),
  Title: z.string().nullish().transform((v) => v ?? ''),
  ExactReference: textOrNull,
  [DIVISION_FIELD]: numberOrNull,
  ExactOrderId: textOrNull.transform((v) => v?.toLowerCase() ?? null),
  ExactOrderNumber: numberOrNull,
  ExactOrderStatus: choiceOf(EXACT_ORDER_STATUSES),
  InvoiceNumber: numberOrNull,
  InvoiceStatus: choiceOf(INVOICE_STATUSES),
  InvoiceDueDate: dateOrNull,
  InvoiceAmount: numberOrNull,
  OpenAmount: numberOrNull,
  PaymentStatus: choiceOf(PAYMENT_STATUSES),
  LastPaymentDate: dateOrNull,
});

const dateColumns = new Set(['InvoiceDueDate', 'LastPaymentDate']);

/** The REST body of a status change: dates at UTC midnight, empty values as null. */
export function statusBody(fields: Partial<OrderStatusFields> & { StatusCheckedAt: string }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, dateColumns.has(key) && typeof value === 'string' ? `${value}T00:00:00Z` : value ?? null]));
}

export function createOrderStatusList(sp: SPFI, listTitle: string = ORDER_LISTS.salesOrders): CrmOrderStatusList {
  return {
    async read(division) {
      const out: CrmStatusOrder[] = [];
      try {
        for await (const page of sp.web.lists.getByTitle(listTitle).items.select(...select).orderBy('Id').top(READ_PAGE_SIZE)) {
          for (const raw of page as unknown[]) {
            const parsed = itemSchema.safeParse(raw);
            if (!parsed.success) {
              const issue = parsed.error.issues[0];
              throw new Error(`${listTitle}: item ${String((raw as { Id?: unknown }).Id ?? '?')} cannot be read (${issue.path.join('.')}: ${issue.message}).`);
            }
            const item = parsed.data;
            const itemDivision = item[DIVISION_FIELD] as number | null;
            if ((!item.ExactOrderId && !item.ExactReference) || (itemDivision !== null && itemDivision !== division)) continue;
            const fields: OrderStatusFields = {
              ExactOrderId: item.ExactOrderId, ExactOrderNumber: item.ExactOrderNumber, ExactOrderStatus: item.ExactOrderStatus, InvoiceNumber: item.InvoiceNumber,
              InvoiceStatus: item.InvoiceStatus, InvoiceDueDate: item.InvoiceDueDate, InvoiceAmount: item.InvoiceAmount, OpenAmount: item.OpenAmount,
              PaymentStatus: item.PaymentStatus, LastPaymentDate: item.LastPaymentDate,
            };
            out.push({ itemId: item.Id, title: item.Title, exactReference: item.ExactReference, division: itemDivision, fields });
          }
        }
      } catch (error) {
        // No Sales Orders list yet: no CRM order can be in Exact.
        if (isNotFound(error)) return [];
        throw error;
      }
      return out;
    },
    async write(patches) {
      const results: StatusWriteResult[] = [];
      const base = listUrl(sp, listTitle);
      for (let i = 0; i < patches.length; i += WRITE_BATCH_SIZE) {
        const batch = patches.slice(i, i + WRITE_BATCH_SIZE);
        let answers: PartAnswer[];
        try {
          // An update sets values that depend only on Exact and the day: a part applied before a lost answer is applied again harmlessly.
          answers = await sendItemBatch(sp, batch.map((patch) => ({ method: 'MERGE', url: `${base}/items(${patch.itemId})`, ifMatch: '*', body: JSON.stringify(statusBody(patch.fields)) })));
        } catch (error) {
          const failure = await describeSharePointError(error);
          const reason = failure.status ? `${failure.message} (HTTP ${failure.status})` : failure.message;
          results.push(...batch.map((patch) => ({ itemId: patch.itemId, ok: false as const, reason })));
          continue;
        }
        for (let k = 0; k < batch.length; k++) {
          const answer = answers[k];
          if (answer.status >= 200 && answer.status < 300) {
            results.push({ itemId: batch[k].itemId, ok: true });
          } else {
            const failure = await describeSharePointError(new PartError(answer));
            results.push({ itemId: batch[k].itemId, ok: false, reason: `${failure.message} (HTTP ${answer.status})` });
          }
        }
      }
      return results;
    },
  };
}
