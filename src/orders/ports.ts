/**
 * What the order engine needs from outside: Exact Online's sales orders (src/exact implements
 * it over the client) and a place for runs with a lock per profile (SharePoint in the product,
 * memory in tests). Nothing here knows HTTP.
 */

/** An order as Exact holds it, with what decides whether it may still be deleted. */
export interface ExactOrder {
  orderId: string;
  orderNumber: number;
  yourRef: string;
  /** 12 open, 20 partial, 21 complete, 45 cancelled. */
  status: number;
  statusText: string;
  /** Something delivered or invoiced on any line. */
  moved: boolean;
  /** The customer (`OrderedBy`): a reference is only ours when the order is for the planned account. */
  orderedBy: string;
  orderedByName: string | null;
}

export interface OrderDraftLine {
  /** `unitPrice` is net: a line's discount is already taken off (plan.ts netUnitPrice). */
  itemId: string; description: string; quantity: number; unitPrice: number; vatCode: string;
}

export interface OrderDraft {
  yourRef: string;
  description: string;
  accountId: string;
  /** `YYYY-MM-DD` */
  orderDate: string;
  paymentCondition: string | null;
  lines: OrderDraftLine[];
}

/** Exact refused the order: its messages, one per field (`Ongeldige referentie: Artikel (regel 2)`). */
export class OrderRefusedError extends Error {
  public constructor(public readonly messages: string[], public readonly status: number) {
    super(messages.join('; '));
    this.name = 'OrderRefusedError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The POST got no answer: the order may or may not exist; look it up by YourRef before anything else. */
export class OrderOutcomeUnknownError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OrderOutcomeUnknownError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface SalesOrderTarget {
  /** The division's orders whose YourRef is one of `refs`, in as few reads as the URL length allows. */
  findByReference(division: number, refs: string[]): Promise<ExactOrder[]>;
  /** Orders by id; the ones Exact no longer has are absent. */
  get(division: number, orderIds: string[]): Promise<ExactOrder[]>;
  create(division: number, draft: OrderDraft): Promise<ExactOrder>;
  delete(division: number, orderId: string): Promise<void>;
}

/**
 * A sales invoice as Exact holds it. 10 draft and 20 open are both still concepts (changeable,
 * deletable, usually without a number); 50 processed is final.
 */
export interface ExactInvoice {
  invoiceId: string;
  /** Null until Exact processes (prints) the invoice. */
  invoiceNumber: number | null;
  yourRef: string;
  status: number;
  statusText: string;
  /** The customer (`InvoiceTo`, and `OrderedBy`): a reference is only ours when the invoice is for the planned account. */
  invoiceTo: string | null;
  orderedBy: string | null;
  customerName: string | null;
}

/** A concept invoice: the order's lines and customer, dated `orderDate`, in a sales journal. */
export interface InvoiceDraft extends OrderDraft {
  /** Sales journal code (`financial/Journals` Type 20), e.g. `70`. */
  journal: string;
}

export interface SalesInvoiceTarget {
  findByReference(division: number, refs: string[]): Promise<ExactInvoice[]>;
  get(division: number, invoiceIds: string[]): Promise<ExactInvoice[]>;
  create(division: number, draft: InvoiceDraft): Promise<ExactInvoice>;
  delete(division: number, invoiceId: string): Promise<void>;
  /** The division's sales journals (`financial/Journals` Type 20). */
  salesJournals(division: number): Promise<SalesJournal[]>;
}

/** A sales journal of the division (`financial/Journals` Type 20): where concept invoices are entered. */
export interface SalesJournal { code: string; description: string }

/** What an order profile makes in Exact Online. */
export type OrderDocument = 'salesOrder' | 'salesInvoice';

export type OrderOutcome = 'created' | 'linked' | 'failed' | 'blocked';

export interface OrderLogEntry {
  reference: string;
  customerName: string;
  accountCode: string;
  outcome: OrderOutcome;
  /** The Exact document's id and number: the order's, or the concept invoice's (no number until processed). */
  orderId: string | null;
  orderNumber: number | null;
  lines: number;
  net: number;
  gross: number;
  /** Why: Exact's messages, or what held the order back. */
  reasons: string[];
}

export interface UndoEntry { reference: string; orderId: string; orderNumber: number | null; outcome: 'deleted' | 'gone' | 'refused' | 'failed'; reason: string | null }

export interface OrderRun {
  id: string;
  profileId: string;
  division: number;
  user: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'finished' | 'undone';
  /** Absent in runs saved before invoices existed: those made sales orders. */
  document?: OrderDocument;
  entries: OrderLogEntry[];
  undo: UndoEntry[];
}

export interface OrderRunStore {
  /**
   * Takes the profile's run lock for `runId`; false when another run holds it (two people at once).
   * `looker` (the user) is whose earlier sightings of a silent claim count toward taking it over.
   */
  acquire(profileId: string, runId: string, looker?: string): Promise<boolean>;
  release(profileId: string, runId: string): Promise<void>;
  /** Stores the run; with `claim` (the lock id the run holds) also renews that claim, so a live run is never taken over. */
  save(run: OrderRun, claim?: string): Promise<void>;
  get(runId: string): Promise<OrderRun | undefined>;
}
