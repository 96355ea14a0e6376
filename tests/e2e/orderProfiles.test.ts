/**
 * Orders from a billing report, in real Chromium on the workbench's admin page (Orders tab): an
 * admin creates an order profile, uploads the shipped sample report, maps the customer without a
 * KvK number and the distributor's SKUs once ("map now"), previews, creates the sales orders in
 * the Exact stand-in, re-runs without creating anything, undoes the run (a delivered order is
 * refused with its reason), and downloads the Globe XML, which the gateway validated against the
 * XSD. In English (light) and Dutch (dark, then 320 px); axe and overflow checked in each state.
 * SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const sample = join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv');

/** SKU of the sample report → words that find a fitting item of the stand-in's IT catalogue. */
const productChoices: Array<[string, string]> = [
  ['CFQ7TTC0LCHC', 'Business Premium'],
  ['CFQ7TTC0LDPB', 'Business Standard'],
  ['CFQ7TTC0LH18', 'E3'],
  ['AZ-CONSUMPTION', 'Beheercontract server'],
  ['ESET-PROTECT-ADV', 'ESET'],
  ['ACR-CP-BKP-GB', 'Back-up as a service'],
  ['VEEAM-VB365-U', 'Veeam'],
];

/** Types words into a picker, takes the first option that fits with the arrow key and Enter, as a keyboard user does. */
async function pick(page: Page, label: string, typed: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(typed);
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(box.inputValue()).resolves.toMatch(new RegExp(typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
}

describe.skipIf(browserMissing)('order profiles in the workbench (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  const division = (): number => product.exact.divisions[0]!.code;
  const orders = (prefix: string) => product.exact.salesOrders(division()).filter((o) => String(o.order.YourRef).startsWith(`${prefix}-2026-11-`));

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  /** Signs the admin in, connects Exact once if the product is not connected yet, and opens the Orders tab. */
  async function openOrders(page: Page, query: string): Promise<void> {
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query });
    const connect = page.getByRole('button', { name: /^(Connect with Exact Online|Koppelen met Exact Online)$/ });
    // Connected already (the other test ran first): the page offers to disconnect instead.
    const disconnect = page.getByRole('button', { name: /^(Disconnect Exact Online|Exact Online ontkoppelen)$/ });
    await connect.or(disconnect).first().waitFor();
    if (await connect.isVisible()) {
      await consentInExactPopup(page, () => connect.click());
      await page.getByText(/^(Connected as|Gekoppeld als)/).first().waitFor();
    }
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/import-profiles?${query}`);
    await page.getByRole('tab', { name: 'Orders' }).click();
  }

  it('English: upload, map once, preview, create, re-run creates nothing, undo, Globe XML', async () => {
    const { page, context } = await newPage(browser);
    await openOrders(page, 'lang=en-us&theme=light');
    await page.getByText('There are no order profiles yet.', { exact: false }).waitFor();
    await expectClean(page, 'no order profiles');
    await screenshot(page, 'orders-en-01-empty');

    await page.getByRole('button', { name: 'New order profile' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Ingram Micro monthly billing');
    await page.getByRole('textbox', { name: 'Reference prefix' }).fill('IM');
    await expectClean(page, 'new order profile');
    await screenshot(page, 'orders-en-02-new');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Ingram Micro monthly billing' }).waitFor();

    await page.getByLabel('Upload a billing report (CSV or JSON)').setInputFiles(sample);
    await page.getByText('billing-report-2026-11.csv: 39 lines read').waitFor();
    await page.getByText('Customer Stichting Buurtwerk Oost (IM-100251)', { exact: false }).waitFor();
    await page.getByText('10 held back.', { exact: false }).waitFor();
    await expectClean(page, 'blockers');
    await screenshot(page, 'orders-en-03-blockers');

    await pick(page, 'Exact account (debiteur) for Stichting Buurtwerk Oost', 'Stichting Buurtwerk Oost');
    await page.locator('li', { hasText: 'Customer Stichting Buurtwerk Oost' }).getByRole('button', { name: 'Map now' }).click();
    await page.getByText('Mapped Stichting Buurtwerk Oost to', { exact: false }).waitFor();
    for (const [sku, words] of productChoices) {
      const row = page.locator('li', { hasText: `Product ${sku}` });
      await pick(page, `Exact item (artikel) for ${sku}`, words);
      if (sku === 'ESET-PROTECT-ADV') await row.getByRole('textbox', { name: 'Unit price (empty: from the report)' }).fill('2,95');
      await row.getByRole('button', { name: 'Map now' }).click();
      await page.getByText(`Mapped ${sku} to`, { exact: false }).waitFor();
    }
    await page.getByText('10 orders for 10 customers, 39 lines', { exact: false }).waitFor();
    await page.getByText('0 held back.', { exact: false }).waitFor();
    await expectClean(page, 'preview');
    await screenshot(page, 'orders-en-04-preview');

    await page.getByRole('button', { name: 'Create 10 sales orders in Exact' }).click();
    await page.getByRole('alertdialog').getByText('Create 10 sales orders?').waitFor();
    await expectClean(page, 'confirm');
    await page.getByRole('button', { name: 'Create the orders' }).click();
    await page.getByText('10 created, 0 already in Exact (linked), 0 failed, 0 held back').waitFor({ timeout: 30_000 });
    expect(orders('IM')).toHaveLength(10);
    const stichting = orders('IM').find((o) => o.order.YourRef === 'IM-2026-11-IM-100251')!;
    expect(stichting.order.OrderedByName).toBe('Stichting Buurtwerk Oost');
    const eset = orders('IM').flatMap((o) => o.lines).filter((l) => /ESET/.test(String(l.ItemDescription)));
    expect(eset.length).toBeGreaterThan(0);
    expect(eset.every((l) => l.UnitPrice === 2.95)).toBe(true);
    await expectClean(page, 'created');
    await screenshot(page, 'orders-en-05-created');

    // The same report again: every order is found by its reference, nothing is created.
    await page.getByRole('button', { name: 'Create 10 sales orders in Exact' }).click();
    await page.getByRole('button', { name: 'Create the orders' }).click();
    await page.getByText('0 created, 10 already in Exact (linked), 0 failed, 0 held back').waitFor({ timeout: 30_000 });
    expect(orders('IM')).toHaveLength(10);

    // Exact delivers one order; undoing the first run deletes the other nine and says why it keeps that one.
    const delivered = orders('IM').find((o) => o.order.YourRef === 'IM-2026-11-IM-100231')!;
    product.exact.fulfilSalesOrder(division(), String(delivered.order.OrderID));
    const history = page.getByRole('list', { name: 'Earlier runs' });
    await history.getByRole('listitem').nth(1).getByRole('button').click();
    await page.getByText('10 created, 0 already in Exact (linked)', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Undo this run' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Undo this run' }).click();
    await page.getByText('Undo: 9 deleted, 1 refused, 0 already gone').waitFor({ timeout: 30_000 });
    await page.getByText(`Order ${String(delivered.order.OrderNumber)} kept:`, { exact: false }).waitFor();
    expect(orders('IM').map((o) => o.order.YourRef)).toEqual(['IM-2026-11-IM-100231']);
    await expect(page.getByRole('gridcell', { name: 'Deleted by undo' }).count()).resolves.toBe(9);
    await expectClean(page, 'undone');
    await screenshot(page, 'orders-en-06-undone');

    // The Globe file of the same plan, validated by the gateway before it is offered.
    await page.getByRole('button', { name: 'Check and download the Globe XML' }).click();
    await page.getByText('The file validates against eExact-Schema.xsd. Globe will create 10 sales orders for 10 debtors with 39 lines', { exact: false }).waitFor({ timeout: 30_000 });
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: /^Download .*\.xml$/ }).click();
    const file = await downloading;
    const xml = readFileSync((await file.path())!, 'utf8');
    expect(xml.match(/<Order type="V">/g)).toHaveLength(10);
    expect(xml).toContain('<YourRef>IM-2026-11-IM-100251</YourRef>');
    await expectClean(page, 'globe');
    await screenshot(page, 'orders-en-07-globe');
    await context.close();
  }, 300_000);

  it('Dutch, dark and 320 px: a second profile maps, previews and creates its own orders', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await openOrders(page, 'lang=nl-nl&theme=dark');
    await page.getByRole('button', { name: 'Nieuw orderprofiel' }).click();
    await page.getByRole('textbox', { name: 'Naam' }).fill('Maandfacturen distributeur');
    await page.getByRole('textbox', { name: 'Voorvoegsel referentie' }).fill('DIST');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { name: 'Maandfacturen distributeur' }).waitFor();
    await page.getByLabel('Factuurrapportage uploaden (CSV of JSON)').setInputFiles(sample);
    await page.getByText('billing-report-2026-11.csv: 39 regels gelezen').waitFor();
    await page.getByText('Klant Stichting Buurtwerk Oost (IM-100251)', { exact: false }).waitFor();
    await expectClean(page, 'nl blockers');
    await screenshot(page, 'orders-nl-01-blockers-dark');

    await pick(page, 'Relatie (debiteur) in Exact voor Stichting Buurtwerk Oost', 'Stichting Buurtwerk Oost');
    await page.locator('li', { hasText: 'Klant Stichting Buurtwerk Oost' }).getByRole('button', { name: 'Nu koppelen' }).click();
    for (const [sku, words] of productChoices) {
      await pick(page, `Artikel in Exact voor ${sku}`, words);
      await page.locator('li', { hasText: `Artikel ${sku}` }).getByRole('button', { name: 'Nu koppelen' }).click();
      await page.getByText(`${sku} gekoppeld aan`, { exact: false }).waitFor();
    }
    await page.getByText('10 orders voor 10 klanten, 39 regels', { exact: false }).waitFor();
    await expectClean(page, 'nl preview');
    await screenshot(page, 'orders-nl-02-preview-dark');

    await page.getByRole('button', { name: '10 verkooporders aanmaken in Exact' }).click();
    await page.getByRole('button', { name: 'Orders aanmaken' }).click();
    await page.getByText('10 aangemaakt, 0 al in Exact (gekoppeld), 0 mislukt, 0 tegengehouden').waitFor({ timeout: 30_000 });
    expect(orders('DIST')).toHaveLength(10);
    await expectClean(page, 'nl created');
    await screenshot(page, 'orders-nl-03-created-dark');

    await page.setViewportSize({ width: 320, height: 800 });
    await expectClean(page, 'nl created at 320 px');
    await screenshot(page, 'orders-nl-04-created-320');
    await context.close();
  }, 240_000);
});
