/**
 * Concept sales invoices from a billing report, in real Chromium on the workbench's Orders tab:
 * the admin makes an order profile whose target is Exact Online concept invoices in a sales
 * journal (picked from the division's journals), maps the sample report once, creates the
 * invoices in the Exact stand-in, re-runs without creating anything, and undoes the run: the
 * concepts go, an invoice processed in Exact meanwhile is kept with the reason. In English (light)
 * and Dutch (dark, then 320 px); axe and overflow checked in each state. SCREENSHOTS_DIR keeps a
 * picture of each state.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { mapSampleReport, openOrdersTab } from '../support/orderPages';
import { expectClean } from '../support/pageChecks';
import { startWorkbench } from '../support/workbench';

const sample = join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv');

describe.skipIf(browserMissing)('order profiles that make concept invoices (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  const division = (): number => product.exact.divisions[0]!.code;
  const invoices = (prefix: string) => product.exact.postedSalesInvoices(division()).filter((i) => String(i.invoice.YourRef).startsWith(`${prefix}-2026-11-`));

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('English: concept invoices in a chosen journal, created once, re-run links, undo keeps the processed one', async () => {
    const { page, context } = await newPage(browser);
    await openOrdersTab(page, product.workbenchUrl, 'lang=en-us&theme=light');
    await page.getByRole('button', { name: 'New order profile' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Monthly concept invoices');
    await page.getByRole('textbox', { name: 'Reference prefix' }).fill('CINV');
    // CRM orders become sales orders: with that source the invoice choice is off, and says why.
    await page.getByText('CRM sales orders (lists Sales Orders and Sales Order Lines)', { exact: true }).click();
    await expect(page.getByRole('radio', { name: 'Concept sales invoices in Exact Online (in a sales journal)' }).isDisabled()).resolves.toBe(true);
    await page.getByText('From a billing report only: CRM orders become sales orders.').waitFor();
    await page.getByText('An uploaded billing report', { exact: true }).click();
    await page.getByRole('textbox', { name: 'Reference prefix' }).fill('CINV');
    await page.getByText('Concept sales invoices in Exact Online (in a sales journal)', { exact: true }).click();
    const journal = page.getByRole('combobox', { name: 'Sales journal' });
    // The division's first sales journal is taken until the admin picks another.
    await journal.filter({ hasText: '70 · Verkoopboek' }).waitFor();
    // Keyboard: from the chosen option, Tab reaches the journal picker under it.
    await page.getByRole('radio', { name: 'Concept sales invoices in Exact Online (in a sales journal)' }).focus();
    await page.keyboard.press('Tab');
    await expect(journal.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await journal.click();
    await expect.poll(() => page.getByRole('option').allTextContents()).toEqual(['70 · Verkoopboek', '71 · Verkoopboek abonnementen']);
    await page.getByRole('option', { name: '71 · Verkoopboek abonnementen' }).click();
    await page.mouse.move(0, 0);
    await expectClean(page, 'new invoice profile');
    await screenshot(page, 'invoices-en-01-new');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Monthly concept invoices' }).waitFor();

    await page.getByLabel('Upload a billing report (CSV or JSON)').setInputFiles(sample);
    await page.getByText('billing-report-2026-11.csv: 39 lines read').waitFor();
    await mapSampleReport(page, 'en');
    await page.getByText('0 held back.', { exact: false }).waitFor();
    await page.getByRole('heading', { name: 'Create the concept invoices in Exact Online' }).waitFor();

    await page.getByRole('button', { name: 'Create 10 concept invoices in Exact' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('Create 10 concept invoices?').waitFor();
    await confirm.getByText('journal 71', { exact: false }).waitFor();
    await expectClean(page, 'confirm invoices');
    await screenshot(page, 'invoices-en-02-confirm');
    await page.getByRole('button', { name: 'Create the invoices' }).click();
    await page.getByText('10 created, 0 already in Exact (linked), 0 failed, 0 held back').waitFor({ timeout: 30_000 });
    expect(invoices('CINV')).toHaveLength(10);
    expect(invoices('CINV').every((i) => i.invoice.Journal === '71' && i.invoice.Status === 20 && i.invoice.InvoiceNumber === null)).toBe(true);
    await page.getByRole('columnheader', { name: 'Invoice' }).waitFor();
    // No number until Exact processes it: the log says it is a concept.
    await expect.poll(() => page.getByRole('gridcell', { name: 'Concept', exact: true }).count()).toBe(10);
    await expectClean(page, 'invoices created');
    await screenshot(page, 'invoices-en-03-created');

    await page.getByRole('button', { name: 'Create 10 concept invoices in Exact' }).click();
    await page.getByRole('button', { name: 'Create the invoices' }).click();
    await page.getByText('0 created, 10 already in Exact (linked), 0 failed, 0 held back').waitFor({ timeout: 30_000 });
    await page.getByText('Exact already has a concept invoice with reference CINV-2026-11-IM-100231: linked, not created again.').first().waitFor();
    expect(invoices('CINV')).toHaveLength(10);

    // Someone processes one invoice in Exact; undoing the first run deletes the nine concepts and says why it keeps that one.
    const processed = product.exact.processSalesInvoice(division(), String(invoices('CINV').find((i) => i.invoice.YourRef === 'CINV-2026-11-IM-100231')!.invoice.InvoiceID));
    await page.getByTestId('order-history-rows').getByRole('button', { name: /^Show the run of / }).nth(1).click();
    await page.getByText('10 created, 0 already in Exact (linked)', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Undo this run' }).click();
    await page.getByRole('alertdialog').getByText('Delete the concept invoices this run created?').waitFor();
    await expectClean(page, 'confirm undo');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Undo this run' }).click();
    await page.getByText('Undo: 9 deleted, 1 refused, 0 already gone').waitFor({ timeout: 30_000 });
    await page.getByText(`Invoice ${String(processed.InvoiceNumber)} kept: It has been processed in Exact; only concept invoices (not yet processed) are deleted.`, { exact: false }).waitFor();
    expect(invoices('CINV').map((i) => i.invoice.YourRef)).toEqual(['CINV-2026-11-IM-100231']);
    await expectClean(page, 'invoices undone');
    await screenshot(page, 'invoices-en-04-undone');
    await context.close();
  }, 300_000);

  it('Dutch, dark and 320 px: conceptfacturen in het verkoopdagboek', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await openOrdersTab(page, product.workbenchUrl, 'lang=nl-nl&theme=dark');
    await page.getByRole('button', { name: 'Nieuw orderprofiel' }).click();
    await page.getByRole('textbox', { name: 'Naam' }).fill('Conceptfacturen distributeur');
    await page.getByRole('textbox', { name: 'Voorvoegsel referentie' }).fill('CFNL');
    await page.getByText('Conceptfacturen (verkoopfacturen) in Exact Online, in een verkoopdagboek', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Verkoopdagboek' }).filter({ hasText: '70 · Verkoopboek' }).waitFor();
    await expectClean(page, 'nl new invoice profile');
    await screenshot(page, 'invoices-nl-01-new-dark');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByRole('heading', { name: 'Conceptfacturen distributeur' }).waitFor();
    await page.getByLabel('Factuurrapportage uploaden (CSV of JSON)').setInputFiles(sample);
    await page.getByText('billing-report-2026-11.csv: 39 regels gelezen').waitFor();
    await mapSampleReport(page, 'nl');

    await page.getByRole('button', { name: '10 conceptfacturen aanmaken in Exact' }).click();
    await page.getByRole('alertdialog').getByText('10 conceptfacturen aanmaken?').waitFor();
    await page.getByRole('button', { name: 'Facturen aanmaken' }).click();
    await page.getByText('10 aangemaakt, 0 al in Exact (gekoppeld), 0 mislukt, 0 tegengehouden').waitFor({ timeout: 30_000 });
    expect(invoices('CFNL')).toHaveLength(10);
    expect(invoices('CFNL').every((i) => i.invoice.Journal === '70')).toBe(true);
    await page.getByRole('columnheader', { name: 'Factuur' }).waitFor();
    await expectClean(page, 'nl invoices created');
    await screenshot(page, 'invoices-nl-02-created-dark');

    // Journal 70 is removed in Exact: the next send is refused before anything is sent, and says why in Dutch.
    const journal70 = product.exact.masterRecords(division(), 'journals').find((j) => j.Code === '70')!;
    product.exact.deleteMasterRecord(division(), 'journals', String(journal70.ID));
    try {
      await page.getByRole('button', { name: '10 conceptfacturen aanmaken in Exact' }).click();
      await page.getByRole('button', { name: 'Facturen aanmaken' }).click();
      await page.getByText(/^Dagboek 70 is geen verkoopdagboek van administratie \d+ in Exact \(die heeft 71\); kies een ander dagboek in het orderprofiel\.$/).waitFor();
      expect(invoices('CFNL')).toHaveLength(10);
      await expectClean(page, 'nl journal gone');
      await screenshot(page, 'invoices-nl-02b-journal-gone-dark');
    } finally {
      product.exact.putMasterRecord(division(), 'journals', journal70);
    }

    await page.setViewportSize({ width: 320, height: 800 });
    await expectClean(page, 'nl invoices at 320 px');
    await screenshot(page, 'invoices-nl-03-created-320');
    await page.getByRole('button', { name: 'Terug naar orderprofielen' }).click();
    await page.locator('li', { hasText: 'Conceptfacturen distributeur' }).getByText(/^Conceptfacturen in Exact Online in .*, dagboek 70; gekoppeld: klanten 1, artikelen 7$/).waitFor();
    await expectClean(page, 'nl profile list at 320 px');
    await screenshot(page, 'invoices-nl-04-list-320');
    await context.close();
  }, 240_000);

  it('an administration without a sales journal: the dialog says so and cannot be saved', async () => {
    const sales = product.exact.masterRecords(division(), 'journals').filter((j) => j.Type === 20);
    for (const journal of sales) product.exact.deleteMasterRecord(division(), 'journals', String(journal.ID));
    try {
      const { page, context } = await newPage(browser);
      await openOrdersTab(page, product.workbenchUrl, 'lang=en-us&theme=light');
      await page.getByRole('button', { name: 'New order profile' }).click();
      await page.getByRole('textbox', { name: 'Name' }).fill('No journal');
      await page.getByText('Concept sales invoices in Exact Online (in a sales journal)', { exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'This administration has no sales journal. Create one in Exact first.' }).waitFor();
      await expect(page.getByRole('button', { name: 'Save' }).isDisabled()).resolves.toBe(true);
      await page.mouse.move(0, 0);
      await expectClean(page, 'no sales journal');
      await screenshot(page, 'invoices-en-05-no-journal');
      await context.close();
    } finally {
      for (const journal of sales) product.exact.putMasterRecord(division(), 'journals', journal);
    }
  }, 120_000);
});
