import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import { sandboxApp } from '../../sandbox/exact';
import { createAxiosHttp } from '../../src/exact/axiosTransport';
import type { HttpFunction } from '../../src/exact/oauth';
import { call, connectExact, settle, startHarness, users, type Harness } from '../support/gatewayHarness';

describe('gateway secrets at rest and in answers', () => {
  let h: Harness | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-at-rest-'));
  afterEach(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the embedded store\'s files hold no Exact token, client secret or encryption key in clear; no answer or log line does', async () => {
    // Every token Exact hands out, as the gateway receives it.
    const seen = new Set<string>();
    const http = createAxiosHttp();
    const capture: HttpFunction = async (request) => {
      const response = await http(request);
      if (request.url.endsWith('/oauth2/token') && response.status === 200) {
        const body = JSON.parse(response.text) as { access_token: string; refresh_token: string };
        seen.add(body.access_token).add(body.refresh_token);
      }
      return response;
    };
    h = await startHarness({ store: (clock) => createEmbeddedStore({ clock, dataDir }), gatewayDeps: { exactHttp: capture } });
    const admin = await h.tokenFor(users.admin);
    await connectExact(h, admin);
    const division = h.exact.divisions[0]!.code;
    h.clock.advance(600_000);
    const answers = await settle(h, [
      call(h, `/gateway/exact/${division}/crm/Accounts?$select=ID&$filter=Blocked eq false`, admin),
      call(h, '/gateway/connection', admin),
      call(h, '/gateway/exact/current/Me', admin),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(seen.size).toBe(4);
    const secrets = [...seen, sandboxApp.clientSecret, h.config().encryptionKey];
    const files = readdirSync(dataDir);
    expect(files).toContain('gateway-store.json');
    for (const name of files) {
      const text = readFileSync(join(dataDir, name), 'utf8');
      for (const secret of secrets) {
        expect({ file: name, holdsSecret: text.includes(secret) }).toEqual({ file: name, holdsSecret: false });
      }
      expect(text).not.toMatch(/AAEAA|Gcp7!|XTzM!/);
    }
    const bodies = await Promise.all(answers.map((a) => a.text()));
    const logs = h.logger.lines.join('\n');
    for (const secret of secrets) {
      expect(bodies.some((b) => b.includes(secret))).toBe(false);
      expect(logs.includes(secret)).toBe(false);
    }
  });
});
