/**
 * The import-profile editor in real Chromium, mounted alone on the workbench page
 * `/pages/import-profiles/edit?profile=<id>`: an admin changes a mapping, sees a text field
 * refused for a number column, fixes it and saves, and the stored profile is read back from
 * SharePoint; a second admin's save in between is a conflict with Reload, not last-save-wins.
 * Dutch, dark, high contrast and 320 px are checked for axe and overflow.
 * SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import { spfi, SPFx } from '@pnp/sp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync';
import type { ProfileStore, ValidProfileEntry } from '../../src/sync';
import { siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import type { RunningProduct } from '../../sandbox/product';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const editorPath = '/pages/import-profiles/edit';

async function choose(page: Page, combobox: string, option: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

/** Fluent draws the checkbox over its input; a person clicks the label. */
async function toggleKeepCrmEdits(page: Page, column: string): Promise<void> {
  await page.getByRole('group', { name: column, exact: true }).locator('label', { hasText: 'Keep CRM edits' }).click();
}

const stored = async (store: ProfileStore, id: string): Promise<ValidProfileEntry> => {
  const entry = await store.get(id);
  if (!entry?.valid) throw new Error(`profile ${id} is not stored as a valid profile`);
  return entry;
};

describe.skipIf(browserMissing)('import-profile editor in the workbench (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let store: ProfileStore;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    const owner = product.sharePoint.sessionCookieFor('admin@contoso.test');
    store = createSharePointProfileStore(spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner)));
    for (const profile of defaultProfiles(product.exact.divisions[0]!.code)) await store.save(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('refuses a text field in a number column, saves the fix, and SharePoint holds it', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us&theme=light' });
    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    await connect.waitFor();
    await consentInExactPopup(page, () => connect.click());
    await page.getByText('Connected as', { exact: false }).waitFor();

    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${editorPath}?profile=companies`);
    await page.getByRole('heading', { name: 'Edit import profile: Companies from Exact accounts' }).waitFor();
    await page.getByText('No problems found.').waitFor();
    const division = product.exact.divisions[0]!;
    // The Companies list has an "Exact division" column too (mapping grid): the profile's own is under Source and target.
    const general = page.locator('section[aria-labelledby="profile-general-title"]');
    await expect(general.getByRole('combobox', { name: 'Exact division' }).textContent()).resolves.toContain(division.description);
    await expectClean(page, 'companies profile');
    await screenshot(page, 'editor-light-01-companies');

    const creditLine = page.getByRole('group', { name: 'Credit line' });
    await creditLine.scrollIntoViewIfNeeded();
    await choose(page, 'Credit line: Transform', /^Copy$/);
    await choose(page, 'Credit line: Exact field', /^Name \(string/);
    const refusal = 'Exact field Name is text; the number column CreditLine cannot hold it';
    await creditLine.getByText(refusal, { exact: false }).waitFor();
    await page.getByTestId('profile-problems').getByText(`Column CreditLine: ${refusal}`, { exact: false }).waitFor();
    await expect(page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save as new' }).isDisabled()).resolves.toBe(true);
    await page.getByText('Saving is not possible while 1 problem remains.').waitFor();
    await expectClean(page, 'text into a number column');
    await screenshot(page, 'editor-light-02-refused');

    await choose(page, 'Credit line: Exact field', /CreditLineSales \(double/);
    await page.getByText('No problems found.').waitFor();
    await expect(creditLine.getByText(refusal, { exact: false }).count()).resolves.toBe(0);
    // Keep CRM edits on the phone number goes off as well.
    await toggleKeepCrmEdits(page, 'Phone');
    const before = await stored(store, 'companies');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Profile "Companies from Exact accounts" saved.').waitFor();
    await expectClean(page, 'saved');
    await screenshot(page, 'editor-light-03-saved');

    const after = await stored(store, 'companies');
    expect(after.etag).not.toBe(before.etag);
    expect(after.profile.mappings.find((m) => m.target === 'CreditLine')).toEqual({ target: 'CreditLine', transform: { kind: 'copy', source: 'CreditLineSales' }, keepCrmEdits: false });
    expect(after.profile.mappings.find((m) => m.target === 'Phone')?.keepCrmEdits).toBe(false);
    // Everything not touched is as it was.
    expect(after.profile.mappings.filter((m) => m.target !== 'CreditLine' && m.target !== 'Phone')).toEqual(before.profile.mappings.filter((m) => m.target !== 'CreditLine' && m.target !== 'Phone'));
    expect(after.profile.matching).toEqual(before.profile.matching);
    await context.close();
  });

  it("a second admin's save in between is a conflict with Reload, not last-save-wins", async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=contacts&lang=en-us&theme=light' });
    await page.getByRole('heading', { name: 'Edit import profile: Contacts from Exact contacts' }).waitFor();
    await page.getByText('No problems found.').waitFor();

    // The other admin renames the profile while this editor is open.
    const opened = await stored(store, 'contacts');
    await store.save({ ...opened.profile, title: 'Contacts (renamed by Bram)' }, { etag: opened.etag });

    await toggleKeepCrmEdits(page, 'Job title');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('was saved by someone else after you opened it', { exact: false }).waitFor();
    const kept = await stored(store, 'contacts');
    expect(kept.profile.title).toBe('Contacts (renamed by Bram)');
    expect(kept.profile.mappings.find((m) => m.target === 'JobTitle')?.keepCrmEdits).toBe(false);
    await expectClean(page, 'conflict');
    await screenshot(page, 'editor-light-04-conflict');

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByText('The stored version is loaded; your changes were discarded.').waitFor();
    await expect(page.getByRole('textbox', { name: 'Profile name' }).inputValue()).resolves.toBe('Contacts (renamed by Bram)');
    await toggleKeepCrmEdits(page, 'Job title');
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Profile "Contacts (renamed by Bram)" saved.').waitFor();
    const merged = await stored(store, 'contacts');
    expect(merged.profile.title).toBe('Contacts (renamed by Bram)');
    expect(merged.profile.mappings.find((m) => m.target === 'JobTitle')?.keepCrmEdits).toBe(true);
    await context.close();
  });

  it('Save as new offers a free title and leaves the opened profile as it was', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=companies&lang=en-us&theme=light' });
    await page.getByText('No problems found.').waitFor();
    // The filter is folded away until asked for: most profiles read everything.
    await page.getByRole('button', { name: 'Show Filter' }).click();
    await page.getByRole('textbox', { name: 'OData filter (for experts)' }).fill("Town eq 'Delft'");
    await page.getByText('Exact field "Town" does not exist in Accounts (customers, suppliers, prospects)').first().waitFor();
    await page.getByRole('textbox', { name: 'OData filter (for experts)' }).fill('');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await choose(page, 'Condition 1: field', /^City \(string/);
    await page.getByRole('textbox', { name: 'Condition 1: value' }).fill('Delft');
    await expect(page.getByRole('textbox', { name: 'OData filter (for experts)' }).inputValue()).resolves.toBe("City eq 'Delft'");
    await page.getByText('No problems found.').waitFor();
    await page.getByRole('button', { name: 'Save as new' }).click();
    const title = page.getByRole('textbox', { name: 'Name of the new profile' });
    // The name in the form is this profile's: the dialog offers the first free one.
    await expect(title.inputValue()).resolves.toBe('Companies from Exact accounts (2)');
    await title.fill('Companies in Delft');
    await expectClean(page, 'save as new dialog');
    await screenshot(page, 'editor-light-05-save-as-new');
    await page.getByRole('dialog').getByRole('button', { name: 'Save as new' }).click();
    await page.getByText('Profile "Companies in Delft" saved.').waitFor();
    const copy = await stored(store, 'companies-in-delft');
    expect(copy.profile.source).toEqual({ entity: 'Account', filter: "City eq 'Delft'" });
    expect((await stored(store, 'companies')).profile.source.filter).toBeUndefined();
    await context.close();
  });

  it('reads as Dutch and fits in dark, high contrast and at 320 px', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=contacts&lang=nl-nl&theme=dark' });
    await page.getByRole('heading', { name: /^Importprofiel bewerken/ }).waitFor();
    await page.getByText('Geen problemen gevonden.').waitFor();
    await expect(page.getByRole('combobox', { name: 'Gegevens uit Exact' }).textContent()).resolves.toContain('Contactpersonen van relaties');
    await expectClean(page, 'nl dark 320');
    await screenshot(page, 'editor-dark-320-01-contacts');
    await choose(page, 'Company: Omzetting', /^Overnemen$/);
    await page.getByRole('group', { name: 'Company' }).getByText('kolom Company verwijst naar een andere lijst', { exact: false }).waitFor();
    await expectClean(page, 'nl dark 320 problem');
    await screenshot(page, 'editor-dark-320-02-problem');
    await context.close();

    const contrast = await newPage(browser, { width: 1024, height: 800, colorScheme: 'dark' });
    await signIn(contrast.page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'lang=en-us&theme=contrast' });
    await contrast.page.getByRole('heading', { name: 'New import profile' }).waitFor();
    // A blank form is not a list of errors; Save says what is missing.
    await contrast.page.getByRole('button', { name: 'Save', exact: true }).click();
    await contrast.page.getByText('Profile name: this is required', { exact: false }).waitFor();
    await expectClean(contrast.page, 'new profile, high contrast');
    await screenshot(contrast.page, 'editor-contrast-01-new');
    await contrast.context.close();
  });
});
