import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import type { StandInConfig } from './standIn';

const SCRIPT = resolve(__dirname, 'standIn.ts');

/** Sandbox stand-ins in a child process (tests/support/standIn.ts). */
export interface StandInProcess {
  baseUrl: string;
  /** The SharePoint stand-in's site. */
  siteUrl: string;
  port: number;
  /** The Exact token pair the stand-in issued at start, when Exact runs. */
  tokens?: { access_token: string; refresh_token: string };
  /** SIGKILL, as a crash or `kill -9` would; resolves when the process is gone. */
  kill(): Promise<void>;
}

/** Starts the stand-ins on `config.dataDir` and waits until they answer. */
export async function startStandIn(config: StandInConfig): Promise<StandInProcess> {
  // Node itself with tsx as a loader: the `tsx` command would run the script in a grandchild,
  // which a SIGKILL of the child leaves running (and saving) behind the test's back.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, STAND_IN: JSON.stringify(config) },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  const baseUrl = await new Promise<string>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening (\S+)$/m.exec(stdout);
      if (match) ready(match[1]);
    });
    void exited.then(() => fail(new Error(`The stand-in exited before it listened: ${stderr}`)));
  });
  const tokens = /^tokens (.+)$/m.exec(stdout)?.[1];
  return {
    baseUrl,
    siteUrl: `${baseUrl}/sites/crm`,
    port: Number(new URL(baseUrl).port),
    tokens: tokens === undefined ? undefined : (JSON.parse(tokens) as StandInProcess['tokens']),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
