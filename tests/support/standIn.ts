/**
 * Sandbox stand-ins alone in a process, for tests that SIGKILL them: `node --import tsx
 * tests/support/standIn.ts` with `STAND_IN` = JSON of {@link StandInConfig}. Prints `listening
 * <base url>` once it answers (and `tokens <json>`, an Exact token pair, when Exact runs); the
 * data folder is the sandbox's, as under `npm start`.
 */
import { z } from 'zod';
import { systemClock } from '../../src/sync/clock';
import { createExactEmulator, type ExactEmulatorControl } from '../../sandbox/exact';
import { startSandbox, type SandboxPartFactory } from '../../sandbox/server';
import { createSharePointEmulator } from '../../sandbox/sharepoint';

const configSchema = z.object({
  dataDir: z.string().min(1),
  /** 0 for any; a restart passes the first run's port, so clients keep their URLs. */
  port: z.number().int().nonnegative().default(0),
  parts: z.array(z.enum(['sharepoint', 'exact'])).default(['sharepoint']),
  logCompactBytes: z.number().int().positive().optional(),
  /** Delay before each SharePoint answer, like a remote tenant (longer runs, more moments to be killed in). */
  sharePointLatencyMs: z.number().int().nonnegative().optional(),
  /** Accounts per Exact division. */
  accounts: z.number().int().positive().optional(),
});
export type StandInConfig = z.input<typeof configSchema>;

async function main(): Promise<void> {
  const config = configSchema.parse(JSON.parse(process.env.STAND_IN ?? '{}'));
  let exact: ExactEmulatorControl | undefined;
  const factories: Record<'sharepoint' | 'exact', SandboxPartFactory> = {
    sharepoint: async (context) => {
      const { part } = await createSharePointEmulator(context, { logCompactBytes: config.logCompactBytes, latencyMs: config.sharePointLatencyMs });
      return part;
    },
    exact: (context) => {
      // Crash tests are not about Exact's budgets or its refresh wait.
      const emulator = createExactEmulator(context, { accounts: config.accounts, knobs: { minuteLimit: 1_000_000, dayLimit: 1_000_000, enforceRefreshWait: false } });
      exact = emulator.control;
      return emulator.part;
    },
  };
  const sandbox = await startSandbox(config.parts.map((p) => factories[p]), { clock: systemClock, port: config.port, dataDir: config.dataDir });
  if (exact) {
    const tokens = exact.issueTokens();
    exact.flush();
    process.stdout.write(`tokens ${JSON.stringify(tokens)}\n`);
  }
  process.stdout.write(`listening ${sandbox.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
