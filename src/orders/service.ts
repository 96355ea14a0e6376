/**
 * The orders page's one door: order profiles, the uploaded report, the plan with its blockers,
 * "map now" (remembered in the profile), sending to Exact Online exactly once, undo, the run log
 * as CSV, and the Exact Globe file of the same plan, validated before it is offered.
 */
import Papa from 'papaparse';
import { parseBillingReport, type ParsedReport } from './billingReport';
import { sendOrders, undoOrders, type OrderProgress } from './exactOnline';
import { buildGlobeXml, globeSummary, type GlobeSummary, type GlobeValidation } from './globe';
import { planOrders, type DivisionCatalog, type OrderPlan, type OrderSourceLine } from './plan';
import type { OrderRun, SalesOrderTarget } from './ports';
import { withCustomer, withProduct, type OrderProfile } from './profile';
import type { documentOrderRuns, OrderProfileStore } from './stores';
import { refreshOrderStatus, type OrderStatusRefreshDeps, type OrderStatusResult } from './statusRefresh';
import type { OrderStatusProgress } from './statusPorts';

export interface OrdersServiceDeps {
  profiles: OrderProfileStore;
  runs: ReturnType<typeof documentOrderRuns>;
  catalog(division: number): Promise<DivisionCatalog>;
  target: SalesOrderTarget;
  validateGlobe(xml: string): Promise<GlobeValidation>;
  clock: { now(): number };
  newId?: () => string;
  /** Status back from Exact onto CRM Sales Orders (reader, CRM list, state); absent where not wired. */
  status?: Omit<OrderStatusRefreshDeps, 'clock'>;
}

export interface NewOrderProfile {
  title: string;
  division: number;
  target: 'exactOnline' | 'exactGlobe';
  referencePrefix: string;
  vatCode: string | null;
  paymentCondition: string | null;
}

export interface GlobeFile { xml: string; fileName: string; summary: GlobeSummary; validation: GlobeValidation }

const slug = (title: string): string => title.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'orders';

export class OrdersService {
  private readonly catalogs = new Map<number, Promise<DivisionCatalog>>();

  public constructor(private readonly deps: OrdersServiceDeps) {}

  public listProfiles() {
    return this.deps.profiles.list();
  }

  public async createProfile(input: NewOrderProfile): Promise<OrderProfile> {
    const existing = new Set((await this.deps.profiles.list()).map((p) => p.id));
    let id = slug(input.title);
    for (let n = 2; existing.has(id); n++) id = `${slug(input.title)}-${n}`;
    return this.deps.profiles.save({
      id,
      title: input.title,
      division: input.division,
      source: { kind: 'billingReport' },
      target: input.target === 'exactOnline' ? { kind: 'exactOnline', document: 'salesOrder', journal: null } : { kind: 'exactGlobe' },
      grouping: 'perCustomerPerPeriod',
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
    return this.deps.profiles.save({ ...profile, mapping: withCustomer(profile.mapping, sourceCustomer, { accountId: account.id, accountCode: account.code, accountName: account.name }) });
  }

  /** "Map now" for a product, with the unit price from the report (null) or an override. */
  public async mapProduct(profile: OrderProfile, sku: string, itemId: string, unitPrice: number | null): Promise<OrderProfile> {
    const item = (await this.catalog(profile.division)).items.find((i) => i.id === itemId);
    if (!item) throw new Error(`Item ${itemId} is not in division ${profile.division}.`);
    return this.deps.profiles.save({ ...profile, mapping: withProduct(profile.mapping, sku, { itemId: item.id, itemCode: item.code, itemDescription: item.description, unitPrice, vatCode: null }) });
  }

  public send(profile: OrderProfile, plan: OrderPlan, options: { user: string; onProgress?: (p: OrderProgress) => void }): Promise<OrderRun> {
    const runId = this.deps.newId?.() ?? `${profile.id}-${this.deps.clock.now().toString(36)}`;
    return sendOrders({ plan, profileId: profile.id, division: profile.division, user: options.user, runId, target: this.deps.target, runs: this.deps.runs, now: () => new Date(this.deps.clock.now()).toISOString(), onProgress: options.onProgress });
  }

  public undo(runId: string): Promise<OrderRun> {
    return undoOrders({ runId, target: this.deps.target, runs: this.deps.runs, now: () => new Date(this.deps.clock.now()).toISOString() });
  }

  public listRuns(profileId: string): Promise<OrderRun[]> {
    return this.deps.runs.list(profileId);
  }

  /** The run log as CSV (semicolons, as Dutch Excel opens it), one row per order with its reasons. */
  public logCsv(run: OrderRun): string {
    const undone = new Map(run.undo.map((u) => [u.orderId, u]));
    return `\uFEFF${Papa.unparse(run.entries.map((e) => ({
      reference: e.reference, customer: e.customerName, account: e.accountCode, outcome: e.outcome, order: e.orderNumber ?? '',
      lines: e.lines, net: e.net.toFixed(2), gross: e.gross.toFixed(2), reasons: e.reasons.join(' | '),
      undo: e.orderId ? undone.get(e.orderId)?.outcome ?? '' : '', undoReason: e.orderId ? undone.get(e.orderId)?.reason ?? '' : '',
    })), { delimiter: ';' })}`;
  }

  /** The Globe file of the plan, validated against the XSD; offer it only when `validation.valid`. */
  public async globeFile(profile: OrderProfile, plan: OrderPlan): Promise<GlobeFile> {
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
