/**
 * What a sales user tripped over in the first week (issue 21, points 6–10 without the messages),
 * walked in real Chromium in English and Dutch, light, dark and 320 px, axe on every state:
 * the Companies list's New form, search, sort and pages; Create in Exact with real check digits
 * and the fields written back at once; "Link to this one instead" for an Exact account another
 * CRM company holds; figures explained by unsettled credit notes; dates by the site's regional
 * settings; the Teams stand-in's tab names and admin tabs; no favicon 404.
 * SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
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
import { localDay } from '../../src/finance';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectedFinance, openItems, receivables } from '../support/financeData';
import { expectClean } from '../support/pageChecks';
import { connectExactAsAdmin, demoLogins, signIn, signInToTeams, startWorkbench } from '../support/workbench';

const euro = (amount: number, locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount);

describe.skipIf(browserMissing)('sales flows of issue 21 in the workbench and Teams (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let owner: SPFI;
  const ids = { holder: 0, second: 0, credited: 0 };
  let holderName = '';
  let credit = { amount: 0, overdue: 0, balance: 0 };
  const fillers = 30;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    owner = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    const division = product.exact.divisions[0]!.code;
    const list = owner.web.lists.getByTitle('Companies');
    const accounts = product.exact.records(division, 'Accounts');

    // A customer whose unsettled credit note makes overdue larger than the open balance.
    const api = `${product.sandbox.url}/exact/api/v1/`;
    const token = product.exact.issueTokens().access_token;
    const open = await openItems(api, division, token);
    const today = localDay(new Date());
    const candidates = [...new Set(open.filter((row) => Number(row.Amount) < 0).map((row) => String(row.AccountId).toLowerCase()))];
    for (const accountId of candidates) {
      const expected = expectedFinance(open, await receivables(api, division, token, accountId), accountId, today);
      if (expected.overdueAmount <= expected.openBalance) continue;
      const account = accounts.find((row) => String(row.ID).toLowerCase() === accountId)!;
      const negative = open.filter((row) => String(row.AccountId).toLowerCase() === accountId && Number(row.Amount) < 0).reduce((sum, row) => sum + Math.round(Number(row.Amount) * 100), 0);
      credit = { amount: -negative / 100, overdue: expected.overdueAmount, balance: expected.openBalance };
      ids.credited = (await list.items.add({ Title: String(account.Name), ExactId: accountId, ExactCode: String(account.Code).trim(), City: account.City })).Id as number;
      break;
    }

    // An Exact account linked to one CRM company; a second company carries the same KvK number.
    const held = accounts.find((row) => row.Status === 'C' && row.ChamberOfCommerce && !candidates.includes(String(row.ID).toLowerCase()))!;
    holderName = `${String(held.Name)} (CRM)`;
    ids.holder = (await list.items.add({ Title: holderName, ExactId: String(held.ID).toLowerCase(), ExactCode: String(held.Code).trim(), KvkNumber: String(held.ChamberOfCommerce), City: held.City })).Id as number;
    ids.second = (await list.items.add({ Title: `${String(held.Name)} (tweede invoer)`, KvkNumber: String(held.ChamberOfCommerce), Country: 'NL' })).Id as number;
    for (let i = 1; i <= fillers; i++) {
      await list.items.add({ Title: `Testbedrijf ${String(i).padStart(2, '0')}`, City: i % 2 ? 'Zwolle' : 'Amersfoort' });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('no page asks for a favicon in vain, on either host name', async () => {
    for (const origin of [product.sandbox.url, product.sandbox.url.replace('127.0.0.1', 'localhost')]) {
      const answer = await fetch(`${origin}/favicon.ico`);
      expect(answer.status, origin).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/png');
      expect((await answer.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('the admin connects Exact', async () => {
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await context.close();
  });

  it('the Companies list searches, sorts by column and pages; New adds a company and leads to Create in Exact', async () => {
    const { page, context } = await newPage(browser);
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/companies', query: 'lang=en-us&theme=light' });
    const range = page.getByTestId('companies-range');
    const total = fillers + 2 + (ids.credited ? 1 : 0);
    await expect.poll(() => range.textContent(), { timeout: 20_000 }).toBe(`1–25 of ${total} · Page 1 of 2`);
    await expect(page.getByTestId('company-row').count()).resolves.toBe(25);
    await expectClean(page, 'companies, page 1');
    await screenshot(page, 'sales-01-companies');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(range.textContent()).resolves.toBe(`26–${total} of ${total} · Page 2 of 2`);
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);

    // Search: every word, in name or city.
    await page.getByRole('searchbox', { name: 'Search companies' }).fill('testbedrijf zwolle');
    await expect.poll(() => page.getByTestId('company-row').count()).toBe(fillers / 2);
    await expect(range.textContent()).resolves.toBe(`1–${fillers / 2} of ${fillers / 2} · Page 1 of 1`);
    // Sort by name, descending: the last of the odd ones first.
    await page.getByRole('button', { name: /^Sort order: Ascending/ }).click();
    await expect(page.getByTestId('company-row').first().textContent()).resolves.toContain(`Testbedrijf ${fillers - 1}`);
    await page.getByRole('searchbox', { name: 'Search companies' }).fill('testbedrijf');
    // Sort by city (still descending): Zwolle first; reversed, Amersfoort first.
    await page.getByRole('combobox', { name: 'Sort by' }).click();
    await page.getByRole('option', { name: 'City' }).click();
    await expect(page.getByTestId('company-row').first().textContent()).resolves.toContain('Zwolle');
    await page.getByRole('button', { name: /^Sort order: Descending/ }).click();
    await expect(page.getByTestId('company-row').first().textContent()).resolves.toContain('Amersfoort');
    await page.getByRole('searchbox', { name: 'Search companies' }).fill('geen bedrijf heet zo');
    await page.getByText('No company matches “geen bedrijf heet zo”.', { exact: false }).waitFor();
    await expectClean(page, 'companies, no match');

    // New: the list's own form; the name is required.
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'New company' });
    await panel.getByRole('textbox', { name: 'Company name' }).waitFor();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText("You can't leave this blank.").waitFor();
    await expectClean(page, 'new company form, name missing');
    await screenshot(page, 'sales-02-new-company');
    await panel.getByRole('textbox', { name: 'Company name' }).fill('Fietsenmakerij De Spaak B.V.');
    await panel.getByRole('textbox', { name: 'KvK number' }).fill('00000000');
    await panel.getByRole('textbox', { name: 'VAT number' }).fill('NL123456789B01');
    await panel.getByRole('textbox', { name: 'Phone' }).fill('call me maybe');
    await panel.getByRole('textbox', { name: 'City' }).fill('Zwolle');
    await panel.getByRole('textbox', { name: 'Country' }).fill('NL');
    await panel.getByRole('button', { name: 'Save' }).click();
    const addedBar = page.getByTestId('company-added');
    await addedBar.getByText('Fietsenmakerij De Spaak B.V. was added to Companies.').waitFor();
    // The list is read again and searched for the new name: it is the one row.
    await expect.poll(() => page.getByTestId('company-row').allTextContents(), { timeout: 20_000 }).toEqual([expect.stringContaining('Fietsenmakerij De Spaak B.V.')]);
    await expectClean(page, 'company added');
    await screenshot(page, 'sales-03-company-added');
    const added = (await owner.web.lists.getByTitle('Companies').items.filter("Title eq 'Fietsenmakerij De Spaak B.V.'")()) as Array<{ Id: number }>;
    expect(added).toHaveLength(1);

    // Create in Exact from there: the checks the form's numbers failed, then the fixed ones.
    await page.getByRole('link', { name: 'Create Fietsenmakerij De Spaak B.V. in Exact' }).first().click();
    const form = page.getByRole('form');
    await form.getByText('NL, 9 digits, B, 2 digits').waitFor({ timeout: 20_000 });
    await form.getByRole('button', { name: 'Check and create' }).click();
    await form.getByText('A KvK number has 8 digits (not all zeros).').waitFor();
    await form.getByText("This VAT number's check digits are wrong: check for a typo.").waitFor();
    await form.getByText('A phone number has 8 to 15 digits and may contain + ( ) - and spaces.').waitFor();
    await expectClean(page, 'create form, wrong numbers');
    await screenshot(page, 'sales-04-create-check-digits');
    await form.getByRole('textbox', { name: 'KvK number' }).fill('74231569');
    await form.getByRole('textbox', { name: 'VAT number' }).fill('NL000099998B57');
    await form.getByRole('textbox', { name: 'Phone' }).fill('+31 (0)38 123 4567');
    await form.getByRole('button', { name: 'Check and create' }).click();
    await page.getByText(/^Created Fietsenmakerij De Spaak B\.V\. \(\d+\) in Exact/).waitFor({ timeout: 20_000 });
    // Created here: no "already in Exact, nothing to create" beside the success.
    await page.getByTestId('state-no-invoices').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('state-already-linked').count()).resolves.toBe(0);
    // Written back at once, not at the next import: code, numbers, city.
    const item = (await owner.web.lists.getByTitle('Companies').items.getById(added[0]!.Id).select('ExactId', 'ExactCode', 'KvkNumber', 'VatNumber', 'Phone', 'City', 'Country', 'CustomerStatus')()) as Record<string, string>;
    expect(item).toMatchObject({ KvkNumber: '74231569', VatNumber: 'NL000099998B57', Phone: '+31 (0)38 123 4567', City: 'Zwolle', Country: 'NL', CustomerStatus: 'Customer' });
    expect(item.ExactCode).toMatch(/^\d+$/);
    expect(item.ExactId).toMatch(/^[0-9a-f-]{36}$/);
    await expectClean(page, 'created and written back');
    await screenshot(page, 'sales-05-created');
    expect(failed, 'no request failed (favicon included)').toEqual([]);
    await context.close();
  }, 600_000);

  it('"Link" on an Exact account another CRM company holds says so and opens that company, instead of blaming SharePoint', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.second}&lang=en-us&theme=light` });
    await page.getByTestId('suggestion').first().waitFor({ timeout: 20_000 });
    // The best match is the primary action; creating another account is not.
    const best = page.getByTestId('link-best');
    await expect(best.evaluate((el) => el.className)).resolves.toContain('ms-Button--primary');
    await expect(page.getByRole('button', { name: 'Create in Exact' }).evaluate((el) => el.className)).resolves.not.toContain('ms-Button--primary');
    await expectClean(page, 'suggestions');
    await best.click();
    const refused = page.getByTestId('already-linked-elsewhere');
    await refused.waitFor({ timeout: 20_000 });
    await expect(refused.textContent()).resolves.toContain(`is already linked to ${holderName} in the CRM`);
    await expect(refused.textContent()).resolves.not.toContain('SharePoint');
    await expectClean(page, 'already linked elsewhere');
    await screenshot(page, 'sales-06-already-linked');
    await page.getByRole('button', { name: `Open ${holderName}` }).click();
    await page.getByRole('heading', { name: `${holderName}: finance from Exact` }).waitFor({ timeout: 20_000 });
    await page.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    // English on a Dutch site: dates day-month-year, as its regional settings write them.
    const lastPayment = await page.getByTestId('value-last-payment').textContent();
    if (lastPayment !== 'None yet') expect(lastPayment).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    await expectClean(page, 'holder opened');
    await context.close();

    const nl = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(nl.page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.second}&lang=nl-nl&theme=dark` });
    await nl.page.getByTestId('link-best').click({ timeout: 20_000 });
    const weigering = nl.page.getByTestId('already-linked-elsewhere');
    await weigering.waitFor({ timeout: 20_000 });
    await expect(weigering.textContent()).resolves.toContain(`is al gekoppeld aan ${holderName} in het CRM`);
    await nl.page.getByRole('button', { name: `${holderName} openen` }).waitFor();
    await expectClean(nl.page, 'already linked elsewhere, nl, dark, 320 px');
    await screenshot(nl.page, 'sales-07-already-linked-nl-dark-320');
    await nl.context.close();
  }, 600_000);

  it('overdue larger than the open balance and a negative "Not due" are explained by the unsettled credit note, in English and Dutch', async () => {
    expect(ids.credited, 'the seeded division has a customer with an unsettled credit note').toBeGreaterThan(0);
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.credited}&lang=en-us&theme=light` });
    const note = page.getByTestId('note-overdue');
    await note.waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('value-overdue').textContent()).resolves.toBe(euro(credit.overdue, 'en-GB'));
    await expect(note.textContent()).resolves.toBe(`More than the open balance because of ${euro(credit.amount, 'en-GB')} in credit notes not yet settled against an invoice: they lower the balance, not what is overdue.`);
    const notDue = page.getByTestId('note-notDue');
    if (await notDue.count()) await expect(notDue.textContent()).resolves.toContain(euro(credit.amount, 'en-GB'));
    await expectClean(page, 'figures explained');
    await screenshot(page, 'sales-08-credit-note-explained');
    await context.close();

    const nl = await newPage(browser, { width: 320, height: 900, colorScheme: 'dark' });
    await signIn(nl.page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.credited}&lang=nl-nl&theme=dark` });
    const uitleg = nl.page.getByTestId('note-overdue');
    await uitleg.waitFor({ timeout: 20_000 });
    await expect(uitleg.textContent()).resolves.toBe(`Hoger dan het openstaande saldo door ${euro(credit.amount, 'nl-NL')} aan creditnota's die nog niet met een factuur zijn afgeletterd: die verlagen het saldo, niet wat vervallen is.`);
    await expectClean(nl.page, 'figures explained, nl, dark, 320 px');
    await screenshot(nl.page, 'sales-09-credit-note-explained-nl-dark-320');
    await nl.context.close();
  }, 600_000);

  it('the Dutch Companies list at 320 px, dark: search and pages read in Dutch', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/companies', query: 'lang=nl-nl&theme=dark' });
    await expect.poll(() => page.getByTestId('companies-range').textContent(), { timeout: 20_000 }).toMatch(/^1–25 van \d+ · Pagina 1 van 2$/);
    await expectClean(page, 'companies, nl, dark, 320 px');
    await screenshot(page, 'sales-10-companies-nl-dark-320');
    await page.getByRole('button', { name: 'Nieuw', exact: true }).click();
    await page.getByRole('dialog', { name: 'Nieuw bedrijf' }).getByRole('textbox', { name: 'Bedrijfsnaam' }).waitFor();
    await expectClean(page, 'new company, nl, dark, 320 px');
    await screenshot(page, 'sales-11-new-company-nl-dark-320');
    await context.close();
  }, 600_000);

  it('in a Dutch Teams client the tabs are named in Dutch, and a sales user sees no admin tabs', async () => {
    const sales = await newPage(browser, { width: 1024, height: 700 });
    await signInToTeams(sales.page, product.sandbox.url, demoLogins.sales, 'app=personal&lang=nl-nl');
    const tabs = sales.page.getByRole('navigation', { name: 'Tabs' });
    await tabs.getByRole('link', { name: 'Mijn klanten' }).waitFor();
    await expect(tabs.getByRole('link').allTextContents()).resolves.toEqual(['Mijn klanten']);
    await sales.page.frameLocator('iframe[title="Mijn klanten"]').getByRole('searchbox').waitFor({ timeout: 20_000 });
    await screenshot(sales.page, 'sales-12-teams-nl-sales');
    await sales.context.close();

    const admin = await newPage(browser, { width: 1024, height: 700, colorScheme: 'dark' });
    await signInToTeams(admin.page, product.sandbox.url, demoLogins.admin, 'app=personal&lang=nl-nl&theme=dark');
    const adminTabs = admin.page.getByRole('navigation', { name: 'Tabs' });
    await adminTabs.getByRole('link', { name: 'Importprofielen' }).waitFor();
    await expect(adminTabs.getByRole('link').allTextContents()).resolves.toEqual(['Mijn klanten', 'Koppeling met Exact Online', 'Importprofielen']);
    await screenshot(admin.page, 'sales-13-teams-nl-admin');
    await admin.context.close();
  }, 600_000);
});
