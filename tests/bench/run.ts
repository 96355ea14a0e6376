/**
 * `npm run bench`: what a run costs our users, in Exact API calls (their daily budget is 5,000 per
 * division) and SharePoint requests (SharePoint throttles), on a division of BENCH_ACCOUNTS
 * accounts (default 10,000). Prints counts and ratios; asserts nothing about time.
 */
import { systemClock } from '../../src/core/clock';
import { wireConnector, type ConnectorWiring } from '../support/connector';

const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);

interface Cost {
  exactCalls: number;
  spRequests: number;
  spBatchParts: number;
  ms: number;
}

function exactCalls(w: ConnectorWiring): number {
  return w.exactControl.calls(w.division);
}

async function measure(w: ConnectorWiring, work: () => Promise<void>): Promise<Cost> {
  const exactBefore = exactCalls(w);
  w.spControl.resetCounts();
  const started = performance.now();
  await work();
  const sp = w.spControl.counts();
  return { exactCalls: exactCalls(w) - exactBefore, spRequests: sp.total, spBatchParts: sp.batchParts, ms: Math.round(performance.now() - started) };
}

const rows: string[][] = [];
function report(name: string, records: number, cost: Cost): void {
  const perCall = cost.exactCalls ? (records / cost.exactCalls).toFixed(1) : '-';
  const perRequest = cost.spRequests ? (records / cost.spRequests).toFixed(1) : '-';
  rows.push([name, String(records), String(cost.exactCalls), perCall, String(cost.spRequests), String(cost.spBatchParts), perRequest, String(cost.ms)]);
}

async function main(): Promise<void> {
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const w = await wireConnector({ clock: systemClock, accounts });
  // The budget itself is the gateway's business; here we count what a run spends.
  w.exactControl.setKnobs({ minuteLimit: 1_000_000, dayLimit: 1_000_000 });
  try {
    const contacts = w.exactControl.records(w.division, 'Contacts').length;
    await w.service.ensureDefaults(w.division);

    report('bulk read of all accounts (ID, Name, Code)', accounts, await measure(w, async () => {
      for await (const page of w.exactClient.bulk(w.division, 'Account', { select: ['ID', 'Name', 'Code'] })) void page;
    }));
    report('preview companies (nothing written)', accounts, await measure(w, async () => {
      await w.engine.preview('companies');
    }));
    report('import companies (first run)', accounts, await measure(w, async () => {
      await w.engine.run('companies', { user: 'bench' });
    }));
    report('import contacts (first run, lookups to companies)', contacts, await measure(w, async () => {
      await w.engine.run('contacts', { user: 'bench' });
    }));
    report('companies again, incremental, nothing changed', accounts, await measure(w, async () => {
      await w.engine.run('companies', { user: 'bench' });
    }));
    report('companies again, full re-read, nothing changed', accounts, await measure(w, async () => {
      await w.engine.run('companies', { user: 'bench', full: true });
    }));
    const sample = w.exactControl.records(w.division, 'Accounts').slice(0, 25);
    for (const a of sample) w.exactControl.updateRecord(w.division, 'Accounts', String(a.ID), { City: 'Zwolle' });
    report('companies incremental after 25 changes in Exact', 25, await measure(w, async () => {
      await w.engine.run('companies', { user: 'bench' });
    }));
  } finally {
    clearInterval(sampler);
    await w.sandbox.close();
  }
  const header = ['scenario', 'records', 'Exact calls', 'records/call', 'SP requests', 'SP batch parts', 'records/SP request', 'ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`Benchmark on ${accounts} accounts (division ${w.division}); Node ${process.version}`);
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(`peak heap: ${Math.round(peakHeap / 1024 / 1024)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
