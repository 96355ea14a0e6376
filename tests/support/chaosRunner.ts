/**
 * One admin's run in its own process, for the chaos suite to kill with SIGKILL at a random
 * moment: `tsx tests/support/chaosRunner.ts` with `CHAOS_CHILD` = JSON of ChaosEndpoints plus
 * `profileId`. Resumes the profile's unfinished run if there is one, else starts a run.
 * Prints `ready`, then one line per progress event, then `done <status>`.
 */
import { z } from 'zod';
import { wireEndpoints } from './chaosWiring';

const config = z
  .object({ exactBaseUrl: z.string().url(), token: z.string().min(1), siteUrl: z.string().url(), profileId: z.string().min(1) })
  .parse(JSON.parse(process.env.CHAOS_CHILD ?? '{}'));

async function main(): Promise<void> {
  const { engine } = wireEndpoints(config);
  process.stdout.write('ready\n');
  const onProgress = (e: { phase: string; count: number }): void => void process.stdout.write(`${e.phase} ${e.count}\n`);
  const unfinished = (await engine.unfinishedRuns(config.profileId))[0];
  const run = unfinished ? await engine.resume(unfinished.id, { onProgress }) : await engine.run(config.profileId, { user: 'child@contoso.nl', onProgress });
  process.stdout.write(`done ${run.status}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stdout.write(`failed ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
