/**
 * What a monthly billing report costs in Exact calls: 500 customers × 5 lines sent as sales
 * orders (the goal: at most one POST per order plus the bulk reads of accounts, items and VAT
 * codes, and the reference lookups), the same report re-run (0 orders created, lookups only),
 * the same plan as concept sales invoices (first run and re-run), and the Globe XML of the same
 * plan checked against the XSD. Prints one line per scenario with
 * the floor next to it; asserts nothing. Run alone with `npx tsx tests/bench/orders.ts`, or call
 * `benchOrders()` from run.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesInvoiceTarget } from '../../src/exact/salesInvoices';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { parseBillingReport } from '../../src/orders/billingReport';
import { salesInvoiceDocuments } from '../../src/orders/documents';
import { sendOrders } from '../../src/orders/exactOnline';
import { buildGlobeXml } from '../../src/orders/globe';
import { validateGlobeXml } from '../../src/orders/globeValidate';
import { planOrders } from '../../src/orders/plan';
import { NL, startExact } from '../support/exactEmulatorHarness';
import { memoryOrderRuns } from '../support/memoryOrderRuns';

export interface OrdersBenchLine { scenario: string; exactCalls: number; floor: number; detail: string }

const customers = 500;
const linesPerCustomer = 5;

export async function benchOrders(): Promise<OrdersBenchLine[]> {
  // Call counts, not time: the minute window is opened so 500 POSTs need not wait 9 minutes of
  // Exact's 60-a-minute budget (the sender stops on a 429 and resumes; see the README).
  const h = await startExact({ env: { SANDBOX_ACCOUNTS: String(customers + 40) }, knobs: { minuteLimit: 100_000, dayLimit: 100_000 } });
  try {
    const token = h.control.issueTokens().access_token;
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 60_000 }));
    const accounts = h.control.records(NL, 'Accounts').filter((a) => typeof a.ChamberOfCommerce === 'string').slice(0, customers);
    const catalogBefore = await readDivisionCatalog(connection, NL);
    const items = catalogBefore.items.slice(0, 40);
    // The distributor's report as a CSV, parsed as an upload would be.
    const rows = ['CustomerId;CustomerName;KvK;SKU;Description;Quantity;UnitPrice;Period'];
    accounts.forEach((account, c) => {
      for (let l = 0; l < linesPerCustomer; l++) {
        const item = items[(c * 7 + l * 3) % items.length];
        rows.push([`D-${100000 + c}`, String(account.Name).replace(/;/g, ','), String(account.ChamberOfCommerce), item.code, item.description.replace(/;/g, ','), String(1 + ((c + l) % 9)), (item.salesPrice ?? 10).toFixed(2).replace('.', ','), '2026-11'].join(';'));
      }
    });
    const report = parseBillingReport(rows.join('\n'), 'report.csv');
    if (report.problems.length) throw new Error(`bench report has problems: ${JSON.stringify(report.problems.slice(0, 3))}`);

    const lines: OrdersBenchLine[] = [];
    h.control.resetCounters();
    const catalog = await readDivisionCatalog(connection, NL);
    const readCalls = h.control.calls(NL);
    const plan = planOrders({ profile: { grouping: 'perCustomerPerPeriod', referencePrefix: 'BENCH', defaults: { vatCode: null, paymentCondition: null }, mapping: { customers: {}, products: {} } }, lines: report.lines, catalog });
    if (plan.heldBack.length) throw new Error(`bench plan holds back ${plan.heldBack.length} orders`);
    const orders = plan.orders.length;
    const lookupFloor = Math.ceil(orders / 60);
    const bulkFloor = Math.ceil(catalog.accounts.length / 1000) + Math.ceil(catalog.items.length / 1000) + 1;
    lines.push({ scenario: 'read accounts, items and VAT codes (bulk)', exactCalls: readCalls, floor: bulkFloor, detail: `${catalog.accounts.length} accounts, ${catalog.items.length} items, ${catalog.vatCodes.length} VAT codes` });

    const target = createSalesOrderTarget(connection);
    const runs = memoryOrderRuns();
    h.control.resetCounters();
    const started = performance.now();
    const first = await sendOrders({ plan, profileId: 'bench', division: NL, user: 'bench', runId: 'first', target, runs, now: () => new Date().toISOString() });
    const created = first.entries.filter((e) => e.outcome === 'created').length;
    lines.push({
      scenario: `send ${orders} orders × ${linesPerCustomer} lines`,
      exactCalls: h.control.calls(NL),
      floor: orders + lookupFloor,
      detail: `${h.control.calls(NL, 'salesorder/SalesOrders')} calls on salesorder/SalesOrders, ${created} created, ${Math.round(performance.now() - started)} ms`,
    });

    h.control.resetCounters();
    const again = await sendOrders({ plan, profileId: 'bench', division: NL, user: 'bench', runId: 'again', target, runs, now: () => new Date().toISOString() });
    lines.push({
      scenario: 're-run of the same report',
      exactCalls: h.control.calls(NL),
      floor: lookupFloor,
      detail: `${again.entries.filter((e) => e.outcome === 'created').length} created, ${again.entries.filter((e) => e.outcome === 'linked').length} linked`,
    });

    // The same plan as concept invoices in sales journal 70: one POST per invoice, lookups as for
    // orders, and one read of the sales journals before the run (a wrong journal stops it there).
    const invoices = salesInvoiceDocuments(createSalesInvoiceTarget(connection), '70');
    const invoiceRuns = memoryOrderRuns();
    h.control.resetCounters();
    const invoicesStarted = performance.now();
    const invoiced = await sendOrders({ plan, profileId: 'bench-invoices', division: NL, user: 'bench', runId: 'invoices', target: invoices, runs: invoiceRuns, now: () => new Date().toISOString() });
    const invoiceCalls = h.control.calls(NL);
    lines.push({
      scenario: `send ${orders} concept invoices × ${linesPerCustomer} lines`,
      exactCalls: invoiceCalls,
      floor: orders + lookupFloor + 1,
      detail: `${(invoiceCalls / orders).toFixed(3)} calls per invoice, ${invoiced.entries.filter((e) => e.outcome === 'created').length} created, ${Math.round(performance.now() - invoicesStarted)} ms`,
    });
    h.control.resetCounters();
    const invoicedAgain = await sendOrders({ plan, profileId: 'bench-invoices', division: NL, user: 'bench', runId: 'invoices-again', target: invoices, runs: invoiceRuns, now: () => new Date().toISOString() });
    lines.push({
      scenario: 're-run as concept invoices',
      exactCalls: h.control.calls(NL),
      floor: lookupFloor + 1,
      detail: `${invoicedAgain.entries.filter((e) => e.outcome === 'created').length} created, ${invoicedAgain.entries.filter((e) => e.outcome === 'linked').length} linked (journal check and lookups only)`,
    });

    const xsd = readFileSync(join(__dirname, '../../src/orders/eExact-Schema.xsd'), 'utf8');
    const xmlStarted = performance.now();
    const xml = buildGlobeXml(plan);
    const validation = await validateGlobeXml(xml, xsd);
    lines.push({ scenario: 'Globe XML of the same plan', exactCalls: 0, floor: 0, detail: `${validation.valid ? 'validates' : `INVALID: ${validation.errors[0]?.message ?? ''}`}, ${Math.round(xml.length / 1024)} KiB, built and validated in ${Math.round(performance.now() - xmlStarted)} ms` });
    return lines;
  } finally {
    await h.sandbox.close();
  }
}

export function printOrdersBench(lines: OrdersBenchLine[]): void {
  const width = Math.max(...lines.map((l) => l.scenario.length));
  console.log(`${'Orders from a billing report'.padEnd(width)} | Exact calls | floor | detail`);
  for (const line of lines) console.log(`${line.scenario.padEnd(width)} | ${String(line.exactCalls).padStart(11)} | ${String(line.floor).padStart(5)} | ${line.detail}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchOrders().then(printOrdersBench).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
