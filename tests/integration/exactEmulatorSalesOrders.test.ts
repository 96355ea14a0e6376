import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorText, NL, BE, results, startExact, type Harness } from '../support/exactEmulatorHarness';

/**
 * The stand-in's salesorder/SalesOrders: Exact's rules for POST (lines inline), PUT, DELETE
 * while open, order numbers, sync headers and concept invoices, with Exact's error shape.
 */
describe('Exact emulator: sales orders', () => {
  let h: Harness;
  let token: string;
  let account: string;
  let item: { ID: string; Code: string; StandardSalesPrice: number };
  let beItem: { ID: string };

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '30' } });
    token = h.control.issueTokens().access_token;
    account = String(h.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!.ID);
    const items = await results(await h.get(`${NL}/bulk/Logistics/Items?$select=ID,Code,StandardSalesPrice,SalesVatCode`, token));
    item = items.results.find((i) => String(i.Code).startsWith('LIC-')) as typeof item;
    beItem = (await results(await h.get(`${BE}/bulk/Logistics/Items?$select=ID`, token))).results[0] as typeof beItem;
  });
  afterAll(async () => h?.sandbox.close());
  beforeEach(() => h.control.resetCounters());

  const post = (body: unknown, division = NL) => h.send('POST', `${division}/salesorder/SalesOrders`, token, body, { Prefer: 'return=representation' });

  it('creates an order with its lines inline, numbers it, prices from the item and VAT code', async () => {
    const first = await post({ OrderedBy: account, YourRef: 'T-1', SalesOrderLines: [{ Item: item.ID, Quantity: 3 }, { Item: item.ID, Quantity: 1, UnitPrice: 10, VATCode: '1' }] });
    expect(first.status).toBe(201);
    const order = ((await first.json()) as { d: Record<string, unknown> }).d;
    expect(order).toMatchObject({ YourRef: 'T-1', Status: 12, StatusDescription: 'Open', OrderedBy: account });
    const net = Math.round((3 * item.StandardSalesPrice + 10) * 100) / 100;
    expect(order.AmountFCExclVat).toBe(net);
    expect(order.AmountFC).toBe(Math.round((3 * item.StandardSalesPrice * 1.21 + 10 * 1.09) * 100) / 100);
    const second = ((await (await post({ OrderedBy: account, YourRef: 'T-2', SalesOrderLines: [{ Item: item.ID, Quantity: 1 }] })).json()) as { d: { OrderNumber: number } }).d;
    expect(second.OrderNumber).toBe((order.OrderNumber as number) + 1);

    const read = await results(await h.get(`${NL}/salesorder/SalesOrders?$filter=YourRef eq 'T-1'&$select=OrderNumber,SalesOrderLines/Quantity,SalesOrderLines/VATCode&$expand=SalesOrderLines`, token));
    expect(read.results).toHaveLength(1);
    expect((read.results[0].SalesOrderLines as { results: unknown[] }).results).toEqual([
      expect.objectContaining({ Quantity: 3, VATCode: '2  ' }),
      expect.objectContaining({ Quantity: 1, VATCode: '1  ' }),
    ]);
  });

  it('refuses what Exact refuses, in its error shape, per field', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ YourRef: 'x', SalesOrderLines: [{ Item: item.ID }] }, 500, 'Verplicht: Besteld door'],
      [{ OrderedBy: account }, 500, 'Verplicht: Verkooporderregels'],
      [{ OrderedBy: account, SalesOrderLines: [{ Item: beItem.ID }] }, 500, 'Ongeldige referentie: Artikel (regel 1)'],
      [{ OrderedBy: account, SalesOrderLines: [{ Item: item.ID, VATCode: 'ZZ' }] }, 500, 'Ongeldige referentie: Btw-code (regel 1: ZZ)'],
      [{ OrderedBy: account, PaymentCondition: 'QQ', SalesOrderLines: [{ Item: item.ID }] }, 500, 'Ongeldige referentie: Betalingsconditie (QQ)'],
      [{ OrderedBy: account, SalesOrderLines: { results: [] } }, 400, 'Error processing request stream. The request should be a valid top-level resource object.'],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status, message).toBe(status);
      expect(await errorText(response)).toBe(message);
    }
    const both = await post({ SalesOrderLines: [] });
    expect(await errorText(both)).toBe('Verplicht: Besteld door\r\nVerplicht: Verkooporderregels');
    expect(h.control.errorCount(NL, 'salesorder/SalesOrders')).toBe(7);
  });

  it('blocks the endpoint after 10 refusals in an hour when blocking is on', async () => {
    h.control.setKnobs({ blockOnErrors: true });
    try {
      for (let i = 0; i < 10; i++) expect((await post({ OrderedBy: account })).status).toBe(500);
      const blocked = await post({ OrderedBy: account, SalesOrderLines: [{ Item: item.ID }] });
      expect(blocked.status).toBe(429);
    } finally {
      h.control.setKnobs({ blockOnErrors: false });
      h.control.resetCounters();
    }
  });

  it('asks for a $filter (mandatory filtering) and serves sync/SalesOrder/SalesOrderHeaders by Timestamp', async () => {
    const unfiltered = await h.get(`${NL}/salesorder/SalesOrders?$select=OrderID`, token);
    expect(unfiltered.status).toBe(400);
    expect(await errorText(unfiltered)).toMatch(/mandatory filtering/);
    const all = await results(await h.get(`${NL}/sync/SalesOrder/SalesOrderHeaders?$filter=Timestamp gt 1L&$select=OrderNumber,YourRef,Timestamp`, token));
    expect(all.results.length).toBeGreaterThanOrEqual(2);
    const last = all.results.at(-1)!.Timestamp as string;
    expect(typeof last).toBe('string');
    const none = await results(await h.get(`${NL}/sync/SalesOrder/SalesOrderHeaders?$filter=Timestamp gt ${last}L&$select=OrderNumber`, token));
    expect(none.results).toEqual([]);
  });

  it('keeps OrderedBy as it was, and deletes only open orders with nothing delivered or invoiced', async () => {
    const created = ((await (await post({ OrderedBy: account, YourRef: 'T-DEL', SalesOrderLines: [{ Item: item.ID }] })).json()) as { d: { OrderID: string; OrderNumber: number } }).d;
    const other = String(h.control.records(NL, 'Accounts').filter((a) => a.Status === 'C')[1].ID);
    const put = await h.send('PUT', `${NL}/salesorder/SalesOrders(guid'${created.OrderID}')`, token, { OrderedBy: other });
    expect(put.status).toBe(500);
    expect(await errorText(put)).toBe('Besteld door kan niet worden gewijzigd.');
    expect((await h.send('PUT', `${NL}/salesorder/SalesOrders(guid'${created.OrderID}')`, token, { Description: 'Nieuw' })).status).toBe(204);

    const done = ((await (await post({ OrderedBy: account, YourRef: 'T-DONE', SalesOrderLines: [{ Item: item.ID }] })).json()) as { d: { OrderID: string; OrderNumber: number } }).d;
    h.control.fulfilSalesOrder(NL, done.OrderID);
    const refused = await h.send('DELETE', `${NL}/salesorder/SalesOrders(guid'${done.OrderID}')`, token);
    expect(refused.status).toBe(500);
    expect(await errorText(refused)).toMatch(new RegExp(`verkooporder ${done.OrderNumber} is niet meer open`));

    expect((await h.send('DELETE', `${NL}/salesorder/SalesOrders(guid'${created.OrderID}')`, token)).status).toBe(204);
    expect((await h.get(`${NL}/salesorder/SalesOrders(guid'${created.OrderID}')`, token)).status).toBe(404);
    const deleted = await results(await h.get(`${NL}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 32&$select=EntityKey`, token));
    expect(deleted.results.map((r) => r.EntityKey)).toContain(created.OrderID);
  });

  it('posts a concept sales invoice with its lines and finds it by YourRef', async () => {
    const response = await h.send('POST', `${NL}/salesinvoice/SalesInvoices`, token, { OrderedBy: account, InvoiceTo: account, YourRef: 'INV-T-1', Journal: '70', SalesInvoiceLines: [{ Item: item.ID, Quantity: 2 }] }, { Prefer: 'return=representation' });
    expect(response.status).toBe(201);
    const invoice = ((await response.json()) as { d: Record<string, unknown> }).d;
    expect(invoice).toMatchObject({ Status: 20, InvoiceNumber: null, AmountFCExclVat: Math.round(2 * item.StandardSalesPrice * 100) / 100, Journal: '70' });
    const found = await results(await h.get(`${NL}/salesinvoice/SalesInvoices?$filter=YourRef eq 'INV-T-1'&$select=InvoiceID,SalesInvoiceLines/Quantity&$expand=SalesInvoiceLines`, token));
    expect(found.results).toHaveLength(1);
    expect((found.results[0].SalesInvoiceLines as { results: unknown[] }).results).toEqual([expect.objectContaining({ Quantity: 2 })]);
    expect((await h.send('POST', `${NL}/salesinvoice/SalesInvoices`, token, { OrderedBy: account })).status).toBe(500);
  });
});

describe('Exact emulator: sales orders survive a restart', () => {
  it('keeps orders and the order-number counter in the data folder', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dataDir = mkdtempSync(join(tmpdir(), 'exact-orders-'));
    try {
      const first = await startExact({ dataDir, env: { SANDBOX_ACCOUNTS: '20' } });
      const token = first.control.issueTokens().access_token;
      const account = String(first.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!.ID);
      const item = (await results(await first.get(`${NL}/bulk/Logistics/Items?$select=ID`, token))).results[0]!.ID as string;
      const created = ((await (await first.send('POST', `${NL}/salesorder/SalesOrders`, token, { OrderedBy: account, YourRef: 'KEEP-1', SalesOrderLines: [{ Item: item }] }, { Prefer: 'return=representation' })).json()) as { d: { OrderNumber: number } }).d;
      await first.sandbox.close();

      const second = await startExact({ dataDir, env: { SANDBOX_ACCOUNTS: '20' } });
      try {
        expect(second.control.salesOrders(NL).map((o) => o.order.YourRef)).toEqual(['KEEP-1']);
        expect(second.control.salesOrders(NL)[0]!.lines).toHaveLength(1);
        const token2 = second.control.issueTokens().access_token;
        const next = ((await (await second.send('POST', `${NL}/salesorder/SalesOrders`, token2, { OrderedBy: account, YourRef: 'KEEP-2', SalesOrderLines: [{ Item: item }] }, { Prefer: 'return=representation' })).json()) as { d: { OrderNumber: number } }).d;
        expect(next.OrderNumber).toBe(created.OrderNumber + 1);
      } finally {
        await second.sandbox.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
