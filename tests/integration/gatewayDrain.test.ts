import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveWebHandler } from '../../sandbox/http/node';

describe('graceful drain (SIGTERM)', () => {
  it('lets a request in flight finish, refuses new connections, and cuts what outlives the bound', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    // The drain starts once the server holds the request, not after a guessed sleep (a loaded
    // machine may take longer than any sleep to deliver it).
    let received: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const server = await serveWebHandler(async (request) => {
      if (new URL(request.url).pathname === '/forever') {
        return new Promise<Response>(() => undefined);
      }
      received();
      await slow;
      return new Response('done');
    });
    const inFlight = fetch(`${server.url}/slow`);
    await arrived;
    const drained = server.drain(5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${server.url}/late`)).rejects.toThrow();
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('done');
    expect(await drained).toEqual({ cut: 0 });

    let held: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const stuck = await serveWebHandler(async () => {
      held();
      return new Promise<Response>(() => undefined);
    });
    const hanging = fetch(`${stuck.url}/forever`).then(() => 'answered', () => 'cut');
    await holding;
    expect(await stuck.drain(100)).toEqual({ cut: 1 });
    expect(await hanging).toBe('cut');
  });

  it('npm start drains on SIGTERM: a slow call in flight still gets its answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-drain-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
      env: { ...process.env, PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_ACCOUNTS: '20', SANDBOX_LATENCY_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const baseUrl = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const url = /sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (url && output.includes('CRM lists:')) resolve(url[1]!);
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const slow = fetch(`${baseUrl}/exact/api/v1/current/Me`, { headers: { accept: 'application/json' } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      const answer = await slow;
      expect(answer.status).toBe(401);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
