/**
 * The import-profiles page in the workbench, in real Chromium, over a 1,200-account division:
 * preview, run with progress, contacts linked to their companies, an incremental Import & Update
 * that touches exactly the 3 accounts changed in Exact, its log as CSV, undo, a review decision,
 * and a run whose tab is closed halfway and then resumed. The CRM is checked through the
 * SharePoint stand-in itself. axe runs on every state; SCREENSHOTS_DIR keeps pictures.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const accounts = 1200;
const profilesPath = '/pages/import-profiles';

async function connectAndOpenProfiles(page: Page, product: RunningProduct): Promise<void> {
  await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us&theme=light' });
  const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
  const health = page.getByRole('region', { name: 'Connection health' });
  await connect.or(health).waitFor({ timeout: 30_000 });
  if (await connect.isVisible()) {
    await consentInExactPopup(page, () => connect.click());
    await health.waitFor();
  }
  await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${profilesPath}`);
  await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
}

async function openProfile(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${title}` }).click();
  await page.getByRole('heading', { name: title }).waitFor();
}

async function runProfile(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('button', { name: 'Start run' }).click();
  const finished = page.getByTestId('run-finished');
  await finished.waitFor({ timeout: 120_000 });
  return (await finished.textContent()) ?? '';
}

const companiesTitle = 'Companies from Exact accounts';
const contactsTitle = 'Contacts from Exact contacts';

describe.skipIf(browserMissing)('Import profiles page in the workbench (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: String(accounts) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('previews, imports companies and contacts, updates exactly what changed in Exact, exports the log, undoes, and resolves a review item', async () => {
    const division = product.exact.divisions[0]!.code;
    const exactAccounts = product.exact.records(division, 'Accounts');
    expect(exactAccounts.length).toBe(accounts);
    // A CRM company without an Exact link whose name and postcode match an Exact account: a weak
    // signal, so the engine asks instead of linking or creating a duplicate.
    const lookalike = exactAccounts[7]!;
    const [seededId] = product.sharePoint.addItems('Companies', [{ Title: String(lookalike.Name), Postcode: String(lookalike.Postcode) }]);

    const { page, context } = await newPage(browser);
    await connectAndOpenProfiles(page, product);
    await expectClean(page, 'profile list');
    await screenshot(page, 'profiles-01-list');

    await openProfile(page, companiesTitle);
    await expectClean(page, 'profile detail');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    const count = async (outcome: string) => Number(((await page.locator(`[data-outcome=${outcome}] span`).textContent()) ?? '').replace(/\D/g, ''));
    expect(await count('create')).toBe(accounts - 1);
    expect(await count('conflict')).toBe(1);
    await expectClean(page, 'preview');
    await screenshot(page, 'profiles-02-preview');
    await page.getByRole('searchbox', { name: 'Search by name or code' }).fill(String(lookalike.Name));
    await expect(page.getByTestId('preview-shown').textContent()).resolves.toMatch(/^\d+ of 1,200 records$/);
    await expect(product.sharePoint.items('Companies').length, 'a preview writes nothing').toBe(1);

    // The run: the progress bar shows the write phase, then the counts match the CRM list.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('progressbar').first().waitFor();
    await screenshot(page, 'profiles-03-running');
    const finished = page.getByTestId('run-finished');
    await finished.waitFor({ timeout: 120_000 });
    await expect(finished.textContent()).resolves.toContain(`1,200 read, ${(accounts - 1).toLocaleString('en-US')} created, 0 updated, 0 skipped, 1 conflicts, 0 failed`);
    const companies = product.sharePoint.items('Companies');
    expect(companies.length).toBe(accounts);
    const exactIds = companies.map((c) => String(c.values.ExactId ?? '')).filter(Boolean);
    expect(new Set(exactIds).size).toBe(accounts - 1);
    await expectClean(page, 'run finished');
    await screenshot(page, 'profiles-04-finished');

    // Contacts, linked to their companies through the company key.
    await page.getByRole('button', { name: 'All profiles' }).click();
    await openProfile(page, contactsTitle);
    const contactsDone = await runProfile(page);
    const exactContacts = product.exact.records(division, 'Contacts');
    // The lookalike's company awaits review, so its contacts have no company to link to yet:
    // they fail with that reason instead of landing without their company.
    const orphans = exactContacts.filter((c) => String(c.Account).toLowerCase() === String(lookalike.ID).toLowerCase());
    expect(contactsDone).toContain(`, ${orphans.length} failed`);
    const contacts = product.sharePoint.items('Contacts');
    expect(contacts.length).toBe(exactContacts.length - orphans.length);
    const companyByExactId = new Map(product.sharePoint.items('Companies').map((c) => [String(c.values.ExactId).toLowerCase(), c.Id]));
    for (const contact of contacts) {
      const exact = exactContacts.find((c) => String(c.ID).toLowerCase() === String(contact.values.ExactId).toLowerCase());
      expect(contact.values.Company, `contact ${String(contact.values.Title)}`).toBe(companyByExactId.get(String(exact?.Account).toLowerCase()));
    }

    // Three accounts change in Exact; an incremental Import & Update touches exactly those.
    const changed = [exactAccounts[1]!, exactAccounts[2]!, exactAccounts[3]!];
    changed.forEach((account, i) => product.exact.updateRecord(division, 'Accounts', String(account.ID), { City: `Veranderd ${i + 1}` }));
    await page.getByRole('button', { name: 'All profiles' }).click();
    await openProfile(page, companiesTitle);
    const updateDone = await runProfile(page);
    // The record awaiting review holds the cursor back, so the read starts before it; only the
    // three changed accounts are written.
    expect(updateDone).toMatch(/ read, 0 created, 3 updated, [\d,]+ skipped, 1 conflicts, 0 failed/);
    for (const [i, account] of changed.entries()) {
      const item = product.sharePoint.items('Companies').find((c) => String(c.values.ExactId).toLowerCase() === String(account.ID).toLowerCase());
      expect(item?.values.City).toBe(`Veranderd ${i + 1}`);
    }

    // Its log, as Dutch Excel's CSV.
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('run-history');
    await history.waitFor();
    await history.getByRole('button', { name: /^Log / }).first().click();
    await page.getByTestId('run-log-shown').waitFor();
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Update' }).click();
    await expect(page.getByTestId('run-log-shown').textContent()).resolves.toMatch(/^3 of [\d,]+ records$/);
    await expectClean(page, 'run log');
    await screenshot(page, 'profiles-06-log');
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV for Excel (;)' }).click();
    const download = await downloadPromise;
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const rows = csv.trim().split(/\r?\n/);
    expect(rows[0]).toContain(';');
    // One row per changed field: the three accounts, and City among their fields.
    const updates = rows.map((row) => row.split(';')).filter((cells) => cells[0] === 'update');
    expect(new Set(updates.map((cells) => cells[2])).size).toBe(3);
    for (const [i, account] of changed.entries()) {
      expect(updates.some((cells) => cells[3] === String(account.Name) && cells.includes('City') && cells.includes(`Veranderd ${i + 1}`))).toBe(true);
    }

    // Undo: the three items get their old city back.
    await page.getByRole('button', { name: 'Undo this run' }).click();
    // The dialog names only what this run changed: three updated items, nothing created or flagged.
    // The dialog mounts its layer after the click's render: wait for the plan, then read it.
    await expect.poll(() => page.getByTestId('undo-plan').locator('li').allTextContents(), { timeout: 15_000 }).toEqual(['3 updated items get their previous values back']);
    await expectClean(page, 'undo confirmation');
    await screenshot(page, 'profiles-07-undo-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Undo this run' }).click();
    const undoFinished = page.getByTestId('undo-finished');
    await undoFinished.waitFor({ timeout: 60_000 });
    const undoMessage = (await page.locator('.ms-MessageBar').filter({ has: undoFinished }).textContent()) ?? '';
    expect(undoMessage, undoMessage).toContain('Undo finished: 3 updated items restored, 0 left alone (changed since).');
    for (const account of changed) {
      const item = product.sharePoint.items('Companies').find((c) => String(c.values.ExactId).toLowerCase() === String(account.ID).toLowerCase());
      expect(item?.values.City).toBe(account.City);
    }
    await expectClean(page, 'undone');

    // Review: the lookalike is linked by hand; the next run will not create it again.
    await page.getByRole('tab', { name: /^Review \(1\)/ }).click();
    await page.getByText(String(lookalike.Name), { exact: false }).first().waitFor();
    await expectClean(page, 'review queue');
    await screenshot(page, 'profiles-05-review');
    await page.getByRole('button', { name: new RegExp(`^Link: ${String(lookalike.Name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click();
    await page.getByRole('tab', { name: /^Review \(0\)/ }).waitFor();
    const linked = product.sharePoint.items('Companies').find((c) => c.Id === seededId);
    expect(String(linked?.values.ExactId ?? '').toLowerCase()).toBe(String(lookalike.ID).toLowerCase());

    await context.close();
  }, 600_000);

  it('in Dutch, dark and at 320 px the list and a preview read as Dutch and nothing is cut off', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=nl-nl&theme=dark' });
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Importprofielen');
    await expectClean(page, 'nl dark 320 list');
    await screenshot(page, 'profiles-dark-320-01-list');
    await page.getByRole('button', { name: `Openen ${companiesTitle}` }).click();
    await page.getByRole('button', { name: 'Voorbeeld', exact: true }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    await expectClean(page, 'nl dark 320 preview');
    await screenshot(page, 'profiles-dark-320-02-preview');
    await context.close();
  }, 600_000);
});

describe.skipIf(browserMissing)('A run whose tab closes halfway (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: String(accounts) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('resumes to the same end state as an uninterrupted run: every account once', async () => {
    const first = await newPage(browser);
    await connectAndOpenProfiles(first.page, product);
    await openProfile(first.page, companiesTitle);
    // SharePoint answers each $batch slowly, so the tab can be closed between two of them.
    await first.page.route('**/_api/$batch', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await route.continue();
    });
    await first.page.getByRole('button', { name: 'Run', exact: true }).click();
    await first.page.getByRole('button', { name: 'Start run' }).click();
    await first.page.waitForFunction(
      () => {
        const match = /([\d,]+) of 1,200 written/.exec(document.body.innerText);
        return match !== null && Number(match[1]!.replace(/,/g, '')) >= 100;
      },
      undefined,
      { timeout: 60_000 },
    );
    await first.context.close();
    const partial = product.sharePoint.items('Companies').length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(accounts);

    const second = await newPage(browser);
    await signIn(second.page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=en-us&theme=light' });
    await second.page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openProfile(second.page, companiesTitle);
    await second.page.getByText('A run of this profile did not finish', { exact: false }).waitFor();
    await expectClean(second.page, 'interrupted run');
    await screenshot(second.page, 'profiles-08-interrupted');
    await second.page.getByRole('button', { name: 'Resume' }).click();
    await second.page.getByTestId('run-finished').waitFor({ timeout: 120_000 });
    const companies = product.sharePoint.items('Companies');
    expect(companies.length).toBe(accounts);
    expect(new Set(companies.map((c) => String(c.values.ExactId).toLowerCase())).size).toBe(accounts);
    await second.context.close();
  }, 600_000);
});
