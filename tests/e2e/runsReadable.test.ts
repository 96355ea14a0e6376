/**
 * Issue 21 points 3, 4 and 5 in real Chromium, as the reproduction walks them:
 * - the profile's filter check refuses what Exact refuses (`Name eq`, a trailing `and`, a text for
 *   a boolean, month 13), naming the field and the reason in full, in English and Dutch; a preview
 *   that Exact still answers with a 400 says so readably, without a pointless Try again;
 * - Stop while Exact is read ends Stopped promptly and Run is enabled again; a run left unfinished
 *   ends Abandoned; the progress bar and text show the same counts; the list shows the last run;
 * - previews and logs show column captions, local times, code and city, find a record by its
 *   Exact code, stay readable at 320 px; the CSV is named in local time; the review queue shows an
 *   exact KvK match as exact with the Exact record beside each CRM candidate.
 * axe runs on every state; SCREENSHOTS_DIR keeps a picture of each (light, dark, 320 px).
 */
import { spfi, SPFx } from '@pnp/sp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format as formatLocal } from 'date-fns/format';
import { defaultProfiles } from '../../src/sync';
import type { ProfileStore } from '../../src/sync';
import { siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import type { RunningProduct } from '../../sandbox/product';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { connectExactAsAdmin, demoLogins, signIn, startWorkbench } from '../support/workbench';

const accounts = 1200;
const profilesPath = '/pages/import-profiles';
const editorPath = '/pages/import-profiles/edit';
const companiesTitle = 'Companies from Exact accounts';

async function openProfiles(page: Page, product: RunningProduct, query: string): Promise<void> {
  await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${profilesPath}?${query}`);
  await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
}

async function openProfile(page: Page, open: string, title: string): Promise<void> {
  await page.getByRole('button', { name: `${open} ${title}` }).click();
  await page.getByRole('heading', { name: title }).waitFor();
}

/** The filter problem shown under the raw filter field, once it settles. */
async function filterProblem(page: Page, label: string, filter: string, expected: string): Promise<string> {
  const field = page.getByRole('textbox', { name: label });
  await field.fill(filter);
  const message = page.getByText(expected, { exact: false }).first();
  await message.waitFor({ timeout: 10_000 });
  // Shown in full: not clipped with an ellipsis, not cut by its box.
  const text = (await message.textContent()) ?? '';
  expect(text).not.toContain('…');
  const clipped = await message.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis');
  expect(clipped, `"${text}" is cut off`).toBe(false);
  return text;
}

/** A profile's tab; at 320 px the later tabs are in the Pivot's overflow menu. */
async function openTab(page: Page, name: string | RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  if (await tab.isVisible()) return tab.click();
  await page.getByRole('tab', { name: 'Meer tabbladen' }).click();
  await page.getByRole('menuitem', { name }).click();
}

describe.skipIf(browserMissing)('Filters Exact accepts, honest run outcomes, readable runs (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let store: ProfileStore;
  let division: number;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: String(accounts) });
    browser = await launchChromium();
    division = product.exact.divisions[0]!.code;
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    const owner = product.sharePoint.sessionCookieFor('admin@contoso.test');
    store = createSharePointProfileStore(spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner)));
    for (const profile of defaultProfiles(division)) await store.save(profile);
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await context.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('point 3: the filter check refuses what Exact refuses, names the field and the reason in full, in English and Dutch', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=companies&lang=en-us&theme=light' });
    await page.getByRole('heading', { name: `Edit import profile: ${companiesTitle}` }).waitFor();
    // The filter is folded away until asked for.
    await page.getByRole('button', { name: 'Show Filter' }).click();
    const raw = 'OData filter (for experts)';
    expect(await filterProblem(page, raw, 'Name eq', '"eq" at position 6 needs something after it')).toContain('a value to compare with');
    await filterProblem(page, raw, "Status eq 'C' and", '"and" at position 15 needs something after it');
    await filterProblem(page, raw, "Blocked eq 'yes'", `Field "Blocked" must be compared with true or false, not 'yes'`);
    await filterProblem(page, raw, "Modified gt datetime'2024-13-45'", "datetime'2024-13-45' is not a real date");
    // The one the old check caught, once cut off mid-word: now whole.
    await filterProblem(page, raw, "(Status eq 'C'", 'The parenthesis at position 1 is never closed');
    await expectClean(page, 'filter problem, en');
    await screenshot(page, 'runs-01-filter-problem-en');
    await page.getByRole('textbox', { name: raw }).fill('Blocked eq false');
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Profile "${companiesTitle}" saved.`).waitFor();
    expect((await store.get('companies'))?.valid && (await store.get('companies'))).toMatchObject({ profile: { source: { filter: 'Blocked eq false' } } });

    // A 400 only Exact knows the reason for: the preview says the filter was refused, in words.
    await openProfiles(page, product, 'lang=en-us&theme=light');
    await openProfile(page, 'Open', companiesTitle);
    product.exact.injectFault({ kind: 'filterRefused', path: 'CRM/Accounts' });
    await page.getByRole('button', { name: 'Preview' }).click();
    const refused = page.getByTestId('preview-filter-refused');
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.textContent()).toBe("Exact refused the profile's filter. Exact said: This $filter parameter is not supported for this resource. Edit the profile, correct the filter and preview again.");
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/%24filter|%20/);
    await expectClean(page, 'preview refused');
    await screenshot(page, 'runs-02-preview-filter-refused');
    await context.close();

    const dutch = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(dutch.page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=companies&lang=nl-nl&theme=dark' });
    await dutch.page.getByRole('heading', { name: /^Importprofiel bewerken/ }).waitFor();
    await dutch.page.getByRole('button', { name: 'Filter tonen' }).click();
    const rawNl = 'OData-filter (voor experts)';
    await filterProblem(dutch.page, rawNl, "Blocked eq 'yes'", `Veld "Blocked" moet vergeleken worden met true of false, niet met 'yes'`);
    await filterProblem(dutch.page, rawNl, "Modified gt datetime'2024-13-45'", "datetime'2024-13-45' is niet geldig: verwacht een bestaande datum");
    await filterProblem(dutch.page, rawNl, "Status eq 'C' and", '"and" op positie 15 moet iets achter zich hebben');
    await expectClean(dutch.page, 'filter problem, nl dark 320');
    await screenshot(dutch.page, 'runs-03-filter-problem-nl-dark-320');
    await dutch.context.close();
    // Back to the seeded profile (no filter) for the runs below.
    const saved = await store.get('companies');
    await store.save(defaultProfiles(division).find((p) => p.id === 'companies')!, { etag: saved?.etag });
  }, 240_000);

  /** The progress text and the bar's value, read at one moment. */
  const progressNow = (page: Page) =>
    page.evaluate(() => ({
      text: document.querySelector('[data-testid="run-progress-counts"]')?.textContent ?? '',
      value: document.querySelector('section[aria-labelledby="run-progress-title"] [role="progressbar"]')?.getAttribute('aria-valuenow') ?? null,
    }));

  it('point 4: Stop while Exact is read ends Stopped promptly, a run left unfinished ends Abandoned, bar and text agree, the list shows the last run', async () => {
    const exactAccounts = product.exact.records(division, 'Accounts');
    // Two CRM companies with one Exact account's KvK number and no link yet: the review question of point 5.
    const twin = exactAccounts.find((a) => typeof a.ChamberOfCommerce === 'string' && a.ChamberOfCommerce.trim() !== '')!;
    product.sharePoint.addItems('Companies', [
      { Title: `${String(twin.Name)} (Utrecht office)`, KvkNumber: String(twin.ChamberOfCommerce), City: 'Utrecht' },
      { Title: `${String(twin.Name)} (Gouda office)`, KvkNumber: String(twin.ChamberOfCommerce), City: 'Gouda' },
    ]);
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=en-us&theme=light' });
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await page.getByTestId('profile-companies').getByText('Last run: Not run yet').waitFor();
    await openProfile(page, 'Open', companiesTitle);

    // Each Exact page takes 5 s: the read is long enough to look at and to stop in the middle.
    product.exact.setKnobs({ latencyMs: 5000 });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByRole('heading', { name: 'Reading Exact' }).waitFor();
    await expectClean(page, 'reading Exact');
    await screenshot(page, 'runs-04-reading');
    await page.getByTestId('run-progress-counts').filter({ hasText: /^1,000 read/ }).waitFor({ timeout: 60_000 });
    const reading = await progressNow(page);
    // Nothing is known of the records still to come: counts in the text, a moving bar, no made-up share.
    expect(reading).toEqual({ text: '1,000 read · 0 written so far · 0 failed', value: null });
    const stopAt = Date.now();
    await page.getByRole('button', { name: 'Stop run' }).click();
    const finished = page.getByTestId('run-finished');
    await finished.waitFor({ timeout: 30_000 });
    const stopSeconds = (Date.now() - stopAt) / 1000;
    // At most the page on its way (5 s) and closing the run: not the rest of the read.
    expect(stopSeconds).toBeLessThan(10);
    await expect(finished.getAttribute('data-status')).resolves.toBe('Stopped');
    await expect(finished.textContent()).resolves.toMatch(/^Run finished: Stopped\. [\d,]+ read, 0 created, 0 updated/);
    await expect(page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).resolves.toBe(true);
    expect(product.sharePoint.items('Companies').filter((c) => c.values.ExactId)).toHaveLength(0);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByTestId('run-history').getByText('Stopped').waitFor();
    await expectClean(page, 'stopped');
    await screenshot(page, 'runs-05-stopped-history');
    product.exact.setKnobs({ latencyMs: 0 });

    // The whole import, with the bar and the text sampled together while it writes.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    const samples: Array<{ text: string; value: string | null }> = [];
    while (!(await finished.isVisible()) || (await finished.getAttribute('data-status')) === 'Stopped') {
      const now = await progressNow(page);
      if (now.text) samples.push(now);
      await page.waitForTimeout(150);
    }
    await expect(finished.getAttribute('data-status')).resolves.toBe('Completed');
    const writing = samples.filter((sample) => / of [\d,]+ written/.test(sample.text));
    expect(writing.length).toBeGreaterThan(0);
    for (const sample of writing) {
      const [, done, total] = /· ([\d,]+) of ([\d,]+) written/.exec(sample.text)!.map((v) => Number(v.replace(/,/g, '')));
      // aria-valuenow is the bar's width in whole percent.
      expect(Number(sample.value), sample.text).toBe(Math.floor((done! / total!) * 100));
    }

    // A run whose tab closes while it writes stays unfinished; Abandon closes it promptly, as Abandoned.
    const changed = exactAccounts.slice(0, 600);
    for (const account of changed) product.exact.updateRecord(division, 'Accounts', String(account.ID), { Phone: '+31 30 123 0000' });
    await page.route('**/_api/$batch', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.getByTestId('run-progress-counts').filter({ hasText: /· [1-9][\d,]* of [\d,]+ written/ }).waitFor({ timeout: 60_000 });
    await context.close();

    const second = await newPage(browser);
    await signIn(second.page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=en-us&theme=light' });
    await second.page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openProfile(second.page, 'Open', companiesTitle);
    await second.page.getByText('A run of this profile did not finish', { exact: false }).waitFor();
    await second.page.getByRole('button', { name: 'Abandon' }).click();
    const abandonAt = Date.now();
    await second.page.getByRole('dialog').getByRole('button', { name: 'Abandon' }).click();
    const closed = second.page.getByTestId('run-finished');
    await closed.waitFor({ timeout: 30_000 });
    const abandonSeconds = (Date.now() - abandonAt) / 1000;
    expect(abandonSeconds).toBeLessThan(10);
    await expect(closed.getAttribute('data-status')).resolves.toBe('Abandoned');
    await expect(closed.textContent()).resolves.toContain('What it wrote is in its log and can be undone.');
    await expect(second.page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).resolves.toBe(true);
    await expectClean(second.page, 'abandoned');
    await screenshot(second.page, 'runs-06-abandoned');
    await second.page.getByRole('tab', { name: 'History' }).click();
    const history = second.page.getByTestId('run-history');
    await history.getByText('Abandoned').waitFor();
    expect(await history.getByText('Stopped', { exact: true }).count()).toBe(1);
    expect(await history.getByText('Failed', { exact: true }).count()).toBe(0);

    // The list names the last run in local time with its outcome.
    await second.page.getByRole('button', { name: 'All profiles' }).click();
    const row = second.page.getByTestId('profile-companies');
    await row.getByText(/Last run: .*Abandoned/).waitFor({ timeout: 30_000 });
    const lastRun = (await row.textContent()) ?? '';
    expect(lastRun).not.toContain('Not run yet');
    expect(lastRun).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await expectClean(second.page, 'list with last run');
    await screenshot(second.page, 'runs-07-list-last-run');
    await second.context.close();
    console.log(`measured: stop took ${stopSeconds.toFixed(1)} s, abandon ${abandonSeconds.toFixed(1)} s`);
  }, 600_000);

  it('point 5: captions, local times, code and city, search by code, readable at 320 px, CSV in local time, exact KvK matches in review', async () => {
    const exactAccounts = product.exact.records(division, 'Accounts');
    // Two Exact accounts of one name, told apart by code and city; a KvK number changed in Exact.
    const [first, second] = exactAccounts.slice(700, 702);
    product.exact.updateRecord(division, 'Accounts', String(first!.ID), { Name: 'Bakkerij Jansen', City: 'Delft', ChamberOfCommerce: '87654321' });
    product.exact.updateRecord(division, 'Accounts', String(second!.ID), { Name: 'Bakkerij Jansen', City: 'Zwolle' });
    const firstCode = String(first!.Code).trim();

    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=en-us&theme=light' });
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openProfile(page, 'Open', companiesTitle);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    const search = page.getByRole('searchbox', { name: 'Search by name or code' });
    await search.fill('Bakkerij Jansen');
    const rows = page.getByTestId('preview-rows');
    await rows.getByTestId('entry-identity').nth(1).waitFor();
    // Every "Bakkerij Jansen" (the seed has namesakes too) is told apart by its code and city.
    const identities = await rows.getByTestId('entry-identity').allTextContents();
    expect(new Set(identities).size).toBe(identities.length);
    expect(identities).toEqual(expect.arrayContaining([`Code ${firstCode} · Delft`, expect.stringMatching(/^Code \d+ · Zwolle$/)]));
    await expectClean(page, 'preview namesakes');
    await screenshot(page, 'runs-08-preview-namesakes');
    // Found by its Exact code as a person types it (Exact pads codes with spaces).
    await search.fill(firstCode);
    await page.getByTestId('preview-shown').filter({ hasText: /^1 of / }).waitFor();
    const changes = (await rows.textContent()) ?? '';
    // Captions, not internal names; local times, not ISO UTC.
    expect(changes).toContain('KvK number: ');
    expect(changes).toContain('→ 87654321');
    expect(changes).not.toMatch(/KvkNumber|CustomerStatus|ExactModified/);
    expect(changes).toContain('Modified in Exact: ');
    expect(changes).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    await expectClean(page, 'preview searched by code');
    await screenshot(page, 'runs-09-preview-code');

    // Review: two CRM companies share the account's KvK number, each an exact match, Exact's side beside each.
    await page.getByRole('tab', { name: /^Review \(/ }).click();
    const signals = page.getByTestId(/^candidate-signal-/);
    await signals.first().waitFor({ timeout: 30_000 });
    expect(await signals.allTextContents()).toEqual(['KvK number: exact match', 'KvK number: exact match']);
    const compare = page.getByTestId(/^compare-/).first();
    await expect(compare.textContent()).resolves.toMatch(/KvK number/);
    await expect(compare.getByRole('columnheader').allTextContents()).resolves.toEqual(['Field', 'In Exact', 'In the CRM']);
    await expectClean(page, 'review with exact matches');
    await screenshot(page, 'runs-10-review');

    // History: Log is a button; the CSV is named by the local time the screen shows.
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('run-history');
    const logButton = history.getByRole('button', { name: /^Log / }).first();
    await expect(logButton.evaluate((el) => getComputedStyle(el).borderStyle)).resolves.toBe('solid');
    await logButton.click();
    await page.getByTestId('run-log-shown').waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV for Excel (;)' }).click()]);
    const started = product.sharePoint.items('Sync Runs').map((r) => String(r.values.StartedAt)).sort().reverse()[0]!;
    expect(download.suggestedFilename()).toBe(`${companiesTitle} ${formatLocal(new Date(started), 'yyyy-MM-dd HH-mm')} Abandoned.csv`);
    await expectClean(page, 'run log');
    await screenshot(page, 'runs-11-log');
    await context.close();

    // Dutch, dark, 320 px: the preview as cards, changes line by line, not one character per line.
    const narrow = await newPage(browser, { width: 320, height: 900, colorScheme: 'dark' });
    await signIn(narrow.page, product.workbenchUrl, demoLogins.admin, { path: profilesPath, query: 'lang=nl-nl&theme=dark' });
    await narrow.page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openProfile(narrow.page, 'Openen', companiesTitle);
    await narrow.page.getByRole('button', { name: 'Voorbeeld' }).click();
    await narrow.page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    await narrow.page.getByRole('searchbox', { name: 'Zoeken op naam of code' }).fill('Bakkerij Jansen');
    const line = narrow.page.getByTestId('entry-card').locator('li').first();
    await line.waitFor();
    const box = (await line.boundingBox())!;
    expect(box.width).toBeGreaterThan(200);
    const lineHeight = await line.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
    const text = (await line.textContent()) ?? '';
    // Wrapped at words: no more lines than the text needs at this width.
    expect(box.height / lineHeight).toBeLessThan(Math.ceil((text.length * 7) / box.width) + 2);
    await expectClean(narrow.page, 'preview nl dark 320');
    await screenshot(narrow.page, 'runs-12-preview-nl-dark-320');
    await openTab(narrow.page, /^Beoordelen/);
    await narrow.page.getByTestId(/^candidate-signal-/).first().waitFor({ timeout: 30_000 });
    expect(await narrow.page.getByTestId(/^candidate-signal-/).allTextContents()).toEqual(['KvK-nummer: exacte overeenkomst', 'KvK-nummer: exacte overeenkomst']);
    await expectClean(narrow.page, 'review nl dark 320');
    await screenshot(narrow.page, 'runs-13-review-nl-dark-320');
    await openTab(narrow.page, 'Geschiedenis');
    await narrow.page.getByTestId('run-history').getByText('Afgebroken').waitFor();
    await narrow.page.getByTestId('run-history').getByText('Gestopt').waitFor();
    await expectClean(narrow.page, 'history nl dark 320');
    await screenshot(narrow.page, 'runs-14-history-nl-dark-320');
    await narrow.context.close();
  }, 600_000);
});
