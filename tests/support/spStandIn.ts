/**
 * The SharePoint stand-in alone in a process, for tests that SIGKILL it: `tsx
 * tests/support/spStandIn.ts` with `SP_STAND_IN` = JSON of {@link StandInConfig}. Prints
 * `listening <site url>` once it answers; the data folder is the sandbox's, as under `npm start`.
 */
import { z } from 'zod';
import { systemClock } from '../../src/sync/clock';
import { startSandbox } from '../../sandbox/server';
import { createSharePointEmulator, type SharePointControl } from '../../sandbox/sharepoint';

const configSchema = z.object({
  dataDir: z.string().min(1),
  /** 0 for any; a restart passes the first run's port, so clients keep their URLs. */
  port: z.number().int().nonnegative().default(0),
  logCompactBytes: z.number().int().positive().optional(),
});
export type StandInConfig = z.input<typeof configSchema>;

async function main(): Promise<void> {
  const config = configSchema.parse(JSON.parse(process.env.SP_STAND_IN ?? '{}'));
  let control: SharePointControl | undefined;
  await startSandbox(
    [
      async (context) => {
        const emulator = await createSharePointEmulator(context, { logCompactBytes: config.logCompactBytes });
        control = emulator.control;
        return emulator.part;
      },
    ],
    { clock: systemClock, port: config.port, dataDir: config.dataDir },
  );
  process.stdout.write(`listening ${control?.siteUrl() ?? ''}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
