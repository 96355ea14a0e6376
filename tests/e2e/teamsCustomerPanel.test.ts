/**
 * The customer panel in the Teams host stand-in, in real Chromium, as a sales user uses it: a
 * configurable channel tab whose settings page picks the company (teams-js `pages.config`: the
 * host's Save waits for setValidityState, then settings.save → setConfig → notifySuccess), and
 * "My customers", the personal app in the left rail. The tab shows the numbers the SharePoint page
 * shows and the test computes from the Exact emulator's rows; the host's theme restyles it live;
 * at 320 px nothing is cut off. axe on every state, host page and frames together.
 * SCREENSHOTS_DIR=/tmp/shots-teams keeps a picture of each state.
 */
import { spfi, SPFx } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCookie } from '../../sandbox/sharepoint';
import type { RunningProduct } from '../../sandbox/product';
import { siteContext, type SPFI } from '../../src/crm/pnp';
import { localDay } from '../../src/finance';
import { namedTheme, type ThemeName } from '../../src/ui/theme';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectedFinance, mostOverdueAccount, openItems, receivables, type ExpectedFinance } from '../support/financeData';
import { expectClean } from '../support/pageChecks';
import { connectExactAsAdmin, demoLogins, signIn, signInToTeams, startWorkbench } from '../support/workbench';

const euro = (amount: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(amount);
const hostCalls = (page: Page): Promise<string[]> => page.evaluate(() => window.teamsHost?.protocol.calls ?? []);
const rgb = (hex: string): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

/** expectClean on the host page (axe covers the frames) and no sideways scrolling inside any frame either. */
async function expectTeamsClean(page: Page, state: string): Promise<void> {
  // expectClean waits for the host page's fades; the frames fade their own (Fluent's list rows).
  for (const frame of page.frames()) {
    await frame
      .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity), undefined, { timeout: 10_000 })
      .catch(() => undefined);
  }
  await expectClean(page, state);
  const overflow = await page.evaluate(() =>
    [...document.querySelectorAll('iframe')].map((frame) => {
      const doc = frame.contentDocument?.documentElement;
      return { frame: frame.title, overflow: doc ? doc.scrollWidth - doc.clientWidth : 0 };
    }),
  );
  expect(overflow.filter((f) => f.overflow > 0), `horizontal overflow in a frame on ${state}`).toEqual([]);
}

/** The figures a person reads off the panel, wherever it is shown. */
async function panelFigures(root: { getByTestId(id: string): Locator }) {
  await root.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
  const invoices = await root.getByTestId('invoice-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-invoice'))).sort((a, b) => a - b));
  return {
    balance: await root.getByTestId('value-open-balance').textContent(),
    overdue: await root.getByTestId('value-overdue').textContent(),
    overdueNote: await root.getByTestId('figure-overdue').locator('dd').last().textContent(),
    invoices,
  };
}

async function expectInside(locator: Locator, width: number, what: string): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, `${what} is shown`).not.toBeNull();
  expect(box!.x, `${what} starts inside the viewport`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends inside the viewport`).toBeLessThanOrEqual(width);
}

async function openAddTab(page: Page, language: 'en' | 'nl' = 'en'): Promise<FrameLocator> {
  const addTab = language === 'nl' ? 'Een tabblad toevoegen' : 'Add a tab';
  await page.getByRole('button', { name: addTab }).click();
  const dialog = page.getByRole('dialog', { name: addTab });
  // A Dutch client names the app's tab in Dutch (the app package's nl-nl localisation).
  await dialog.getByRole('button', { name: language === 'nl' ? 'Financiën van de klant' : 'Customer finance' }).click();
  const settings = page.frameLocator(`iframe[title="${language === 'nl' ? 'Instellingen van Financiën van de klant' : 'Customer finance settings'}"]`);
  await settings.getByTestId('tab-settings').waitFor({ timeout: 20_000 });
  return settings;
}

const words = {
  en: { search: 'Search customers', matching: (text: string) => `Customers matching “${text}”`, all: 'All customers, A–Z' },
  nl: { search: 'Klanten zoeken', matching: (text: string) => `Klanten voor “${text}”`, all: 'Alle klanten, A–Z' },
};

async function search(root: FrameLocator, text: string, language: keyof typeof words = 'en'): Promise<void> {
  const w = words[language];
  await root.getByRole('searchbox', { name: w.search }).fill(text);
  await root.getByRole('heading', { name: text ? w.matching(text) : w.all }).waitFor();
}

describe.skipIf(browserMissing)('the customer panel as a Teams channel tab and the "My customers" personal app (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let owner: SPFI;
  let expected: ExpectedFinance;
  const companies = { overdue: { id: 0, name: '' }, unlinked: { id: 0, name: 'Zonnedak Oost B.V.' } };

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    owner = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    const division = product.exact.divisions[0]!.code;
    const api = `${product.sandbox.url}/exact/api/v1/`;
    const token = product.exact.issueTokens().access_token;
    const today = localDay(new Date());
    const open = await openItems(api, division, token);
    const accountId = mostOverdueAccount(open, today);
    expected = expectedFinance(open, await receivables(api, division, token, accountId), accountId, today);
    const account = product.exact.records(division, 'Accounts').find((row) => String(row.ID).toLowerCase() === accountId.toLowerCase())!;
    const list = owner.web.lists.getByTitle('Companies');
    companies.overdue.name = String(account.Name);
    companies.overdue.id = (await list.items.add({ Title: companies.overdue.name, ExactId: accountId, ExactCode: String(account.Code).trim(), City: account.City })).Id as number;
    companies.unlinked.id = (await list.items.add({ Title: companies.unlinked.name, KvkNumber: '6451 2378', Postcode: '7411 AB', City: 'Deventer', Country: 'Nederland' })).Id as number;
    // A few more, as the import would bring them (a prospect among them: no invoices yet).
    const others = product.exact.records(division, 'Accounts').filter((row) => String(row.ID).toLowerCase() !== accountId.toLowerCase()).slice(0, 5);
    for (const row of others) await list.items.add({ Title: String(row.Name), ExactId: String(row.ID), ExactCode: String(row.Code).trim(), City: row.City });

    // The admin connects Exact once, on the SharePoint site.
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('sales add a customer tab to the channel: Save waits for a choice, and the tab shows what the SharePoint page shows', async () => {
    const sharePoint = await newPage(browser);
    await signIn(sharePoint.page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${companies.overdue.id}&lang=en-us` });
    const onSharePoint = await panelFigures(sharePoint.page);
    await sharePoint.context.close();
    expect(onSharePoint.balance).toBe(euro(expected.openBalance));
    expect(onSharePoint.overdue).toBe(euro(expected.overdueAmount));

    const { page, context } = await newPage(browser);
    await signInToTeams(page, product.sandbox.url, demoLogins.sales);
    await page.getByRole('main', { name: 'Posts' }).waitFor();
    await expectTeamsClean(page, 'the channel before any tab is added');
    await screenshot(page, 'teams-panel-00-channel');
    const settings = await openAddTab(page);
    const save = page.getByRole('dialog').getByRole('button', { name: 'Save' });
    await settings.getByTestId('customer-choice').first().waitFor();
    expect(await save.isDisabled()).toBe(true);
    await expectTeamsClean(page, 'tab settings, nothing typed');
    await screenshot(page, 'teams-panel-01-settings-empty-search');

    await search(settings, 'no such customer');
    await settings.getByTestId('state-no-match').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await expectTeamsClean(page, 'tab settings, no match');
    await screenshot(page, 'teams-panel-02-settings-no-match');

    const nameWords = companies.overdue.name.split(/\s+/);
    const typed = nameWords.slice(0, 2).join(' ').toLowerCase();
    await search(settings, typed);
    await settings.locator(`[data-testid=customer-choice][data-company="${companies.overdue.id}"]`).click();
    await settings.getByTestId('tab-choice').waitFor();
    await expect(settings.getByTestId('tab-choice').textContent()).resolves.toContain(companies.overdue.name);
    await page.waitForFunction(() => !document.querySelector('dialog[open] button.primary')?.hasAttribute('disabled'));
    await expectTeamsClean(page, 'tab settings, customer chosen');
    await screenshot(page, 'teams-panel-03-settings-chosen');
    await save.click();

    const tabLink = page.getByRole('navigation', { name: 'Tabs' }).getByRole('link', { name: companies.overdue.name });
    await tabLink.waitFor({ timeout: 20_000 });
    await expect(tabLink.getAttribute('aria-current')).resolves.toBe('page');
    const tab = page.frameLocator(`iframe[title="${companies.overdue.name}"]`);
    const inTeams = await panelFigures(tab);
    // The settings page's side of the protocol and the tab's, as the host saw them (no reload between).
    const calls = await hostCalls(page);
    expect(calls).toEqual(expect.arrayContaining(['settings.setValidityState', 'settings.setSettings', 'settings.save.success', 'authentication.getAuthToken']));
    expect(calls.indexOf('settings.setSettings')).toBeLessThan(calls.indexOf('settings.save.success'));
    expect(calls.indexOf('settings.save.success')).toBeLessThan(calls.lastIndexOf('authentication.getAuthToken'));
    expect(inTeams).toEqual(onSharePoint);
    await expect(tab.getByTestId('figure-overdue').textContent()).resolves.toContain(`${expected.overdueCount} invoice`);
    await expectTeamsClean(page, 'customer tab, light');
    await screenshot(page, 'teams-panel-04-tab-light');

    // The tab's configuration is the host's: it survives a reload and the panel reads it from getContext's entityId.
    await page.reload();
    await expect(panelFigures(page.frameLocator(`iframe[title="${companies.overdue.name}"]`))).resolves.toEqual(onSharePoint);

    // Live theme changes: the tab's background and the panel's cards follow the host.
    const card = tab.locator('section[aria-labelledby="invoices-title"]');
    const colours = async () => ({
      root: await tab.locator('[data-teams-theme]').evaluate((el) => getComputedStyle(el).backgroundColor),
      body: await tab.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor),
      card: await card.evaluate((el) => getComputedStyle(el).backgroundColor),
      text: await tab.getByTestId('value-open-balance').evaluate((el) => getComputedStyle(el).color),
    });
    const light = await colours();
    expect(light.root).toBe(rgb(namedTheme('light').semanticColors.bodyBackground));
    const seen: Record<string, Awaited<ReturnType<typeof colours>>> = { light };
    for (const [hostTheme, name] of [['dark', 'dark'], ['contrast', 'contrast']] as const satisfies readonly (readonly [string, ThemeName])[]) {
      await page.selectOption('#teams-theme', hostTheme);
      await tab.locator(`[data-teams-theme=${name}]`).waitFor();
      const now = await colours();
      expect(now.root).toBe(rgb(namedTheme(name).semanticColors.bodyBackground));
      expect(now.body).toBe(now.root);
      for (const [before, then] of Object.entries(seen)) {
        expect(now.card, `card background ${name} vs ${before}`).not.toBe(then.card);
        expect(now.text, `text colour ${name} vs ${before}`).not.toBe(then.text);
      }
      seen[name] = now;
      await expectTeamsClean(page, `customer tab, ${name}`);
      await screenshot(page, `teams-panel-05-tab-${name}`);
    }

    // Teams mobile and the meeting side panel: 320 px.
    await page.setViewportSize({ width: 320, height: 800 });
    await tab.getByRole('combobox', { name: 'Sort by' }).waitFor();
    await expectTeamsClean(page, 'customer tab, contrast, 320 px');
    for (const id of ['value-open-balance', 'value-overdue', 'figure-credit-limit']) await expectInside(tab.getByTestId(id), 320, id);
    await expectInside(tab.getByRole('heading', { level: 1 }), 320, 'the heading');
    await expectInside(tab.getByTestId('invoice-row').first(), 320, 'the first invoice');
    await expectInside(tabLink, 320, 'the tab in the header');
    await screenshot(page, 'teams-panel-06-tab-contrast-320');
    await page.selectOption('#teams-theme', 'default');
    await tab.locator('[data-teams-theme=light]').waitFor();
    await expectTeamsClean(page, 'customer tab, light, 320 px');
    await screenshot(page, 'teams-panel-07-tab-light-320');
    await context.close();
  }, 600_000);

  it('in a Dutch client, a tab for a company without an Exact link says how to get it linked; its Settings change the customer, Remove takes it away', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800 });
    await signInToTeams(page, product.sandbox.url, demoLogins.sales, 'theme=dark&lang=nl-nl');
    await page.getByRole('main', { name: 'Berichten' }).waitFor();
    const settings = await openAddTab(page, 'nl');
    await settings.getByRole('heading', { name: 'Kies de klant voor dit tabblad' }).waitFor();
    await search(settings, '7411 ab', 'nl');
    const choice = settings.locator(`[data-testid=customer-choice][data-company="${companies.unlinked.id}"]`);
    await expect(choice.textContent()).resolves.toContain('nog niet in Exact');
    await choice.click();
    await expect(settings.getByTestId('tab-choice').textContent()).resolves.toBe(`Kies Opslaan om het tabblad voor ${companies.unlinked.name} toe te voegen`);
    await expectTeamsClean(page, 'tab settings, dark, 320 px');
    await expectInside(page.getByRole('dialog').getByRole('button', { name: 'Opslaan' }), 320, 'Opslaan (Save)');
    await screenshot(page, 'teams-panel-08-settings-nl-dark-320');
    await page.getByRole('dialog').getByRole('button', { name: 'Opslaan' }).click();
    const tab = page.frameLocator(`iframe[title="${companies.unlinked.name}"]`);
    await tab.getByTestId('state-not-linked').waitFor({ timeout: 20_000 });
    await tab.getByRole('button', { name: 'Aanmaken in Exact' }).waitFor();
    await expectTeamsClean(page, 'unlinked customer tab, dark, 320 px');
    await screenshot(page, 'teams-panel-09-not-linked-nl-dark-320');

    // The tab's Settings open its settings page again with its customer chosen; another choice replaces the tab.
    await page.getByRole('button', { name: 'Opties voor het tabblad' }).click();
    await page.getByRole('group', { name: 'Opties voor het tabblad' }).getByRole('button', { name: 'Instellingen' }).click();
    const again = page.frameLocator('iframe[title="Instellingen van Financiën van de klant"]');
    await expect(again.getByTestId('tab-choice').textContent()).resolves.toContain(companies.unlinked.name);
    await page.waitForFunction(() => !document.querySelector('dialog[open] button.primary')?.hasAttribute('disabled'));
    await expect.poll(() => hostCalls(page)).toContain('settings.setValidityState');
    await expectTeamsClean(page, 'tab settings opened again, nl, dark, 320 px');
    await screenshot(page, 'teams-panel-09b-settings-again-nl-dark-320');
    await search(again, companies.overdue.name.split(/\s+/)[0]!, 'nl');
    await again.locator(`[data-testid=customer-choice][data-company="${companies.overdue.id}"]`).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Opslaan' }).click();
    const tabs = page.getByRole('navigation', { name: 'Tabs' });
    await page.frameLocator(`iframe[title="${companies.overdue.name}"]`).getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    await expect(tabs.getByRole('link').allTextContents()).resolves.toEqual(['Berichten', companies.overdue.name]);

    // Remove: the tab leaves the header, the channel shows Posts again, and stays so after a reload.
    await page.getByRole('button', { name: 'Opties voor het tabblad' }).click();
    await page.getByRole('group', { name: 'Opties voor het tabblad' }).getByRole('button', { name: 'Verwijderen' }).click();
    await page.getByRole('main', { name: 'Berichten' }).waitFor();
    await page.reload();
    await page.getByRole('main', { name: 'Berichten' }).waitFor({ timeout: 20_000 });
    await expect(tabs.getByRole('link').allTextContents()).resolves.toEqual(['Berichten']);
    await context.close();
  });

  it('"My customers" lists customers, opens one beside the list, remembers it, at 320 px takes turns with a way back, and opens the customer a deep link names', async () => {
    const { page, context } = await newPage(browser);
    await signInToTeams(page, product.sandbox.url, demoLogins.sales);
    await page.getByRole('navigation', { name: 'Teams apps' }).getByRole('link', { name: 'Exact CRM' }).click();
    const app = page.frameLocator('iframe[title="My customers"]');
    await app.getByRole('heading', { name: 'All customers, A–Z' }).waitFor({ timeout: 20_000 });
    await expect(app.getByRole('heading', { name: 'Recently opened' }).count()).resolves.toBe(0);
    const listed = await app.getByTestId('customer-choice').count();
    expect(listed).toBe(7);
    await expectTeamsClean(page, 'my customers, first visit');
    await screenshot(page, 'teams-panel-10-my-customers');

    await search(app, 'no such customer');
    await app.getByTestId('state-no-match').waitFor();
    await expectTeamsClean(page, 'my customers, no match');
    await screenshot(page, 'teams-panel-11-my-customers-no-match');

    await search(app, companies.overdue.name.split(/\s+/)[0]!.toUpperCase());
    await app.locator(`[data-testid=customer-choice][data-company="${companies.overdue.id}"]`).click();
    const panel = app.getByTestId('my-customers-panel');
    await expect(panelFigures(panel)).resolves.toMatchObject({ balance: euro(expected.openBalance), overdue: euro(expected.overdueAmount) });
    // Wide: the list stays beside the panel, there is no "back".
    await expect(app.getByRole('searchbox', { name: 'Search customers' }).isVisible()).resolves.toBe(true);
    await expect(app.getByRole('button', { name: 'Back to my customers' }).isVisible()).resolves.toBe(false);
    await expectTeamsClean(page, 'my customers, customer open');
    await screenshot(page, 'teams-panel-12-my-customers-open');

    // Next visit: the customer is under "Recently opened", above the search results.
    await page.reload();
    await app.getByRole('heading', { name: 'Recently opened' }).waitFor({ timeout: 20_000 });
    const recent = app.locator('ul[aria-labelledby="my-customers-recent"] [data-testid=customer-choice]');
    await expect(recent.evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-company'))))).resolves.toEqual([companies.overdue.id]);

    // 320 px: the panel replaces the list, "Back to my customers" brings it back.
    await page.setViewportSize({ width: 320, height: 800 });
    await recent.first().click();
    const back = app.getByRole('button', { name: 'Back to my customers' });
    await back.waitFor();
    await app.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    await expect(app.getByRole('searchbox', { name: 'Search customers' }).isVisible()).resolves.toBe(false);
    await expect.poll(() => app.getByTestId('my-customers-panel').evaluate((el) => el === document.activeElement)).toBe(true);
    await expectInside(back, 320, 'Back to my customers');
    await expectInside(app.getByTestId('value-open-balance'), 320, 'the open balance');
    await expectTeamsClean(page, 'my customers, customer open, 320 px');
    await screenshot(page, 'teams-panel-13-my-customers-open-320');
    await back.click();
    await app.getByRole('searchbox', { name: 'Search customers' }).waitFor();
    await expect.poll(() => app.getByRole('searchbox', { name: 'Search customers' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await expect(app.getByTestId('my-customers-panel').count()).resolves.toBe(0);
    await expectTeamsClean(page, 'my customers, back at the list, 320 px');
    await screenshot(page, 'teams-panel-14-my-customers-back-320');

    // A Teams deep link to the app with subEntityId company:<id> opens that customer, who joins the recent ones.
    const deepLink = new URLSearchParams({ app: 'personal', tab: 'my-customers', context: JSON.stringify({ subEntityId: `company:${companies.unlinked.id}` }) });
    await page.goto(`${product.sandbox.url}/teams?${deepLink.toString()}`);
    await app.getByTestId('state-not-linked').waitFor({ timeout: 20_000 });
    await app.getByRole('heading', { level: 1, name: `${companies.unlinked.name}: finance from Exact` }).waitFor();
    await expectTeamsClean(page, 'my customers, opened by a deep link, 320 px');
    await app.getByRole('button', { name: 'Back to my customers' }).click();
    await expect(recent.evaluateAll((items) => items.map((i) => Number(i.getAttribute('data-company'))))).resolves.toEqual([companies.unlinked.id, companies.overdue.id]);
    await context.close();
  });

  it('while the Companies list is slow the search says so, and when SharePoint fails it says what happened and retries', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800 });
    await signInToTeams(page, product.sandbox.url, demoLogins.sales, 'app=personal&lang=nl-nl');
    const companiesRead = /\/_api\/web\/lists\/getByTitle\('Companies'\)\/items\?/i;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let failing = false;
    await page.route(companiesRead, async (route) => {
      if (failing) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ 'odata.error': { code: '-2147024860, Microsoft.SharePoint.SPException', message: { lang: 'en-US', value: 'The service is temporarily unavailable.' } } }) });
      await held;
      return route.continue();
    });
    await page.reload();
    const app = page.frameLocator('iframe[title="Mijn klanten"]');
    await app.getByText('Zoeken…').first().waitFor({ timeout: 20_000 });
    await expectTeamsClean(page, 'my customers, searching, nl, 320 px');
    await screenshot(page, 'teams-panel-15-my-customers-loading-nl-320');
    release();
    await app.getByRole('heading', { name: 'Alle klanten, A–Z' }).waitFor();

    failing = true;
    await app.getByRole('searchbox', { name: 'Klanten zoeken' }).fill('zonnedak');
    await app.getByText('Er kon niet in de klanten worden gezocht.').waitFor({ timeout: 20_000 });
    await app.getByText('SharePoint reageert op dit moment niet', { exact: false }).waitFor();
    await expectTeamsClean(page, 'my customers, search failed, nl, 320 px');
    await screenshot(page, 'teams-panel-16-my-customers-error-nl-320');
    failing = false;
    await app.getByRole('button', { name: /opnieuw/i }).click();
    await app.locator(`[data-testid=customer-choice][data-company="${companies.unlinked.id}"]`).waitFor();
    await context.close();
  });
});
