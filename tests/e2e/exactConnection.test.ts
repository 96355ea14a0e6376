/**
 * The Exact connection page and the admin menu in the workbench, in real Chromium, as a person
 * uses them: sign in, connect through the popups, choose the division, save the financial year,
 * read the health panel, disconnect. Sales users get neither the menu nor the page, and
 * SharePoint refuses their writes to the owners-only lists. axe runs on every state.
 * SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const connectionPath = '/pages/exact-connection';

describe.skipIf(browserMissing)('Exact connection page in the workbench (Chromium)', () => {
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

  it('an admin connects, chooses the division, saves the financial year, reads the health panel and disconnects', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(product.workbenchUrl);
    await page.locator('#sign-in-title').waitFor();
    await expectClean(page, 'sign-in page');
    await screenshot(page, 'light-01-sign-in');
    await signIn(page, product.workbenchUrl, demoLogins.admin);
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('Anna Admin');

    const menu = page.getByRole('navigation', { name: 'Administration' }).getByRole('button', { name: 'Administration' });
    await menu.waitFor();
    await expectClean(page, 'home as admin');
    await screenshot(page, 'light-02-home-admin');
    await menu.click();
    await page.getByRole('menuitem', { name: 'Exact Online connection' }).waitFor();
    await screenshot(page, 'light-03-admin-menu');
    await page.getByRole('menuitem', { name: 'Exact Online connection' }).click();
    await page.waitForURL(`**${connectionPath}`);

    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    await connect.waitFor();
    await expectClean(page, 'not connected');
    await screenshot(page, 'light-04-not-connected');

    await consentInExactPopup(page, () => connect.click());
    await page.getByText('Connected as Jeroen van Houten').waitFor();
    await page.getByRole('region', { name: 'Connected account' }).waitFor();
    const account = page.getByRole('region', { name: 'Connected account' });
    await expect(account.textContent()).resolves.toContain('Jeroen van Houten');
    await expectClean(page, 'connected');
    await screenshot(page, 'light-05-connected');

    // The default division: both of the emulator's divisions are offered by name.
    await page.getByRole('combobox', { name: 'Default division' }).click();
    for (const division of product.exact.divisions) {
      await page.getByRole('option', { name: `${division.description} (${division.code})` }).waitFor();
    }
    await expectClean(page, 'division list open');
    const belgian = product.exact.divisions[1]!;
    await page.getByRole('option', { name: `${belgian.description} (${belgian.code})` }).click();
    // A new default is asked first, with what it affects; nothing is saved yet.
    const change = page.getByTestId('division-change');
    await change.getByText(`Make ${belgian.description} (${belgian.code}) the default division?`).waitFor();
    await expect(change.textContent()).resolves.toContain('companies linked before divisions were recorded');
    await expectClean(page, 'division change asked');
    await screenshot(page, 'light-05a-division-change');
    await page.getByRole('button', { name: 'Change the default division' }).click();
    await page.getByText(`Default division saved: ${belgian.description} (${belgian.code}).`, { exact: false }).waitFor();

    // Which divisions the CRM may use: the new default is one of them and cannot be unticked.
    const dutch = product.exact.divisions[0]!;
    const enabled = page.getByRole('region', { name: 'Divisions the CRM may use' });
    const belgianBox = enabled.getByRole('checkbox', { name: `${belgian.description} (${belgian.code}) (default division)` });
    const dutchBox = enabled.getByRole('checkbox', { name: `${dutch.description} (${dutch.code})` });
    await expect(belgianBox.isChecked()).resolves.toBe(true);
    await expect(belgianBox.isDisabled()).resolves.toBe(true);
    await expect(dutchBox.isChecked()).resolves.toBe(true);
    // Fluent's checkbox input is drawn over by its box: a person clicks the label.
    await enabled.getByText(`${dutch.description} (${dutch.code})`, { exact: true }).click();
    await enabled.getByRole('button', { name: 'Save divisions' }).click();
    await page.getByText(`Divisions saved: the CRM may use ${belgian.description} (${belgian.code}).`).waitFor();
    await expect(dutchBox.isChecked()).resolves.toBe(false);
    await expectClean(page, 'one division enabled');
    await screenshot(page, 'light-05b-enabled-divisions');
    await enabled.getByText(`${dutch.description} (${dutch.code})`, { exact: true }).click();
    await enabled.getByRole('button', { name: 'Save divisions' }).click();
    await page.getByText(`Divisions saved: the CRM may use ${dutch.description} (${dutch.code}), ${belgian.description} (${belgian.code}).`).waitFor();

    // Financial year: April 1st for the Belgian administration, checked against the gateway's own record.
    await expect(page.getByTestId('financial-year-not-confirmed').count()).resolves.toBe(1);
    await page.getByRole('combobox', { name: 'Administration' }).click();
    await page.getByRole('option', { name: `${belgian.description} (${belgian.code})` }).click();
    await page.getByRole('combobox', { name: 'Financial year starts in' }).click();
    await page.getByRole('option', { name: 'April' }).click();
    await page.getByRole('spinbutton', { name: 'On day' }).fill('31');
    const monthBox = await page.getByRole('combobox', { name: 'Financial year starts in' }).boundingBox();
    await page.getByText('Enter a day between 1 and 30 for this month.').waitFor();
    // The error sits under the row: the month box stays where it was.
    expect((await page.getByRole('combobox', { name: 'Financial year starts in' }).boundingBox())?.y).toBe(monthBox?.y);
    await expect(page.getByRole('button', { name: 'Save financial year' }).isDisabled()).resolves.toBe(true);
    await expectClean(page, 'invalid financial-year day');
    await screenshot(page, 'light-06-financial-year-invalid');
    await page.getByRole('spinbutton', { name: 'On day' }).fill('1');
    await page.getByRole('button', { name: 'Save financial year' }).click();
    await page.getByText(`Financial year start of ${belgian.description} (${belgian.code}) saved.`).waitFor();
    const belgianYear = page.locator(`[data-testid=financial-year][data-division="${belgian.code}"]`);
    await expect(belgianYear.getAttribute('data-source')).resolves.toBe('division');
    // English on a Dutch site: day-month, as the site's regional settings write dates.
    await expect(belgianYear.textContent()).resolves.toContain('Starts on 1 April');

    const token = await page.evaluate(async () => {
      const keys = Object.keys(sessionStorage).filter((k) => k.includes('accesstoken'));
      const entry = JSON.parse(sessionStorage.getItem(keys[0] ?? '') ?? '{}') as { secret?: string };
      return entry.secret ?? '';
    });
    const stored = await fetch(`${product.sandbox.url}/gateway/connection`, { headers: { authorization: `Bearer ${token}` } });
    const status = (await stored.json()) as { division: number; financialYearStart?: string; financialYearStarts?: Record<string, string> };
    expect(status.division).toBe(belgian.code);
    expect(status.financialYearStarts).toEqual({ [String(belgian.code)]: '04-01' });
    expect(status.financialYearStart).toBeUndefined();

    // Health: token age and the budget of each division, after a call has spent some of it.
    const call = await fetch(`${product.sandbox.url}/gateway/exact/${belgian.code}/crm/Accounts?$select=ID,Name&$filter=Status%20eq%20'C'&$top=1`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    expect(call.status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    const health = page.getByRole('region', { name: 'Connection health' });
    await expect(health.getByText(/issued .* ago/).count()).resolves.toBe(1);
    await health.getByRole('progressbar').first().waitFor();
    // The refreshed status replaces the old one when it arrives.
    await health.getByText('4,999 of 5,000 left').waitFor();
    await expect(health.textContent()).resolves.toContain('No errors from Exact in the last hour.');
    await screenshot(page, 'light-07-health');

    // Disconnect asks first and says what it does.
    await page.getByRole('button', { name: 'Disconnect Exact Online' }).click();
    // Fluent's blocking dialog is an alertdialog whose own box has no height; wait for its title.
    const dialog = page.getByRole('alertdialog', { name: 'Disconnect Exact Online?' });
    await dialog.getByText('Disconnect Exact Online?').waitFor();
    await expect(dialog.textContent()).resolves.toContain('Import profiles, run history and the data in the CRM lists stay');
    await expectClean(page, 'disconnect dialog');
    await screenshot(page, 'light-08-disconnect-dialog');
    await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await page.getByText('Exact Online is disconnected.').waitFor();
    await connect.waitFor();
    await expectClean(page, 'disconnected');

    await context.close();

    // Connecting again (a new browser, a new Exact sign-in): the financial year confirmed before the disconnect is still confirmed.
    const again = await newPage(browser);
    await signIn(again.page, product.workbenchUrl, demoLogins.admin, { path: connectionPath, query: 'lang=en-us&theme=light' });
    const reconnect = again.page.getByRole('button', { name: 'Connect with Exact Online' });
    await consentInExactPopup(again.page, () => reconnect.click());
    await again.page.getByRole('region', { name: 'Connection health' }).waitFor();
    const keptYear = again.page.locator(`[data-testid=financial-year][data-division="${belgian.code}"]`);
    await expect(keptYear.getAttribute('data-source')).resolves.toBe('division');
    await expect(keptYear.textContent()).resolves.toContain('Starts on 1 April');
    await expect(keptYear.textContent()).resolves.not.toContain('not confirmed');
    await expectClean(again.page, 'reconnected');
    await screenshot(again.page, 'light-09-reconnected-year-kept');
    // The next tests start disconnected.
    await again.page.getByRole('button', { name: 'Disconnect Exact Online' }).click();
    await again.page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
    await again.page.getByText('Exact Online is disconnected.').waitFor();
    await again.context.close();
  }, 600_000);

  it('in Dutch, dark and at 320 px the same page reads as Dutch and nothing is cut off', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 700, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: connectionPath, query: 'lang=nl-nl&theme=dark' });
    const connect = page.getByRole('button', { name: 'Koppelen met Exact Online' });
    await connect.waitFor();
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Koppeling met Exact Online');
    await expectClean(page, 'nl dark 320 not connected');
    await screenshot(page, 'dark-320-01-not-connected');
    await consentInExactPopup(page, () => connect.click());
    await page.getByText('Gekoppeld als Jeroen van Houten').waitFor();
    await page.getByRole('region', { name: 'Gezondheid van de koppeling' }).waitFor();
    await expect(page.getByRole('combobox', { name: 'Standaardadministratie' }).count()).resolves.toBe(1);
    await expectClean(page, 'nl dark 320 connected');
    await screenshot(page, 'dark-320-02-connected');
    // Another default division is asked first, in Dutch; "keep" changes nothing.
    const [eerste, tweede] = product.exact.divisions;
    await page.getByRole('combobox', { name: 'Standaardadministratie' }).click();
    await page.getByRole('option', { name: `${tweede!.description} (${tweede!.code})` }).click();
    await page.getByTestId('division-change').getByText(`${tweede!.description} (${tweede!.code}) de standaardadministratie maken?`).waitFor();
    await expectClean(page, 'nl dark 320 division change asked');
    await screenshot(page, 'dark-320-02b-division-change');
    await page.getByRole('button', { name: `${eerste!.description} (${eerste!.code}) houden` }).click();
    await expect(page.getByTestId('division-change').count()).resolves.toBe(0);
    await expect(page.getByRole('combobox', { name: 'Standaardadministratie' }).textContent()).resolves.toContain(eerste!.description);
    // A wrong day: the message under the row, in Dutch; the month box does not move.
    const maand = page.getByRole('combobox', { name: 'Het boekjaar begint in' });
    const top = () => maand.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const voor = await top();
    await page.getByRole('spinbutton', { name: 'Op dag' }).fill('32');
    await page.getByTestId('financial-year-day-error').waitFor();
    expect(await top()).toBe(voor);
    await expectClean(page, 'nl dark 320 wrong day');
    await screenshot(page, 'dark-320-02c-wrong-day');
    await page.getByRole('button', { name: 'Exact Online ontkoppelen' }).click();
    await page.getByRole('alertdialog', { name: 'Exact Online ontkoppelen?' }).getByText('Exact Online ontkoppelen?').waitFor();
    await expectClean(page, 'nl dark 320 disconnect dialog');
    await screenshot(page, 'dark-320-03-disconnect-dialog');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Ontkoppelen', exact: true }).click();
    await page.getByText('Exact Online is ontkoppeld.').waitFor();
    await context.close();
  }, 600_000);

  it('a blocked popup and a denied consent each say what happened and what to do', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: connectionPath, query: 'lang=en-us&theme=light' });
    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    await connect.waitFor();

    // What a popup blocker does: window.open answers null.
    await page.evaluate(() => {
      const original = window.open.bind(window);
      (window as unknown as { restoreOpen: () => void }).restoreOpen = () => {
        window.open = original;
      };
      window.open = () => null;
    });
    await connect.click();
    await page.getByText('Your browser blocked the sign-in window.', { exact: false }).waitFor();
    await expectClean(page, 'popup blocked');
    await screenshot(page, 'light-09-popup-blocked');
    await page.evaluate(() => (window as unknown as { restoreOpen: () => void }).restoreOpen());

    await consentInExactPopup(page, () => connect.click(), 'deny');
    await page.getByText('Exact Online was not given access.', { exact: false }).waitFor();
    await expectClean(page, 'consent denied');
    await screenshot(page, 'light-10-consent-denied');
    await connect.waitFor();
    await context.close();
  }, 600_000);

  it('a sales user sees no admin menu, is told the page is for administrators, and SharePoint refuses their profile writes', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'light' });
    await signIn(page, product.workbenchUrl, demoLogins.sales, { query: 'lang=en-us&theme=contrast' });
    await expect(page.getByTestId('signed-in-user').textContent()).resolves.toContain('Sam Sales');
    await page.getByRole('heading', { name: /Welcome, Sam Sales/ }).waitFor();
    await expect(page.getByRole('button', { name: 'Administration' }).count()).resolves.toBe(0);
    await expectClean(page, 'home as sales (contrast)');
    await screenshot(page, 'contrast-01-home-sales');

    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${connectionPath}`);
    await page.getByRole('heading', { name: 'For CRM administrators only' }).waitFor();
    await expect(page.getByRole('button', { name: 'Connect with Exact Online' }).count()).resolves.toBe(0);
    await expectClean(page, 'not allowed (contrast)');
    await screenshot(page, 'contrast-02-not-allowed');

    // The browser's own session (its FedAuth cookie), straight at SharePoint's REST.
    const write = await page.evaluate(async () => {
      const site = `${location.origin}/sites/crm`;
      const info = await fetch(`${site}/_api/contextinfo`, { method: 'POST', headers: { accept: 'application/json' } });
      const digest = ((await info.json()) as { FormDigestValue: string }).FormDigestValue;
      const response = await fetch(`${site}/_api/web/lists/getByTitle('Import Profiles')/items`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-requestdigest': digest },
        body: JSON.stringify({ Title: 'Sneaky profile' }),
      });
      return { status: response.status, body: await response.text() };
    });
    expect(write.status).toBe(403);
    expect(write.body).toContain('System.UnauthorizedAccessException');
    expect(write.body).toContain('Access denied.');
    await context.close();
  }, 600_000);
});
