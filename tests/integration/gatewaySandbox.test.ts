/**
 * `npm start` wiring: the parts registered in sandbox/main.ts, with a data folder, survive a
 * restart: the dev encryption key and the idp signing key are kept, so the stored connection
 * still opens and callers' tokens still verify.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateway } from '../../sandbox/gateway';
import { demoUser, exactEmulator } from '../../sandbox/exact';
import { demoUsers, identityProvider, sandboxApiAudience } from '../../sandbox/idp';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { call, connectExact, signInWithForm } from '../support/gatewayHarness';

describe('gateway in the sandbox (npm start parts) with a data folder', () => {
  let sandbox: RunningSandbox | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await sandbox?.close();
    if (dataDir) {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('connects with the sandbox settings and still works after a restart on the same port', async () => {
    dataDir = await fs.mkdtemp(join(tmpdir(), 'gateway-sandbox-'));
    const parts = [exactEmulator, identityProvider, gateway];
    sandbox = await startSandbox(parts, { dataDir, env: {} });
    const port = sandbox.port;
    const h = { url: (path: string) => `${sandbox!.url}${path}`, idp: { audience: sandboxApiAudience }, exact: { demoUser } };
    const admin = await signInWithForm(h, demoUsers.admin);
    const connected = await connectExact(h, admin);
    expect(connected.page.status).toBe(200);
    const files = await fs.readdir(dataDir);
    expect(files).toEqual(expect.arrayContaining(['gateway-dev-encryption-key', 'gateway-store.json', 'idp-signing-key.json']));
    const stored = await fs.readFile(join(dataDir, 'gateway-store.json'), 'utf8');
    expect(stored).not.toMatch(/AAEAA|Gcp7!/);
    // Let the emulator's debounced state file catch up before the "restart".
    await new Promise((resolve) => setTimeout(resolve, 400));
    await sandbox.close();

    sandbox = await startSandbox(parts, { dataDir, env: {}, port });
    const me = await call(h, '/gateway/exact/current/Me?$select=FullName', admin);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { d: { results: Array<{ FullName: string }> } }).d.results[0]?.FullName).toBe('Jeroen van Houten');
    const other = await signInWithForm(h, demoUsers.otherTenantAdmin);
    expect((await call(h, '/gateway/connection', other)).status).toBe(403);
  });
});
