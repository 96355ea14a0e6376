import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The README's first command: `npm start` (sandbox/main.ts) starts every stand-in on one port,
 * prints what a newcomer needs, and provisions the CRM lists. Run on a free port with its own data folder.
 */
describe('npm start', () => {
  let child: ChildProcess;
  let output = '';
  let baseUrl = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-start-'));

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
      env: { ...process.env, PORT: '0', SANDBOX_DATA_DIR: dataDir, SANDBOX_ACCOUNTS: '20' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = /sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (url) baseUrl = url[1];
        if (baseUrl && output.includes('CRM lists:')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URLs, the demo users and the sandbox app credentials', () => {
    expect(output).toContain('demo user:           demo / demo1234');
    expect(output).toMatch(/client_id [0-9a-f-]{36}\s+client_secret \S+/);
    expect(output).toContain('admin@contoso.test');
    expect(output).toContain(`${baseUrl}/gateway/`);
    expect(output).toContain('CRM lists:            Companies (created), Contacts (created), Import Profiles (created), Sync Runs (created), Run Logs (created)');
  });

  it('answers on every path of the sandbox map', async () => {
    const status = async (path: string, init?: RequestInit) => (await fetch(`${baseUrl}${path}`, init)).status;
    expect(await status('/')).toBe(200);
    expect(await status('/exact/api/oauth2/auth?client_id=x&redirect_uri=y&response_type=code')).toBeLessThan(500);
    expect(await status('/exact/api/v1/current/Me', { headers: { accept: 'application/json' } })).toBe(401);
    // The SharePoint site wants a signed-in caller (FedAuth cookie from /sites/crm/_api/sandbox/session).
    expect(await status("/sites/crm/_api/web/lists/getByTitle('Companies')", { headers: { accept: 'application/json' } })).toBe(401);
    expect(await status('/idp/.well-known/openid-configuration')).toBe(200);
    expect(await status('/gateway/health')).toBe(200);
    expect(await status('/gateway/connection')).toBe(401);
  });
});
