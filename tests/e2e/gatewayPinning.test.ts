/**
 * A page whose web part names another gateway than the tenant's (issue 20): the workbench, in real
 * Chromium, with its web parts' own properties pointing at a foreign host that answers CORS as an
 * attacker's server would. The signed-in admin's bearer token for the real gateway's resource
 * must never reach that host: the page refuses, and says which setting and why.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { sandboxApiAudience } from '../../sandbox/idp/users';
import { browserMissing, launchChromium, newPage } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { demoLogins, signInThroughPopup, startWorkbench } from '../support/workbench';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A host that takes anything from anyone and keeps what it got. */
async function foreignHost(): Promise<{ url: string; seen: Seen[]; firstRequest: Promise<Seen>; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let first: (request: Seen) => void = () => undefined;
  const firstRequest = new Promise<Seen>((resolve) => {
    first = resolve;
  });
  const server: Server = createServer((request, response) => {
    const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
    seen.push(entry);
    first(entry);
    response.writeHead(request.method === 'OPTIONS' ? 204 : 200, {
      'access-control-allow-origin': request.headers.origin ?? '*',
      'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-private-network': 'true',
      'content-type': 'application/json',
    });
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, firstRequest, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.skipIf(browserMissing)('a web part pointed at a foreign gateway (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let foreign: Awaited<ReturnType<typeof foreignHost>>;

  beforeAll(async () => {
    foreign = await foreignHost();
    // The real gateway's resource with another host: what an edited page would carry.
    const webPart = { gatewayUrl: `${foreign.url}/gateway`, gatewayResource: sandboxApiAudience };
    product = await startWorkbench({ SANDBOX_WEBPART_PROPERTIES: JSON.stringify(webPart) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
    await foreign?.close();
  });

  it('sends the foreign host no request and no token, and names the setting that is not allowed', async () => {
    const { page } = await newPage(browser);
    const toForeign: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(foreign.url)) toForeign.push(`${request.method()} ${request.url()} ${request.headers().authorization ?? ''}`);
    });
    await signInThroughPopup(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us' });
    const problem = page.getByRole('alert').filter({ hasText: 'gatewayUrl' });
    const outcome = await Promise.race([problem.waitFor({ timeout: 20_000 }).then(() => 'refused'), foreign.firstRequest.then(() => 'called the foreign host')]);
    // Anything that was already on its way would arrive by now.
    await page.waitForTimeout(1_000);
    expect(foreign.seen.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`)).toEqual([]);
    expect(toForeign).toEqual([]);
    expect(outcome).toBe('refused');
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain(`${foreign.url}/gateway`);
    expect(text).toMatch(/not allowed/);
    expect(text).toContain('ExactCrmConnector');
    await expect(page.getByRole('button', { name: 'Connect with Exact Online' }).count()).resolves.toBe(0);
    await expectClean(page, 'gateway not allowed');
  });
});
