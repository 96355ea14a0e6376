/**
 * Sends a plan to Exact Online exactly once. Every order carries its source key in `YourRef`;
 * before any POST the division's orders with those references are read in bulk, and an order
 * that exists is linked, not created again. A POST without an answer is looked up once; if Exact
 * does not have the order (yet), it fails and the next run's lookup settles it: a run never POSTs
 * the same order twice. The profile's run lock keeps two people from sending the same plan at once, and the
 * run is saved after every order, so a resumed or repeated run creates only what is missing.
 * The same holds for concept sales invoices (documents.ts): one invoice per planned order.
 */
import { documentsOf, type ExactDocuments, type SentDocument } from './documents';
import { netUnitPrice, readyOrders, type OrderPlan, type PlannedOrder } from './plan';
import {
  OrderOutcomeUnknownError, OrderRefusedError,
  type OrderLogEntry, type OrderRun, type OrderRunStore, type SalesOrderTarget, type UndoEntry,
} from './ports';

export class OrderRunBusyError extends Error {
  public constructor(public readonly profileId: string) {
    super(`Another run of this order profile is in progress; wait until it has finished.`);
    this.name = 'OrderRunBusyError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface OrderProgress { done: number; total: number; created: number; linked: number; failed: number }

export interface SendInput {
  plan: OrderPlan;
  profileId: string;
  division: number;
  user: string;
  runId: string;
  /** Sales orders (a `SalesOrderTarget`), or concept invoices through `salesInvoiceDocuments`. */
  target: SalesOrderTarget | ExactDocuments;
  runs: OrderRunStore;
  now: () => string;
  onProgress?: (progress: OrderProgress) => void;
}

function entryFor(order: PlannedOrder, outcome: OrderLogEntry['outcome'], found: SentDocument | undefined, reasons: string[]): OrderLogEntry {
  return {
    reference: order.reference, customerName: order.customerName, accountCode: order.account.code, outcome,
    orderId: found?.id ?? null, orderNumber: found?.number ?? null, lines: order.lines.length, net: order.net, gross: order.gross, reasons,
  };
}

function blockedReasons(plan: OrderPlan, order: PlannedOrder): string[] {
  const lines = new Set(order.lines.map((l) => l.sourceLine));
  const reasons: string[] = [];
  for (const customer of plan.blockedCustomers.filter((c) => c.customerId === order.customerId)) {
    reasons.push(customer.reason === 'ambiguous' ? `Customer ${customer.customerName} matches more than one Exact account; choose one.` : `Customer ${customer.customerName} is not mapped to an Exact account.`);
  }
  for (const product of plan.blockedProducts) {
    if (product.lines.some((l) => lines.has(l)) || order.lines.length === 0 || plan.heldBack.includes(order.reference)) {
      if (product.reason === 'unknownVat') reasons.push(`VAT code ${product.vatCode ?? ''} of product ${product.sku} is not in the division.`);
      else reasons.push(`Product ${product.sku} is not mapped to an Exact item.`);
    }
  }
  return [...new Set(reasons)];
}

const unansweredReason = 'Exact did not answer in time; run the profile again — its lookup links the order if Exact made it, otherwise creates it.';

/**
 * Why a document found by the order's reference is not this order: it is for another customer (two
 * CRM sites with the default prefix on one administration, say). Null when it is for the planned account.
 */
function otherCustomers(found: SentDocument, order: PlannedOrder, document: ExactDocuments['document']): string | null {
  if (found.accounts.includes(order.account.id.toLowerCase())) return null;
  const number = found.number === null ? '' : ` ${found.number}`;
  const customer = found.customerName ?? found.accounts.join(', ');
  return `Reference ${order.reference} is already used in Exact by ${document === 'salesInvoice' ? 'invoice' : 'order'}${number} of another customer (account ${customer}); change the profile's reference prefix.`;
}

async function createOnce(target: ExactDocuments, input: SendInput, order: PlannedOrder): Promise<{ outcome: 'created' | 'linked'; order: SentDocument }> {
  const draft = {
    yourRef: order.reference,
    description: `${order.reference} ${order.description}`.slice(0, 60),
    accountId: order.account.id,
    orderDate: order.orderDate,
    paymentCondition: order.paymentCondition,
    // A discount goes as the net unit price, not Exact's `Discount`: Exact reckons that one from the
    // item's default price, so only the net price makes Exact's amount the preview's and Globe's.
    lines: order.lines.map((l) => ({ itemId: l.itemId, description: l.description, quantity: l.quantity, unitPrice: netUnitPrice(l.unitPrice, l.discount), vatCode: l.vatCode })),
  };
  try {
    return { outcome: 'created', order: await target.create(input.division, draft) };
  } catch (error) {
    if (!(error instanceof OrderOutcomeUnknownError)) throw error;
    // The answer was lost: Exact may have created it, or may still be committing it (the gateway
    // gives up after 30 s). The reference tells if it is there now; if not, a second POST could make a
    // second order, so the order waits for the next run, whose lookup links it or creates it.
    const found = await target.findByReference(input.division, [order.reference]);
    const ours = found.find((document) => otherCustomers(document, order, target.document) === null);
    if (ours) return { outcome: 'created', order: ours };
    if (found[0]) throw new OrderRefusedError([otherCustomers(found[0], order, target.document) as string], 0);
    throw new OrderOutcomeUnknownError(unansweredReason);
  }
}

/** Sends the ready orders; blocked ones are logged with their blockers. Returns the saved run. */
export async function sendOrders(input: SendInput): Promise<OrderRun> {
  const target = documentsOf(input.target);
  const cannot = await target.cannotSend(input.division);
  if (cannot !== null) throw new Error(cannot);
  if (!(await input.runs.acquire(input.profileId, input.runId, input.user))) {
    throw new OrderRunBusyError(input.profileId);
  }
  const run: OrderRun = {
    id: input.runId, profileId: input.profileId, division: input.division, user: input.user,
    startedAt: input.now(), finishedAt: null, status: 'running', document: target.document, entries: [], undo: [],
  };
  try {
    await input.runs.save(run, input.runId);
    const ready = readyOrders(input.plan);
    const held = new Set(input.plan.heldBack);
    for (const order of input.plan.orders.filter((o) => held.has(o.reference))) {
      run.entries.push(entryFor(order, 'blocked', undefined, blockedReasons(input.plan, order)));
    }
    const existing = new Map<string, SentDocument[]>();
    for (const document of await target.findByReference(input.division, ready.map((o) => o.reference))) {
      existing.set(document.yourRef, [...(existing.get(document.yourRef) ?? []), document]);
    }
    const progress: OrderProgress = { done: 0, total: ready.length, created: 0, linked: 0, failed: 0 };
    for (const order of ready) {
      const candidates = existing.get(order.reference) ?? [];
      const found = candidates.find((document) => otherCustomers(document, order, target.document) === null) ?? candidates[0];
      const other = found ? otherCustomers(found, order, target.document) : null;
      if (other !== null) {
        run.entries.push(entryFor(order, 'failed', undefined, [other]));
        progress.failed += 1;
      } else if (found) {
        run.entries.push(entryFor(order, 'linked', found, [target.linkedReason(found, order.reference)]));
        progress.linked += 1;
      } else {
        try {
          const result = await createOnce(target, input, order);
          run.entries.push(entryFor(order, result.outcome, result.order, []));
          progress.created += 1;
        } catch (error) {
          if (!(error instanceof OrderRefusedError) && !(error instanceof OrderOutcomeUnknownError)) throw error;
          run.entries.push(entryFor(order, 'failed', undefined, error instanceof OrderRefusedError ? error.messages : [error.message]));
          progress.failed += 1;
        }
      }
      progress.done += 1;
      // Saved after every order, renewing the claim: a crash loses nothing that Exact has, the lookup
      // covers the rest, and a run longer than the claim's 30 minutes is never taken over.
      await input.runs.save(run, input.runId);
      input.onProgress?.({ ...progress });
    }
    run.status = 'finished';
    run.finishedAt = input.now();
    await input.runs.save(run);
    return run;
  } finally {
    await input.runs.release(input.profileId, input.runId);
  }
}

/**
 * Deletes the orders the run created while Exact still has them open (status 12, nothing
 * delivered or invoiced), or its invoices while they are concepts (not processed); the rest are
 * refused with the reason. Linked orders are never touched:
 * this run did not create them.
 */
export async function undoOrders(input: { runId: string; target: SalesOrderTarget | ExactDocuments; runs: OrderRunStore; now: () => string }): Promise<OrderRun> {
  const target = documentsOf(input.target);
  const run = await input.runs.get(input.runId);
  if (!run) throw new Error(`Run ${input.runId} was not found.`);
  if ((run.document ?? 'salesOrder') !== target.document) {
    throw new Error(`Run ${run.id} made ${run.document === 'salesInvoice' ? 'concept invoices' : 'sales orders'}; undo it with the same kind of document.`);
  }
  if (!(await input.runs.acquire(run.profileId, `undo-${run.id}`))) throw new OrderRunBusyError(run.profileId);
  try {
    const created = run.entries.filter((e) => e.outcome === 'created' && e.orderId !== null);
    const done = new Set(run.undo.filter((u) => u.outcome === 'deleted' || u.outcome === 'gone').map((u) => u.orderId));
    const todo = created.filter((e) => !done.has(e.orderId as string));
    const current = new Map((await target.get(run.division, todo.map((e) => e.orderId as string))).map((o) => [o.id, o]));
    const undo: UndoEntry[] = run.undo.filter((u) => done.has(u.orderId));
    for (const entry of todo) {
      const orderId = entry.orderId as string;
      const found = current.get(orderId);
      const base = { reference: entry.reference, orderId, orderNumber: found?.number ?? entry.orderNumber };
      if (!found) {
        undo.push({ ...base, outcome: 'gone', reason: target.goneReason });
      } else if (found.keep !== null) {
        undo.push({ ...base, outcome: 'refused', reason: found.keep });
      } else {
        try {
          await target.delete(run.division, orderId);
          undo.push({ ...base, outcome: 'deleted', reason: null });
        } catch (error) {
          undo.push({ ...base, outcome: error instanceof OrderRefusedError ? 'refused' : 'failed', reason: error instanceof Error ? error.message : String(error) });
        }
      }
      run.undo = undo;
      await input.runs.save(run, `undo-${run.id}`);
    }
    run.undo = undo;
    if (undo.every((u) => u.outcome === 'deleted' || u.outcome === 'gone')) run.status = 'undone';
    await input.runs.save(run);
    return run;
  } finally {
    await input.runs.release(run.profileId, `undo-${run.id}`);
  }
}
