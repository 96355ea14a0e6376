/**
 * Issue 24 through the import-profiles page, in real Chromium, in English (light, 1280 px) and
 * in Dutch (dark, 320 px): the admin adds the default profile of a master-data source in one step
 * (VAT codes, items, projects), each list created on the site as the profile first targets it;
 * previews the items; runs each; Exact changes an item and deletes a project; the next runs read
 * only that change (1 read) and flag the deleted project; items are linked to their VAT code and
 * projects to their company (read back through SharePoint REST). axe on every state, each also
 * at the other width; SCREENSHOTS_DIR keeps pictures.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spAs } from '../support/spSessions';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const NL = 2950001;
const items = 60;
const projects = 12;
const nlLabel = 'Van Houten Installatietechniek B.V. (2950001)';

interface Words {
  lang: 'en-us' | 'nl-nl';
  theme: 'light' | 'dark';
  width: number;
  run: string;
  startRun: string;
  preview: string;
  allProfiles: string;
  addDefaults: string;
  addProfiles: string;
  dialogDivision: string;
  source: string;
  names: { vat: string; items: string; projects: string };
  readChanges: string;
  readWhole: string;
  added: (title: string) => string;
  created: (n: number) => RegExp;
  changed: RegExp;
  flagged: RegExp;
  listLine: string;
}

const english: Words = {
  lang: 'en-us',
  theme: 'light',
  width: 1280,
  run: 'Run',
  startRun: 'Start run',
  preview: 'Preview',
  allProfiles: 'All profiles',
  addDefaults: 'Add default profiles for a division',
  addProfiles: 'Add profiles',
  dialogDivision: 'Division',
  source: 'What to import',
  names: { vat: 'VAT codes', items: 'Items', projects: 'Projects' },
  readChanges: 'Each run reads only what changed in Exact',
  readWhole: 'Exact keeps no change list for these',
  added: (title) => `Added for ${nlLabel}: “${title}”.`,
  created: (n) => new RegExp(`^Run finished: Completed\\. ${n} read, ${n} created, 0 updated`),
  changed: /1 read, 0 created, 1 updated/,
  flagged: /0 read, 0 created, 0 updated, 1 flagged as deleted in Exact/,
  listLine: 'Items → Items',
};

const dutch: Words = {
  lang: 'nl-nl',
  theme: 'dark',
  width: 320,
  run: 'Uitvoeren',
  startRun: 'Run starten',
  preview: 'Voorbeeld',
  allProfiles: 'Alle profielen',
  addDefaults: 'Standaardprofielen voor een administratie toevoegen',
  addProfiles: 'Profielen toevoegen',
  dialogDivision: 'Administratie',
  source: 'Wat importeren',
  names: { vat: 'Btw-codes', items: 'Artikelen', projects: 'Projecten' },
  readChanges: 'Elke run leest alleen wat in Exact is gewijzigd',
  readWhole: 'Exact houdt hiervan geen wijzigingen bij',
  added: (title) => `Toegevoegd voor ${nlLabel}: “${title}”.`,
  created: (n) => new RegExp(`^Run klaar: .*\\. ${n} gelezen, ${n} aangemaakt, 0 bijgewerkt`),
  changed: /1 gelezen, 0 aangemaakt, 1 bijgewerkt/,
  flagged: /0 gelezen, 0 aangemaakt, 0 bijgewerkt, 1 gemarkeerd als verwijderd in Exact/,
  listLine: 'Artikelen → Items',
};

type Item = Record<string, unknown> & { Id: number };

async function listOverRest(product: RunningProduct, title: string): Promise<Item[]> {
  const sp = spAs(`${product.sandbox.url}/sites/crm`, product.sharePoint.sessionCookieFor('admin@contoso.test'));
  return (await sp.web.lists.getByTitle(title).items.top(5000)()) as Item[];
}

async function listExists(product: RunningProduct, title: string): Promise<boolean> {
  return listOverRest(product, title).then(() => true, () => false);
}

/** Each state at the walk's width and at the other one, axe-clean, with a picture. */
async function state(page: Page, w: Words, name: string): Promise<void> {
  for (const width of [w.width, w.width === 320 ? 1280 : 320]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200);
    await expectClean(page, `${w.lang} ${width} px ${name}`);
    await screenshot(page, `master-${w.lang}-${w.theme}-${width}-${name}`);
  }
  await page.setViewportSize({ width: w.width, height: 900 });
}

/** Add default profiles → this source for the default division → the message names the profile. */
async function addSource(page: Page, w: Words, name: string, title: string, shot?: string): Promise<void> {
  await page.getByRole('button', { name: w.addDefaults }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: w.dialogDivision }).click();
  await page.getByRole('option', { name: new RegExp(`^${nlLabel.replace(/[().&]/g, '\\$&')}`) }).click();
  await dialog.getByRole('combobox', { name: w.source }).click();
  await page.getByRole('option', { name, exact: true }).click();
  await dialog.getByTestId('source-read-note').waitFor();
  if (shot) await state(page, w, shot);
  await dialog.getByRole('button', { name: w.addProfiles }).click();
  await expect(page.getByTestId('defaults-added').textContent()).resolves.toBe(w.added(title));
}

/** Runs a profile from the list; returns the finished run's summary and goes back to the list. */
async function runFromList(page: Page, w: Words, title: string, shot?: string): Promise<string> {
  await page.getByRole('button', { name: `${w.run} ${title}`, exact: true }).click();
  await page.getByRole('button', { name: w.startRun }).click();
  const finished = page.getByTestId('run-finished');
  await finished.waitFor({ timeout: 120_000 });
  const text = (await finished.textContent()) ?? '';
  if (shot) await state(page, w, shot);
  await page.getByRole('button', { name: w.allProfiles }).click();
  return text;
}

describe.skipIf(browserMissing).each([english, dutch])('Master-data sources in the workbench ($lang, $theme, $width px)', (w) => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: '30', SANDBOX_ITEMS: String(items), SANDBOX_PROJECTS: String(projects) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('adds VAT codes, items and projects in one step each, imports them linked, and reads only changes after', async () => {
    const { page, context } = await newPage(browser, { width: w.width, height: 900, colorScheme: w.theme });
    const base = product.workbenchUrl.replace(/\/$/, '');
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: `lang=${w.lang}&theme=${w.theme}` });
    const connect = page.getByRole('button', { name: /^(Connect with Exact Online|Koppelen met Exact Online)$/ });
    await consentInExactPopup(page, () => connect.click());
    await page.getByText(/^(Connected as|Gekoppeld als)/).first().waitFor();
    await page.goto(`${base}/pages/import-profiles`);
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    // Projects link to companies: those come in first.
    // A Dutch site's shipped profiles have Dutch names.
    await runFromList(page, w, w.lang === 'nl-nl' ? 'Bedrijven uit Exact-relaties' : 'Companies from Exact accounts');
    expect(await listExists(product, 'Items')).toBe(false);

    await addSource(page, w, w.names.vat, 'VAT codes from Exact');
    await expect(page.getByTestId('defaults-added').textContent()).resolves.toContain('VAT codes from Exact');
    expect(await listExists(product, 'VAT Codes')).toBe(true);
    const vat = product.exact.masterRecords(NL, 'vatCodes').length;
    expect(await runFromList(page, w, 'VAT codes from Exact')).toMatch(w.created(vat));

    await page.getByRole('button', { name: w.addDefaults }).click();
    await page.getByRole('dialog').getByRole('combobox', { name: w.source }).click();
    await page.getByRole('option', { name: w.names.items, exact: true }).click();
    await expect(page.getByTestId('source-read-note').textContent()).resolves.toContain(w.readChanges);
    await page.getByRole('dialog').getByRole('combobox', { name: w.source }).click();
    await page.getByRole('option', { name: w.names.vat, exact: true }).click();
    await expect(page.getByTestId('source-read-note').textContent()).resolves.toContain(w.readWhole);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await addSource(page, w, w.names.items, 'Items from Exact', '01-add-items');
    await state(page, w, '02-items-added');
    await expect(page.getByTestId('profile-items').textContent()).resolves.toContain(w.listLine);
    // Preview first: every item would be created, none fails on its VAT code.
    await page.getByRole('button', { name: `${w.run} Items from Exact`, exact: true }).waitFor();
    await page.getByTestId('profile-items').getByRole('button', { name: new RegExp(`^(Open|Openen) Items from Exact$`) }).click();
    await page.getByRole('button', { name: w.preview, exact: true }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    const count = async (outcome: string): Promise<number> => Number(((await page.locator(`[data-outcome=${outcome}] span`).textContent()) ?? '').replace(/\D/g, ''));
    expect(await count('create')).toBe(items);
    await state(page, w, '03-items-preview');
    await page.getByRole('button', { name: w.allProfiles }).click();
    expect(await runFromList(page, w, 'Items from Exact', '04-items-run')).toMatch(w.created(items));

    await addSource(page, w, w.names.projects, 'Projects from Exact');
    expect(await runFromList(page, w, 'Projects from Exact')).toMatch(w.created(projects));
    await state(page, w, '05-list-with-sources');

    // Linked: each item to a VAT code of this division; projects to their company, internal ones to none.
    const vatIds = new Set((await listOverRest(product, 'VAT Codes')).map((v) => v.Id));
    const itemRows = await listOverRest(product, 'Items');
    expect(itemRows).toHaveLength(items);
    expect(itemRows.every((i) => vatIds.has(i.VatCodeId as number))).toBe(true);
    const companies = new Map((await listOverRest(product, 'Companies')).map((c) => [c.Id, String(c.ExactId).toLowerCase()] as const));
    const exactProjects = new Map(product.exact.masterRecords(NL, 'projects').map((p) => [String(p.ID).toLowerCase(), p] as const));
    const projectRows = await listOverRest(product, 'Projects');
    for (const row of projectRows) {
      const account = exactProjects.get(String(row.ExactId).toLowerCase())?.Account;
      expect(row.CompanyId == null ? null : companies.get(row.CompanyId as number), `project ${String(row.Title)}`).toBe(account === null ? null : String(account).toLowerCase());
    }

    // Exact changes one item and deletes one project: the next runs read only that.
    const item = product.exact.masterRecords(NL, 'items')[0];
    product.exact.putMasterRecord(NL, 'items', { ID: item.ID, Description: 'Lenovo ThinkPad T14 Gen 6' });
    const project = product.exact.masterRecords(NL, 'projects')[1];
    product.exact.deleteMasterRecord(NL, 'projects', String(project.ID));
    expect(await runFromList(page, w, 'Items from Exact', '06-items-changed')).toMatch(w.changed);
    expect(await runFromList(page, w, 'Projects from Exact', '07-project-deleted')).toMatch(w.flagged);
    const flagged = (await listOverRest(product, 'Projects')).filter((p) => p.DeletedInExact === true);
    expect(flagged.map((p) => String(p.ExactId).toLowerCase())).toEqual([String(project.ID).toLowerCase()]);
    await context.close();
  }, 600_000);
});
