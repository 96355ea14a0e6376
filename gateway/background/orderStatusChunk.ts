/**
 * The order status refresh as a background job: a schedule whose profile id is
 * `order-status-{division}` runs "Refresh status" for that division (src/orders/statusRefresh.ts)
 * with the app's own SharePoint identity and Exact through the gateway's proxy in process, the
 * same wiring as an import chunk. A refresh reads only changes, so it usually fits in one chunk; when
 * Exact's reads outlast the budget (a first refresh of a big division) it stops between two streams
 * with its state saved and answers `continue`, and the next chunk goes on. It holds the same
 * per-profile lease as an import run, and ends `Completed`, or `CompletedWithErrors` when
 * SharePoint refused some orders' updates (named in the log). Everything else goes to the imports.
 */
import { randomUUID } from 'node:crypto';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createOrderStatusList } from '../../src/crm/orderStatusList';
import { ExactClient } from '../../src/exact/client';
import { createOrderStatusReader, firstCursor } from '../../src/exact/orderStatus';
import { refreshOrderStatus } from '../../src/orders/statusRefresh';
import { appCaller, createInProcessExactTransport } from './exactInProcess';
import { LEASE_MARGIN_MS, leaseNameOf, type RunChunk, type RunChunkDeps } from './runChunk';
import { createAppSp, createAppTokenSource } from './sharePointApp';

const orderStatusPattern = /^order-status-([1-9]\d{0,9})$/;

/** The division of an order status schedule (src/orders/statusRefresh.ts names them), or undefined for an import profile. */
export function orderStatusDivision(profileId: string): number | undefined {
  const match = orderStatusPattern.exec(profileId);
  return match ? Number(match[1]) : undefined;
}

/** `imports` with order status schedules routed to the refresh. */
export function withOrderStatus(imports: RunChunk, deps: RunChunkDeps): RunChunk {
  const tokens = deps.tokens ?? createAppTokenSource(deps.app);
  return async (request) => {
    const division = orderStatusDivision(request.profileId);
    if (division === undefined) return imports(request);
    const runId = request.runId ?? `${request.profileId}-${deps.clock.now().toString(36)}`;
    const lease = await deps.store.acquireLease(leaseNameOf(request.siteUrl, request.profileId), `${deps.instanceId}/${randomUUID()}`, request.budgetMs + LEASE_MARGIN_MS);
    if (!lease) return { kind: 'busy', runId };
    try {
      const sp = createAppSp(request.siteUrl, tokens, { fetch: deps.fetch });
      const transport = createInProcessExactTransport({ proxy: deps.proxy, caller: appCaller(deps.app), connectionId: deps.connectionId ?? 'default', logger: deps.logger });
      const result = await refreshOrderStatus({
        reader: createOrderStatusReader(new ExactClient(transport, { clock: deps.clock }).connection),
        crm: createOrderStatusList(sp),
        documents: createDocumentStore(sp),
        clock: deps.clock,
        firstCursor,
      }, division, undefined, deps.clock.now() + request.budgetMs);
      deps.logger.log(result.failures.length ? 'warn' : 'info', 'background.order-status', {
        division, runId, updated: result.updated, paid: result.paid, overdue: result.overdue, calls: result.calls,
        failures: result.failures.map((f) => `${f.title || f.itemId}: ${f.reason}`).join(' | ') || undefined,
      });
      // A first refresh of a big division can outlast the budget: its state is saved per stream, the next chunk goes on.
      if (!result.complete) return { kind: 'continue', runId };
      return { kind: 'finished', runId, status: result.failures.length ? 'CompletedWithErrors' : 'Completed' };
    } catch (error) {
      return { kind: 'failed', runId, reason: `Order status of division ${division}: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      await deps.store.releaseLease(lease).catch(() => undefined);
    }
  };
}
