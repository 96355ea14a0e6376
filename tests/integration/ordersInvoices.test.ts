import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog, readSalesJournals } from '../../src/exact/orderCatalog';
import { createSalesInvoiceTarget } from '../../src/exact/salesInvoices';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { salesInvoiceDocuments, salesOrderDocuments } from '../../src/orders/documents';
import { sendOrders, undoOrders } from '../../src/orders/exactOnline';
import { lineNet, netUnitPrice, type DivisionCatalog } from '../../src/orders/plan';
import { OrdersService } from '../../src/orders/service';
import { documentOrderProfiles, documentOrderRuns } from '../../src/orders/stores';
import { NL, startExact, type Harness } from '../support/exactEmulatorHarness';
import { memoryOrderRuns } from '../support/memoryOrderRuns';
import { MemoryDocuments } from '../support/memoryStores';
import { faultyTransport, sampleOrderPlan } from '../support/orderFixtures';

/**
 * The same plan as concept sales invoices in a sales journal: one invoice per planned order,
 * exactly once by YourRef (a re-run and a lost answer create nothing more), undo of concepts
 * only. Each test has its own reference prefix, so what one leaves in Exact is not another's.
 */
describe('billing report → Exact Online concept sales invoices, exactly once', () => {
  let h: Harness;
  let faulty: ReturnType<typeof faultyTransport>;
  let catalog: DivisionCatalog;
  let seq = 0;
  const now = () => new Date(Date.UTC(2026, 11, 1, 9, 0, seq++)).toISOString();
  const invoices = (journal: string | null = '70') => salesInvoiceDocuments(createSalesInvoiceTarget(new ExactConnection(faulty.transport)), journal);
  const posted = (prefix: string) => h.control.postedSalesInvoices(NL).filter((i) => String(i.invoice.YourRef).startsWith(`${prefix}-2026-11-`));
  const posts = () => faulty.requests.filter((r) => r.method === 'POST');

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '60' } });
    const token = h.control.issueTokens().access_token;
    faulty = faultyTransport(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 20_000 }));
    catalog = await readDivisionCatalog(new ExactConnection(faulty.transport), NL);
  });
  afterAll(async () => h?.sandbox.close());
  beforeEach(() => {
    faulty.reset();
    h.control.resetCounters();
  });

  it('offers the division\'s sales journals, not its bank or purchase journals, in one call', async () => {
    expect(await readSalesJournals(new ExactConnection(faulty.transport), NL)).toEqual([
      { code: '70', description: 'Verkoopboek' },
      { code: '71', description: 'Verkoopboek abonnementen' },
    ]);
    expect(faulty.requests).toHaveLength(1);
  });

  it('creates one concept invoice per order in the journal with one POST each; a re-run creates nothing and costs the journal check and one lookup', async () => {
    const plan = sampleOrderPlan(catalog, 'INV');
    const runs = memoryOrderRuns();
    const first = await sendOrders({ plan, profileId: 'i1', division: NL, user: 'admin', runId: 'ir1', target: invoices(), runs, now });
    expect(first.document).toBe('salesInvoice');
    expect(first.entries.map((e) => e.outcome)).toEqual(Array(10).fill('created'));
    expect(first.entries.every((e) => e.orderId !== null && e.orderNumber === null)).toBe(true);
    expect(posts()).toHaveLength(10);
    expect(posts()[0]!.path).toBe(`${NL}/salesinvoice/SalesInvoices`);
    const made = posted('INV');
    expect(made).toHaveLength(10);
    const planned = plan.orders[0]!;
    const invoice = made.find((i) => i.invoice.YourRef === planned.reference)!;
    expect(invoice.invoice).toMatchObject({ Status: 20, Journal: '70', Type: 8020, OrderedBy: planned.account.id, InvoiceTo: planned.account.id, AmountFCExclVat: planned.net, AmountFC: planned.gross, InvoiceDate: Date.parse(`${planned.orderDate}T00:00:00Z`) });
    expect(invoice.lines).toHaveLength(planned.lines.length);

    faulty.reset();
    const again = await sendOrders({ plan, profileId: 'i1', division: NL, user: 'admin', runId: 'ir2', target: invoices(), runs, now });
    expect(again.entries.map((e) => e.outcome)).toEqual(Array(10).fill('linked'));
    expect(again.entries[0]!.reasons).toEqual([`Exact already has a concept invoice with reference ${again.entries[0]!.reference}.`]);
    expect(again.entries[0]!.orderId).toBe(first.entries[0]!.orderId);
    expect(posts()).toHaveLength(0);
    expect(faulty.requests.map((r) => r.path.split('?')[0])).toEqual([`${NL}/financial/Journals`, `${NL}/salesinvoice/SalesInvoices`]);
    expect(decodeURIComponent(faulty.requests[1]!.path)).toContain("YourRef eq 'INV-2026-11-");
    expect(posted('INV')).toHaveLength(10);
  });

  it('a lost answer is settled by the YourRef lookup: the invoice Exact made is kept, none is made twice', async () => {
    const plan = sampleOrderPlan(catalog, 'LOST');
    faulty.faults.push({ post: 3, kind: 'lostAnswer' }, { post: 7, kind: 'lostAnswer' });
    const run = await sendOrders({ plan, profileId: 'i2', division: NL, user: 'admin', runId: 'ir3', target: invoices(), runs: memoryOrderRuns(), now });
    expect(run.entries.map((e) => e.outcome)).toEqual(Array(10).fill('created'));
    expect(posts()).toHaveLength(10);
    const made = posted('LOST');
    expect(made).toHaveLength(10);
    expect(new Set(made.map((i) => i.invoice.YourRef)).size).toBe(10);
    // The log carries the id Exact gave the invoice whose answer was lost, so undo can find it.
    const third = made.find((i) => i.invoice.YourRef === run.entries[2]!.reference)!;
    expect(run.entries[2]!.orderId).toBe(String(third.invoice.InvoiceID));
  });

  it('a discounted line is invoiced at its net unit price: the concept invoice\'s amount is the plan\'s', async () => {
    const sample = sampleOrderPlan(catalog, 'DISC');
    const order = sample.orders.find((o) => o.lines.some((l) => l.unitPrice >= 10))!;
    const line = order.lines.find((l) => l.unitPrice >= 10)!;
    // 7.5 % off leaves half a cent per unit: the net unit price is rounded once, as in the preview.
    const discounted = { ...line, discount: 7.5, net: lineNet(line.quantity, line.unitPrice, 7.5) };
    const withDiscount = { ...sample, orders: [{ ...order, lines: [discounted], totals: [], net: discounted.net, gross: discounted.net }] };
    const run = await sendOrders({ plan: withDiscount, profileId: 'i9', division: NL, user: 'admin', runId: 'ir9', target: invoices(), runs: memoryOrderRuns(), now });
    expect(run.entries.map((e) => e.outcome)).toEqual(['created']);
    const made = posted('DISC')[0]!;
    expect(made.lines[0]).toMatchObject({ UnitPrice: netUnitPrice(line.unitPrice, 7.5), Quantity: line.quantity });
    expect(made.lines[0]!.UnitPrice).not.toBe(line.unitPrice);
    expect(made.invoice.AmountFCExclVat).toBe(discounted.net);
  });

  it('a journal that is not a sales journal is refused once, before anything is sent (not ten refusals toward Exact\'s block)', async () => {
    const plan = sampleOrderPlan(catalog, 'PURCH');
    const runs = memoryOrderRuns();
    await expect(sendOrders({ plan, profileId: 'i3', division: NL, user: 'admin', runId: 'ir4', target: invoices('60'), runs, now })).rejects.toThrow(/Sales journal \(dagboek\) 60 is not a sales journal of administration \d+ in Exact \(it has 70, 71\)/);
    expect(posts()).toHaveLength(0);
    expect(await runs.get('ir4')).toBeUndefined();
    expect(h.control.errorCount(NL, 'salesinvoice/SalesInvoices')).toBe(0);
  });

  it('logs Exact\'s refusal per invoice and field, and sends the rest', async () => {
    const plan = sampleOrderPlan(catalog, 'BAD');
    const broken = { ...plan, orders: plan.orders.map((o, i) => (i === 1 ? { ...o, lines: o.lines.map((l) => ({ ...l, itemId: '00000000-0000-4000-8000-000000000001' })) } : o)) };
    const run = await sendOrders({ plan: broken, profileId: 'i6', division: NL, user: 'admin', runId: 'ir7', target: invoices(), runs: memoryOrderRuns(), now });
    expect(run.entries[1]).toMatchObject({ outcome: 'failed', orderId: null });
    expect(run.entries[1]!.reasons[0]).toBe('Ongeldige referentie: Artikel (regel 1)');
    expect(run.entries[1]!.reasons.every((r) => /^Ongeldige referentie: Artikel \(regel \d+\)$/.test(r))).toBe(true);
    expect(run.entries.filter((e) => e.outcome === 'created')).toHaveLength(9);
    expect(posted('BAD')).toHaveLength(9);
    expect(h.control.errorCount(NL, 'salesinvoice/SalesInvoices')).toBe(1);
  });

  it('a profile without a journal is refused before anything is sent or saved', async () => {
    const plan = sampleOrderPlan(catalog, 'NOJ');
    const runs = memoryOrderRuns();
    await expect(sendOrders({ plan, profileId: 'i4', division: NL, user: 'admin', runId: 'ir5', target: invoices(null), runs, now })).rejects.toThrow(/no sales journal \(dagboek\)/);
    expect(await runs.get('ir5')).toBeUndefined();
    expect(faulty.requests).toHaveLength(0);
  });

  it('undo deletes the concepts the run created and refuses a processed invoice with the reason; again changes nothing', async () => {
    const plan = sampleOrderPlan(catalog, 'UNDO');
    const runs = memoryOrderRuns();
    const run = await sendOrders({ plan, profileId: 'i5', division: NL, user: 'admin', runId: 'ir6', target: invoices(), runs, now });
    const final = run.entries[4]!;
    const processed = h.control.processSalesInvoice(NL, final.orderId!);
    // Undo with the sales-order adapter would look in the wrong place: refused before anything is read.
    await expect(undoOrders({ runId: 'ir6', target: salesOrderDocuments(createSalesOrderTarget(new ExactConnection(faulty.transport))), runs, now })).rejects.toThrow(/concept invoices/);

    const undone = await undoOrders({ runId: 'ir6', target: invoices(null), runs, now });
    expect(undone.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(9);
    const refused = undone.undo.find((u) => u.outcome === 'refused')!;
    expect(refused).toMatchObject({ reference: final.reference, orderNumber: processed.InvoiceNumber });
    expect(refused.reason).toBe('It has been processed in Exact; only concept invoices (not yet processed) are deleted.');
    expect(posted('UNDO').map((i) => i.invoice.YourRef)).toEqual([final.reference]);

    const twice = await undoOrders({ runId: 'ir6', target: invoices(null), runs, now });
    expect(twice.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(9);
    expect(twice.undo.filter((u) => u.outcome === 'refused')).toHaveLength(1);
    expect(posted('UNDO')).toHaveLength(1);
  });

  it('the Orders service: a profile for concept invoices needs a journal, sends invoices, and undoes them from the run alone', async () => {
    const documents = new MemoryDocuments();
    const connection = new ExactConnection(faulty.transport);
    const clock = { now: () => Date.UTC(2026, 11, 1, 10, 0, 0) + seq++ * 1000 };
    let ids = 0;
    const service = new OrdersService({
      profiles: documentOrderProfiles(documents),
      runs: documentOrderRuns(documents, clock),
      catalog: async () => catalog,
      target: createSalesOrderTarget(connection),
      invoices: createSalesInvoiceTarget(connection),
      validateGlobe: async () => ({ valid: true, errors: [] }),
      clock,
      newId: () => `svc-${++ids}`,
    });
    expect((await service.salesJournals(NL)).map((j) => j.code)).toEqual(['70', '71']);
    const input = { title: 'Concepten', division: NL, target: 'exactOnline' as const, document: 'salesInvoice' as const, referencePrefix: 'SVC', vatCode: null, paymentCondition: null };
    await expect(service.createProfile({ ...input, journal: null })).rejects.toThrow(/need a sales journal/);
    await expect(service.createProfile({ ...input, journal: '70', source: 'crmLists' })).rejects.toThrow('CRM orders become sales orders in Exact; concept invoices are made from a billing report.');
    const profile = await service.createProfile({ ...input, journal: '71' });
    expect(profile.target).toEqual({ kind: 'exactOnline', document: 'salesInvoice', journal: '71' });

    const plan = sampleOrderPlan(catalog, 'SVC');
    const run = await service.send(profile, plan, { user: 'anna' });
    expect(run.document).toBe('salesInvoice');
    expect(service.logCsv(run).split('\r\n')[0]).toBe('\uFEFFreference;customer;account;outcome;invoice;lines;net;gross;reasons;undo;undoReason');
    expect(posted('SVC')).toHaveLength(10);
    expect(posted('SVC').every((i) => i.invoice.Journal === '71')).toBe(true);
    expect(h.control.salesOrders(NL).filter((o) => String(o.order.YourRef).startsWith('SVC-'))).toHaveLength(0);
    // What the Run Logs library kept says what the run made: undo needs nothing else.
    expect((await service.listRuns(profile.id))[0]!.document).toBe('salesInvoice');
    const undone = await service.undo(run.id);
    expect(undone.undo.filter((u) => u.outcome === 'deleted')).toHaveLength(10);
    expect(posted('SVC')).toHaveLength(0);
  });
});
