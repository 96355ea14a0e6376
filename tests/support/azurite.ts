/**
 * Azurite (the Azure Storage emulator, from npm) for tests: one child process per test file,
 * in-memory only, on loopback ports the OS picks. Azurite prints the port it actually bound, so
 * there is no "find a free port, then hope nobody takes it" race.
 *
 * The child runs in a fresh temp folder: Azurite writes nothing with `--inMemoryPersistence`,
 * but its working directory is where it would, and that must never be the repo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The emulator's fixed, public development account (documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  blobEndpoint: string;
  tableEndpoint: string;
  queueEndpoint: string;
  /** A storage connection string for the dev account, as an app setting would hold it. */
  connectionString: string;
  stop(): Promise<void>;
}

const listeningLine = /Azurite (Blob|Table|Queue) service is successfully listening at (http:\/\/\S+)/g;

function azuriteCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts Azurite's blob, table and queue services; resolves once both accept connections. */
export async function startAzurite(options: { startTimeoutMs?: number } = {}): Promise<RunningAzurite> {
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [
      azuriteCli(),
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '64',
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      '0',
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      '0',
    ],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test worker that exits without running afterAll (timeout, crash) must not leave it running.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const cleanUp = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    rmSync(workDir, { recursive: true, force: true });
  };

  const endpoints = new Map<string, string>();
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`)),
        options.startTimeoutMs ?? 30_000,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        for (const match of output.matchAll(listeningLine)) {
          endpoints.set(match[1], match[2]);
        }
        if (endpoints.has('Blob') && endpoints.has('Table') && endpoints.has('Queue')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code} before listening:\n${output}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }

  const blobEndpoint = `${endpoints.get('Blob')}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `${endpoints.get('Table')}/${AZURITE_ACCOUNT}`;
  const queueEndpoint = `${endpoints.get('Queue')}/${AZURITE_ACCOUNT}`;
  return {
    blobEndpoint,
    tableEndpoint,
    queueEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};TableEndpoint=${tableEndpoint};QueueEndpoint=${queueEndpoint};`,
    stop: cleanUp,
  };
}
