/**
 * Issue 14's hostile corpus on the screens: Exact records with script, event handlers,
 * javascript: URLs, 10,000-character names, right-to-left and zero-width characters and formula
 * prefixes, shown in the import-profiles preview and run log. Nothing may run: no dialog, no
 * script error, no element the data brought, no href the data chose.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, pageProblems, screenshot } from '../support/browser';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const corpus = z
  .array(z.object({ case: z.string(), values: z.record(z.union([z.string(), z.number()])) }))
  .parse(JSON.parse(readFileSync(resolve(__dirname, '../fixtures/hostile/exactAccounts.json'), 'utf8')));
const expand = (value: string | number): string | number => {
  const m = typeof value === 'string' ? /^@repeat:(.):(\d+)$/.exec(value) : null;
  return m ? m[1]!.repeat(Number(m[2])) : value;
};

describe.skipIf(browserMissing)('hostile Exact data on the screens (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: '5' });
    const division = product.exact.divisions[0]!.code;
    for (const c of corpus) product.exact.createRecord(division, 'Accounts', Object.fromEntries(Object.entries(c.values).map(([k, v]) => [k, expand(v)])));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('the preview and the run log show the corpus as text and run none of it', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us&theme=light' });
    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    await connect.waitFor();
    await consentInExactPopup(page, () => connect.click());
    await page.getByRole('region', { name: 'Connection health' }).waitFor();
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/import-profiles`);
    await page.getByRole('button', { name: 'Open Companies from Exact accounts' }).click();
    const scriptsBefore = await page.evaluate(() => document.scripts.length);

    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Error' }).click();
    await page.getByText("Website: invalid URL", { exact: false }).first().waitFor();
    await screenshot(page, 'hostile-01-preview-errors');
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'All outcomes' }).click();
    await page.getByText("<script>alert('xss')</script> Bakkerij").first().waitFor();

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByTestId('run-finished').waitFor({ timeout: 60_000 });
    await page.getByTestId('run-history').getByRole('button', { name: /^Log / }).first().click();
    await page.getByTestId('run-log-shown').waitFor();
    await page.getByText('<img src=x onerror=alert(1)> Bouw').first().waitFor();
    await screenshot(page, 'hostile-02-run-log');

    const injected = await page.evaluate(() => ({
      scripts: document.scripts.length,
      images: Array.from(document.images).filter((i) => i.getAttribute('src') === 'x').length,
      javascriptLinks: Array.from(document.querySelectorAll('a[href]')).filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(injected).toEqual({ scripts: scriptsBefore, images: 0, javascriptLinks: 0 });
    expect(pageProblems(page)).toEqual([]);
    await context.close();
  }, 600_000);
});
