/**
 * Background runs' day (`npx tsx tests/bench/background.ts`; also at the end of `npm run bench`
 * unless BENCH_SKIP_BACKGROUND=1):
 * the real engine in the gateway (app-only SharePoint, Exact through the proxy), its timer and
 * queue, on the sandbox clock through one working day in Amsterdam:
 * 1. Companies every 15 minutes 07:00–20:00, nothing changed in Exact: Exact calls a day and per run;
 * 2. the same with "run on changes" and BENCH_BG_CHANGES (200) edits spread over the day: calls and
 *    runs a day;
 * 3. the webhook path's time from an edit in Exact to the CRM item updated: the debounce window
 *    (sandbox clock) plus the run (wall time, measured).
 * BENCH_BG_ACCOUNTS (default 200) accounts; prints the rows and writes bench-background.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmbeddedQueue } from '../../gateway/background/embeddedQueue';
import { poisonQueueName, pumpQueue, runQueueName, type MessageQueue } from '../../gateway/background/queue';
import { instantOf, nextRunAt, scheduleSpecSchema, slotsBetween } from '../../gateway/background/schedule';
import { productionBudgetMs } from '../../gateway/background/service';
import { sandboxApp } from '../../sandbox/exact';
import { demoUsers } from '../../sandbox/idp';
import { startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

const accounts = Number(process.env.BENCH_BG_ACCOUNTS ?? 200);
const changes = Number(process.env.BENCH_BG_CHANGES ?? 200);
const debounceMs = 20_000;
const root = join(__dirname, '..', '..');

interface Day {
  runs: number;
  exactCalls: number;
  scheduledRuns: number;
  changeRuns: number;
}

export async function backgroundBench(): Promise<void> {
  let queue: MessageQueue | undefined;
  let poison: MessageQueue | undefined;
  const h: BackgroundHarness = await startBackgroundHarness({
    accounts,
    background: (store, clock) => {
      queue = createEmbeddedQueue(store, runQueueName, clock);
      poison = createEmbeddedQueue(store, poisonQueueName, clock);
      return { queue, webhookSecret: sandboxApp.webhookSecret, budgetMs: productionBudgetMs, debounceMs };
    },
  });
  const background = h.gateway.background!;
  const chunks: number[] = [];
  const drain = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const n = await pumpQueue({
        queue: queue!,
        poison: poison!,
        visibilityMs: 8 * 60_000,
        handle: async (text) => {
          const started = performance.now();
          const outcome = await background.handleMessage(text);
          if (outcome === 'ran' || outcome === 'continued') chunks.push(performance.now() - started);
        },
        onPoison: (text) => background.handlePoison(text),
      });
      if (n === 0) return handled;
      handled += n;
    }
  };
  try {
    await h.grant(['write']);
    const save = async (runOnChanges: boolean): Promise<void> => {
      const admin = await h.idp.issueAccessToken(demoUsers.admin);
      const response = await fetch(`${h.sandbox.url}/gateway/background/schedules/companies`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ siteUrl: h.siteUrl, profileName: 'Companies', topic: 'Accounts', division: h.division, spec: { ...officeHours, runOnChanges } }),
      });
      if (response.status !== 200) throw new Error(`schedule: ${response.status} ${await response.text()}`);
      await h.exact.settleWebhooks();
    };
    const officeHours = { cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' } };
    const spec = scheduleSpecSchema.parse(officeHours);

    // The first import, the evening before (not counted).
    const now = new Date(h.clock.now());
    const dayZero = { year: now.getUTCFullYear(), month: now.getUTCMonth(), date: now.getUTCDate() + 1 };
    const dayOne = { ...dayZero, date: dayZero.date + 1 };
    h.clock.set(instantOf(dayZero, 19 * 60 + 40, 'Europe/Amsterdam'));
    await save(false);
    h.clock.set(nextRunAt(spec, h.clock.now())!);
    await background.tick();
    await drain();

    const runDay = async (day: { year: number; month: number; date: number }, edits: number): Promise<Day> => {
      const start = instantOf(day, 0, 'Europe/Amsterdam');
      const end = instantOf({ ...day, date: day.date + 1 }, 0, 'Europe/Amsterdam');
      const slots = slotsBetween(spec, start, end);
      const open = instantOf(day, 7 * 60, 'Europe/Amsterdam');
      const close = instantOf(day, 20 * 60, 'Europe/Amsterdam');
      const editTimes = Array.from({ length: edits }, (_, i) => open + Math.round(((i + 0.5) * (close - open)) / edits));
      const events = [...slots.map((at) => ({ at, kind: 'slot' as const })), ...editTimes.map((at, i) => ({ at, kind: 'edit' as const, i }))].sort((a, b) => a.at - b.at);
      const ids = h.exact.records(h.division, 'Accounts').map((r) => String(r.ID));
      h.exact.resetCounters();
      const runsBefore = (await h.owner.engine.listRuns('companies')).length;
      for (const event of events) {
        // Whatever is due before this moment (a debounced change run) runs first.
        if (event.at > h.clock.now()) h.clock.set(event.at);
        if (event.kind === 'edit') {
          h.exact.updateRecord(h.division, 'Accounts', ids[event.i % ids.length]!, { City: `Plaats ${event.i}` });
          await h.exact.settleWebhooks();
          h.clock.advance(debounceMs);
        } else {
          await background.tick();
        }
        await drain();
      }
      const runs = await h.owner.engine.listRuns('companies');
      const today = runs.slice(0, runs.length - runsBefore);
      return {
        runs: today.length,
        exactCalls: h.exact.calls(h.division),
        scheduledRuns: today.filter((r) => r.trigger?.kind === 'schedule').length,
        changeRuns: today.filter((r) => r.trigger?.kind === 'exactChange').length,
      };
    };

    const quiet = await runDay(dayOne, 0);
    await save(true);
    const dayTwo = { ...dayOne, date: dayOne.date + 1 };
    const busy = await runDay(dayTwo, changes);

    // The webhook path, one edit: debounce (sandbox clock) plus the run (wall time).
    const dayThree = { ...dayOne, date: dayOne.date + 2 };
    h.clock.set(instantOf(dayThree, 10 * 60 + 7, 'Europe/Amsterdam'));
    const id = String(h.exact.records(h.division, 'Accounts')[0]!.ID);
    h.exact.updateRecord(h.division, 'Accounts', id, { City: 'Zwartsluis' });
    const wall = performance.now();
    await h.exact.settleWebhooks();
    h.clock.advance(debounceMs);
    await drain();
    const runMs = performance.now() - wall;
    const updated = h.sp.items('Companies').find((i) => String(i.values.ExactId).toLowerCase() === id.toLowerCase())?.values.City === 'Zwartsluis';

    const results = {
      accounts,
      scheduleOnly: { ...quiet, callsPerRun: quiet.runs ? quiet.exactCalls / quiet.runs : 0 },
      withWebhooks: { changes, ...busy, callsPerRun: busy.runs ? busy.exactCalls / busy.runs : 0 },
      webhookPath: { debounceMs, runWallMs: Math.round(runMs), totalMs: debounceMs + Math.round(runMs), updated },
      chunkWallMs: { max: Math.round(Math.max(...chunks)), mean: Math.round(chunks.reduce((a, b) => a + b, 0) / Math.max(1, chunks.length)) },
    };
    writeFileSync(join(root, 'bench-background.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Background runs, ${accounts} accounts, Companies every 15 minutes 07:00–20:00 (Europe/Amsterdam):`);
    console.log('| Day | runs | of which on a change | Exact calls | calls per run |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| nothing changed | ${quiet.runs} | ${quiet.changeRuns} | ${quiet.exactCalls} | ${results.scheduleOnly.callsPerRun.toFixed(2)} |`);
    console.log(`| run on changes, ${changes} edits | ${busy.runs} | ${busy.changeRuns} | ${busy.exactCalls} | ${results.withWebhooks.callsPerRun.toFixed(2)} |`);
    console.log(`Edit in Exact → CRM item updated (webhook path): ${debounceMs / 1000} s debounce + ${(runMs / 1000).toFixed(2)} s run = ${((debounceMs + runMs) / 1000).toFixed(1)} s${updated ? '' : ' (NOT updated)'}`);
    console.log('written: bench-background.json');
  } finally {
    await h.close();
  }
}

if (process.argv[1] && /background\.ts$/.test(process.argv[1])) {
  backgroundBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
