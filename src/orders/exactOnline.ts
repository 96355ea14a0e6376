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
import { orderBecause, OrderReasonError, reasonOfMessage, renderOrderReason, type OrderReason } from './reasons';

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

function entryFor(order: PlannedOrder, outcome: OrderLogEntry['outcome'], found: SentDocument | undefined, reasons: OrderReason[]): OrderLogEntry {
  return {
    reference: order.reference, customerName: order.customerName, accountCode: order.account.code, outcome,
    orderId: found?.id ?? null, orderNumber: found?.number ?? null, lines: order.lines.length, net: order.net, gross: order.gross, reasons,
  };
}

function blockedReasons(plan: OrderPlan, order: PlannedOrder): OrderReason[] {
  const lines = new Set(order.unplannedLines);
  const reasons: OrderReason[] = [];
  for (const customer of plan.blockedCustomers.filter((c) => c.customerId === order.customerId)) {
    reasons.push(orderBecause(customer.reason === 'ambiguous' ? 'customerAmbiguous' : 'customerUnmapped', customer.customerName));
  }
  for (const product of plan.blockedProducts) {
    // Only the products this order is waiting for: a blocked product on another customer's lines is not its reason.
    if (product.lines.some((l) => lines.has(l))) {
      if (product.reason === 'unknownVat') reasons.push(orderBecause('vatUnknown', product.vatCode ?? '', product.sku));
      else reasons.push(orderBecause('productUnmapped', product.sku));
    }
  }
  // One reason per blocker, however many of its lines the order has.
  return [...new Map(reasons.map((r) => [JSON.stringify(r), r])).values()];
}

/** The lost answer's message: the engine's own sentence, so the log takes it as its code (`unanswered`). */
const unansweredReason = renderOrderReason(orderBecause('unanswered'));

/**
 * Why a document found by the order's reference is not this order: it is for another customer (two
 * CRM sites with the default prefix on one administration, say). Null when it is for the planned account.
 */
function otherCustomers(found: SentDocument, order: PlannedOrder, document: ExactDocuments['document']): OrderReason | null {
  if (found.accounts.includes(order.account.id.toLowerCase())) return null;
  const customer = found.customerName ?? found.accounts.join(', ');
  if (found.number === null) return orderBecause('referenceOtherConcept', order.reference, customer);
  return orderBecause(document === 'salesInvoice' ? 'referenceOtherInvoice' : 'referenceOtherOrder', order.reference, found.number, customer);
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
    // In English as a refusal's message; the log takes the engine's own sentence back as its code.
    if (found[0]) throw new OrderRefusedError([renderOrderReason(otherCustomers(found[0], order, target.document) as OrderReason)], 0);
    throw new OrderOutcomeUnknownError(unansweredReason);
  }
}

/** Sends the ready orders; blocked ones are logged with their blockers. Returns the saved run. */
export async function sendOrders(input: SendInput): Promise<OrderRun> {
  const target = documentsOf(input.target);
  const cannot = await target.cannotSend(input.division);
  if (cannot !== null) throw new OrderReasonError(cannot);
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
          run.entries.push(entryFor(order, 'failed', undefined, error instanceof OrderRefusedError ? error.messages.map((m) => reasonOfMessage(m, 'exact')) : [reasonOfMessage(error.message, 'asWritten')]));
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
          const reason = error instanceof OrderRefusedError ? orderBecause('exact', error.message) : orderBecause('asWritten', error instanceof Error ? error.message : String(error));
          undo.push({ ...base, outcome: error instanceof OrderRefusedError ? 'refused' : 'failed', reason });
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
