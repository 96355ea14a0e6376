import type { SPFI } from './pnp';
import { READ_PAGE_SIZE, WRITE_BATCH_SIZE } from './pnp';
import { etagProp, odataString } from './jsonEntries';
import { isListViewThresholdError } from './companySearch';
import type { ListProvisioner } from './masterProvision';
import { describeSharePointError, isNotFound } from './spErrors';
import { DIVISION_FIELD } from '../sync/model';
import { IN_EXACT, READY_FOR_EXACT, type CrmListsSource, type CrmOrderSource, type CrmReopen, type CrmReopenResult, type CrmWriteBackResult } from '../orders/crmSource';

/**
 * The CRM's Sales Orders and Sales Order Lines through PnPjs: the orders `Ready for Exact` with
 * their customer's company expanded (one request per 5,000 orders), then their lines by order id
 * (one request per 20 orders), and the write-back of what Exact gave them (or, after an undo, the way back to `Ready for Exact`),
 * 100 orders per `$batch`.
 * Lists that do not exist yet are provisioned on first read, with Companies before them.
 */

type RawItem = Record<string, unknown>;

const companyColumns = ['Id', 'Title', 'ExactId', 'KvkNumber', 'VatNumber', DIVISION_FIELD];
const orderSelect = [
  'Id', 'Title', ...companyColumns.map((c) => `Company/${c}`), 'OrderDate', 'OrderDescription', 'CustomerReference', 'OrderStatus',
  'ExactReference', 'ExactOrderId', 'ExactOrderNumber', DIVISION_FIELD, 'Modified',
];
const lineSelect = ['Id', 'Title', 'SalesOrderId', 'ItemCode', 'Product', 'Quantity', 'UnitPrice', 'VatCode', 'DiscountPercent', 'Modified'];
/** Order ids per `or` filter: a short URL, well inside what SharePoint accepts. */
const ORDERS_PER_FILTER = 20;

export function createCrmOrderLists(sp: SPFI, provisioner?: ListProvisioner): CrmOrderSource {
  let requests = 0;
  const pages = async (list: string, select: string[], filter: string | undefined, expand?: string): Promise<RawItem[]> => {
    let items = sp.web.lists.getByTitle(list).items.select(...select).top(READ_PAGE_SIZE);
    if (expand) items = items.expand(expand);
    if (filter) items = items.filter(filter);
    const out: RawItem[] = [];
    for await (const page of items) {
      requests += 1;
      out.push(...(page as RawItem[]));
    }
    return out;
  };

  const readyOrders = async (list: string, select = orderSelect, expand: string | undefined = 'Company'): Promise<RawItem[]> => {
    try {
      return await pages(list, select, `OrderStatus eq ${odataString(READY_FOR_EXACT)}`, expand);
    } catch (error) {
      // Over the list view threshold an unindexed filter is refused; paging by ID is always allowed.
      if (!isListViewThresholdError(error)) throw error;
      return (await pages(list, select, undefined, expand)).filter((o) => o.OrderStatus === READY_FOR_EXACT);
    }
  };

  const linesOf = async (list: string, orderIds: number[], select = lineSelect): Promise<RawItem[]> => {
    const out: RawItem[] = [];
    try {
      for (let i = 0; i < orderIds.length; i += ORDERS_PER_FILTER) {
        out.push(...(await pages(list, select, orderIds.slice(i, i + ORDERS_PER_FILTER).map((id) => `SalesOrderId eq ${id}`).join(' or '))));
      }
      return out;
    } catch (error) {
      if (!isListViewThresholdError(error)) throw error;
      const wanted = new Set(orderIds);
      return (await pages(list, select, undefined)).filter((l) => wanted.has(l.SalesOrderId as number));
    }
  };

  const versions = async (source: CrmListsSource, orderIds: number[]): Promise<{ orders: unknown[]; lines: unknown[] }> => {
    const orders = await readyOrders(source.ordersList, ['Id', 'OrderStatus', 'Modified'], undefined);
    const ready = new Set(orders.map((o) => o.Id));
    const still = orderIds.filter((id) => ready.has(id));
    return { orders, lines: still.length ? await linesOf(source.linesList, still, ['Id', 'SalesOrderId', 'Modified']) : [] };
  };

  /** In `$batch`es of 100: 500 orders cost 5 requests. Each part commits or fails on its own. */
  const updateOrders = async (list: string, changes: Array<{ itemId: number; values: Record<string, unknown>; eTag?: string }>): Promise<CrmWriteBackResult[]> => {
    const results: CrmWriteBackResult[] = [];
    for (let i = 0; i < changes.length; i += WRITE_BATCH_SIZE) {
      const [batched, execute] = sp.batched({ maxRequests: WRITE_BATCH_SIZE });
      const parts = changes.slice(i, i + WRITE_BATCH_SIZE).map(({ itemId, values, eTag }) => batched.web.lists.getByTitle(list).items.getById(itemId).update(values, eTag).then(
        (): CrmWriteBackResult => ({ itemId, ok: true }),
        async (error: unknown): Promise<CrmWriteBackResult> => {
          const failure = await describeSharePointError(error);
          return { itemId, ok: false, reason: failure.status ? `${failure.message} (HTTP ${failure.status})` : failure.message };
        },
      ));
      // A batch refused as a whole fails each of its parts, and they say so; the other batches stand.
      await execute().catch(() => undefined);
      results.push(...(await Promise.all(parts)));
    }
    return results;
  };

  /**
   * Only the orders that still show the deleted Exact order (read by ID, 20 per request), each
   * updated with the ETag it was read with: one sent again in between is refused (412), not reset.
   */
  const reopen = async (list: string, orders: CrmReopen[]): Promise<CrmReopenResult[]> => {
    const now = new Map<number, RawItem>();
    for (let i = 0; i < orders.length; i += ORDERS_PER_FILTER) {
      const filter = orders.slice(i, i + ORDERS_PER_FILTER).map((o) => `Id eq ${o.itemId}`).join(' or ');
      for (const item of await pages(list, ['Id', 'ExactOrderId'], filter)) now.set(item.Id as number, item);
    }
    const stillShown = orders.filter((o) => {
      const shown = now.get(o.itemId)?.ExactOrderId;
      return typeof shown === 'string' && shown.toLowerCase() === o.exactOrderId.toLowerCase();
    });
    const answers = await updateOrders(list, stillShown.map(({ itemId }) => ({
      itemId,
      eTag: etagProp(now.get(itemId)!),
      // Undo deletes only open orders (nothing invoiced), so the status read back from Exact goes with them.
      values: { ExactReference: null, ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null, StatusCheckedAt: null, OrderStatus: READY_FOR_EXACT, [DIVISION_FIELD]: null },
    })));
    const byId = new Map(answers.map((a) => [a.itemId, a]));
    return orders.map((o): CrmReopenResult => {
      const answer = byId.get(o.itemId);
      if (!answer) return { itemId: o.itemId, ok: true, reopened: false };
      return answer.ok ? { itemId: o.itemId, ok: true, reopened: true } : answer;
    });
  };

  const read = async (source: CrmListsSource): Promise<{ orders: unknown[]; lines: unknown[]; requests: number }> => {
    requests = 0;
    const orders = await readyOrders(source.ordersList);
    const ids = orders.map((o) => o.Id).filter((id): id is number => typeof id === 'number');
    const lines = ids.length ? await linesOf(source.linesList, ids) : [];
    return { orders, lines, requests };
  };

  return {
    async read(source) {
      try {
        return await read(source);
      } catch (error) {
        if (!isNotFound(error) || !provisioner?.knows(source.linesList)) throw error;
        // First read on this site: the connector creates its lists (Companies, Sales Orders, lines), then reads them empty.
        await provisioner.ensure(source.linesList);
        return read(source);
      }
    },
    writeBack: (source, updates) => updateOrders(source.ordersList, updates.map((update) => ({
      itemId: update.itemId,
      values: { ExactReference: update.exactReference, ExactOrderId: update.exactOrderId, ExactOrderNumber: update.exactOrderNumber, OrderStatus: IN_EXACT, [DIVISION_FIELD]: update.division },
    }))),
    versions,
    reopen: (source, orders) => reopen(source.ordersList, orders),
  };
}
