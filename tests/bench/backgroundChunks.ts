/**
 * A first import in background chunks (gateway/background/runChunk.ts) next to the same import
 * from the page: SharePoint requests, Exact calls, chunks and how long each took against its
 * budget, duplicates. `npx tsx tests/bench/backgroundChunks.ts` (BENCH_BG_ACCOUNTS, default 100,000;
 * BENCH_BG_BUDGET_MS, default 60,000). Everything in one process over real HTTP on 127.0.0.1.
 */
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import type { ChunkOutcome, ChunkRequest } from '../../gateway/background/runChunk';
import { startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

const accounts = Number(process.env.BENCH_BG_ACCOUNTS ?? 100_000);
const budgetMs = Number(process.env.BENCH_BG_BUDGET_MS ?? 60_000);

async function freshSite(h: BackgroundHarness): Promise<void> {
  await h.sp.reset();
  await provisionCrm(createCrmSp(siteContext(h.siteUrl), h.siteUrl));
  await h.owner.importProfiles.profiles.ensureDefaults(h.division);
  await h.grant(['write']);
}

function check(h: BackgroundHarness): { items: number; unique: number } {
  const keys = h.sp.items('Companies').map((i) => String(i.values.ExactId));
  return { items: keys.length, unique: new Set(keys).size };
}

const exactCalls = (h: BackgroundHarness): number => Object.values(h.exact.callCounts()).reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const h = await startBackgroundHarness({ accounts, unlimitedExact: true });
  try {
    // From the page: the site owner's engine, Exact direct (the browser's gateway calls are one each).
    await freshSite(h);
    h.sp.resetCounts();
    h.exact.resetCounters();
    let started = Date.now();
    const browser = await h.owner.engine.run('companies', { user: 'bench@contoso.test' });
    const browserFigures = { ms: Date.now() - started, sharePoint: h.sp.counts().total, exact: exactCalls(h), status: browser.status, ...check(h) };
    console.error('from the page:', JSON.stringify(browserFigures));

    await freshSite(h);
    h.sp.resetCounts();
    h.exact.resetCounters();
    const runChunk = h.runChunk();
    const chunks: Array<{ ms: number; outcome: ChunkOutcome['kind'] }> = [];
    let request: ChunkRequest = { siteUrl: h.siteUrl, profileId: 'companies', trigger: { kind: 'schedule' }, budgetMs };
    started = Date.now();
    let last: ChunkOutcome;
    for (;;) {
      const at = Date.now();
      last = await runChunk(request);
      chunks.push({ ms: Date.now() - at, outcome: last.kind });
      console.error(`chunk ${chunks.length}: ${last.kind} in ${Date.now() - at} ms`);
      if (last.kind !== 'continue') break;
      request = { ...request, runId: last.runId };
    }
    const background = { ms: Date.now() - started, sharePoint: h.sp.counts().total, exact: exactCalls(h), status: last.kind === 'finished' ? last.status : last.kind, ...check(h) };
    const longest = Math.max(...chunks.map((c) => c.ms));
    const rows = [
      `| First import, ${accounts.toLocaleString('en')} accounts | SharePoint requests | Exact calls | wall | items (unique) | status |`,
      '|---|---:|---:|---:|---:|---|',
      `| from the page (one run) | ${browserFigures.sharePoint} | ${browserFigures.exact} | ${(browserFigures.ms / 1000).toFixed(0)} s | ${browserFigures.items} (${browserFigures.unique}) | ${browserFigures.status} |`,
      `| background, ${chunks.length} chunk(s) of ≤ ${budgetMs / 1000} s budget | ${background.sharePoint} (${(((background.sharePoint - browserFigures.sharePoint) / browserFigures.sharePoint) * 100).toFixed(1)} %) | ${background.exact} | ${(background.ms / 1000).toFixed(0)} s | ${background.items} (${background.unique}) | ${background.status} |`,
      '',
      `Chunks: ${chunks.map((c) => `${(c.ms / 1000).toFixed(1)} s ${c.outcome}`).join(', ')}; longest ${(longest / 1000).toFixed(1)} s against a budget of ${budgetMs / 1000} s.`,
    ];
    console.log(rows.join('\n'));
    if (background.unique !== accounts || background.items !== accounts) process.exitCode = 1;
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
