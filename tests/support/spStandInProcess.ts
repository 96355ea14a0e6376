import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import type { StandInConfig } from './spStandIn';

const SCRIPT = resolve(__dirname, 'spStandIn.ts');

/** The SharePoint stand-in in a child process (tests/support/spStandIn.ts). */
export interface StandInProcess {
  siteUrl: string;
  port: number;
  /** SIGKILL, as a crash or `kill -9` would; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** Starts the stand-in on `config.dataDir` and waits until it answers. */
export async function startStandIn(config: StandInConfig): Promise<StandInProcess> {
  // Node itself with tsx as a loader: the `tsx` command would run the script in a grandchild,
  // which a SIGKILL of the child leaves running (and saving) behind the test's back.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, SP_STAND_IN: JSON.stringify(config) },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const siteUrl = await new Promise<string>((ready, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\S+)/.exec(stdout);
      if (match) ready(match[1]);
    });
    void exited.then(() => fail(new Error(`The SharePoint stand-in exited before it listened: ${stderr}`)));
  });
  return {
    siteUrl,
    port: Number(new URL(siteUrl).port),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
