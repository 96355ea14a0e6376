/**
 * The connect popup in real Chromium: the page gets a ticket, opens `/gateway/connect` in a popup,
 * the admin logs in to Exact and consents, and the callback page posts the outcome to the opener
 * (to its origin only) and closes itself.
 */
import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, users, type Harness } from '../support/gatewayHarness';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const pageHtml = `<!doctype html><html><body><script>
window.connect = async (token) => {
  const ticket = await (await fetch('/gateway/connect/ticket', { method: 'POST', headers: { authorization: 'Bearer ' + token } })).json();
  const outcome = new Promise((resolve) => window.addEventListener('message', (event) => resolve({ origin: event.origin, data: event.data })));
  window.open('/gateway/connect?ticket=' + encodeURIComponent(ticket.ticket) + '&returnUrl=' + encodeURIComponent(location.href), 'exact', 'width=600,height=700');
  return outcome;
};
</script></body></html>`;

describe.skipIf(!existsSync(chromiumPath) && !process.env.CI)('connect popup in Chromium', () => {
  let h: Harness;
  let browser: Browser;

  beforeAll(async () => {
    h = await startHarness({
      extraParts: [() => ({ prefix: '/app', describe: () => [], handler: async () => new Response(pageHtml, { headers: { 'content-type': 'text/html' } }) })],
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('posts {ok: true} to the opener and closes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(h.url('/app/'));
    const token = await h.tokenFor(users.admin);
    const popupPromise = page.waitForEvent('popup');
    const outcomePromise = page.evaluate((t) => (window as unknown as { connect: (t: string) => Promise<unknown> }).connect(t), token);
    const popup = await popupPromise;
    await popup.waitForSelector('input[name=username]');
    const loginAxe = await new AxeBuilder({ page: popup }).analyze();
    expect(loginAxe.violations.map((v) => `login page ${v.id}: ${v.help}`)).toEqual([]);
    await popup.fill('input[name=username]', h.exact.demoUser.username);
    await popup.fill('input[name=password]', h.exact.demoUser.password);
    await popup.click('button[type=submit]');
    await popup.waitForSelector('button[value=allow]');
    const consentAxe = await new AxeBuilder({ page: popup }).analyze();
    expect(consentAxe.violations.map((v) => `consent page ${v.id}: ${v.help}`)).toEqual([]);
    const closed = popup.waitForEvent('close');
    await popup.click('button[value=allow]');
    const outcome = (await outcomePromise) as { origin: string; data: { type: string; ok: boolean; exactUser: string; divisions: number } };
    await closed;
    expect(outcome.origin).toBe(h.url(''));
    expect(outcome.data).toEqual({ type: 'exact-connect', ok: true, exactUser: 'Jeroen van Houten', divisions: h.exact.divisions.length });
    expect((await h.store.getConnection(users.admin.tid, 'default'))?.status).toBe('connected');
  });

  it('a failed connect explains itself in Dutch, at Teams width in dark mode, with no axe violations', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 480 }, colorScheme: 'dark', locale: 'nl-NL', extraHTTPHeaders: { 'accept-language': 'nl-NL,nl;q=0.9' } });
    const page = await context.newPage();
    const response = await page.goto(h.url('/gateway/oauth/callback?code=x&state=forged'));
    expect(response?.status()).toBe(400);
    await expect(page.locator('h1').textContent()).resolves.toBe('Exact Online is niet gekoppeld');
    await expect(page.locator('[role=alert]').first().isVisible()).resolves.toBe(true);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll).toBeLessThanOrEqual(320);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await context.close();
  });
});
