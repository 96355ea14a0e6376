import { describe, expect, it } from 'vitest';
import { documentsOf, salesInvoiceDocuments, salesOrderDocuments } from '../../src/orders/documents';
import type { ExactInvoice, ExactOrder, InvoiceDraft, SalesInvoiceTarget, SalesOrderTarget } from '../../src/orders/ports';

const invoice = (status: number, invoiceNumber: number | null = null): ExactInvoice => ({ invoiceId: `id-${status}`, invoiceNumber, yourRef: `R-${status}`, status, statusText: String(status), invoiceTo: 'a', orderedBy: 'a', customerName: 'Bakkerij Jansen' });

/** What the adapter asked Exact for, and the invoices Exact "holds". */
function invoiceTarget(held: ExactInvoice[]): SalesInvoiceTarget & { created: InvoiceDraft[] } {
  const created: InvoiceDraft[] = [];
  return {
    created,
    findByReference: async (_, refs) => held.filter((i) => refs.includes(i.yourRef)),
    get: async (_, ids) => held.filter((i) => ids.includes(i.invoiceId)),
    create: async (_, draft) => {
      created.push(draft);
      return { invoiceId: 'new', invoiceNumber: null, yourRef: draft.yourRef, status: 20, statusText: 'Open', invoiceTo: draft.accountId, orderedBy: draft.accountId, customerName: null };
    },
    delete: async () => undefined,
    salesJournals: async () => [{ code: '70', description: 'Verkoopboek' }, { code: '71', description: 'Verkoopboek abonnementen' }],
  };
}

const draft = { accountId: 'a', yourRef: 'R-1', description: 'd', orderDate: '2026-11-30', paymentCondition: null, lines: [] };

describe('what a run makes in Exact: sales orders or concept invoices', () => {
  it('an invoice may be deleted while it is a concept (10 draft, 20 open), not once processed (50)', async () => {
    const docs = salesInvoiceDocuments(invoiceTarget([invoice(10), invoice(20), invoice(50, 26900001)]), '70');
    const found = await docs.get(1, ['id-10', 'id-20', 'id-50']);
    expect(found.map((d) => [d.yourRef, d.keep])).toEqual([
      ['R-10', null],
      ['R-20', null],
      ['R-50', 'It has been processed in Exact; only concept invoices (not yet processed) are deleted.'],
    ]);
    expect(found[2]!.number).toBe(26900001);
    expect(docs.linkedReason(found[0]!, 'R-10')).toBe('Exact already has a concept invoice with reference R-10.');
    expect(docs.linkedReason(found[2]!, 'R-50')).toBe('Exact already has invoice 26900001 with reference R-50.');
  });

  it('creates in the profile\'s journal; without one it says so before anything is sent', async () => {
    const target = invoiceTarget([]);
    const docs = salesInvoiceDocuments(target, '71');
    expect(await docs.cannotSend(1)).toBeNull();
    await docs.create(1, draft);
    expect(target.created[0]).toMatchObject({ journal: '71', yourRef: 'R-1' });
    const without = salesInvoiceDocuments(target, null);
    expect(await without.cannotSend(1)).toMatch(/no sales journal \(dagboek\)/);
    expect(await salesInvoiceDocuments(target, '60').cannotSend(1)).toBe('Sales journal (dagboek) 60 is not a sales journal of administration 1 in Exact (it has 70, 71); choose another in the order profile.');
    await expect(without.create(1, draft)).rejects.toThrow(/no sales journal/);
    expect(target.created).toHaveLength(1);
    expect(without.document).toBe('salesInvoice');
  });

  it('a sales order target is taken as it always was: open (12) with nothing moved may go', async () => {
    const order = (status: number, moved: boolean): ExactOrder => ({ orderId: `o-${status}-${String(moved)}`, orderNumber: 260001, yourRef: 'R', status, statusText: status === 12 ? 'Open' : 'Volledig', moved, orderedBy: 'a', orderedByName: null });
    const orders: SalesOrderTarget = {
      findByReference: async () => [],
      get: async () => [order(12, false), order(12, true), order(21, false)],
      create: async () => order(12, false),
      delete: async () => undefined,
    };
    const docs = documentsOf(orders);
    expect(docs.document).toBe('salesOrder');
    expect(await docs.cannotSend(1)).toBeNull();
    const keep = (await docs.get(1, [])).map((d) => d.keep);
    expect(keep[0]).toBeNull();
    expect(keep[1]).toMatch(/with goods delivered or invoiced/);
    expect(keep[2]).toMatch(/status 21/);
    expect(documentsOf(salesOrderDocuments(orders)).document).toBe('salesOrder');
  });
});
