import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactClient } from '../../src/exact/client';
import { ExactConnection } from '../../src/exact/connection';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { NL, results, startExact, type Harness } from '../support/exactEmulatorHarness';

/**
 * The stand-in's back office: invoicing a sales order and registering payments, seen through
 * Exact's own endpoints (sync headers and invoices, cashflow/Receivables, ReceivablesList).
 */
describe('Exact emulator: invoicing and payments', () => {
  let h: Harness;
  let token: string;
  let orderId: string;
  let lastOrderStamp: bigint;

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '20' } });
    token = h.control.issueTokens().access_token;
    const account = h.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!;
    const item = h.control.masterRecords(NL, 'items').find((i) => String(i.Code).startsWith('LIC-'))!;
    const posted = await h.send('POST', `${NL}/salesorder/SalesOrders`, token, { OrderedBy: account.ID, YourRef: 'INV-1', PaymentCondition: '14', SalesOrderLines: [{ Item: item.ID, Quantity: 2, UnitPrice: 100 }, { Item: item.ID, Quantity: 1, UnitPrice: 50 }] }, { Prefer: 'return=representation' });
    orderId = ((await posted.json()) as { d: { OrderID: string } }).d.OrderID;
    const headers = await results(await h.get(`${NL}/sync/SalesOrder/SalesOrderHeaders?$select=Timestamp,OrderID&$filter=Timestamp gt 1L`, token));
    lastOrderStamp = BigInt(String(headers.results.at(-1)!.Timestamp));
  });
  afterAll(async () => h?.sandbox.close());

  it('invoicing: a processed invoice with number and due date from the payment condition, lines carrying the order, the order complete in its sync headers', async () => {
    h.clock.advance(60_000);
    const { invoice, receivable } = h.control.invoiceSalesOrder(NL, orderId);
    const invoiceDay = Math.floor(h.clock.now() / 86_400_000) * 86_400_000;
    expect(invoice).toMatchObject({ Status: 50, YourRef: 'INV-1', DueDate: invoiceDay + 14 * 86_400_000, AmountFCExclVat: 250 });
    expect(receivable).toMatchObject({ AmountDC: invoice.AmountDC, IsFullyPaid: false, InvoiceNumber: invoice.InvoiceNumber, TransactionEntryID: invoice.InvoiceID });
    const changed = await results(await h.get(`${NL}/sync/SalesOrder/SalesOrderHeaders?$select=OrderID,Status,InvoiceStatus&$filter=Timestamp gt ${lastOrderStamp}L`, token));
    expect(changed.results).toEqual([expect.objectContaining({ OrderID: orderId, Status: 21, InvoiceStatus: 21 })]);
    const rows = (await results(await h.get(`${NL}/sync/SalesInvoice/SalesInvoices?$select=InvoiceID,LineNumber,SalesOrder,AmountFC,InvoiceNumber&$filter=Timestamp gt 1L`, token))).results.filter((r) => r.InvoiceID === invoice.InvoiceID);
    expect(rows.map((r) => [r.LineNumber, r.SalesOrder, r.AmountFC, r.InvoiceNumber])).toEqual([[1, orderId, 200, invoice.InvoiceNumber], [2, orderId, 50, invoice.InvoiceNumber], [0, null, invoice.AmountFC, invoice.InvoiceNumber]]);
    expect(() => h.control.invoiceSalesOrder(NL, orderId)).toThrow(/al volledig gefactureerd/);
  });

  it('an incremental import of sales invoices takes the header rows of the sync stream, never a line for an invoice', async () => {
    const client = new ExactClient(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => h.control.issueTokens().access_token, timeoutMs: 10_000 }), { clock: h.clock });
    const { records } = await client.sync(NL, 'SalesInvoice', { select: ['InvoiceID', 'AmountDC', 'AmountFCExclVat', 'YourRef'], since: '1' }).all();
    const invoiced = records.filter((r) => r.YourRef === 'INV-1');
    expect(invoiced).toHaveLength(1);
    expect(invoiced[0]).toMatchObject({ AmountFCExclVat: 250 });
    expect(new Set(records.map((r) => r.InvoiceID)).size).toBe(records.length);
  });

  it('payments: a part payment shrinks the open item, the rest matches it and it leaves ReceivablesList; Modified moves for an incremental read', async () => {
    // The clock moves days ahead: a token issued at each call never expires under it.
    const fresh = () => h.control.issueTokens().access_token;
    const invoice = (await results(await h.get(`${NL}/salesinvoice/SalesInvoices?$select=InvoiceID,InvoiceNumber,AmountDC&$filter=YourRef eq 'INV-1'`, fresh()))).results[0];
    const number = Number(invoice.InvoiceNumber);
    const openItem = async () => (await results(await h.get(`${NL}/read/financial/ReceivablesList?$select=InvoiceNumber,Amount`, fresh()))).results.filter((r) => r.InvoiceNumber === number);
    expect(await openItem()).toEqual([expect.objectContaining({ Amount: invoice.AmountDC })]);
    expect(() => h.control.registerPayment(NL, number, { amount: 10_000 })).toThrow(/past niet/);
    h.clock.advance(86_400_000);
    h.control.registerPayment(NL, number, { amount: 100 });
    expect(await openItem()).toEqual([expect.objectContaining({ Amount: Math.round((Number(invoice.AmountDC) - 100) * 100) / 100 })]);
    const since = new Date(h.clock.now() - 1000).toISOString().slice(0, 19);
    h.clock.advance(86_400_000);
    h.control.registerPayment(NL, number);
    expect(await openItem()).toEqual([]);
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => fresh(), timeoutMs: 10_000 }));
    const changed = await connection.send('GET', `${NL}/bulk/Cashflow/Receivables?$select=ID,AmountDC,IsFullyPaid,LastPaymentDate&$filter=${encodeURIComponent(`Modified ge datetime'${since}'`)}`);
    const entries = (changed.data as { d: { results: Array<Record<string, unknown>> } }).d.results;
    expect(entries.map((e) => [e.AmountDC, e.IsFullyPaid]).sort()).toEqual([[100, true], [Math.round((Number(invoice.AmountDC) - 100) * 100) / 100, true]].sort());
    expect(() => h.control.registerPayment(NL, number)).toThrow(/geen openstaande post/);
  });
});

describe('Exact emulator: payments need a processed invoice', () => {
  it('a concept invoice posted through the API (status 20, no number) has no open item to pay yet', async () => {
    const h = await startExact({ env: { SANDBOX_ACCOUNTS: '10' } });
    try {
      const token = h.control.issueTokens().access_token;
      const account = h.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!;
      const item = h.control.masterRecords(NL, 'items').find((i) => String(i.Code).startsWith('LIC-'))!;
      const posted = await h.send('POST', `${NL}/salesinvoice/SalesInvoices`, token, { OrderedBy: account.ID, InvoiceTo: account.ID, Journal: '70', YourRef: 'CONCEPT-1', SalesInvoiceLines: [{ Item: item.ID, Quantity: 1, UnitPrice: 10 }] }, { Prefer: 'return=representation' });
      expect(posted.status).toBe(201);
      const invoiceId = ((await posted.json()) as { d: { InvoiceID: string } }).d.InvoiceID;
      expect(() => h.control.registerPayment(NL, invoiceId)).toThrow(/geen openstaande post/);
    } finally {
      await h.sandbox.close();
    }
  });
});

describe('Exact emulator: invoicing survives a restart', () => {
  it('the invoice, its part-paid receivable and the order\'s status are there after the sandbox starts again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'exact-invoicing-'));
    try {
      const first = await startExact({ env: { SANDBOX_ACCOUNTS: '10' }, dataDir });
      const token = first.control.issueTokens().access_token;
      const account = first.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!;
      const item = first.control.masterRecords(NL, 'items').find((i) => String(i.Code).startsWith('LIC-'))!;
      const posted = await first.send('POST', `${NL}/salesorder/SalesOrders`, token, { OrderedBy: account.ID, YourRef: 'KEEP-1', SalesOrderLines: [{ Item: item.ID, Quantity: 1, UnitPrice: 100 }] }, { Prefer: 'return=representation' });
      const orderId = ((await posted.json()) as { d: { OrderID: string } }).d.OrderID;
      const { invoice } = first.control.invoiceSalesOrder(NL, orderId);
      first.control.registerPayment(NL, Number(invoice.InvoiceNumber), { amount: 40 });
      first.control.flush();
      await first.sandbox.close();

      const again = await startExact({ env: { SANDBOX_ACCOUNTS: '10' }, dataDir, clock: first.clock });
      try {
        const t = again.control.issueTokens().access_token;
        const open = (await results(await again.get(`${NL}/read/financial/ReceivablesList?$select=InvoiceNumber,Amount`, t))).results.filter((r) => r.InvoiceNumber === invoice.InvoiceNumber);
        expect(open).toEqual([expect.objectContaining({ Amount: Math.round((Number(invoice.AmountDC) - 40) * 100) / 100 })]);
        expect(again.control.salesOrders(NL).find((o) => o.order.OrderID === orderId)?.order.Status).toBe(21);
        again.control.registerPayment(NL, Number(invoice.InvoiceNumber));
        expect((await results(await again.get(`${NL}/read/financial/ReceivablesList?$select=InvoiceNumber`, t))).results.filter((r) => r.InvoiceNumber === invoice.InvoiceNumber)).toEqual([]);
      } finally {
        await again.sandbox.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
