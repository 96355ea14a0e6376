import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactClient } from '../../src/exact/client';
import { createGatewayTransport } from '../../src/exact/gatewayTransport';
import { readDivisionCatalog, readSalesJournals } from '../../src/exact/orderCatalog';
import { createSalesInvoiceTarget } from '../../src/exact/salesInvoices';
import { salesInvoiceDocuments } from '../../src/orders/documents';
import { sendOrders, undoOrders } from '../../src/orders/exactOnline';
import { readyOrders } from '../../src/orders/plan';
import { call, settle, startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';
import { memoryOrderRuns } from '../support/memoryOrderRuns';
import { sampleOrderPlan } from '../support/orderFixtures';

/**
 * Concept invoices through the gateway, as the Orders tab sends them: the admin may create and
 * undo them, a sales user may not, a body that is not an order run's invoice never reaches Exact,
 * and the run's lookups by YourRef are never answered from the gateway's cache of invoice reads
 * (a kept "not there" would create every invoice again on a re-run).
 */
describe('gateway: concept sales invoices from an order run', () => {
  let c: ConnectedHarness;
  const client = (token: string) => new ExactClient(createGatewayTransport({ gatewayUrl: c.h.url('/gateway'), getAccessToken: async () => token }), { clock: c.h.clock });
  const posted = () => c.h.exact.postedSalesInvoices(c.division).filter((i) => String(i.invoice.YourRef).startsWith('GW-2026-11-'));

  beforeAll(async () => {
    c = await startConnectedHarness();
  });
  afterAll(async () => c?.h.close());

  it('admin: journals, create once, a re-run links (no cached lookup), undo deletes the concepts', async () => {
    const connection = client(c.admin).connection;
    expect((await settle(c.h, [readSalesJournals(connection, c.division)]))[0]!.map((j) => j.code)).toEqual(['70', '71']);
    const [catalog] = await settle(c.h, [readDivisionCatalog(connection, c.division)]);
    const plan = sampleOrderPlan(catalog!, 'GW');
    // The harness's smaller customer list may leave one customer unmatched: that order is held back, not sent.
    const ready = readyOrders(plan).length;
    expect(ready).toBeGreaterThanOrEqual(8);
    const runs = memoryOrderRuns();
    const target = salesInvoiceDocuments(createSalesInvoiceTarget(connection), '70');
    let seq = 0;
    const now = () => new Date(Date.UTC(2026, 11, 1, 9, 0, seq++)).toISOString();
    const [first] = await settle(c.h, [sendOrders({ plan, profileId: 'gw', division: c.division, user: 'admin', runId: 'gw1', target, runs, now })]);
    expect(first!.entries.filter((e) => e.outcome === 'created')).toHaveLength(ready);
    expect(posted()).toHaveLength(ready);

    const [again] = await settle(c.h, [sendOrders({ plan, profileId: 'gw', division: c.division, user: 'admin', runId: 'gw2', target, runs, now })]);
    expect(again!.entries.filter((e) => e.outcome === 'linked')).toHaveLength(ready);
    expect(again!.entries.filter((e) => e.outcome === 'created')).toHaveLength(0);
    expect(posted()).toHaveLength(ready);

    const [undone] = await settle(c.h, [undoOrders({ runId: 'gw1', target, runs, now })]);
    expect(undone!.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(ready);
    expect(posted()).toHaveLength(0);
  });

  it('a lookup by YourRef right after a POST sees the new invoice: never a kept answer', async () => {
    const account = String(c.h.exact.records(c.division, 'Accounts').find((a) => a.Status === 'C')!.ID);
    const item = String(c.h.exact.masterRecords(c.division, 'items').find((i) => i.IsSalesItem !== false)!.ID);
    const lookup = `/gateway/exact/${c.division}/salesinvoice/SalesInvoices?$select=InvoiceID,YourRef&$filter=YourRef eq 'GW-RAW-1'`;
    const count = async (): Promise<number> => {
      const response = await call(c.h, lookup, c.admin);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-cache')).toBeNull();
      return ((await response.json()) as { d: { results: unknown[] } }).d.results.length;
    };
    expect(await count()).toBe(0);
    const body = { Type: 8020, Journal: '70', OrderedBy: account, InvoiceTo: account, YourRef: 'GW-RAW-1', SalesInvoiceLines: [{ Item: item, Quantity: 1, UnitPrice: 10, VATCode: '2' }] };
    expect((await call(c.h, `/gateway/exact/${c.division}/salesinvoice/SalesInvoices`, c.admin, { method: 'POST', body: JSON.stringify(body) })).status).toBe(201);
    expect(await count()).toBe(1);
  });

  it('a sales user may not create or delete invoices; a body that is not an order run\'s invoice is refused before Exact', async () => {
    const path = `/gateway/exact/${c.division}/salesinvoice/SalesInvoices`;
    c.h.exact.resetCounters();
    const body = JSON.stringify({ Type: 8020, Journal: '70', OrderedBy: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2', InvoiceTo: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2', YourRef: 'GW-x', SalesInvoiceLines: [{ Item: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2', Quantity: 1, UnitPrice: 1, VATCode: '2' }] });
    expect((await call(c.h, path, c.sales, { method: 'POST', body })).status).toBe(403);
    expect((await call(c.h, `${path}(guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2')`, c.sales, { method: 'DELETE' })).status).toBe(403);
    const extra = await call(c.h, path, c.admin, { method: 'POST', body: JSON.stringify({ ...JSON.parse(body) as object, Status: 50 }) });
    expect(extra.status).toBe(400);
    expect(await extra.text()).toMatch(/Not an order the connector sends/);
    expect(c.h.exact.calls(c.division)).toBe(0);
  });
});
