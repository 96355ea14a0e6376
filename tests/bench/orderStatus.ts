/**
 * What "Refresh status" costs: 500 CRM orders in Exact (sent as sales orders, invoiced, 250 paid
 * and 100 part paid in the stand-in), refreshed onto the CRM Sales Orders in the SharePoint
 * stand-in: the first refresh (it reads the division's whole invoice and receivable history once),
 * one with nothing new, and one after 50 more payments. Exact calls and SharePoint requests per
 * refresh; asserts nothing. `npx tsx tests/bench/orderStatus.ts`.
 */
import { pathToFileURL } from 'node:url';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createOrderStatusList } from '../../src/crm/orderStatusList';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createOrderStatusReader, firstCursor } from '../../src/exact/orderStatus';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { refreshOrderStatus, type OrderStatusRefreshDeps } from '../../src/orders/statusRefresh';
import { startCrmSandbox } from '../support/crmSupport';
import { NL, startExact } from '../support/exactEmulatorHarness';
import { MemoryDocuments } from '../support/memoryStores';

export interface OrderStatusBenchLine { scenario: string; exactCalls: number; spRequests: number; updated: number; detail: string }

const orderCount = 500;

export async function benchOrderStatus(): Promise<OrderStatusBenchLine[]> {
  const h = await startExact({ env: { SANDBOX_ACCOUNTS: '200' }, knobs: { minuteLimit: 100_000, dayLimit: 100_000 } });
  const crm = await startCrmSandbox();
  try {
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => h.control.issueTokens().access_token, timeoutMs: 60_000 }));
    const catalog = await readDivisionCatalog(connection, NL);
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const target = createSalesOrderTarget(connection);
    await createListProvisioner(crm.sp).ensure('Sales Orders');
    const crmRows: Array<Record<string, unknown>> = [];
    const invoices: number[] = [];
    for (let n = 0; n < orderCount; n++) {
      const ref = `CRM-SO-${String(n + 1).padStart(4, '0')}`;
      const order = await target.create(NL, { yourRef: ref, description: ref, accountId: catalog.accounts[n % catalog.accounts.length].id, orderDate: '2026-11-21', paymentCondition: '30', lines: [{ itemId: item.id, description: item.description, quantity: 1 + (n % 5), unitPrice: 95, vatCode: item.salesVatCode! }] });
      crmRows.push({ Title: ref, ExactReference: ref, ExactOrderId: order.orderId, ExactOrderNumber: order.orderNumber, ExactDivision: NL, OrderStatus: 'In Exact' });
      invoices.push(Number(h.control.invoiceSalesOrder(NL, order.orderId).invoice.InvoiceNumber));
    }
    crm.control.addItems('Sales Orders', crmRows);
    invoices.slice(0, 250).forEach((number) => h.control.registerPayment(NL, number));
    invoices.slice(250, 350).forEach((number) => h.control.registerPayment(NL, number, { amount: 20 }));

    const deps: OrderStatusRefreshDeps = { reader: createOrderStatusReader(connection), crm: createOrderStatusList(crm.sp), documents: new MemoryDocuments(), clock: h.clock, firstCursor };
    const lines: OrderStatusBenchLine[] = [];
    const measure = async (scenario: string): Promise<void> => {
      h.control.resetCounters();
      crm.control.resetCounts();
      const started = performance.now();
      const result = await refreshOrderStatus(deps, NL);
      lines.push({
        scenario, exactCalls: h.control.calls(NL), spRequests: crm.control.counts().total, updated: result.updated,
        detail: `read ${result.read.orders} order changes, ${result.read.invoices} invoices, ${result.read.receivables} receivables; ${result.paid} paid, ${result.overdue} overdue; ${Math.round(performance.now() - started)} ms`,
      });
    };
    await measure(`first refresh, ${orderCount} orders (250 paid, 100 part paid)`);
    await measure('nothing new in Exact');
    h.clock.advance(86_400_000);
    invoices.slice(350, 400).forEach((number) => h.control.registerPayment(NL, number));
    await measure('50 more payments');
    return lines;
  } finally {
    await crm.close();
    await h.sandbox.close();
  }
}

export function printOrderStatusBench(lines: OrderStatusBenchLine[]): void {
  const width = Math.max(...lines.map((l) => l.scenario.length));
  console.log(`${'Refresh status'.padEnd(width)} | Exact calls | SP requests | updated | detail`);
  for (const l of lines) console.log(`${l.scenario.padEnd(width)} | ${String(l.exactCalls).padStart(11)} | ${String(l.spRequests).padStart(11)} | ${String(l.updated).padStart(7)} | ${l.detail}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchOrderStatus().then(printOrderStatusBench).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
