import { describe, expect, it } from 'vitest';
import { deriveStatus, emptyState, foldChanges, paymentStatusOf, statusPatch } from '../../src/orders/status';
import { refreshOrderStatus } from '../../src/orders/statusRefresh';
import type {
  CrmOrderStatusList, CrmStatusOrder, OrderStatusChanges, OrderStatusCursor, OrderStatusPatch, OrderStatusReader, StatusInvoice, StatusReceivable,
} from '../../src/orders/statusPorts';
import { MemoryDocuments } from '../support/memoryStores';
import { ExactConnection } from '../../src/exact/connection';
import { createOrderStatusReader, firstCursor } from '../../src/exact/orderStatus';
import type { ExactRequest, Transport } from '../../src/exact/transport';

const ORDER = '0b6f3c2e-1111-4a5b-9c8d-000000000001';
const INVOICE = '0b6f3c2e-2222-4a5b-9c8d-000000000002';
const start: OrderStatusCursor = { orders: '1', invoices: '1', receivablesModified: null, deleted: '1' };

const crmOrder = (over: Partial<CrmStatusOrder['fields']> = {}, reference: string | null = 'CRM-SO-0007'): CrmStatusOrder => ({
  itemId: 7, title: 'SO-0007', exactReference: reference, division: 2950001,
  fields: {
    ExactOrderId: ORDER, ExactOrderNumber: 260001, ExactOrderStatus: 'Open', InvoiceNumber: null, InvoiceStatus: null, InvoiceDueDate: null,
    InvoiceAmount: null, OpenAmount: null, PaymentStatus: 'Not invoiced', LastPaymentDate: null, ...over,
  },
});
const invoice = (over: Partial<StatusInvoice> = {}): StatusInvoice => ({
  invoiceId: INVOICE, invoiceNumber: 26900001, status: 50, type: 8020, dueDate: '2026-12-21T00:00:00.000Z', amount: 1210, yourRef: 'CRM-SO-0007', orderIds: [ORDER], ...over,
});
const receivable = (over: Partial<StatusReceivable> = {}): StatusReceivable => ({
  id: 'r1', invoiceId: INVOICE, invoiceNumber: 26900001, amount: 1210, fullyPaid: false, lastPaymentDate: null, dueDate: '2026-12-21T00:00:00.000Z', ...over,
});
const changes = (over: Partial<OrderStatusChanges> = {}): OrderStatusChanges => ({
  orders: [{ orderId: ORDER, orderNumber: 260001, yourRef: 'CRM-SO-0007', status: 21, invoiceStatus: 21 }],
  invoices: [invoice()], receivables: [receivable()], deletedInvoices: [], deletedOrders: [], cursor: { orders: '84000100', invoices: '84000103', receivablesModified: '2026-12-07T10:00:00.000Z', deleted: '1' }, calls: 4, complete: true, ...over,
});

describe('payment status from the columns and today', () => {
  it('not invoiced, unpaid, partly paid, paid and overdue', () => {
    const base = { InvoiceNumber: 26900001, InvoiceAmount: 1210, InvoiceDueDate: '2026-12-21' };
    expect(paymentStatusOf({ ...base, InvoiceNumber: null, OpenAmount: null }, '2026-12-07')).toBe('Not invoiced');
    expect(paymentStatusOf({ ...base, OpenAmount: 1210 }, '2026-12-07')).toBe('Unpaid');
    expect(paymentStatusOf({ ...base, OpenAmount: 210 }, '2026-12-07')).toBe('Partly paid');
    expect(paymentStatusOf({ ...base, OpenAmount: 0 }, '2026-12-07')).toBe('Paid');
    // Due on the 21st: still fine that day, overdue the day after, paid or not.
    expect(paymentStatusOf({ ...base, OpenAmount: 1210 }, '2026-12-21')).toBe('Unpaid');
    expect(paymentStatusOf({ ...base, OpenAmount: 210 }, '2026-12-22')).toBe('Overdue');
    expect(paymentStatusOf({ ...base, OpenAmount: 0 }, '2027-03-01')).toBe('Paid');
  });
});

describe('deriving a CRM order from what Exact said', () => {
  it('an invoiced order, nothing paid: number, status, due date, amounts and Unpaid', () => {
    const state = foldChanges(emptyState(start), changes(), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-07')).toEqual({
      ExactOrderId: ORDER, ExactOrderNumber: 260001, ExactOrderStatus: 'Complete', InvoiceNumber: 26900001, InvoiceStatus: 'Processed',
      InvoiceDueDate: '2026-12-21', InvoiceAmount: 1210, OpenAmount: 1210, PaymentStatus: 'Unpaid', LastPaymentDate: null,
    });
  });

  it('a part payment (split receivable) makes it Partly paid with the payment date; the rest later makes it Paid', () => {
    let state = foldChanges(emptyState(start), changes(), [crmOrder()]);
    state = foldChanges(state, changes({ orders: [], invoices: [], receivables: [
      receivable({ id: 'r2', amount: 1000, fullyPaid: true, lastPaymentDate: '2026-12-10T00:00:00.000Z' }),
      receivable({ amount: 210, lastPaymentDate: '2026-12-10T00:00:00.000Z' }),
    ] }), [crmOrder()]);
    const partly = deriveStatus(crmOrder(), state, '2026-12-11');
    expect(partly).toMatchObject({ OpenAmount: 210, PaymentStatus: 'Partly paid', LastPaymentDate: '2026-12-10' });
    state = foldChanges(state, changes({ orders: [], invoices: [], receivables: [receivable({ amount: 210, fullyPaid: true, lastPaymentDate: '2026-12-15T00:00:00.000Z' })] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-16')).toMatchObject({ OpenAmount: 0, PaymentStatus: 'Paid', LastPaymentDate: '2026-12-15' });
  });

  it('overdue arrives on the day after the due date without any change in Exact', () => {
    const state = foldChanges(emptyState(start), changes(), [crmOrder()]);
    const shown = crmOrder(deriveStatus(crmOrder(), state, '2026-12-07'));
    expect(statusPatch(shown, deriveStatus(shown, state, '2026-12-21'), 'now')).toBeUndefined();
    expect(statusPatch(shown, deriveStatus(shown, state, '2026-12-22'), 'now')?.fields).toEqual({ PaymentStatus: 'Overdue', StatusCheckedAt: 'now' });
  });

  it('an order in Exact but not invoiced stays Not invoiced; a concept invoice shows its status without a number', () => {
    const state = foldChanges(emptyState(start), changes({ invoices: [invoice({ invoiceNumber: null, status: 20 })], receivables: [] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-07')).toMatchObject({ InvoiceStatus: 'Open', InvoiceNumber: null, PaymentStatus: 'Not invoiced' });
  });

  it('a concept invoice deleted in Exact (sync/Deleted) leaves the order Not invoiced again', () => {
    let state = foldChanges(emptyState(start), changes({ invoices: [invoice({ invoiceNumber: null, status: 20 })], receivables: [] }), [crmOrder()]);
    const shown = crmOrder(deriveStatus(crmOrder(), state, '2026-12-07'));
    expect(shown.fields.InvoiceStatus).toBe('Open');
    state = foldChanges(state, changes({ orders: [], invoices: [], receivables: [], deletedInvoices: [INVOICE] }), [shown]);
    expect(state.invoices).toEqual({});
    expect(statusPatch(shown, deriveStatus(shown, state, '2026-12-07'), 'now')?.fields).toEqual({ InvoiceStatus: null, StatusCheckedAt: 'now' });
  });

  it('an invoice without a due date of its own shows its receivable\'s', () => {
    const state = foldChanges(emptyState(start), changes({ invoices: [invoice({ dueDate: null })], receivables: [receivable({ dueDate: '2026-12-28T00:00:00.000Z' })] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-29')).toMatchObject({ InvoiceDueDate: '2026-12-28', PaymentStatus: 'Overdue' });
  });

  it('an order known only by its reference (YourRef) gets its Exact order id; orders without a reference nobody names, and their invoices, are not kept', () => {
    const byRef = crmOrder({ ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null });
    const other = '0b6f3c2e-3333-4a5b-9c8d-000000000003';
    const state = foldChanges(emptyState(start), changes({
      orders: [...changes().orders, { orderId: other, orderNumber: 260002, yourRef: '', status: 12, invoiceStatus: 12 }],
      invoices: [invoice({ orderIds: [ORDER], yourRef: '' }), invoice({ invoiceId: 'inv-other', orderIds: [other], yourRef: '' })],
    }), [byRef]);
    expect(Object.keys(state.orders)).toEqual([ORDER]);
    expect(Object.keys(state.invoices)).toEqual([INVOICE]);
    expect(deriveStatus(byRef, state, '2026-12-07')).toMatchObject({ ExactOrderId: ORDER, ExactOrderNumber: 260001, InvoiceNumber: 26900001 });
  });
});

describe('review fixes: what a CRM order shows', () => {
  const OTHER = '0b6f3c2e-3333-4a5b-9c8d-000000000003';
  const CREDIT = '0b6f3c2e-4444-4a5b-9c8d-000000000004';

  it('R1: a numbered concept invoice (status 20) is not booked: the customer owes nothing yet', () => {
    const state = foldChanges(emptyState(start), changes({ invoices: [invoice({ status: 20 })], receivables: [] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2027-01-15')).toMatchObject({ InvoiceStatus: 'Open', InvoiceNumber: null, InvoiceAmount: null, OpenAmount: null, PaymentStatus: 'Not invoiced' });
  });

  it('R2: an order deleted in Exact moves the CRM order to the order re-sent under its reference, or clears it', () => {
    let state = foldChanges(emptyState(start), changes({ invoices: [], receivables: [] }), [crmOrder()]);
    const shown = crmOrder(deriveStatus(crmOrder(), state, '2026-12-07'));
    state = foldChanges(state, changes({ orders: [], invoices: [], receivables: [], deletedOrders: [ORDER] }), [shown]);
    expect(state.orders).toEqual({});
    expect(deriveStatus(shown, state, '2026-12-07')).toMatchObject({ ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null, PaymentStatus: 'Not invoiced' });
    state = foldChanges(state, changes({ orders: [{ orderId: OTHER, orderNumber: 260009, yourRef: 'CRM-SO-0007', status: 12, invoiceStatus: 12 }], invoices: [], receivables: [] }), [shown]);
    expect(deriveStatus(shown, state, '2026-12-07')).toMatchObject({ ExactOrderId: OTHER, ExactOrderNumber: 260009, ExactOrderStatus: 'Open' });
  });

  it('R3: an order read before any CRM order named it is found when the CRM order is linked later', () => {
    let state = foldChanges(emptyState(start), changes(), []);
    state = foldChanges(state, changes({ orders: [], invoices: [], receivables: [] }), []);
    const late = crmOrder({ ExactOrderId: null, ExactOrderNumber: null, ExactOrderStatus: null });
    expect(deriveStatus(late, state, '2026-12-07')).toMatchObject({ ExactOrderId: ORDER, InvoiceNumber: 26900001, OpenAmount: 1210, PaymentStatus: 'Unpaid' });
  });

  it('R4: a credit note nets into the amounts; a fully credited order reads Not invoiced, a partly credited one what is left', () => {
    // Credited from the invoice: its lines name no order, its reference is the order's.
    const credit = invoice({ invoiceId: CREDIT, invoiceNumber: 26900002, type: 8021, amount: -1210, orderIds: [] });
    const full = foldChanges(emptyState(start), changes({ invoices: [invoice(), credit], receivables: [receivable(), receivable({ id: 'r9', invoiceId: CREDIT, invoiceNumber: 26900002, amount: -1210 })] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), full, '2027-01-15')).toMatchObject({ InvoiceNumber: 26900001, InvoiceAmount: 0, OpenAmount: 0, PaymentStatus: 'Not invoiced' });
    const partCredit = invoice({ invoiceId: CREDIT, invoiceNumber: 26900002, type: 8021, amount: -210 });
    const partly = foldChanges(emptyState(start), changes({ invoices: [invoice(), partCredit], receivables: [receivable(), receivable({ id: 'r9', invoiceId: CREDIT, invoiceNumber: 26900002, amount: -210 })] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), partly, '2027-01-15')).toMatchObject({ InvoiceAmount: 1000, OpenAmount: 1000, PaymentStatus: 'Overdue' });
  });

  it('M1: the due date is the earliest open instalment, not the invoice\'s', () => {
    const state = foldChanges(emptyState(start), changes({ receivables: [
      receivable({ id: 'r1', amount: 605, fullyPaid: true, dueDate: '2026-12-10T00:00:00.000Z', lastPaymentDate: '2026-12-09T00:00:00.000Z' }),
      receivable({ id: 'r2', amount: 605, dueDate: '2027-01-10T00:00:00.000Z' }),
    ] }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-28')).toMatchObject({ InvoiceDueDate: '2027-01-10', OpenAmount: 605, PaymentStatus: 'Partly paid' });
  });

  it('M2: a receivable of another invoice with the same number (another journal) is not counted', () => {
    const state = foldChanges(emptyState(start), changes({ receivables: [receivable(), receivable({ id: 'r-other', invoiceId: OTHER, amount: 99 })] }), [crmOrder()]);
    expect(Object.keys(state.receivables[INVOICE])).toEqual(['r1']);
    expect(deriveStatus(crmOrder(), state, '2026-12-07')).toMatchObject({ OpenAmount: 1210 });
  });

  it('M3: an order known by its id does not take the invoices of another order with the same reference', () => {
    const state = foldChanges(emptyState(start), changes({
      orders: [...changes().orders, { orderId: OTHER, orderNumber: 260002, yourRef: 'CRM-SO-0007', status: 12, invoiceStatus: 12 }],
      invoices: [invoice(), invoice({ invoiceId: CREDIT, invoiceNumber: 26900005, amount: 500, orderIds: [OTHER] })], receivables: [receivable()],
    }), [crmOrder()]);
    expect(deriveStatus(crmOrder(), state, '2026-12-07')).toMatchObject({ ExactOrderId: ORDER, InvoiceNumber: 26900001, InvoiceAmount: 1210 });
  });
});

describe('refresh: cursor saved, only changed orders written', () => {
  function fakes(order: CrmStatusOrder) {
    const reads: OrderStatusCursor[] = [];
    const writes: OrderStatusPatch[][] = [];
    let current = order;
    let pending: OrderStatusChanges | undefined = changes();
    const reader: OrderStatusReader = {
      async read(_division, cursor, _now, _progress, afterStream) {
        reads.push(cursor);
        const answer = pending ?? changes({ orders: [], invoices: [], receivables: [], cursor, calls: 4 });
        pending = undefined;
        await afterStream?.(answer);
        return answer;
      },
    };
    const crm: CrmOrderStatusList = {
      async read() { return [current]; },
      async write(patches) {
        writes.push(patches);
        current = { ...current, fields: { ...current.fields, ...Object.fromEntries(Object.entries(patches[0].fields).filter(([k]) => k !== 'StatusCheckedAt')) } };
        return patches.map((p) => ({ itemId: p.itemId, ok: true as const }));
      },
    };
    return { reader, crm, reads, writes, current: () => current };
  }

  it('the second refresh starts from the saved cursor and writes nothing', async () => {
    const f = fakes(crmOrder());
    const documents = new MemoryDocuments();
    const deps = { reader: f.reader, crm: f.crm, documents, clock: { now: () => Date.UTC(2026, 11, 7, 11) }, firstCursor: start };
    const first = await refreshOrderStatus(deps, 2950001);
    expect(first).toMatchObject({ updated: 1, paid: 0, overdue: 0, failures: [] });
    expect(f.current().fields.PaymentStatus).toBe('Unpaid');
    const second = await refreshOrderStatus(deps, 2950001);
    expect(f.reads).toEqual([start, changes().cursor]);
    expect(second.updated).toBe(0);
    expect(f.writes).toHaveLength(1);
  });

  it('a damaged state document starts the reads again from the beginning instead of failing', async () => {
    const f = fakes(crmOrder());
    const documents = new MemoryDocuments();
    await documents.write('orders/status/2950001.json', '{"cursor": {"orders": "84000100"');
    const result = await refreshOrderStatus({ reader: f.reader, crm: f.crm, documents, clock: { now: () => Date.UTC(2026, 11, 7, 11) }, firstCursor: start }, 2950001);
    expect(f.reads).toEqual([start]);
    expect(result.updated).toBe(1);
  });

  it('a write SharePoint refuses is reported with the order and written on the next refresh', async () => {
    const f = fakes(crmOrder());
    const documents = new MemoryDocuments();
    const write = f.crm.write;
    let refuse = true;
    f.crm.write = async (patches) => (refuse ? patches.map((p) => ({ itemId: p.itemId, ok: false as const, reason: 'The list is read-only (HTTP 403)' })) : write(patches));
    const deps = { reader: f.reader, crm: f.crm, documents, clock: { now: () => Date.UTC(2026, 11, 7, 11) }, firstCursor: start };
    const first = await refreshOrderStatus(deps, 2950001);
    expect(first.failures).toEqual([{ itemId: 7, title: 'SO-0007', reason: 'The list is read-only (HTTP 403)' }]);
    refuse = false;
    const second = await refreshOrderStatus(deps, 2950001);
    expect(second.updated).toBe(1);
    expect(f.current().fields).toMatchObject({ InvoiceNumber: 26900001, PaymentStatus: 'Unpaid' });
  });
});

describe('today is the users\' today', () => {
  it('an invoice due on the 21st is overdue from midnight in Amsterdam, also where the server runs in UTC', async () => {
    const shown = crmOrder({ InvoiceNumber: 26900001, InvoiceStatus: 'Processed', InvoiceDueDate: '2026-12-21', InvoiceAmount: 1210, OpenAmount: 1210, PaymentStatus: 'Unpaid' });
    const written: OrderStatusPatch[] = [];
    const quiet: OrderStatusReader = {
      read: async (_d, cursor, _now, _progress, afterStream) => {
        const answer = changes({ orders: [], invoices: [], receivables: [], cursor });
        await afterStream?.(answer);
        return answer;
      },
    };
    const crm: CrmOrderStatusList = { read: async () => [shown], write: async (patches) => { written.push(...patches); return patches.map((p) => ({ itemId: p.itemId, ok: true as const })); } };
    // 23:30 UTC on the 21st is 00:30 on the 22nd in Amsterdam.
    const result = await refreshOrderStatus({ reader: quiet, crm, documents: new MemoryDocuments(), clock: { now: () => Date.UTC(2026, 11, 21, 23, 30) }, firstCursor: start }, 2950001);
    expect(result.overdue).toBe(1);
    expect(written[0].fields.PaymentStatus).toBe('Overdue');
    const before = await refreshOrderStatus({ reader: quiet, crm, documents: new MemoryDocuments(), clock: { now: () => Date.UTC(2026, 11, 21, 22, 30) }, firstCursor: start }, 2950001);
    expect(before.overdue).toBe(0);
    // The zone given decides, not the machine's: in UTC it is still the 21st.
    const inUtc = await refreshOrderStatus({ reader: quiet, crm, documents: new MemoryDocuments(), clock: { now: () => Date.UTC(2026, 11, 21, 23, 30) }, firstCursor: start, timeZone: 'UTC' }, 2950001);
    expect(inUtc.overdue).toBe(0);
  });
});

describe('reading Exact incrementally', () => {
  const page = (results: unknown[]) => ({ status: 200, headers: {}, data: { d: { results } } });
  function transport(answers: Record<string, unknown[]>): Transport & { requests: ExactRequest[] } {
    const requests: ExactRequest[] = [];
    return {
      requests,
      async send(request) {
        requests.push(request);
        const endpoint = Object.keys(answers).find((name) => request.path.includes(name));
        return page(endpoint ? answers[endpoint] : []);
      },
    };
  }

  it('filters each sync read on the saved Timestamp, groups invoice headers and lines, and moves the cursor to the highest', async () => {
    const t = transport({
      'sync/SalesOrder/SalesOrderHeaders': [{ Timestamp: '84000200', OrderID: ORDER.toUpperCase(), OrderNumber: 260001, YourRef: 'CRM-SO-0007 ', Status: 21, InvoiceStatus: 21 }],
      'sync/SalesInvoice/SalesInvoices': [
        { Timestamp: '84000301', InvoiceID: INVOICE, LineNumber: 1, InvoiceNumber: 26900001, Status: 50, Type: 8020, DueDate: '/Date(1797811200000)/', AmountDC: 200, YourRef: 'CRM-SO-0007', SalesOrder: ORDER },
        { Timestamp: '84000302', InvoiceID: INVOICE, LineNumber: 0, InvoiceNumber: 26900001, Status: 50, Type: 8020, DueDate: '/Date(1797811200000)/', AmountDC: 242, YourRef: 'CRM-SO-0007', SalesOrder: null },
      ],
      'bulk/Cashflow/Receivables': [{ ID: 'r1', TransactionEntryID: INVOICE, InvoiceNumber: 26900001, AmountDC: 242, IsFullyPaid: false, LastPaymentDate: null, DueDate: '/Date(1797811200000)/', Modified: '/Date(1796640000000)/' }],
    });
    const reader = createOrderStatusReader(new ExactConnection(t));
    const progress: unknown[] = [];
    const changes = await reader.read(2950001, { orders: '84000100', invoices: '84000100', receivablesModified: '2026-12-01T00:00:00.000Z', deleted: '84000050' }, '2026-12-07T11:00:00.000Z', (p) => progress.push(p));
    expect(progress).toEqual([
      { stage: 'orders', rows: 1, calls: 1 }, { stage: 'invoices', rows: 2, calls: 2 }, { stage: 'receivables', rows: 1, calls: 3 }, { stage: 'deleted', rows: 0, calls: 4 },
    ]);
    expect(t.requests.map((r) => decodeURIComponent(r.path))).toEqual([
      expect.stringContaining('sync/SalesOrder/SalesOrderHeaders?$select=Timestamp,OrderID,OrderNumber,YourRef,Status,InvoiceStatus&$filter=Timestamp gt 84000100L'),
      expect.stringContaining('sync/SalesInvoice/SalesInvoices?$select=Timestamp,InvoiceID,LineNumber,InvoiceNumber,Status,Type,DueDate,AmountDC,YourRef,SalesOrder&$filter=Timestamp gt 84000100L'),
      expect.stringContaining("bulk/Cashflow/Receivables?$select=ID,TransactionEntryID,InvoiceNumber,AmountDC,IsFullyPaid,LastPaymentDate,DueDate,Modified&$filter=Modified ge datetime'2026-12-01T00:00:00'"),
      expect.stringContaining('sync/Deleted?$select=Timestamp,EntityKey,EntityType&$filter=Timestamp gt 84000050L and (EntityType eq 13 or EntityType eq 32)'),
    ]);
    expect(changes.orders).toEqual([{ orderId: ORDER, orderNumber: 260001, yourRef: 'CRM-SO-0007', status: 21, invoiceStatus: 21 }]);
    expect(changes.invoices).toEqual([{ invoiceId: INVOICE, invoiceNumber: 26900001, status: 50, type: 8020, dueDate: '2026-12-21T00:00:00.000Z', amount: 242, yourRef: 'CRM-SO-0007', orderIds: [ORDER] }]);
    expect(changes.cursor).toEqual({ orders: '84000200', invoices: '84000302', receivablesModified: '2026-12-07T10:40:00.000Z', deleted: '84000050' });
    expect(changes.calls).toBe(4);
  });

  it('R2: reads deleted sales orders (EntityType 32) beside deleted invoices (13) from sync/Deleted', async () => {
    const t = transport({ 'sync/Deleted': [{ Timestamp: '84000401', EntityKey: ORDER.toUpperCase(), EntityType: 32 }, { Timestamp: '84000402', EntityKey: INVOICE, EntityType: 13 }] });
    const read = await createOrderStatusReader(new ExactConnection(t)).read(2950001, firstCursor, '2026-12-07T11:00:00.000Z');
    expect(read.deletedOrders).toEqual([ORDER]);
    expect(read.deletedInvoices).toEqual([INVOICE]);
    expect(read.cursor.deleted).toBe('84000402');
  });

  it('M3: a CRM order without a division is refreshed only by the division that knows its order, which writes its division once', async () => {
    const undivided: CrmStatusOrder = { ...crmOrder(), division: null };
    const written: OrderStatusPatch[] = [];
    const crm: CrmOrderStatusList = { read: async () => [undivided], write: async (patches) => { written.push(...patches); return patches.map((p) => ({ itemId: p.itemId, ok: true as const })); } };
    const readerOf = (answer: OrderStatusChanges): OrderStatusReader => ({ read: async (_d, _c, _n, _p, afterStream) => { await afterStream?.(answer); return answer; } });
    const clock = { now: () => Date.UTC(2026, 11, 7, 11) };
    // Another division has an order with the same reference, but not this order id: not its business.
    const otherOrder = { orderId: '0b6f3c2e-5555-4a5b-9c8d-000000000005', orderNumber: 990001, yourRef: 'CRM-SO-9999', status: 12, invoiceStatus: 12 };
    const elsewhere = await refreshOrderStatus({ reader: readerOf(changes({ orders: [otherOrder], invoices: [], receivables: [] })), crm, documents: new MemoryDocuments(), clock, firstCursor: start }, 2950002);
    expect(elsewhere).toMatchObject({ orders: 0, updated: 0 });
    expect(written).toEqual([]);
    const own = await refreshOrderStatus({ reader: readerOf(changes()), crm, documents: new MemoryDocuments(), clock, firstCursor: start }, 2950001);
    expect(own).toMatchObject({ orders: 1, updated: 1 });
    expect(written[0].fields).toMatchObject({ ExactDivision: 2950001, InvoiceNumber: 26900001 });
  });

  it('R5: a refresh stopped at its budget keeps what each stream read; the next one goes on from there and then writes', async () => {
    const t = transport({
      'sync/SalesOrder/SalesOrderHeaders': [{ Timestamp: '84000200', OrderID: ORDER, OrderNumber: 260001, YourRef: 'CRM-SO-0007', Status: 21, InvoiceStatus: 21 }],
      'sync/SalesInvoice/SalesInvoices': [
        { Timestamp: '84000301', InvoiceID: INVOICE, LineNumber: 1, InvoiceNumber: 26900001, Status: 50, Type: 8020, DueDate: '/Date(1797811200000)/', AmountDC: 200, YourRef: 'CRM-SO-0007', SalesOrder: ORDER },
        { Timestamp: '84000302', InvoiceID: INVOICE, LineNumber: 0, InvoiceNumber: 26900001, Status: 50, Type: 8020, DueDate: '/Date(1797811200000)/', AmountDC: 242, YourRef: 'CRM-SO-0007', SalesOrder: null },
      ],
    });
    let now = Date.UTC(2026, 11, 7, 11);
    // Every Exact call takes a second.
    const slow: Transport = { send: async (request) => { now += 1000; return t.send(request); } };
    const written: OrderStatusPatch[] = [];
    const crm: CrmOrderStatusList = { read: async () => [crmOrder()], write: async (patches) => { written.push(...patches); return patches.map((p) => ({ itemId: p.itemId, ok: true as const })); } };
    const documents = new MemoryDocuments();
    const deps = { reader: createOrderStatusReader(new ExactConnection(slow)), crm, documents, clock: { now: () => now }, firstCursor };
    const stopped = await refreshOrderStatus(deps, 2950001, undefined, now + 1500);
    expect(stopped).toMatchObject({ complete: false, updated: 0, calls: 2 });
    expect(written).toEqual([]);
    const saved = JSON.parse((await documents.read('orders/status/2950001.json'))!);
    expect(saved.cursor).toMatchObject({ orders: '84000200', invoices: '84000302', deleted: '1', receivablesModified: null });
    t.requests.length = 0;
    const resumed = await refreshOrderStatus(deps, 2950001);
    expect(resumed).toMatchObject({ complete: true, updated: 1 });
    expect(t.requests.map((r) => decodeURIComponent(r.path))).toEqual([
      expect.stringContaining('Timestamp gt 84000200L'), expect.stringContaining('Timestamp gt 84000302L'),
      expect.stringContaining('bulk/Cashflow/Receivables'), expect.stringContaining('sync/Deleted'),
    ]);
    expect(written[0].fields).toMatchObject({ InvoiceNumber: 26900001, InvoiceAmount: 242, PaymentStatus: 'Unpaid' });
  });

  it('a row in a shape Exact should not send fails the read, naming the endpoint, the row and the field', async () => {
    const t = transport({ 'sync/SalesOrder/SalesOrderHeaders': [{ Timestamp: '84000200', OrderID: ORDER, OrderNumber: 'x', YourRef: null, Status: 12, InvoiceStatus: 12 }] });
    await expect(createOrderStatusReader(new ExactConnection(t)).read(2950001, firstCursor, '2026-12-07T11:00:00.000Z'))
      .rejects.toThrow('Exact sent a row of sync/SalesOrder/SalesOrderHeaders that cannot be read (row 1, field OrderNumber: Expected number, received string).');
  });

  it('a first read without any Modified starts the receivables from a little before now', async () => {
    const changes = await createOrderStatusReader(new ExactConnection(transport({}))).read(2950001, firstCursor, '2026-12-07T11:00:00.000Z');
    expect(changes.cursor).toEqual({ orders: '1', invoices: '1', receivablesModified: '2026-12-07T10:50:00.000Z', deleted: '1' });
  });
});
