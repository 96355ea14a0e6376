/**
 * The customer panel in the workbench, in real Chromium, as sales use it: the admin connects
 * Exact once; the sales user opens a company with overdue invoices from the Companies list and
 * sees the numbers the test computes itself from the Exact emulator's own rows; a company with no
 * Exact link is created in Exact after the duplicate check catches a planted look-alike, and the
 * new ID lands in the CRM item. axe and overflow on every state; light, dark, 320 px, en and nl.
 * SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import { spfi, SPFx } from '@pnp/sp';
import '@pnp/sp/webs';
import '@pnp/sp/lists';
import '@pnp/sp/items';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCookie } from '../../sandbox/sharepoint';
import type { RunningProduct } from '../../sandbox/product';
import { siteContext, type SPFI } from '../../src/crm/pnp';
import { localDay } from '../../src/finance';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { expectedFinance, mostOverdueAccount, openItems, receivables, type ExpectedFinance } from '../support/financeData';
import { connectExactAsAdmin, demoLogins, signIn, startWorkbench } from '../support/workbench';

/** Fluent's radio inputs sit under their labels: a person clicks the label. */
const chooseFilter = (page: Page, name: string) => page.getByRole('radiogroup', { name: 'Show' }).getByText(name, { exact: true }).click();

const euro = (amount: number, locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount);

describe.skipIf(browserMissing)('customer panel in the workbench (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let owner: SPFI;
  let division: number;
  let expected: ExpectedFinance;
  let accountId = '';
  const ids = { overdue: 0, unlinked: 0, empty: 0 };
  let plantedId = '';

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    owner = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    division = product.exact.divisions[0]!.code;
    const api = `${product.sandbox.url}/exact/api/v1/`;
    const token = product.exact.issueTokens().access_token;
    const today = localDay(new Date());
    const open = await openItems(api, division, token);
    accountId = mostOverdueAccount(open, today);
    expected = expectedFinance(open, await receivables(api, division, token, accountId), accountId, today);
    const accounts = product.exact.records(division, 'Accounts');
    const overdueAccount = accounts.find((row) => String(row.ID).toLowerCase() === accountId.toLowerCase())!;
    const prospect = accounts.find((row) => row.Status === 'P')!;
    const planted = product.exact.createRecord(division, 'Accounts', { Name: 'Zonnedak Oost B.V.', ChamberOfCommerce: '64512378', City: 'Deventer', Postcode: '7411 AB', Status: 'P' });
    plantedId = String(planted.ID).toLowerCase();
    const list = owner.web.lists.getByTitle('Companies');
    ids.overdue = (await list.items.add({ Title: String(overdueAccount.Name), ExactId: accountId, ExactCode: String(overdueAccount.Code).trim(), City: overdueAccount.City })).Id as number;
    ids.empty = (await list.items.add({ Title: String(prospect.Name), ExactId: String(prospect.ID), ExactCode: String(prospect.Code).trim() })).Id as number;
    ids.unlinked = (await list.items.add({ Title: 'Zonnedak Oost B.V.', KvkNumber: '6451 2378', VatNumber: 'NL864512375B01', AddressLine1: 'Brink 12', Postcode: '7411ab', City: 'Deventer', Country: 'Nederland', Email: 'info@zonnedak-oost.nl' })).Id as number;
    product.exact.resetCounters();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('before Exact is connected, sales read what to do', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.overdue}&lang=en-us&theme=light` });
    await page.getByTestId('state-not-connected').waitFor();
    await expect(page.getByTestId('state-not-connected').textContent()).resolves.toContain('Ask a CRM administrator');
    await expectClean(page, 'not connected');
    await screenshot(page, 'finance-01-not-connected');
    await context.close();
  });

  it('the admin connects Exact', async () => {
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await context.close();
  });

  it('sales open a company with overdue invoices and see the numbers Exact has, in 3 calls cold and 0 warm', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/companies', query: 'lang=en-us&theme=light' });
    await page.getByTestId('company-row').first().waitFor();
    await expectClean(page, 'companies list');
    await screenshot(page, 'finance-02-companies');
    product.exact.resetCounters();
    await page.locator(`[data-testid=company-row][data-company="${ids.overdue}"]`).getByRole('link', { name: /^Finance of/ }).click();
    await page.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    expect(product.exact.calls(division)).toBeLessThanOrEqual(3);

    await expect(page.getByTestId('value-open-balance').textContent()).resolves.toBe(euro(expected.openBalance, 'en-US'));
    await expect(page.getByTestId('value-overdue').textContent()).resolves.toBe(euro(expected.overdueAmount, 'en-US'));
    await expect(page.getByTestId('figure-overdue').textContent()).resolves.toContain(`${expected.overdueCount} invoice`);
    const buckets = await page.locator('[data-testid=aging-table] td[data-amount]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-amount'))));
    expect(buckets).toEqual(expected.buckets);
    await chooseFilter(page, 'Open');
    const openRows = await page.getByTestId('invoice-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-invoice'))));
    expect(openRows.sort((a, b) => a - b)).toEqual(expected.openInvoiceNumbers);
    await chooseFilter(page, 'Overdue');
    await expect(page.getByTestId('invoice-row').count()).resolves.toBe(expected.overdueCount);
    await expect(page.getByTestId('invoice-row').first().textContent()).resolves.toMatch(/Overdue \d+ day/);
    await expectClean(page, 'linked company');
    await screenshot(page, 'finance-03-linked-light');

    // Narrower, as a Teams personal app or a half-width window: no table cell is cut off.
    await page.setViewportSize({ width: 800, height: 900 });
    await chooseFilter(page, 'All (18 months)');
    await page.getByRole('columnheader', { name: 'Due', exact: true }).waitFor();
    const cutOff = await page.locator('[role=gridcell]').evaluateAll((cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent ?? ''),
    );
    expect(cutOff, 'invoice cells wider than their column at 800 px').toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Amounts sort largest first on the first click, smallest first on the second.
    await chooseFilter(page, 'All (18 months)');
    const amountHeader = page.getByRole('columnheader', { name: 'Amount', exact: true });
    await amountHeader.click();
    await expect(amountHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await amountHeader.click();
    await expect(amountHeader.getAttribute('aria-sort')).resolves.toBe('ascending');

    // The aging table alternative, as a person toggles it.
    await page.getByRole('button', { name: 'Show as table' }).click();
    await page.getByRole('table').getByRole('rowheader', { name: 'Over 90 days' }).waitFor();
    await expectClean(page, 'aging as table');

    // The PDF of an invoice Exact has a document for, through the gateway; and one it has none for.
    const documents = await fetch(`${product.sandbox.url}/exact/api/v1/${division}/documents/Documents?$select=SalesInvoiceNumber&$filter=Account eq guid'${accountId}'`, {
      headers: { authorization: `Bearer ${product.exact.issueTokens().access_token}`, accept: 'application/json' },
    });
    const withPdf = new Set(((await documents.json()) as { d: { results: Array<{ SalesInvoiceNumber: number }> } }).d.results.map((d) => d.SalesInvoiceNumber));
    const shown = await page.getByTestId('invoice-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-invoice'))));
    const pdfInvoice = shown.find((n) => withPdf.has(n));
    const noPdfInvoice = shown.find((n) => !withPdf.has(n));
    expect(pdfInvoice, 'an invoice with a PDF in Exact').toBeDefined();
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download invoice ${pdfInvoice} as PDF` }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe(`invoice-${pdfInvoice}.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain(String(pdfInvoice));
    if (noPdfInvoice !== undefined) {
      await page.getByRole('button', { name: `Download invoice ${noPdfInvoice} as PDF` }).click();
      await page.getByText('The invoice PDF could not be downloaded.').waitFor();
      await expect(page.getByText(/Exact has no document for invoice entry/).count()).resolves.toBe(1);
    }

    // Warm: the same panel again, for the same person, costs Exact nothing (the gateway's cache).
    product.exact.resetCounters();
    await page.reload();
    await page.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    expect(product.exact.calls(division)).toBe(0);
    await expect(page.getByTestId('updated').textContent()).resolves.toMatch(/Updated/);
    await context.close();
  });

  it('a customer without invoices says so', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.empty}&lang=en-us` });
    await page.getByTestId('state-no-invoices').waitFor({ timeout: 20_000 });
    await expectClean(page, 'no invoices');
    await screenshot(page, 'finance-04-no-invoices');
    await context.close();
  });

  it('sales create an unlinked company in Exact: validation, the planted duplicate, then the new ID in the CRM item', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/companies', query: 'lang=en-us' });
    await page.locator(`[data-testid=company-row][data-company="${ids.unlinked}"]`).getByRole('link', { name: /^Finance of/ }).click();
    await page.getByTestId('state-not-linked').waitFor({ timeout: 20_000 });
    await page.getByTestId('suggestion').first().waitFor();
    await expect(page.getByTestId('suggestion').first().textContent()).resolves.toContain('KvK');
    await expectClean(page, 'not linked with suggestions');
    await screenshot(page, 'finance-05-not-linked');

    await page.getByRole('button', { name: 'Create in Exact' }).click();
    await expect(page.getByRole('textbox', { name: 'KvK number' }).inputValue()).resolves.toBe('6451 2378');
    await page.getByRole('textbox', { name: 'VAT number' }).fill('NL86451237801');
    await page.getByRole('button', { name: 'Check and create' }).click();
    await page.getByText('Write the VAT number as NL, 9 digits, B and 2 digits', { exact: false }).waitFor();
    const before = product.exact.records(division, 'Accounts').length;
    expect(product.exact.calls(division, 'crm/Accounts')).toBeGreaterThan(0);
    await expectClean(page, 'create form with a validation error');
    await screenshot(page, 'finance-06-create-invalid');

    await page.getByRole('textbox', { name: 'VAT number' }).fill('NL864512375B01');
    await page.getByRole('button', { name: 'Check and create' }).click();
    await page.getByTestId('duplicates').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('duplicates').textContent()).resolves.toContain('Zonnedak Oost B.V.');
    expect(product.exact.records(division, 'Accounts').length).toBe(before);
    await expectClean(page, 'duplicate found');
    await screenshot(page, 'finance-07-duplicate');

    await page.getByRole('button', { name: 'None of these: create a new account' }).click();
    await page.getByText(/Created Zonnedak Oost B\.V\. \(\d+\) in Exact/).waitFor({ timeout: 20_000 });
    const created = product.exact.records(division, 'Accounts').filter((row) => row.Name === 'Zonnedak Oost B.V.' && String(row.ID).toLowerCase() !== plantedId);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ ChamberOfCommerce: '64512378', VATNumber: 'NL864512375B01', Postcode: '7411 AB', Country: 'NL' });
    const item = (await owner.web.lists.getByTitle('Companies').items.getById(ids.unlinked).select('ExactId', 'ExactCode', 'ExactDivision')()) as { ExactId: string; ExactCode: string; ExactDivision: number };
    expect(item.ExactId.toLowerCase()).toBe(String(created[0]!.ID).toLowerCase());
    // A link is (division, Exact ID): the connection's default division, where it was created.
    expect(item.ExactDivision).toBe(division);
    await page.getByTestId('state-no-invoices').waitFor({ timeout: 20_000 });
    await expectClean(page, 'created and linked');
    await screenshot(page, 'finance-08-created');
    await context.close();
  });

  it('in Dutch, dark and at 320 px the panel reads as Dutch and nothing is cut off', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { path: '/pages/customer', query: `company=${ids.overdue}&lang=nl-nl&theme=dark` });
    await page.getByTestId('value-open-balance').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('value-open-balance').textContent()).resolves.toBe(euro(expected.openBalance, 'nl-NL'));
    await page.getByText('Openstaand saldo').waitFor();
    // At 320 px the invoices are cards with their own sort choice.
    await page.getByRole('combobox', { name: 'Sorteren op' }).waitFor();
    await expect(page.getByTestId('invoice-row').first().textContent()).resolves.toMatch(/Vervalt \d{1,2} \w+ \d{4}/);
    const dueCell = await page.getByTestId('invoice-row').first().textContent();
    expect(dueCell).toMatch(/\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/);
    await expectClean(page, 'nl dark 320 linked');
    await screenshot(page, 'finance-09-nl-dark-320');
    await context.close();
  });
});
