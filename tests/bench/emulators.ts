/**
 * The bench's emulator process: the Exact and SharePoint stand-ins on one loopback sandbox,
 * driven over IPC by tests/bench/run.ts, so the engine's memory is measured without them.
 * They keep their data in a temporary data folder, as under `npm start`, so what saving costs
 * is in the emulator's CPU and the wall time; BENCH_IN_MEMORY=1 keeps it in memory only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/sync/clock';
import { createExactEmulator, type ExactEmulatorControl } from '../../sandbox/exact';
import { startSandbox } from '../../sandbox/server';
import { createSharePointEmulator, type SharePointControl } from '../../sandbox/sharepoint';
import type { EmulatorReply, EmulatorRequest } from './ipc';

async function main(): Promise<void> {
  const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
  let exact: ExactEmulatorControl | undefined;
  let sp: SharePointControl | undefined;
  const dataDir = process.env.BENCH_IN_MEMORY === '1' ? undefined : mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { accounts });
        exact = emulator.control;
        return emulator.part;
      },
      async (context) => {
        const emulator = await createSharePointEmulator(context);
        sp = emulator.control;
        return emulator.part;
      },
    ],
    { clock: systemClock, port: 0, dataDir },
  );
  if (!exact || !sp) throw new Error('The emulators did not start.');
  // After the emulators' own exit hooks, which may still save.
  if (dataDir) process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const ex = exact;
  const site = sp;
  // The budget itself is the gateway's business; the bench counts what a run spends.
  ex.setKnobs({ minuteLimit: 100_000_000, dayLimit: 100_000_000 });
  const division = ex.divisions[0].code;

  const answer = (request: EmulatorRequest): EmulatorReply => {
    switch (request.kind) {
      case 'hello':
        return {
          kind: 'hello',
          url: sandbox.url,
          siteUrl: site.siteUrl(),
          token: ex.issueTokens().access_token,
          division,
          accounts: ex.records(division, 'Accounts').length,
          contacts: ex.records(division, 'Contacts').length,
        };
      case 'latency':
        ex.setKnobs({ latencyMs: request.ms });
        site.setLatency(request.ms);
        return { kind: 'ok' };
      case 'counts': {
        const counts = site.counts();
        const cpu = process.cpuUsage();
        return {
          kind: 'counts', exactCalls: ex.calls(division), spRequests: counts.total, spBatchParts: counts.batchParts,
          spByKind: Object.fromEntries(Object.entries(counts.byKind).map(([k, n]) => [k, n])), cpuMs: (cpu.user + cpu.system) / 1000,
        };
      }
      case 'reset':
        site.resetCounts();
        return { kind: 'ok' };
      case 'wipeSite':
        return { kind: 'ok' };
      case 'change': {
        const rows = ex.records(division, 'Accounts').slice(request.offset, request.offset + request.count);
        for (const row of rows) ex.updateRecord(division, 'Accounts', String(row.ID), { City: request.city });
        return { kind: 'ok' };
      }
      case 'token':
        return { kind: 'token', token: ex.issueTokens().access_token };
      case 'memory': {
        const m = process.memoryUsage();
        return { kind: 'memory', heapMiB: m.heapUsed / 1048576, rssMiB: m.rss / 1048576 };
      }
    }
  };

  process.on('message', (message: EmulatorRequest & { id: number }) => {
    void (async () => {
      if (message.kind === 'wipeSite') await site.reset();
      process.send?.({ id: message.id, ...answer(message) });
    })();
  });
  process.on('disconnect', () => {
    void sandbox.close().then(() => process.exit(0));
  });
  process.send?.({ id: 0, kind: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
