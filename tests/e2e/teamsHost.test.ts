/**
 * The admin pages as Teams tabs, in real Chromium, inside the Teams host stand-in (`/teams`): the
 * tab initialises teams-js against the stand-in, gets its gateway token through
 * `authentication.getAuthToken`, connects Exact through `authentication.authenticate` (the host
 * opens the window, the gateway's outcome page answers with notifySuccess/notifyFailure), and
 * follows the host's theme live. axe runs on every state, host page and tab together.
 */
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { namedTheme } from '../../src/ui/theme';
import { axeViolations, browserMissing, launchChromium, newPage, pageProblems, screenshot } from '../support/browser';
import { consentInExactPopup, demoLogins, signInToTeams, startWorkbench } from '../support/workbench';

const hostCalls = (page: Page): Promise<string[]> => page.evaluate(() => window.teamsHost?.protocol.calls ?? []);

async function expectHostAndTabClean(page: Page, state: string): Promise<void> {
  await page.waitForTimeout(400);
  expect(await axeViolations(page), `axe on ${state}`).toEqual([]);
  expect(pageProblems(page), `script errors or dialogs on ${state}`).toEqual([]);
  const overflow = await page.evaluate(() => {
    const tab = document.querySelector('iframe')?.contentDocument?.documentElement;
    const host = document.documentElement;
    return { host: host.scrollWidth - host.clientWidth, tab: tab ? tab.scrollWidth - tab.clientWidth : 0 };
  });
  expect(overflow, `horizontal overflow on ${state}`).toEqual({ host: 0, tab: 0 });
}

const tabBackground = (tab: FrameLocator): Promise<string> => tab.locator('[data-teams-theme]').evaluate((el) => getComputedStyle(el).backgroundColor);
const rgb = (hex: string): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

describe.skipIf(browserMissing)('admin pages as Teams tabs in the Teams host stand-in (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('the gateway serves teams-js 2.32 from the installed package, the version SPFx 1.21 uses', async () => {
    const response = await fetch(`${product.sandbox.url}/gateway/teams-js.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    const text = await response.text();
    expect(text).toContain('"2.32.0"');
    expect(text).toContain('notifySuccess');
  });

  it('an admin connects Exact from the connection tab through authentication.authenticate, and the tab follows dark and contrast live', async () => {
    const { page, context } = await newPage(browser);
    await signInToTeams(page, product.sandbox.url, demoLogins.admin, 'tab=exact-connection');
    const tab = page.frameLocator('iframe[title="Exact Online connection"]');
    const connect = tab.getByRole('button', { name: 'Connect with Exact Online' });
    await connect.waitFor({ timeout: 20_000 });
    expect(await hostCalls(page)).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
    await expectHostAndTabClean(page, 'teams tab not connected');
    await screenshot(page, 'teams-01-not-connected');

    await consentInExactPopup(page, () => connect.click());
    await tab.getByText('Connected as Jeroen van Houten').waitFor();
    await tab.getByRole('region', { name: 'Connected account' }).waitFor();
    const calls = await hostCalls(page);
    expect(calls).toContain('authentication.authenticate');
    expect(calls).toContain('authentication.authenticate.success');
    await expectHostAndTabClean(page, 'teams tab connected');
    await screenshot(page, 'teams-02-connected');

    expect(await tabBackground(tab)).toBe(rgb(namedTheme('light').semanticColors.bodyBackground));
    await page.selectOption('#teams-theme', 'dark');
    await tab.locator('[data-teams-theme=dark]').waitFor();
    expect(await tabBackground(tab)).toBe(rgb(namedTheme('dark').semanticColors.bodyBackground));
    await expectHostAndTabClean(page, 'teams tab dark');
    await screenshot(page, 'teams-03-dark');
    await page.selectOption('#teams-theme', 'contrast');
    await tab.locator('[data-teams-theme=contrast]').waitFor();
    expect(await tabBackground(tab)).toBe(rgb(namedTheme('contrast').semanticColors.bodyBackground));
    await tab.getByText('Connected as Jeroen van Houten').waitFor();
    await expectHostAndTabClean(page, 'teams tab contrast');
    await screenshot(page, 'teams-04-contrast');

    // Teams mobile and the meeting side panel: 320 px wide.
    await page.setViewportSize({ width: 320, height: 700 });
    await tab.getByRole('region', { name: 'Connection health' }).waitFor();
    await expectHostAndTabClean(page, 'teams tab contrast 320');
    await screenshot(page, 'teams-05-contrast-320');

    // The other admin page, as the app's second tab, keeps the host's theme.
    await page.getByRole('navigation', { name: 'Tabs' }).getByRole('link', { name: 'Import profiles' }).click();
    const profiles = page.frameLocator('iframe[title="Import profiles"]');
    await profiles.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 20_000 });
    await profiles.locator('[data-teams-theme=contrast]').waitFor();
    await expectHostAndTabClean(page, 'teams import-profiles tab contrast 320');
    await screenshot(page, 'teams-06-import-profiles');
    await context.close();
  });

  it('a refusal in the authentication window shows its message in the tab, dark from the start at 320 px', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 700 });
    await signInToTeams(page, product.sandbox.url, demoLogins.admin, 'tab=exact-connection&theme=dark');
    const tab = page.frameLocator('iframe[title="Exact Online connection"]');
    await tab.locator('[data-teams-theme=dark]').waitFor({ timeout: 20_000 });
    const disconnect = tab.getByRole('button', { name: 'Disconnect Exact Online' });
    const connect = tab.getByRole('button', { name: 'Connect with Exact Online' });
    await Promise.race([disconnect.waitFor(), connect.waitFor()]);
    if (await disconnect.count()) {
      await disconnect.click();
      await tab.getByRole('alertdialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
    }
    await connect.waitFor();
    await consentInExactPopup(page, () => connect.click(), 'deny');
    await tab.getByText('Exact Online was not given access.', { exact: false }).waitFor();
    expect(await hostCalls(page)).toContain('authentication.authenticate.failure');
    await expectHostAndTabClean(page, 'teams tab consent denied');
    await screenshot(page, 'teams-06-denied-dark-320');

    // The person closes the window without finishing: Teams answers CancelledByUser.
    const popupPromise = page.waitForEvent('popup');
    await connect.click();
    const popup = await popupPromise;
    await popup.waitForSelector('button[type=submit]');
    await popup.close();
    await tab.getByText('The sign-in window was closed before the connection was made.', { exact: false }).waitFor();
    await expectHostAndTabClean(page, 'teams tab window closed');
    await context.close();
  });
});
