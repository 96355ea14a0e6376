/**
 * The orders page's one door: order profiles, the uploaded report, the plan with its blockers,
 * "map now" (remembered in the profile), sending to Exact Online exactly once, undo, the run log
 * as CSV, and the Exact Globe file of the same plan, validated before it is offered.
 */
import Papa from 'papaparse';
import { parseBillingReport, type ParsedReport } from './billingReport';
import { crmOrderIdOf, CrmProfileExistsError, DEFAULT_CRM_ORDER_LISTS, orderVersions, toSourceLines, writeBacksFor, IN_EXACT, READY_FOR_EXACT, type CrmOrder, type CrmOrders, type CrmOrderSource, type CrmReopenResult, type CrmWriteBackResult } from './crmSource';
import { salesInvoiceDocuments, salesOrderDocuments, type ExactDocuments } from './documents';
import { sendOrders, undoOrders, type OrderProgress } from './exactOnline';
import { buildGlobeXml, globeSummary, type GlobeSummary, type GlobeValidation } from './globe';
import { planOrders, sourceOrderReference, type DivisionCatalog, type OrderPlan, type OrderSourceLine, type PlannedOrder } from './plan';
import type { OrderDocument, OrderRun, SalesInvoiceTarget, SalesJournal, SalesOrderTarget } from './ports';
import { withCustomer, withProduct, type OrderProfile } from './profile';
import { orderBecause, renderOrderReason, type OrderReason, type OrderReasonWords } from './reasons';
import type { documentOrderRuns, OrderProfileStore } from './stores';
import { refreshOrderStatus, type OrderStatusRefreshDeps, type OrderStatusResult } from './statusRefresh';
import type { OrderStatusProgress } from './statusPorts';

export interface OrdersServiceDeps {
  profiles: OrderProfileStore;
  runs: ReturnType<typeof documentOrderRuns>;
  catalog(division: number): Promise<DivisionCatalog>;
  target: SalesOrderTarget;
  /** Concept sales invoices (and the sales journals they go in), for profiles whose document is `salesInvoice`; absent where not wired. */
  invoices?: SalesInvoiceTarget;
  validateGlobe(xml: string): Promise<GlobeValidation>;
  /** The CRM's Sales Orders and lines, for profiles whose source is the CRM. */
  crmOrders?: CrmOrderSource;
  clock: { now(): number };
  newId?: () => string;
  /** Status back from Exact onto CRM Sales Orders (reader, CRM list, state); absent where not wired. */
  status?: Omit<OrderStatusRefreshDeps, 'clock'>;
}

export interface NewOrderProfile {
  title: string;
  division: number;
  target: 'exactOnline' | 'exactGlobe';
  /** Where the orders come from; a CRM-source profile makes one Exact order per CRM order. */
  source?: 'billingReport' | 'crmLists';
  referencePrefix: string;
  vatCode: string | null;
  paymentCondition: string | null;
  /** With target `exactOnline`: sales orders (the default) or concept invoices in `journal`. */
  document?: OrderDocument;
  journal?: string | null;
}

export interface GlobeFile { xml: string; fileName: string; summary: GlobeSummary; validation: GlobeValidation }

const slug = (title: string): string => title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'orders';

/**
 * Nothing marks a CRM order that went into a downloaded file, so every file would hold the same
 * orders again and Globe would import them twice: CRM orders go to Exact Online only.
 */
const CRM_NOT_FOR_GLOBE = 'CRM orders are sent to Exact Online only: a Globe file would hold the same CRM orders again each time, and Globe would import them twice.';

export class OrdersService {
  private readonly catalogs = new Map<number, Promise<DivisionCatalog>>();
  /** The CRM orders last read per profile: what a send writes back to. */
  private readonly crmRead = new Map<string, CrmOrder[]>();
  /** Each read CRM order's version (its own and its lines'), per profile: a send holds back what changed since. */
  private readonly crmVersions = new Map<string, Map<number, string>>();

  public constructor(private readonly deps: OrdersServiceDeps) {}

  public listProfiles() {
    return this.deps.profiles.list();
  }

  public async createProfile(input: NewOrderProfile): Promise<OrderProfile> {
    const document = input.document ?? 'salesOrder';
    if (input.target === 'exactOnline' && document === 'salesInvoice' && !input.journal) {
      throw new Error('Concept invoices need a sales journal: choose the journal (dagboek) they go in.');
    }
    if (input.source === 'crmLists' && document === 'salesInvoice') {
      // A CRM order's Exact columns hold a sales order (number, status back); an invoice there would mislead both.
      throw new Error('CRM orders become sales orders in Exact; concept invoices are made from a billing report.');
    }
    if (input.source === 'crmLists' && input.target === 'exactGlobe') throw new Error(CRM_NOT_FOR_GLOBE);
    const stored = await this.deps.profiles.list();
    if (input.source === 'crmLists') {
      // The lists' Ready orders are read whatever their division, so a second profile (any division) would send them again.
      const rival = stored.find((p) => p.valid && p.profile.source.kind === 'crmLists' && p.profile.source.ordersList === DEFAULT_CRM_ORDER_LISTS.ordersList && p.profile.source.linesList === DEFAULT_CRM_ORDER_LISTS.linesList);
      if (rival?.valid) throw new CrmProfileExistsError(rival.profile.title, rival.profile.division);
    }
    const existing = new Set(stored.map((p) => p.id));
    let id = slug(input.title);
    for (let n = 2; existing.has(id); n++) id = `${slug(input.title)}-${n}`;
    return this.deps.profiles.save({
      id,
      title: input.title,
      division: input.division,
      source: input.source === 'crmLists' ? { kind: 'crmLists', ...DEFAULT_CRM_ORDER_LISTS } : { kind: 'billingReport' },
      target: input.target === 'exactOnline' ? { kind: 'exactOnline', document, journal: document === 'salesInvoice' ? input.journal ?? null : null } : { kind: 'exactGlobe' },
      grouping: input.source === 'crmLists' ? 'perSourceOrder' : 'perCustomerPerPeriod',
      referencePrefix: input.referencePrefix,
      defaults: { vatCode: input.vatCode, paymentCondition: input.paymentCondition },
      mapping: { customers: {}, products: {} },
    });
  }

  public readReport(content: string, fileName: string): ParsedReport {
    return parseBillingReport(content, fileName);
  }

  /** The division's accounts, items and VAT codes, read once per page (three bulk reads). */
  public catalog(division: number, reload = false): Promise<DivisionCatalog> {
    let cached = this.catalogs.get(division);
    if (!cached || reload) {
      cached = this.deps.catalog(division);
      cached.catch(() => this.catalogs.delete(division));
      this.catalogs.set(division, cached);
    }
    return cached;
  }

  public async plan(profile: OrderProfile, lines: OrderSourceLine[]): Promise<OrderPlan> {
    return planOrders({ profile, lines, catalog: await this.catalog(profile.division) });
  }

  /** "Map now" for a customer: remembered in the profile, so the next report needs no choice. */
  public async mapCustomer(profile: OrderProfile, sourceCustomer: string, accountId: string): Promise<OrderProfile> {
    const account = (await this.catalog(profile.division)).accounts.find((a) => a.id === accountId);
    if (!account) throw new Error(`Account ${accountId} is not in division ${profile.division}.`);
    const saved = await this.savedProfile(profile);
    return this.deps.profiles.save({ ...saved, mapping: withCustomer(saved.mapping, sourceCustomer, { accountId: account.id, accountCode: account.code, accountName: account.name }) });
  }

  /** "Map now" for a product, with the unit price from the report (null) or an override. */
  public async mapProduct(profile: OrderProfile, sku: string, itemId: string, unitPrice: number | null): Promise<OrderProfile> {
    const item = (await this.catalog(profile.division)).items.find((i) => i.id === itemId);
    if (!item) throw new Error(`Item ${itemId} is not in division ${profile.division}.`);
    const saved = await this.savedProfile(profile);
    return this.deps.profiles.save({ ...saved, mapping: withProduct(saved.mapping, sku, { itemId: item.id, itemCode: item.code, itemDescription: item.description, unitPrice, vatCode: null }) });
  }

  /** The profile as stored now: a mapping is added to what others saved since this page read it, not to the page's copy. */
  private async savedProfile(profile: OrderProfile): Promise<OrderProfile> {
    const saved = await this.deps.profiles.get(profile.id);
    if (!saved) throw new Error(`Order profile ${profile.title} was deleted; the mapping was not saved.`);
    return saved;
  }

  /** The sales journals concept invoices can go in (`financial/Journals` Type 20). */
  public salesJournals(division: number): Promise<SalesJournal[]> {
    return this.invoices().salesJournals(division);
  }

  private invoices(): SalesInvoiceTarget {
    if (!this.deps.invoices) throw new Error('Concept sales invoices are not available here.');
    return this.deps.invoices;
  }

  /** What the profile makes in Exact Online; a run made before invoices existed made sales orders. */
  private documents(document: OrderDocument | undefined, journal: string | null): ExactDocuments {
    return document === 'salesInvoice' ? salesInvoiceDocuments(this.invoices(), journal) : salesOrderDocuments(this.deps.target);
  }

  /** "Read CRM orders": the orders `Ready for Exact` and their lines, with every bad item named. */
  public async readCrmOrders(profile: OrderProfile): Promise<CrmOrders> {
    if (profile.source.kind !== 'crmLists') throw new Error(`Order profile ${profile.title} does not read CRM orders.`);
    if (!this.deps.crmOrders) throw new Error('Reading CRM orders is not available here.');
    const raw = await this.deps.crmOrders.read(profile.source);
    const read = toSourceLines({ source: profile.source, division: profile.division, ...raw });
    this.crmRead.set(profile.id, read.orders);
    this.crmVersions.set(profile.id, orderVersions(raw));
    return read;
  }

  /**
   * The plan's CRM orders that are no longer `Ready for Exact` or were edited (the order or a line)
   * since the read: one request for the ready orders, then their lines' versions. A send holds them
   * back, as the plan was made from what they were.
   */
  private async changedSinceRead(profile: OrderProfile, plan: OrderPlan): Promise<PlannedOrder[]> {
    if (profile.source.kind !== 'crmLists' || !this.deps.crmOrders || !plan.orders.length) return [];
    const ids = plan.orders.map((o) => crmOrderIdOf(profile.referencePrefix, o.reference));
    const read = this.crmVersions.get(profile.id) ?? new Map<number, string>();
    const now = orderVersions(await this.deps.crmOrders.versions(profile.source, ids.filter((id): id is number => id !== null)));
    return plan.orders.filter((_, i) => {
      const id = ids[i];
      return id === null || read.get(id) === undefined || read.get(id) !== now.get(id);
    });
  }

  /** The held-back changed orders in the run's log, each with its reason. */
  private async noteChanged(profile: OrderProfile, run: OrderRun, changed: PlannedOrder[]): Promise<void> {
    if (!changed.length) return;
    const titles = new Map((this.crmRead.get(profile.id) ?? []).map((o) => [sourceOrderReference(profile.referencePrefix, String(o.id)), o.title]));
    for (const order of changed) {
      const name = titles.get(order.reference) || order.reference;
      run.entries.push({
        reference: order.reference, customerName: order.customerName, accountCode: order.account.code, outcome: 'blocked', orderId: null, orderNumber: null,
        lines: order.lines.length, net: order.net, gross: order.gross, reasons: [orderBecause('crmChanged', name)],
      });
    }
    await this.deps.runs.save(run);
  }

  public async send(profile: OrderProfile, plan: OrderPlan, options: { user: string; onProgress?: (p: OrderProgress) => void }): Promise<OrderRun> {
    const runId = this.deps.newId?.() ?? `${profile.id}-${this.deps.clock.now().toString(36)}`;
    const target = profile.target.kind === 'exactOnline' ? this.documents(profile.target.document, profile.target.journal) : this.documents('salesOrder', null);
    // Sent from what was read: an order cancelled, set back to Draft or edited since is held back.
    const changed = await this.changedSinceRead(profile, plan);
    const held = new Set(changed.map((o) => o.reference));
    const toSend = held.size ? { ...plan, orders: plan.orders.filter((o) => !held.has(o.reference)) } : plan;
    let run: OrderRun;
    try {
      run = await sendOrders({ plan: toSend, profileId: profile.id, division: profile.division, user: options.user, runId, target, runs: this.deps.runs, now: () => new Date(this.deps.clock.now()).toISOString(), onProgress: options.onProgress });
    } catch (error) {
      // A run cut short (Exact's budget, the network): the CRM orders Exact already has are marked now, not only on the next run.
      const cut = await this.deps.runs.get(runId).catch(() => undefined);
      if (cut) await this.noteChanged(profile, cut, changed).then(() => this.writeBack(profile, cut)).catch(() => undefined);
      throw error;
    }
    await this.noteChanged(profile, run, changed);
    return this.writeBack(profile, run);
  }

  /**
   * Puts Exact's order on each CRM order the run created or linked, once: an order that already
   * shows it gets no write. A failed write is in the run log with its reason; the order stays
   * `Ready for Exact`, so the next run reads it, links it by its reference (no second Exact order)
   * and writes it back then.
   */
  private async writeBack(profile: OrderProfile, run: OrderRun): Promise<OrderRun> {
    const orders = this.crmRead.get(profile.id);
    if (profile.source.kind !== 'crmLists' || !orders || !this.deps.crmOrders) return run;
    const prefix = profile.referencePrefix;
    const updates = writeBacksFor({ run, orders, referenceOf: (id) => sourceOrderReference(prefix, String(id)) });
    if (!updates.length) return run;
    let answers: CrmWriteBackResult[];
    try {
      answers = await this.deps.crmOrders.writeBack(profile.source, updates);
    } catch (error) {
      // Exact has the orders and the run says so; the CRM catches up on the next run (it links them).
      const reason = error instanceof Error ? error.message : String(error);
      answers = updates.map((u) => ({ itemId: u.itemId, ok: false, reason }));
    }
    const results = new Map(answers.map((r) => [r.itemId, r]));
    const list = profile.source.ordersList;
    const written = new Map<number, CrmOrder>();
    for (const update of updates) {
      const result = results.get(update.itemId);
      const entry = run.entries.find((e) => e.reference === update.exactReference);
      if (result?.ok) {
        // Success needs no words in the log: the CRM order itself now shows the order number.
        written.set(update.itemId, { ...orders.find((o) => o.id === update.itemId)!, status: IN_EXACT, exactReference: update.exactReference, exactOrderId: update.exactOrderId, exactOrderNumber: update.exactOrderNumber, division: update.division });
      } else {
        entry?.reasons.push(result && !result.ok ? orderBecause('crmNotUpdated', update.itemId, list, result.reason) : orderBecause('crmNotUpdatedNoAnswer', update.itemId, list));
      }
    }
    this.crmRead.set(profile.id, orders.map((o) => written.get(o.id) ?? o));
    await this.deps.runs.save(run);
    return run;
  }

  /** The CRM orders of the last read, with what the sends and undos since then wrote on them (the profile view's list). */
  public lastCrmOrders(profileId: string): CrmOrder[] {
    return this.crmRead.get(profileId) ?? [];
  }

  public async undo(runId: string): Promise<OrderRun> {
    const made = await this.deps.runs.get(runId);
    // An undo retried after a partial one: the orders undone before may have been sent again since.
    const undoneBefore = new Set(made?.undo.filter((u) => u.outcome === 'deleted' || u.outcome === 'gone').map((u) => u.orderId));
    const run = await undoOrders({ runId, target: this.documents(made?.document, null), runs: this.deps.runs, now: () => new Date(this.deps.clock.now()).toISOString() });
    return this.reopenCrmOrders(run, undoneBefore);
  }

  /**
   * The CRM orders whose Exact order THIS undo deleted are `Ready for Exact` again, without the
   * order number Exact no longer has, as long as they still show that order (one sent again since
   * keeps its new order); one that could not be put back says so on its undo line.
   */
  private async reopenCrmOrders(run: OrderRun, undoneBefore: Set<string>): Promise<OrderRun> {
    const profile = this.deps.crmOrders ? await this.deps.profiles.get(run.profileId) : undefined;
    if (!profile || profile.source.kind !== 'crmLists' || !this.deps.crmOrders) return run;
    const undone = run.undo.filter((u) => (u.outcome === 'deleted' || u.outcome === 'gone') && !undoneBefore.has(u.orderId));
    const orders = undone.flatMap((u) => {
      const itemId = crmOrderIdOf(profile.referencePrefix, u.reference);
      return itemId === null ? [] : [{ itemId, exactOrderId: u.orderId }];
    });
    if (!orders.length) return run;
    const answers: CrmReopenResult[] = await this.deps.crmOrders.reopen(profile.source, orders).catch((error: unknown) => orders.map(({ itemId }) => ({ itemId, ok: false as const, reason: error instanceof Error ? error.message : String(error) })));
    const reopened = new Set(answers.filter((a) => a.ok && a.reopened).map((a) => a.itemId));
    const read = this.crmRead.get(profile.id);
    if (read) this.crmRead.set(profile.id, read.map((o) => (reopened.has(o.id) ? { ...o, status: READY_FOR_EXACT, exactReference: null, exactOrderId: null, exactOrderNumber: null, division: null } : o)));
    for (const answer of answers) {
      if (answer.ok) continue;
      const entry = undone.find((u) => crmOrderIdOf(profile.referencePrefix, u.reference) === answer.itemId);
      if (entry) entry.reason = orderBecause('crmNotReopened', answer.itemId, answer.reason);
    }
    await this.deps.runs.save(run);
    return run;
  }

  public listRuns(profileId: string): Promise<OrderRun[]> {
    return this.deps.runs.list(profileId);
  }

  /** The run log as CSV (semicolons, as Dutch Excel opens it), one row per order with its reasons, in `words`' language (English without). */
  public logCsv(run: OrderRun, words?: OrderReasonWords): string {
    const said = (reason: OrderReason): string => renderOrderReason(reason, words);
    const undone = new Map(run.undo.map((u) => [u.orderId, u]));
    return `\uFEFF${Papa.unparse(run.entries.map((e) => {
      const u = e.orderId ? undone.get(e.orderId) : undefined;
      return {
      reference: e.reference, customer: e.customerName, account: e.accountCode, outcome: e.outcome, [run.document === 'salesInvoice' ? 'invoice' : 'order']: e.orderNumber ?? '',
      lines: e.lines, net: e.net.toFixed(2), gross: e.gross.toFixed(2), reasons: e.reasons.map(said).join(' | '),
      undo: u?.outcome ?? '', undoReason: u?.reason ? said(u.reason) : '',
      };
    }), { delimiter: ';' })}`;
  }

  /** The Globe file of the plan, validated against the XSD; offer it only when `validation.valid`. */
  public async globeFile(profile: OrderProfile, plan: OrderPlan): Promise<GlobeFile> {
    if (profile.source.kind === 'crmLists') throw new Error(CRM_NOT_FOR_GLOBE);
    const xml = buildGlobeXml(plan);
    const period = plan.orders[0]?.period ?? 'orders';
    return { xml, fileName: `${profile.id}-${period}.xml`, summary: globeSummary(plan), validation: await this.deps.validateGlobe(xml) };
  }

  /** "Refresh status": Exact's order, invoice and payment status onto the CRM Sales Orders of one division. */
  public refreshStatus(division: number, onProgress?: (progress: OrderStatusProgress) => void): Promise<OrderStatusResult> {
    const status = this.deps.status;
    if (!status) return Promise.reject(new Error('Order status is not available here.'));
    return refreshOrderStatus({ ...status, clock: this.deps.clock }, division, onProgress);
  }
}
