/**
 * What 500 CRM sales orders × 5 lines cost: SharePoint requests to read them (and their lines) and
 * to write Exact's order back onto each, and Exact calls to send them (goal: one POST per order plus
 * the reference lookups and the bulk catalogue reads); then the re-run, which finds nothing ready
 * and sends nothing. Prints one line per scenario; asserts nothing. `npx tsx tests/bench/ordersCrm.ts`.
 */
import { pathToFileURL } from 'node:url';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createCrmOrderLists } from '../../src/crm/orderLists';
import { ORDER_LISTS } from '../../src/crm/orderSchema';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { READY_FOR_EXACT } from '../../src/orders/crmSource';
import { OrdersService } from '../../src/orders/service';
import { documentOrderProfiles } from '../../src/orders/stores';
import { startCrmSandbox } from '../support/crmSupport';
import { NL, startExact } from '../support/exactEmulatorHarness';
import { memoryOrderRuns } from '../support/memoryOrderRuns';

export interface CrmOrdersBenchLine { scenario: string; sharePointRequests: number; exactCalls: number; detail: string }

const orders = 500;
const linesPerOrder = 5;

export async function benchCrmOrders(): Promise<CrmOrdersBenchLine[]> {
  const [crm, h] = await Promise.all([
    startCrmSandbox(),
    startExact({ env: { SANDBOX_ACCOUNTS: String(orders + 40) }, knobs: { minuteLimit: 100_000, dayLimit: 100_000 } }),
  ]);
  try {
    const token = h.control.issueTokens().access_token;
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 60_000 }));
    await provisionCrm(crm.sp);
    await createListProvisioner(crm.sp).ensure(ORDER_LISTS.salesOrderLines);
    const catalog = await readDivisionCatalog(connection, NL);
    const items = catalog.items.slice(0, 40);
    const accounts = catalog.accounts.slice(0, orders);
    const companies = crm.control.addItems(CRM_LISTS.companies, accounts.map((a) => ({ Title: a.name, ExactId: a.id, ExactDivision: NL })));
    const orderIds = crm.control.addItems(ORDER_LISTS.salesOrders, companies.map((companyId, i) => ({ Title: `VO-${10000 + i}`, CompanyId: companyId, OrderDate: '2026-11-24T00:00:00Z', OrderStatus: READY_FOR_EXACT })));
    crm.control.addItems(ORDER_LISTS.salesOrderLines, orderIds.flatMap((orderId, o) => Array.from({ length: linesPerOrder }, (_, l) => {
      const item = items[(o * 7 + l * 3) % items.length];
      return { Title: item.description, SalesOrderId: orderId, ItemCode: item.code.trim(), Quantity: 1 + ((o + l) % 9), UnitPrice: item.salesPrice ?? 10, DiscountPercent: l === 0 ? 5 : null };
    })));

    const service = new OrdersService({
      profiles: documentOrderProfiles(createDocumentStore(crm.sp)),
      runs: Object.assign(memoryOrderRuns(), { list: async () => [] }),
      catalog: async () => catalog,
      target: createSalesOrderTarget(connection),
      validateGlobe: async () => ({ valid: true, errors: [] }),
      crmOrders: createCrmOrderLists(crm.sp),
      clock: { now: () => Date.now() },
    });
    const profile = await service.createProfile({ title: 'Bench CRM', division: NL, target: 'exactOnline', source: 'crmLists', referencePrefix: 'CRM', vatCode: null, paymentCondition: null });
    const lines: CrmOrdersBenchLine[] = [];

    crm.control.resetCounts();
    const read = await service.readCrmOrders(profile);
    lines.push({ scenario: `read ${orders} CRM orders × ${linesPerOrder} lines`, sharePointRequests: crm.control.counts().total, exactCalls: 0, detail: `${read.orders.length} orders, ${read.lines.length} lines, ${read.problems.length} problems` });

    const plan = await service.plan(profile, read.lines);
    crm.control.resetCounts();
    h.control.resetCounters();
    const started = performance.now();
    const run = await service.send(profile, plan, { user: 'bench' });
    lines.push({
      scenario: `send ${plan.orders.length} orders and write them back`,
      sharePointRequests: crm.control.counts().total,
      exactCalls: h.control.calls(NL),
      detail: `${run.entries.filter((e) => e.outcome === 'created').length} created; floor ${plan.orders.length} POSTs + ${Math.ceil(plan.orders.length / 60)} lookups; ${Math.round(performance.now() - started)} ms`,
    });

    crm.control.resetCounts();
    h.control.resetCounters();
    const again = await service.readCrmOrders(profile);
    const rerun = await service.send(profile, await service.plan(profile, again.lines), { user: 'bench' });
    lines.push({ scenario: 're-run', sharePointRequests: crm.control.counts().total, exactCalls: h.control.calls(NL), detail: `${again.orders.length} orders ready, ${rerun.entries.length} sent` });
    return lines;
  } finally {
    await crm.close();
    await h.sandbox.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchCrmOrders().then((lines) => {
    const width = Math.max(...lines.map((l) => l.scenario.length));
    console.log(`${'CRM sales orders'.padEnd(width)} | SharePoint | Exact calls | detail`);
    for (const l of lines) console.log(`${l.scenario.padEnd(width)} | ${String(l.sharePointRequests).padStart(10)} | ${String(l.exactCalls).padStart(11)} | ${l.detail}`);
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
