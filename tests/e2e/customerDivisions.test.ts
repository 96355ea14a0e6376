/**
 * The customer panel over two Exact divisions (NL 2950001, BE 2950002), in real Chromium. The
 * Belgian companies come into the CRM as an admin brings them: an import with the engine, over
 * the emulators, with a profile for the Belgian division. Then: the admin sets the Belgian
 * financial year to start on 29 February; a Belgian company's panel reads the Belgian division,
 * names it and shows the balance the test sums from that division's own receivables; one
 * customer in both divisions opens as one panel with a total and a switch (three Exact calls per
 * division cold, none warm); an unlinked company is created in the division the person picks.
 * axe and overflow on every state; light, dark, 320 px, en and nl. SCREENSHOTS_DIR keeps pictures.
 */
import { spfi, SPFx } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCookie } from '../../sandbox/sharepoint';
import type { RunningProduct } from '../../sandbox/product';
import { siteContext, type SPFI } from '../../src/crm/pnp';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { financialYearLabel, financialYearOf, localDay, previousFinancialYear } from '../../src/finance';
import { wireSync } from '../../src/services/syncServices';
import { systemClock } from '../../src/sync/clock';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { expectedFinance, openItems, receivables, type ExpectedFinance } from '../support/financeData';
import { connectExactAsAdmin, demoLogins, enableDivision, signIn, startWorkbench } from '../support/workbench';

const euro = (amount: number, locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount);
const epochDay = (wire: unknown): number => Math.floor(Number(/\d+/.exec(String(wire))?.[0]) / 86_400_000);

/** Accounts of a division with open items, most overdue items first. */
function byOverdue(open: Array<Record<string, unknown>>, today: number): string[] {
  const counts = new Map<string, number>();
  for (const row of open) counts.set(String(row.AccountId).toLowerCase(), (counts.get(String(row.AccountId).toLowerCase()) ?? 0) + (today - epochDay(row.DueDate) > 0 ? 1 : 0));
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

describe.skipIf(browserMissing)('customer panel over two divisions (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let owner: SPFI;
  let nl: { code: number; description: string };
  let be: { code: number; description: string };
  const ids = { belgian: 0, sameNl: 0, sameBe: 0, unlinked: 0, nlFirst: 0 };
  const expected: Record<'belgian' | 'sameNl' | 'sameBe', ExpectedFinance> = {} as never;
  let today = 0;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    nl = product.exact.divisions[0]!;
    be = product.exact.divisions[1]!;
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    owner = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    const api = `${product.sandbox.url}/exact/api/v1/`;
    const token = product.exact.issueTokens().access_token;
    today = localDay(new Date());

    // The customer in both divisions: a Dutch account with overdue items and a KvK number, and a
    // Belgian one that Exact has under the same KvK number (its Belgian branch).
    const nlOpen = await openItems(api, nl.code, token);
    const beOpen = await openItems(api, be.code, token);
    const nlAccounts = product.exact.records(nl.code, 'Accounts');
    const sameNl = nlAccounts.find((a) => a.ChamberOfCommerce && byOverdue(nlOpen, today).slice(0, 5).includes(String(a.ID).toLowerCase()))!;
    const [sameBeId, belgianId] = byOverdue(beOpen, today);
    product.exact.updateRecord(be.code, 'Accounts', sameBeId!, { ChamberOfCommerce: String(sameNl.ChamberOfCommerce) });
    expected.sameNl = expectedFinance(nlOpen, await receivables(api, nl.code, token, String(sameNl.ID)), String(sameNl.ID), today);
    expected.sameBe = expectedFinance(beOpen, await receivables(api, be.code, token, sameBeId!), sameBeId!, today);
    expected.belgian = expectedFinance(beOpen, await receivables(api, be.code, token, belgianId!), belgianId!, today);

    // Dutch companies linked before divisions were recorded: no ExactDivision, so the default's.
    const companies = owner.web.lists.getByTitle('Companies');
    ids.sameNl = (await companies.items.add({ Title: String(sameNl.Name), ExactId: String(sameNl.ID).toLowerCase(), ExactCode: String(sameNl.Code).trim(), KvkNumber: String(sameNl.ChamberOfCommerce), City: sameNl.City })).Id as number;
    const first = nlAccounts[0]!;
    ids.nlFirst = first.ID === sameNl.ID ? ids.sameNl : ((await companies.items.add({ Title: String(first.Name), ExactId: String(first.ID).toLowerCase(), ExactCode: String(first.Code).trim(), City: first.City })).Id as number);

    // The Belgian companies, imported by the engine with a profile for the Belgian division.
    const client = new ExactClient(createAxiosTransport({ baseUrl: api, getAccessToken: async () => token, timeoutMs: 60_000 }), { clock: systemClock });
    const sync = wireSync({ sp: owner, client, clock: systemClock });
    await sync.profileStore.save({ ...defaultProfiles(be.code)[0]!, id: 'companies-be', title: 'Companies from Exact accounts (België)' });
    const run = await sync.engine.run('companies-be', { user: 'admin@contoso.test' });
    const beAccounts = product.exact.records(be.code, 'Accounts');
    expect(run.counts).toMatchObject({ read: beAccounts.length, created: beAccounts.length, failed: 0, conflicts: 0 });
    const imported = (await companies.items.select('Id', 'ExactId', 'ExactDivision').top(500)()) as Array<{ Id: number; ExactId: string | null; ExactDivision: number | null }>;
    const idOf = (exactId: string) => imported.find((item) => item.ExactId?.toLowerCase() === exactId.toLowerCase())!;
    expect(idOf(sameBeId!).ExactDivision).toBe(be.code);
    expect(idOf(String(sameNl.ID)).ExactDivision, 'the Belgian run leaves the Dutch link alone').toBeNull();
    ids.sameBe = idOf(sameBeId!).Id;
    ids.belgian = idOf(belgianId!).Id;
    ids.unlinked = (await companies.items.add({ Title: 'Brasserie De Kouter BV', KvkNumber: '0456.789.133', AddressLine1: 'Kouter 12', Postcode: '9000', City: 'Gent', Country: 'België', Email: 'info@dekouter.be' })).Id as number;
    product.exact.resetCounters();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('the admin connects and starts the Belgian financial year on 29 February', async () => {
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    const label = (d: { code: number; description: string }) => `${d.description} (${d.code})`;
    await enableDivision(page, label(be));
    await page.getByText(`Divisions saved: the CRM may use ${label(nl)}, ${label(be)}.`).waitFor();
    await page.getByRole('combobox', { name: 'Administration' }).click();
    await page.getByRole('option', { name: label(be) }).click();
    await page.getByRole('combobox', { name: 'Financial year starts in' }).click();
    await page.getByRole('option', { name: 'February' }).click();
    await page.getByRole('spinbutton', { name: 'On day' }).fill('30');
    await page.getByText('Enter a day between 1 and 29 for this month.').waitFor();
    await page.getByRole('spinbutton', { name: 'On day' }).fill('29');
    await page.getByTestId('leap-day-note').waitFor();
    await expectClean(page, 'financial year on 29 February');
    await screenshot(page, 'divisions-01-financial-year-leap-day');
    await page.getByRole('button', { name: 'Save financial year' }).click();
    await page.getByText(`Financial year start of ${label(be)} saved.`).waitFor();
    const belgian = page.locator(`[data-testid=financial-year][data-division="${be.code}"]`);
    await expect(belgian.getAttribute('data-start')).resolves.toBe('02-29');
    await expect(belgian.textContent()).resolves.toContain('Starts on 29 February');
    await expect(page.locator(`[data-testid=financial-year][data-division="${nl.code}"]`).textContent()).resolves.toContain('not confirmed');
    await expectClean(page, 'financial year saved per administration');
    await screenshot(page, 'divisions-02-financial-year-saved');
    await context.close();

    // The same page in Dutch, dark, at 320 px: the list of administrations wraps, nothing is cut off.
    const narrow = await newPage(browser, { width: 320, height: 900, colorScheme: 'dark' });
    await signIn(narrow.page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=nl-nl&theme=dark' });
    await narrow.page.locator(`[data-testid=financial-year][data-division="${be.code}"]`).getByText('Begint op 29 februari').waitFor({ timeout: 20_000 });
    await expectClean(narrow.page, 'financial year nl dark 320');
    await screenshot(narrow.page, 'divisions-03-financial-year-nl-dark-320');
    await narrow.context.close();
  });

  it('the Companies list tells two "Exact 20001" companies apart by their administration', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/companies', query: 'lang=en-us&theme=light' });
    await page.getByTestId('company-row').first().waitFor();
    await page.locator(`[data-testid=company-row][data-company="${ids.nlFirst}"]`).getByText(`Exact 20001 in ${nl.description}`).waitFor();
    const belgianFirst = page.locator('[data-testid=company-row]').filter({ hasText: `Exact 20001 in ${be.description}` });
    await expect(belgianFirst.count()).resolves.toBe(1);
    await expectClean(page, 'companies in two divisions');
    await screenshot(page, 'divisions-04-companies');
    await context.close();
  });

  it('a Belgian company reads the Belgian division: named, and its balance is the sum of that division\'s receivables', async () => {
    const { page, context } = await newPage(browser);
    product.exact.resetCounters();
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.belgian}&lang=en-us&theme=light` });
    await page.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    expect({ nl: product.exact.calls(nl.code), be: product.exact.calls(be.code) }).toEqual({ nl: 0, be: 3 });
    await expect(page.getByTestId('panel-division').textContent()).resolves.toBe(`Administration: ${be.description} (${be.code})`);
    await expect(page.getByTestId('value-open-balance').textContent()).resolves.toBe(euro(expected.belgian.openBalance, 'en-US'));
    await expect(page.getByTestId('value-overdue').textContent()).resolves.toBe(euro(expected.belgian.overdueAmount, 'en-US'));
    // Revenue per financial year from 29 February, the Belgian start, instead of a failed panel.
    const current = financialYearOf(today, '02-29');
    await expect(page.getByTestId('figure-revenue-current').textContent()).resolves.toContain(`Invoiced ${financialYearLabel(current)}`);
    await expect(page.getByTestId('figure-revenue-previous').textContent()).resolves.toContain(`Invoiced ${financialYearLabel(previousFinancialYear(current, '02-29'))}`);
    await expect(page.getByTestId('across-divisions').count()).resolves.toBe(0);
    await expectClean(page, 'Belgian company');
    await screenshot(page, 'divisions-05-belgian-company');
    await context.close();
  });

  it('one customer in both divisions: one panel with a total and a switch, three Exact calls per division cold, none warm', async () => {
    const { page, context } = await newPage(browser);
    product.exact.resetCounters();
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.sameNl}&lang=en-us&theme=light` });
    await page.getByTestId('across-divisions').waitFor({ timeout: 20_000 });
    expect({ nl: product.exact.calls(nl.code), be: product.exact.calls(be.code) }).toEqual({ nl: 3, be: 3 });

    const amount = (row: string, field: string) => page.locator(`${row} [data-field=${field}]`).getAttribute('data-amount');
    const nlRow = `[data-testid=division-row][data-division="${nl.code}"]`;
    const beRow = `[data-testid=division-row][data-division="${be.code}"]`;
    const total = '[data-testid=total-row][data-currency=EUR]';
    await expect(amount(nlRow, 'openBalance')).resolves.toBe(expected.sameNl.openBalance.toFixed(2));
    await expect(amount(beRow, 'openBalance')).resolves.toBe(expected.sameBe.openBalance.toFixed(2));
    await expect(amount(total, 'openBalance')).resolves.toBe((Math.round((expected.sameNl.openBalance + expected.sameBe.openBalance) * 100) / 100).toFixed(2));
    await expect(amount(total, 'overdueAmount')).resolves.toBe((Math.round((expected.sameNl.overdueAmount + expected.sameBe.overdueAmount) * 100) / 100).toFixed(2));
    const buckets = ['notDue', 'days1to30', 'days31to60', 'days61to90', 'over90'];
    for (const [i, bucket] of buckets.entries()) {
      await expect(amount(total, bucket)).resolves.toBe((Math.round((expected.sameNl.buckets[i]! + expected.sameBe.buckets[i]!) * 100) / 100).toFixed(2));
    }
    await expect(page.locator('[data-testid=total-row]').count()).resolves.toBe(1);

    // The switch: the opened company's division first; the Belgian one shows its own invoices.
    const tabs = page.getByRole('tablist', { name: 'Administrations' });
    await expect(tabs.getByRole('tab', { selected: true }).getAttribute('data-division')).resolves.toBe(String(nl.code));
    await expect(page.getByTestId('value-open-balance').textContent()).resolves.toBe(euro(expected.sameNl.openBalance, 'en-US'));
    await expectClean(page, 'customer in two divisions');
    await screenshot(page, 'divisions-06-across-light');
    await tabs.getByRole('tab', { name: new RegExp(be.description.replace(/[.&()]/g, '\\$&')) }).click();
    await expect(page.getByTestId('division-panel').getAttribute('data-division')).resolves.toBe(String(be.code));
    await expect(page.getByTestId('value-open-balance').textContent()).resolves.toBe(euro(expected.sameBe.openBalance, 'en-US'));
    await expect(page.getByTestId('exact-account').textContent()).resolves.toContain(`in ${be.description} (${be.code})`);
    await page.getByTestId('invoice-row').first().waitFor();
    await expectClean(page, 'customer in two divisions, the Belgian one chosen');
    await screenshot(page, 'divisions-07-across-belgian-chosen');
    // Arrow keys move between administrations, as in any tab list.
    await tabs.getByRole('tab', { selected: true }).press('ArrowLeft');
    await expect(tabs.getByRole('tab', { selected: true }).getAttribute('data-division')).resolves.toBe(String(nl.code));
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-division'))).resolves.toBe(String(nl.code));

    // Warm: the same customer again costs Exact nothing in either division.
    product.exact.resetCounters();
    await page.reload();
    await page.getByTestId('across-divisions').waitFor({ timeout: 20_000 });
    expect({ nl: product.exact.calls(nl.code), be: product.exact.calls(be.code) }).toEqual({ nl: 0, be: 0 });
    await context.close();
  });

  it('in Dutch, dark and at 320 px the totals are cards and nothing is cut off', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 900, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.sameNl}&lang=nl-nl&theme=dark` });
    await page.getByTestId('across-divisions').waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Deze klant in 2 administraties' }).waitFor();
    await expect(page.locator('section[data-testid=total-row]').getByText('Totaal in EUR').count()).resolves.toBe(1);
    await expect(page.getByTestId('panel-division').textContent()).resolves.toBe(`Administratie: ${nl.description} (${nl.code})`);
    await expectClean(page, 'across divisions nl dark 320');
    await screenshot(page, 'divisions-08-across-nl-dark-320');
    await context.close();
  });

  it('administrations that keep their books in different currencies get a total per currency, never a sum', async () => {
    const { page, context } = await newPage(browser);
    // As the gateway reports a division whose books are in pounds (the emulator's are all in euro).
    await page.route('**/gateway/connection*', async (route) => {
      if (route.request().method() !== 'GET') return route.continue();
      const response = await route.fetch();
      const status = (await response.json()) as { divisions?: Array<{ code: number; currency?: string }> };
      for (const d of status.divisions ?? []) if (d.code === be.code) d.currency = 'GBP';
      return route.fulfill({ response, json: status });
    });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.sameNl}&lang=en-us&theme=light` });
    await page.getByTestId('currencies-differ').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=total-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-currency')))).resolves.toEqual(['EUR', 'GBP']);
    await expect(page.locator('[data-testid=total-row][data-currency=EUR] [data-field=openBalance]').getAttribute('data-amount')).resolves.toBe(expected.sameNl.openBalance.toFixed(2));
    await expect(page.locator('[data-testid=total-row][data-currency=GBP] [data-field=openBalance]').textContent()).resolves.toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'GBP' }).format(expected.sameBe.openBalance));
    await expectClean(page, 'totals per currency');
    await screenshot(page, 'divisions-09-two-currencies');

    // At 320 px, dark, in Dutch: a card per currency's total.
    await page.setViewportSize({ width: 320, height: 900 });
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/customer?company=${ids.sameNl}&lang=nl-nl&theme=dark`);
    await page.getByTestId('currencies-differ').waitFor({ timeout: 20_000 });
    await expect(page.locator('section[data-testid=total-row]').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')))).resolves.toEqual(['Totaal in EUR', 'Totaal in GBP']);
    await expectClean(page, 'totals per currency nl dark 320');
    await screenshot(page, 'divisions-09b-two-currencies-nl-dark-320');
    await context.close();
  });

  it('an unlinked company is created in the division the person picks, and the item gets ExactId and ExactDivision', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.unlinked}&lang=en-us&theme=light` });
    await page.getByTestId('state-not-linked').waitFor({ timeout: 20_000 });
    const picker = page.getByRole('combobox', { name: 'Exact administration' });
    await expect(picker.textContent()).resolves.toContain(`${nl.description} (${nl.code}) (default)`);
    await picker.click();
    await page.getByRole('option', { name: `${be.description} (${be.code})` }).click();
    await page.getByText(`No account in ${be.description} (${be.code}) looks like this company.`).waitFor({ timeout: 20_000 });
    await expectClean(page, 'not linked, Belgian administration chosen');
    await screenshot(page, 'divisions-10-not-linked-picker');

    await page.getByRole('button', { name: 'Create in Exact' }).click();
    await expect(page.getByTestId('create-intro').textContent()).resolves.toContain(`The account is created in ${be.description} (${be.code}).`);
    await page.getByRole('combobox', { name: 'Country' }).waitFor();
    await expectClean(page, 'create form in the Belgian administration');
    await screenshot(page, 'divisions-11-create-in-belgium');
    const nlBefore = product.exact.records(nl.code, 'Accounts').length;
    await page.getByRole('button', { name: 'Check and create' }).click();
    await page.getByText(/Created Brasserie De Kouter BV \(\d+\) in Exact, in Peeters & Zonen BV \(2950002\)/).waitFor({ timeout: 20_000 });
    const created = product.exact.records(be.code, 'Accounts').filter((row) => row.Name === 'Brasserie De Kouter BV');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ ChamberOfCommerce: '0456.789.133', Postcode: '9000', Country: 'BE' });
    expect(product.exact.records(nl.code, 'Accounts')).toHaveLength(nlBefore);
    const item = (await owner.web.lists.getByTitle('Companies').items.getById(ids.unlinked).select('ExactId', 'ExactDivision')()) as { ExactId: string; ExactDivision: number };
    expect(item).toMatchObject({ ExactId: String(created[0]!.ID).toLowerCase(), ExactDivision: be.code });
    await page.getByTestId('state-no-invoices').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('panel-division').textContent()).resolves.toBe(`Administration: ${be.description} (${be.code})`);
    await expectClean(page, 'created in the Belgian administration');
    await screenshot(page, 'divisions-12-created-in-belgium');
    await context.close();
  });

  it('a company already in Exact is not created there again', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800 });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.belgian}&action=create&lang=en-us` });
    await page.getByTestId('state-already-linked').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('state-already-linked').textContent()).resolves.toContain(`is already in Exact, in ${be.description} (${be.code})`);
    await expect(page.getByRole('button', { name: 'Check and create' }).count()).resolves.toBe(0);
    await expectClean(page, 'already linked, opened to create');
    await screenshot(page, 'divisions-13-already-in-exact-320');
    await context.close();
  });
});
