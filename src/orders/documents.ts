/**
 * The one shape the send and undo engine works on, whichever document the profile makes in Exact
 * Online: sales orders or concept sales invoices. Each adapter says, in the user's words, when an
 * existing document was found and why undo must leave one alone.
 */
import type { OrderDocument, OrderDraft, SalesInvoiceTarget, SalesOrderTarget } from './ports';

/** A document Exact holds: what the run log keeps of it, and whether undo may delete it. */
export interface SentDocument {
  id: string;
  number: number | null;
  yourRef: string;
  /** Why undo must not delete it (Exact moved it on), or null while it may still be deleted. */
  keep: string | null;
  /** The Exact accounts (ids, lower case) it is for; a found reference is linked only when the planned account is one. */
  accounts: string[];
  customerName: string | null;
}

const accountsOf = (...ids: Array<string | null>): string[] => [...new Set(ids.flatMap((id) => (id ? [id.toLowerCase()] : [])))];

export interface ExactDocuments {
  document: OrderDocument;
  findByReference(division: number, refs: string[]): Promise<SentDocument[]>;
  get(division: number, ids: string[]): Promise<SentDocument[]>;
  create(division: number, draft: OrderDraft): Promise<SentDocument>;
  delete(division: number, id: string): Promise<void>;
  /** "Exact already has …": the log's reason for linking instead of creating. */
  linkedReason(found: SentDocument, reference: string): string;
  goneReason: string;
  /**
   * Why no document can be created in the division at all, or null; checked once before a run
   * starts, so a wrong setting is one message, not one refusal per document (each of which
   * Exact counts toward its 10-errors-an-hour block).
   */
  cannotSend(division: number): Promise<string | null>;
}

export function salesOrderDocuments(target: SalesOrderTarget): ExactDocuments {
  const toDocument = (order: Awaited<ReturnType<SalesOrderTarget['create']>>): SentDocument => ({
    id: order.orderId,
    number: order.orderNumber,
    yourRef: order.yourRef,
    accounts: accountsOf(order.orderedBy),
    customerName: order.orderedByName,
    // Exact deletes an order only while it is open (12) with nothing delivered or invoiced.
    keep: order.status !== 12 || order.moved
      ? `Order ${order.orderNumber} is ${order.statusText.toLowerCase()} in Exact (status ${order.status})${order.moved ? ', with goods delivered or invoiced' : ''}; only open orders are deleted.`
      : null,
  });
  return {
    document: 'salesOrder',
    findByReference: async (division, refs) => (await target.findByReference(division, refs)).map(toDocument),
    get: async (division, ids) => (await target.get(division, ids)).map(toDocument),
    create: async (division, draft) => toDocument(await target.create(division, draft)),
    delete: (division, id) => target.delete(division, id),
    linkedReason: (found, reference) => `Exact already has order ${found.number ?? ''} with reference ${reference}.`,
    goneReason: 'Exact no longer has this order.',
    cannotSend: async () => null,
  };
}

/**
 * Concept sales invoices in one sales journal. `journal` is needed to create, not to undo.
 *
 * A concept is any invoice Exact has not processed: status 10 (draft) or 20 (open). Exact's own
 * model marks `Status` read-only (the .NET client's SalesInvoice: `[SDKFieldType(FieldType.ReadOnly)]
 * Status`; picqer's SalesInvoice docblock: "New invoices get the status open by default … Processed
 * invoices can't be changed anymore. Processing is done via printing"), and a real API-created
 * invoice came back as 20 "Open" (reference §6.3, NANGO-inv). So a draft (10) cannot be asked for;
 * an open invoice is the concept to check in Exact, and only a processed one (50) is final.
 */
const noJournal = 'The order profile has no sales journal (dagboek); choose one before sending concept invoices.';

export function salesInvoiceDocuments(target: SalesInvoiceTarget, journal: string | null): ExactDocuments {
  const toDocument = (invoice: Awaited<ReturnType<SalesInvoiceTarget['create']>>): SentDocument => ({
    id: invoice.invoiceId,
    number: invoice.invoiceNumber,
    yourRef: invoice.yourRef,
    accounts: accountsOf(invoice.invoiceTo, invoice.orderedBy),
    customerName: invoice.customerName,
    keep: invoice.status === 10 || invoice.status === 20
      ? null
      : `${invoice.status === 50 ? 'It has been processed' : `It has status ${invoice.status} (${invoice.statusText})`} in Exact; only concept invoices (not yet processed) are deleted.`,
  });
  return {
    document: 'salesInvoice',
    findByReference: async (division, refs) => (await target.findByReference(division, refs)).map(toDocument),
    get: async (division, ids) => (await target.get(division, ids)).map(toDocument),
    create: async (division, draft) => {
      if (!journal) throw new Error(noJournal);
      return toDocument(await target.create(division, { ...draft, journal }));
    },
    delete: (division, id) => target.delete(division, id),
    linkedReason: (found, reference) => (found.number === null
      ? `Exact already has a concept invoice with reference ${reference}.`
      : `Exact already has invoice ${found.number} with reference ${reference}.`),
    goneReason: 'Exact no longer has this invoice.',
    async cannotSend(division) {
      if (!journal) return noJournal;
      const journals = await target.salesJournals(division);
      return journals.some((j) => j.code === journal)
        ? null
        : `Sales journal (dagboek) ${journal} is not a sales journal of administration ${division} in Exact (it has ${journals.map((j) => j.code).join(', ') || 'none'}); choose another in the order profile.`;
    },
  };
}

/** The engine takes a sales order target as it always did, or any document adapter. */
export const documentsOf = (target: SalesOrderTarget | ExactDocuments): ExactDocuments => ('document' in target ? target : salesOrderDocuments(target));
