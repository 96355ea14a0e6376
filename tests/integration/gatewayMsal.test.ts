/**
 * The MSAL token provider (src/exact/msalTokenProvider.ts), bundled for the browser, signs in to the
 * sandbox identity provider in real Chromium (popup, PKCE) and its token opens the gateway.
 * Skipped only when no Chromium is installed (CHROMIUM_PATH or /usr/bin/chromium).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxApiAudience, sandboxClientId } from '../../sandbox/idp';
import { startHarness, users, type Harness } from '../support/gatewayHarness';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));

describe.skipIf(!existsSync(chromiumPath) && !process.env.CI)('MSAL token provider against the sandbox identity provider (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    const result = await build({
      stdin: {
        contents: `import { msalTokenProvider } from './src/exact/msalTokenProvider';
(window as unknown as { signIn: (c: Parameters<typeof msalTokenProvider>[0]) => Promise<string> }).signIn = (config) => msalTokenProvider(config)();`,
        resolveDir: resolve(here, '../..'),
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
    });
    bundle = result.outputFiles[0]!.text;
    const pages: Record<string, { type: string; body: () => string }> = {
      '/msal/index.html': { type: 'text/html', body: () => '<!doctype html><html><body><script src="/msal/bundle.js"></script></body></html>' },
      '/msal/redirect.html': { type: 'text/html', body: () => '<!doctype html><html><body>Signing in…</body></html>' },
      '/msal/bundle.js': { type: 'text/javascript', body: () => bundle },
    };
    h = await startHarness({
      extraParts: [
        () => ({
          prefix: '/msal',
          describe: () => [],
          handler: async (request) => {
            const page = pages[new URL(request.url).pathname];
            return page ? new Response(page.body(), { headers: { 'content-type': page.type } }) : new Response('Not found', { status: 404 });
          },
        }),
      ],
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('signs in through the popup and calls the gateway with the token', async () => {
    const page = await browser.newPage();
    // MSAL watches the popup until it comes back to the page's origin, so the identity provider
    // must be on another origin: the page uses localhost, the identity provider 127.0.0.1.
    const origin = h.url('').replace('127.0.0.1', 'localhost');
    const authority = `${h.url('')}/idp`;
    await page.goto(`${origin}/msal/index.html`);
    const popupPromise = page.waitForEvent('popup');
    const tokenPromise = page.evaluate(
      (config) => (window as unknown as { signIn: (c: unknown) => Promise<string> }).signIn(config),
      { clientId: sandboxClientId, authority, scopes: [`${sandboxApiAudience}/user_impersonation`], redirectUri: `${origin}/msal/redirect.html`, genericOidc: true },
    );
    const popup = await popupPromise;
    await popup.waitForSelector('input[name=username]');
    await popup.fill('input[name=username]', users.admin.username);
    await popup.fill('input[name=password]', users.admin.password);
    await popup.click('button[type=submit]');
    const token = await tokenPromise;
    const status = await fetch(h.url('/gateway/connection'), { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    // A second call is silent (cached) and needs no popup.
    const again = await page.evaluate((config) => (window as unknown as { signIn: (c: unknown) => Promise<string> }).signIn(config), {
      clientId: sandboxClientId,
      authority,
      scopes: [`${sandboxApiAudience}/user_impersonation`],
      redirectUri: `${origin}/msal/redirect.html`,
      genericOidc: true,
    });
    expect(again.split('.')).toHaveLength(3);
  });
});
