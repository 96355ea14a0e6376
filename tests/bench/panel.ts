/**
 * The customer panel's cost in Exact API calls, through the real gateway (its queue, cache and,
 * once there, its single flight): one panel cold, the same panel again warm, and 50 people
 * opening one customer at the same moment. Prints one line per scenario; asserts nothing.
 * Run alone with `npx tsx tests/bench/panel.ts`, or call `benchPanel()` from run.ts.
 */
import { pathToFileURL } from 'node:url';
import { ExactClient } from '../../src/exact/client';
import { createGatewayConnectionApi, createGatewayTransport } from '../../src/exact/gatewayTransport';
import type { CompanyService } from '../../src/finance/company';
import { createFinanceService } from '../../src/finance/financeService';
import { connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

export interface PanelBenchLine {
  scenario: string;
  exactCalls: number;
}

function financeFor(h: Harness, token: string) {
  const gateway = { gatewayUrl: h.url('/gateway'), getAccessToken: async () => token };
  const api = createGatewayConnectionApi(gateway);
  const companies: CompanyService = {
    get: () => Promise.reject(new Error('not used by the bench')),
    list: async () => [],
    search: async () => [],
    sameRegistration: async () => [],
    link: async () => undefined,
    linkedTo: async () => undefined,
  };
  return createFinanceService({ client: new ExactClient(createGatewayTransport(gateway), { clock: h.clock }), companies, status: () => api.status(), downloadPdf: () => Promise.reject(new Error('not used')), clock: h.clock });
}

export async function benchPanel(): Promise<PanelBenchLine[]> {
  const h = await startHarness();
  try {
    const admin = await h.tokenFor(users.admin);
    const sales = await h.tokenFor(users.sales);
    await connectExact(h, admin);
    const division = h.exact.divisions[0]!.code;
    const customers = h.exact.records(division, 'Accounts').filter((row) => row.Status === 'C').map((row) => String(row.ID));
    const finance = financeFor(h, sales);
    const lines: PanelBenchLine[] = [];
    const measure = async (scenario: string, work: () => Promise<unknown>) => {
      h.exact.resetCounters();
      await work();
      lines.push({ scenario, exactCalls: h.exact.calls(division) });
    };
    const { division: home } = (await finance.customer({ id: 1, name: 'bench', exactId: customers[0]! })).links[0]!;
    const open = (exactId: string) => finance.panel({ company: { id: 1, name: 'bench', exactId }, division: home });
    await measure('panel, cold', () => settle(h, [open(customers[0]!)]));
    await measure('same panel again within the cache time (warm)', () => settle(h, [open(customers[0]!)]));
    await measure('50 people open one customer at once (cold)', () => settle(h, Array.from({ length: 50 }, () => open(customers[1]!))));
    await measure('50 people open it again (warm)', () => settle(h, Array.from({ length: 50 }, () => open(customers[1]!))));
    return lines;
  } finally {
    await h.close();
  }
}

export function printPanelBench(lines: PanelBenchLine[]): void {
  const width = Math.max(...lines.map((l) => l.scenario.length));
  console.log('Customer panel, Exact calls through the gateway:');
  for (const line of lines) console.log(`  ${line.scenario.padEnd(width)}  ${String(line.exactCalls).padStart(4)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchPanel().then(printPanelBench, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
