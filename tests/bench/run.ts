/**
 * `npm run bench`: what a run costs our users, in Exact API calls (their daily budget is 5,000 per
 * division), SharePoint requests (SharePoint throttles) and wall time under a fixed injected
 * latency, on a division of BENCH_ACCOUNTS accounts (default 10,000), next to a naive connector.
 * The emulators run in a process of their own so the heap figures are the engine's.
 * Writes bench-results.json at the repo root; asserts nothing about time.
 *
 * Knobs: BENCH_ACCOUNTS, BENCH_LATENCY_MS (default 50), BENCH_NAIVE_SAMPLE (accounts the naive
 * connector imports, default 300; its figures are scaled to BENCH_ACCOUNTS), BENCH_BUNDLE=1 builds
 * the web parts (`gulp bundle --ship`, ~1.5 min) instead of reading dist/ as it is. For quicker
 * engine work: BENCH_SKIP_NAIVE=1 leaves out the naive connector (a minute at 50 ms), and
 * BENCH_SKIP_SCREENS=1 the bundles, the customer panel and the preview in Chromium;
 * BENCH_TRACE=1 prints every progress event of the runs with its time.
 */
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { systemClock } from '../../src/sync/clock';
import type { ProgressEvent } from '../../src/sync/progress';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { wireSync } from '../../src/services/syncServices';
import type { printPanelBench } from './panel';
import { startEmulators, type Emulators } from './ipc';
import { naiveImport } from './naive';

const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);
const naiveSample = Math.min(accounts, Number(process.env.BENCH_NAIVE_SAMPLE ?? 300));
const root = join(__dirname, '..', '..');
const skipNaive = process.env.BENCH_SKIP_NAIVE === '1';
const skipScreens = process.env.BENCH_SKIP_SCREENS === '1';

interface Figures {
  records: number;
  exactCalls: number;
  spRequests: number;
  spBatchParts: number;
  wallMs: number;
  /** The calls' latency if they had been made strictly one after another. */
  latencyFloorMs: number;
  peakHeapMiB: number;
  /** Largest heap right after a full collection during the scenario (0: none happened). */
  liveHeapMiB: number;
  peakRssMiB: number;
  /** CPU time of the engine's process: unlike wall time, not stretched by other load on the machine. */
  engineCpuMs: number;
  /**
   * CPU time of the emulators' process (one thread answers every request): with the engine's,
   * what the machine's cores spent; wall time cannot go below the larger of the two.
   */
  emulatorCpuMs: number;
  /** SharePoint requests by what they addressed (batch, items, files, ...). */
  spByKind: Record<string, number>;
  /** Set when the figures are scaled from a smaller measured run. */
  scaledFrom?: number;
}

/**
 * Peak heap and RSS of this (the engine's) process while a scenario runs. The sampled heap
 * includes garbage V8 has not collected yet; the heap right after each full collection is what
 * the engine really holds (its live set), reported as `liveHeapMiB`.
 */
class MemoryPeak {
  private heap = 0;
  private rss = 0;
  private live = 0;
  private readonly timer = setInterval(() => this.sample(), 50);
  private readonly gc = new PerformanceObserver((list) => {
    // kind 4: a major (mark-sweep-compact) collection; the heap just after it is live data.
    if (list.getEntries().some((e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === 4)) {
      this.live = Math.max(this.live, process.memoryUsage().heapUsed);
    }
  });

  public constructor() {
    this.gc.observe({ entryTypes: ['gc'] });
  }

  public sample(): void {
    const m = process.memoryUsage();
    this.heap = Math.max(this.heap, m.heapUsed);
    this.rss = Math.max(this.rss, m.rss);
  }
  public take(): { heapMiB: number; rssMiB: number; liveHeapMiB: number } {
    this.sample();
    const result = { heapMiB: Math.round(this.heap / 1048576), rssMiB: Math.round(this.rss / 1048576), liveHeapMiB: Math.round(this.live / 1048576) };
    this.heap = 0;
    this.rss = 0;
    this.live = 0;
    return result;
  }
  public stop(): void {
    clearInterval(this.timer);
    this.gc.disconnect();
  }
}

async function measure(emulators: Emulators, memory: MemoryPeak, records: number, work: () => Promise<unknown>): Promise<Figures> {
  const before = await emulators.ask({ kind: 'counts' });
  await emulators.ask({ kind: 'reset' });
  global.gc?.();
  memory.take();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallMs = Math.round(performance.now() - started);
  const used = process.cpuUsage(cpu);
  const peak = memory.take();
  const after = await emulators.ask({ kind: 'counts' });
  const exactCalls = after.exactCalls - before.exactCalls;
  // A long bench (100,000 accounts) shows each scenario as it ends, not only the table at the end.
  console.error(`done in ${wallMs} ms: ${records} records, ${exactCalls} Exact calls, ${after.spRequests} SharePoint requests, peak heap ${peak.heapMiB} MiB`);
  return {
    records,
    exactCalls,
    spRequests: after.spRequests,
    spBatchParts: after.spBatchParts,
    wallMs,
    latencyFloorMs: (exactCalls + after.spRequests) * latencyMs,
    peakHeapMiB: peak.heapMiB,
    liveHeapMiB: peak.liveHeapMiB,
    peakRssMiB: peak.rssMiB,
    engineCpuMs: Math.round((used.user + used.system) / 1000),
    emulatorCpuMs: Math.round(after.cpuMs - before.cpuMs),
    spByKind: after.spByKind,
  };
}

function scaled(f: Figures, factor: number, sample: number): Figures {
  const s = (n: number) => Math.round(n * factor);
  return { ...f, spByKind: Object.fromEntries(Object.entries(f.spByKind).map(([k, n]) => [k, s(n)])), records: s(f.records), exactCalls: s(f.exactCalls), spRequests: s(f.spRequests), spBatchParts: s(f.spBatchParts), wallMs: s(f.wallMs), latencyFloorMs: s(f.latencyFloorMs), engineCpuMs: s(f.engineCpuMs), emulatorCpuMs: s(f.emulatorCpuMs), scaledFrom: sample };
}

function table(results: Record<string, Figures>, naive: Record<string, Figures>): string[] {
  const header = ['scenario', 'records', 'Exact calls', 'SP requests', 'SP batch parts', 'wall ms', 'floor ms', 'wall/floor', 'engine CPU ms', 'emulator CPU ms', 'heap MiB', 'live heap MiB', 'RSS MiB'];
  const row = (name: string, f: Figures) => [name, f.records, f.exactCalls, f.spRequests, f.spBatchParts, f.wallMs, f.latencyFloorMs, f.latencyFloorMs ? (f.wallMs / f.latencyFloorMs).toFixed(2) : '-', f.engineCpuMs, f.emulatorCpuMs, f.peakHeapMiB, f.liveHeapMiB, f.peakRssMiB].map(String);
  const rows = [
    ...Object.entries(results).map(([name, f]) => row(name, f)),
    ...Object.entries(naive).map(([name, f]) => row(`naive.${name}${f.scaledFrom ? ` (scaled from ${f.scaledFrom})` : ''}`, f)),
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [line(header), ...rows.map(line)];
  for (const [name, n] of Object.entries(naive)) {
    const ours = results[name];
    if (!ours) continue;
    const ratio = (a: number, b: number) => (b ? (a / b).toFixed(3) : '-');
    lines.push(`ours / naive, ${name}: Exact calls ${ratio(ours.exactCalls, n.exactCalls)}, SP requests ${ratio(ours.spRequests, n.spRequests)} (${ratio(n.spRequests, ours.spRequests)}x fewer), wall ${ratio(ours.wallMs, n.wallMs)}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const emulators = await startEmulators(accounts);
  const memory = new MemoryPeak();
  try {
    const hello = await emulators.ask({ kind: 'hello' });
    // What the gateway does for a long run: a new token well before the old one's ten minutes end.
    let token = { value: hello.token, at: Date.now() };
    const getAccessToken = async () => {
      if (Date.now() - token.at > 5 * 60_000) token = { value: (await emulators.ask({ kind: 'token' })).token, at: Date.now() };
      return token.value;
    };
    const transport = createAxiosTransport({ baseUrl: `${hello.url}/exact/api/v1/`, getAccessToken, timeoutMs: 120_000 });
    const client = new ExactClient(transport, { clock: systemClock });
    const sp = createCrmSp(siteContext(hello.siteUrl), hello.siteUrl);
    const naive: Record<string, Figures> = {};
    const target = { exactBaseUrl: `${hello.url}/exact/api/v1/`, token: hello.token, division: hello.division, siteUrl: hello.siteUrl, listTitle: 'Companies' };

    // The naive connector on a site of its own, then the site is emptied for ours.
    await provisionCrm(sp);
    if (!skipNaive) {
      await emulators.ask({ kind: 'latency', ms: latencyMs });
      const factor = accounts / naiveSample;
      naive['import-companies-first'] = scaled(await measure(emulators, memory, naiveSample, () => naiveImport(target, naiveSample)), factor, naiveSample);
      naive['full-reread-no-change'] = scaled(await measure(emulators, memory, naiveSample, () => naiveImport(target, naiveSample)), factor, naiveSample);
      await emulators.ask({ kind: 'latency', ms: 0 });
      await emulators.ask({ kind: 'wipeSite' });
      await provisionCrm(sp);
    }

    const sync = wireSync({ sp, client, clock: systemClock });
    await sync.importProfiles.profiles.ensureDefaults(hello.division);
    await emulators.ask({ kind: 'latency', ms: latencyMs });
    const results: Record<string, Figures> = {};
    // BENCH_TRACE=1: each progress event with the time since the run started and the heap (where wall time and memory go).
    const trace = process.env.BENCH_TRACE === '1';
    const run = (profile: string, full = false) => () => {
      const started = performance.now();
      const onProgress = trace
        ? (e: ProgressEvent) => console.error(`  ${Math.round(performance.now() - started)} ms ${e.phase} ${e.count}${e.total === undefined ? '' : `/${e.total}`}, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MiB`)
        : undefined;
      return sync.engine.run(profile, { user: 'bench', full, onProgress });
    };
    results['preview-companies'] = await measure(emulators, memory, hello.accounts, () => sync.engine.preview('companies'));
    results['import-companies-first'] = await measure(emulators, memory, hello.accounts, run('companies'));
    results['import-contacts-first'] = await measure(emulators, memory, hello.contacts, run('contacts'));
    results['incremental-no-change'] = await measure(emulators, memory, 0, run('companies'));
    results['full-reread-no-change'] = await measure(emulators, memory, hello.accounts, run('companies', true));
    await emulators.ask({ kind: 'change', offset: 0, count: 50, city: 'Zwolle' });
    results['incremental-50-changes'] = await measure(emulators, memory, 50, run('companies'));
    const emulatorMemory = await emulators.ask({ kind: 'memory' });
    // Orders from a billing report: on an emulator of its own (500 customers), in this process.
    const ordersModule = await import('./orders');
    const orders = await ordersModule.benchOrders();
    // Payment status back onto 500 CRM orders: Exact and SharePoint stand-ins of its own, in this process.
    const orderStatusModule = await import('./orderStatus');
    const orderStatus = await orderStatusModule.benchOrderStatus();

    // The screens' own figures: bundle sizes, Exact calls per customer panel, and the 10,000-record
    // preview in Chromium. Loaded only now: Chromium's driver, esbuild and the gateway harness are
    // ~30 MiB of heap that is not the engine's.
    const bundleModule = skipScreens ? undefined : await import('./bundles');
    const bundleReports = bundleModule?.bundleReport(root, process.env.BENCH_BUNDLE === '1') ?? [];
    const screens = skipScreens ? undefined : {
      panel: await (await import('./panel')).benchPanel(),
      preview: await (await import('./previewRender')).benchPreviewRender(10_000),
      print: (await import('./panel')).printPanelBench as typeof printPanelBench,
    };
    // Master data (issue 24): each source at a reseller's sizes, emulators of its own in this process.
    const masterModule = process.env.BENCH_SKIP_MASTER === '1' ? undefined : await import('./master');
    const master = masterModule ? await masterModule.benchMaster() : undefined;
    const bundles = bundleModule?.bundleSizes(bundleReports) ?? {};
    const panel = screens?.panel;
    const preview = screens?.preview;
    const output = {
      ...results,
      naive,
      bundles,
      lazyChunks: bundleModule?.lazyChunkSizes(bundleReports) ?? {},
      lazyParts: bundleModule?.lazyPartSizes(bundleReports) ?? {},
      panel,
      previewRender: preview,
      orders,
      orderStatus,
      master,
      settings: { accounts: hello.accounts, contacts: hello.contacts, latencyMs, naiveSample, node: process.version },
    };
    writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(output, null, 2)}\n`);

    console.log(`Benchmark on ${hello.accounts} accounts and ${hello.contacts} contacts (division ${hello.division}), ${latencyMs} ms latency per request on both emulators; Node ${process.version}`);
    for (const line of table(results, naive)) console.log(line);
    for (const [name, f] of Object.entries(results)) console.log(`SP requests, ${name}: ${Object.entries(f.spByKind).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`heap and RSS are the engine's process; the emulator process ended at ${Math.round(emulatorMemory.heapMiB)} MiB heap, ${Math.round(emulatorMemory.rssMiB)} MiB RSS`);
    if (bundleModule) for (const line of bundleModule.bundleTable(bundleReports)) console.log(line);
    if (screens && panel) screens.print(panel);
    ordersModule.printOrdersBench(orders);
    orderStatusModule.printOrderStatusBench(orderStatus);
    if (preview) console.log(`preview of ${preview.records} records: first screen ${preview.firstScreenMs} ms, ${preview.rowsInDom} rows in the DOM (${preview.afterScrollRowsInDom} after scrolling half way)`);
    if (masterModule && master) for (const line of masterModule.masterTable(master)) console.log(line);
    console.log('written: bench-results.json');
  } finally {
    memory.stop();
    emulators.close();
  }
  if (process.env.BENCH_SKIP_BACKGROUND !== '1') await (await import('./background')).backgroundBench();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
