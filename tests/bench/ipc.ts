import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Messages between the bench (engine process) and its emulator process. */

export type EmulatorRequest =
  | { kind: 'hello' }
  | { kind: 'latency'; ms: number }
  | { kind: 'counts' }
  | { kind: 'reset' }
  /** Empties the SharePoint site (the naive connector starts on a fresh one). */
  | { kind: 'wipeSite' }
  /** Changes `City` of `count` accounts from `offset` on, as a user editing in Exact would. */
  | { kind: 'change'; offset: number; count: number; city: string }
  | { kind: 'memory' }
  /** A fresh access token (Exact's live ten minutes; a 100,000-account bench runs longer). */
  | { kind: 'token' };

export type EmulatorReply =
  | { kind: 'ok' }
  | { kind: 'hello'; url: string; siteUrl: string; token: string; division: number; accounts: number; contacts: number }
  | { kind: 'counts'; exactCalls: number; spRequests: number; spBatchParts: number; spByKind: Record<string, number>; cpuMs: number }
  | { kind: 'memory'; heapMiB: number; rssMiB: number }
  | { kind: 'token'; token: string };

type Reply<K extends EmulatorRequest['kind']> = K extends 'hello' ? Extract<EmulatorReply, { kind: 'hello' }>
  : K extends 'counts' ? Extract<EmulatorReply, { kind: 'counts' }>
    : K extends 'memory' ? Extract<EmulatorReply, { kind: 'memory' }>
      : K extends 'token' ? Extract<EmulatorReply, { kind: 'token' }>
        : Extract<EmulatorReply, { kind: 'ok' }>;

export interface Emulators {
  ask<R extends EmulatorRequest>(request: R): Promise<Reply<R['kind']>>;
  close(): void;
}

/** Starts tests/bench/emulators.ts in its own Node process (through tsx) and waits for it. */
export async function startEmulators(accounts: number): Promise<Emulators> {
  const child: ChildProcess = fork(join(__dirname, 'emulators.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_ACCOUNTS: String(accounts) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (reply: EmulatorReply) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The emulator process exited (${code ?? 'signal'}) before it was ready`)));
    child.on('message', (message: EmulatorReply & { id: number } | { id: 0; kind: 'ready' }) => {
      if (message.kind === 'ready') resolve();
      else waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    });
  });
  return {
    ask: (request) => new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (reply: EmulatorReply) => void);
      child.send({ id, ...request });
    }),
    close: () => child.disconnect(),
  };
}
