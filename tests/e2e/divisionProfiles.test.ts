/**
 * Issue 19 through the import-profiles page, in real Chromium, in English (light, 1280 px) and in
 * Dutch (dark, 320 px): the NL Companies profile has run; the admin edits it to the Belgian
 * division Peeters & Zonen, mode Import, and saves it as new; the preview reports no deletions;
 * the run creates the Belgian companies and leaves every Dutch item exactly as it was (read back
 * through SharePoint REST, all fields, a Dutch item linked before divisions were recorded
 * included); the review shows the division of the record and of each candidate; Exact deletes two
 * Belgian accounts and the next run's summary and its undo name the flags in the same words; the
 * default profiles come for a division in one step; a second Save as new for the same list and
 * division warns first; and the workbench's Companies list tells the two "Exact 20001" apart.
 * axe on every state; SCREENSHOTS_DIR keeps pictures.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spAs } from '../support/spSessions';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, enableDivision, signIn, startWorkbench } from '../support/workbench';

const NL = 2950001;
const BE = 2950002;
const accounts = 40;
// A Dutch site's shipped profiles have Dutch names.
const titles = {
  'en-us': { companiesTitle: 'Companies from Exact accounts', beTitle: 'Companies from Exact accounts (Peeters & Zonen BV)', beContactsTitle: 'Contacts from Exact contacts (Peeters & Zonen BV)' },
  'nl-nl': { companiesTitle: 'Bedrijven uit Exact-relaties', beTitle: 'Bedrijven uit Exact-relaties (Peeters & Zonen BV)', beContactsTitle: 'Contactpersonen uit Exact (Peeters & Zonen BV)' },
};
const beLabel = 'Peeters & Zonen BV (2950002)';
const nlLabel = 'Van Houten Installatietechniek B.V. (2950001)';

interface Words {
  lang: 'en-us' | 'nl-nl';
  theme: 'light' | 'dark';
  width: number;
  run: string;
  open: string;
  startRun: string;
  edit: string;
  division: string;
  modeImport: string;
  saveAsNew: string;
  saveAsNewAnyway: string;
  cancel: string;
  preview: string;
  history: string;
  moreTabs: string;
  log: RegExp;
  undo: string;
  allProfiles: string;
  review: RegExp;
  link: string;
  addDefaults: string;
  addProfiles: string;
  dialogDivision: string;
  divisionLine: string;
  reviewFrom: string;
  candidateNone: string;
  firstSummary: (n: number) => string;
  flaggedSummary: RegExp;
  undoPlan: string[];
  undoDone: string;
  addedDone: string;
  warning: string;
  companiesDivision: string;
}

const english: Words = {
  lang: 'en-us',
  theme: 'light',
  width: 1280,
  run: 'Run',
  open: 'Open',
  startRun: 'Start run',
  edit: 'Edit',
  division: 'Exact division',
  modeImport: 'Import',
  saveAsNew: 'Save as new',
  saveAsNewAnyway: 'Save as new anyway',
  cancel: 'Cancel',
  preview: 'Preview',
  history: 'History',
  moreTabs: 'More tabs',
  log: /^Log /,
  undo: 'Undo this run',
  allProfiles: 'All profiles',
  review: /^Review \(1\)/,
  link: 'Link',
  addDefaults: 'Add default profiles for a division',
  addProfiles: 'Add profiles',
  dialogDivision: 'Division',
  divisionLine: `Exact division: ${beLabel}`,
  reviewFrom: `From ${beLabel}`,
  candidateNone: 'None: not linked to Exact',
  firstSummary: (n) => `${n} read, ${n - 1} created, 0 updated, 0 skipped, 1 conflicts, 0 failed`,
  flaggedSummary: /\d+ read, 1 created, 0 updated, 2 flagged as deleted in Exact, \d+ skipped, 0 conflicts, 0 failed/,
  undoPlan: ['1 created items go to the SharePoint recycle bin (restorable)', '2 items flagged as deleted in Exact lose that flag'],
  undoDone: 'Undo finished: 1 created items recycled, 2 items no longer flagged as deleted in Exact, 0 left alone (changed since).',
  addedDone: `Added for ${beLabel}: “${titles['en-us'].beContactsTitle}”. Lists that already had a profile for it kept theirs: Companies.`,
  warning: `“${titles['en-us'].beTitle}” already imports the Companies list from ${beLabel}.`,
  companiesDivision: 'Exact division',
};

const dutch: Words = {
  lang: 'nl-nl',
  theme: 'dark',
  width: 320,
  run: 'Uitvoeren',
  open: 'Openen',
  startRun: 'Run starten',
  edit: 'Bewerken',
  division: 'Exact-administratie',
  modeImport: 'Importeren',
  saveAsNew: 'Opslaan als nieuw',
  saveAsNewAnyway: 'Toch opslaan als nieuw',
  cancel: 'Annuleren',
  preview: 'Voorbeeld',
  history: 'Geschiedenis',
  moreTabs: 'Meer tabbladen',
  log: /^Logboek /,
  undo: 'Deze run ongedaan maken',
  allProfiles: 'Alle profielen',
  review: /^Beoordelen \(1\)/,
  link: 'Koppelen',
  addDefaults: 'Standaardprofielen voor een administratie toevoegen',
  addProfiles: 'Profielen toevoegen',
  dialogDivision: 'Administratie',
  divisionLine: `Exact-administratie: ${beLabel}`,
  reviewFrom: `Uit ${beLabel}`,
  candidateNone: 'Geen: niet gekoppeld aan Exact',
  firstSummary: (n) => `${n} gelezen, ${n - 1} aangemaakt, 0 bijgewerkt, 0 overgeslagen, 1 conflicten, 0 mislukt`,
  flaggedSummary: /\d+ gelezen, 1 aangemaakt, 0 bijgewerkt, 2 gemarkeerd als verwijderd in Exact, \d+ overgeslagen, 0 conflicten, 0 mislukt/,
  undoPlan: ['1 aangemaakte items gaan naar de prullenbak van SharePoint (terug te zetten)', '2 items gemarkeerd als verwijderd in Exact verliezen die markering'],
  undoDone: 'Ongedaan maken klaar: 1 aangemaakte items naar de prullenbak, 2 items niet meer gemarkeerd als verwijderd in Exact, 0 ongemoeid gelaten (sindsdien gewijzigd).',
  addedDone: `Toegevoegd voor ${beLabel}: “${titles['nl-nl'].beContactsTitle}”. Lijsten die er al een profiel voor hadden, houden dat: Companies.`,
  warning: `“${titles['nl-nl'].beTitle}” importeert de lijst Companies al uit ${beLabel}.`,
  companiesDivision: 'Exact-administratie',
};

type Item = Record<string, unknown> & { Id: number };

/** Every Companies item as SharePoint's REST API answers it, all fields. */
async function companiesOverRest(product: RunningProduct): Promise<Item[]> {
  const sp = spAs(`${product.sandbox.url}/sites/crm`, product.sharePoint.sessionCookieFor('admin@contoso.test'));
  return (await sp.web.lists.getByTitle('Companies').items.top(5000)()) as Item[];
}

const lower = (v: unknown): string => String(v ?? '').toLowerCase();

async function runFromDetail(page: Page, w: Words): Promise<string> {
  await page.getByRole('button', { name: w.run, exact: true }).click();
  await page.getByRole('button', { name: w.startRun }).click();
  const finished = page.getByTestId('run-finished');
  await finished.waitFor({ timeout: 120_000 });
  return (await finished.textContent()) ?? '';
}

/** A profile's tab; at 320 px the later tabs are in the Pivot's overflow menu. */
async function openTab(page: Page, w: Words, name: string | RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  if (await tab.isVisible()) return tab.click();
  await page.getByRole('tab', { name: w.moreTabs }).click();
  await page.getByRole('menuitem', { name }).click();
}

/**
 * Checks the state at the walk's width and at the other one (1280 and Teams' 320 px), so each
 * language and theme is seen wide and narrow.
 */
async function state(page: Page, w: Words, name: string): Promise<void> {
  for (const width of [w.width, w.width === 320 ? 1280 : 320]) {
    await page.setViewportSize({ width, height: 900 });
    // The run history and log switch to their stacked layout on a resize; let that settle.
    await page.waitForTimeout(200);
    await expectClean(page, `${w.lang} ${width} px ${name}`);
    await screenshot(page, `divisions-${w.lang}-${w.theme}-${width}-${name}`);
  }
  await page.setViewportSize({ width: w.width, height: 900 });
}

describe.skipIf(browserMissing).each([english, dutch])('Profiles per division in the workbench ($lang, $theme, $width px)', (w) => {
  let product: RunningProduct;
  let browser: Browser;
  const { companiesTitle, beTitle, beContactsTitle } = titles[w.lang];

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_ACCOUNTS: String(accounts) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('imports the Belgian division beside the Dutch one without touching a Dutch item, and says so in the same words from run to undo', async () => {
    const { page, context } = await newPage(browser, { width: w.width, height: 900, colorScheme: w.theme });
    const base = product.workbenchUrl.replace(/\/$/, '');
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: `lang=${w.lang}&theme=${w.theme}` });
    const connect = page.getByRole('button', { name: /^(Connect with Exact Online|Koppelen met Exact Online)$/ });
    await consentInExactPopup(page, () => connect.click());
    await page.getByText(/^(Connected as|Gekoppeld als)/).first().waitFor();
    await enableDivision(page, beLabel);
    await page.goto(`${base}/pages/import-profiles`);
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId(`profiles-${BE}`).getByRole('button', { name: new RegExp(beLabel.replace(/[().&]/g, '\\$&')) }).count()).resolves.toBe(1);
    await state(page, w, '01-list-by-division');

    // The Dutch companies come in first, as in the reproduction.
    await page.getByRole('button', { name: `${w.run} ${companiesTitle}`, exact: true }).click();
    await page.getByRole('button', { name: w.startRun }).click();
    await page.getByTestId('run-finished').waitFor({ timeout: 120_000 });
    const nlAccounts = product.exact.records(NL, 'Accounts');
    const beAccounts = product.exact.records(BE, 'Accounts');
    const beIds = new Set(beAccounts.map((a) => lower(a.ID)));
    // One Dutch item as linked before divisions were recorded, and a CRM company without a link
    // that looks like a Belgian account (name and postcode: a weak match, so a review question).
    const sp = spAs(`${product.sandbox.url}/sites/crm`, product.sharePoint.sessionCookieFor('admin@contoso.test'));
    const legacy = (await companiesOverRest(product)).find((i) => lower(i.ExactId) === lower(nlAccounts[3]!.ID))!;
    await sp.web.lists.getByTitle('Companies').items.getById(legacy.Id).update({ ExactDivision: null });
    const lookalike = beAccounts[5]!;
    product.sharePoint.addItems('Companies', [{ Title: String(lookalike.Name), Postcode: String(lookalike.Postcode) }]);
    const dutchItems = (await companiesOverRest(product)).filter((i) => i.ExactDivision === NL || (i.ExactDivision == null && i.ExactId));
    expect(dutchItems).toHaveLength(accounts);
    const unchangedDutch = async (when: string): Promise<void> => {
      const now = new Map((await companiesOverRest(product)).map((i) => [i.Id, i] as const));
      for (const before of dutchItems) expect(now.get(before.Id), `Dutch item ${before.Id} ${when}`).toEqual(before);
    };

    // Edit the Companies profile → Peeters & Zonen, Import → Save as new.
    await page.getByRole('button', { name: w.allProfiles }).click();
    await page.getByRole('button', { name: `${w.open} ${companiesTitle}`, exact: true }).click();
    await page.getByRole('button', { name: w.edit, exact: true }).click();
    await page.locator('section[aria-labelledby="profile-general-title"]').getByRole('combobox', { name: w.division }).click();
    await page.getByRole('option', { name: /Peeters/ }).click();
    await page.getByRole('radio', { name: w.modeImport, exact: true }).check();
    await page.getByRole('button', { name: w.saveAsNew, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('textbox').inputValue()).resolves.toBe(beTitle);
    await dialog.getByRole('button', { name: w.saveAsNew, exact: true }).waitFor();
    await expect(dialog.getByTestId('same-list-and-division').count()).resolves.toBe(0);
    await state(page, w, '02-save-as-new');
    await dialog.getByRole('button', { name: w.saveAsNew, exact: true }).click();
    await page.getByRole('heading', { name: beTitle }).waitFor();
    await expect(page.getByTestId('profile-division').textContent()).resolves.toBe(w.divisionLine);

    // Preview: nothing Dutch is "deleted in Exact".
    await page.getByRole('button', { name: w.preview, exact: true }).click();
    await page.getByTestId('preview-counts').waitFor({ timeout: 60_000 });
    const count = async (outcome: string): Promise<number> => Number(((await page.locator(`[data-outcome=${outcome}] span`).textContent()) ?? '').replace(/\D/g, ''));
    expect(await count('deleted')).toBe(0);
    expect(await count('create')).toBe(accounts - 1);
    expect(await count('conflict')).toBe(1);
    await page.getByTestId('preview-rows').getByText(beLabel).first().waitFor();
    await state(page, w, '03-preview');

    // Run: the Belgian companies, each with its division; every Dutch item as it was.
    const first = await runFromDetail(page, w);
    expect(first).toContain(w.firstSummary(accounts));
    await state(page, w, '04-run-summary');
    await unchangedDutch('after the Belgian run');
    const belgian = (await companiesOverRest(product)).filter((i) => beIds.has(lower(i.ExactId)));
    expect(belgian).toHaveLength(accounts - 1);
    expect(new Set(belgian.map((i) => i.ExactDivision))).toEqual(new Set([BE]));

    // Review: the Exact record's division and the candidate's (none: it has no link).
    await openTab(page, w, w.review);
    const question = page.locator(`[data-review="${lower(lookalike.ID)}"]`);
    await question.getByText(w.reviewFrom).waitFor();
    await expect(question.locator('[data-testid^=candidate-division-]').first().textContent()).resolves.toBe(w.candidateNone);
    await state(page, w, '05-review');
    await question.getByRole('button', { name: new RegExp(`^${w.link}: `) }).click();
    await question.waitFor({ state: 'detached' });
    const linked = (await companiesOverRest(product)).find((i) => lower(i.ExactId) === lower(lookalike.ID));
    expect(linked?.ExactDivision).toBe(BE);

    // Exact deletes two Belgian accounts and adds one: the next run flags the two and says so.
    const gone = [beAccounts[1]!, beAccounts[2]!];
    for (const a of gone) product.exact.deleteRecord(BE, 'Accounts', String(a.ID));
    product.exact.createRecord(BE, 'Accounts', { Name: 'Nieuw in Gent BV', City: 'Gent', Postcode: '9000' });
    const second = await runFromDetail(page, w);
    expect(second).toMatch(w.flaggedSummary);
    await state(page, w, '06-flagged-summary');
    await unchangedDutch('after the flagging run');
    const flagged = (await companiesOverRest(product)).filter((i) => i.DeletedInExact === true);
    expect(flagged.map((i) => lower(i.ExactId)).sort()).toEqual(gone.map((a) => lower(a.ID)).sort());

    // Its undo says beforehand, and afterwards, what it takes back in the same words.
    await openTab(page, w, w.history);
    await page.getByTestId('run-history').getByRole('button', { name: w.log }).first().click();
    await page.getByTestId('run-log-shown').waitFor();
    await page.getByTestId('run-log-rows').getByText(beLabel).first().waitFor();
    await state(page, w, '07-run-log');
    await page.getByRole('button', { name: w.undo }).click();
    // The dialog mounts its layer after the click's render: wait for the plan, then read it.
    await expect.poll(() => page.getByTestId('undo-plan').locator('li').allTextContents(), { timeout: 15_000 }).toEqual(w.undoPlan);
    await state(page, w, '08-undo-confirm');
    await page.getByRole('dialog').getByRole('button', { name: w.undo }).click();
    const undone = page.getByTestId('undo-finished');
    await undone.waitFor({ timeout: 60_000 });
    await expect(undone.textContent()).resolves.toBe(w.undoDone);
    await state(page, w, '09-undo-done');
    await unchangedDutch('after the undo');
    const afterUndo = await companiesOverRest(product);
    expect(afterUndo.filter((i) => i.DeletedInExact === true)).toEqual([]);
    expect(afterUndo.some((i) => i.Title === 'Nieuw in Gent BV')).toBe(false);
    expect(afterUndo.filter((i) => beIds.has(lower(i.ExactId)))).toHaveLength(accounts);

    // The default profiles for the division in one step: Companies keeps the one just made.
    await page.getByRole('button', { name: w.allProfiles }).click();
    await page.getByTestId(`profile-${'companies'}`).waitFor();
    await state(page, w, '10-list-two-divisions');
    await page.getByRole('button', { name: w.addDefaults }).click();
    const add = page.getByRole('dialog');
    await add.getByRole('combobox', { name: w.dialogDivision }).click();
    await page.getByRole('option', { name: new RegExp(`^${beLabel.replace(/[().&]/g, '\\$&')}`) }).click();
    await state(page, w, '11-add-defaults');
    await add.getByRole('button', { name: w.addProfiles }).click();
    await expect(page.getByTestId('defaults-added').textContent()).resolves.toBe(w.addedDone);
    await page.getByTestId(`profiles-${BE}`).getByText(beContactsTitle).waitFor();
    await state(page, w, '12-defaults-added');

    // A second Save as new of Companies for Belgium warns first, naming the profile there.
    await page.getByRole('button', { name: `${w.open} ${companiesTitle}`, exact: true }).click();
    await page.getByRole('button', { name: w.edit, exact: true }).click();
    await page.locator('section[aria-labelledby="profile-general-title"]').getByRole('combobox', { name: w.division }).click();
    await page.getByRole('option', { name: /Peeters/ }).click();
    await page.getByRole('button', { name: w.saveAsNew, exact: true }).click();
    const warning = page.getByTestId('same-list-and-division');
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toContain(w.warning);
    await page.getByRole('dialog').getByRole('button', { name: w.saveAsNewAnyway }).waitFor();
    await state(page, w, '13-same-list-warning');
    await page.getByRole('dialog').getByRole('button', { name: w.cancel, exact: true }).click();

    // The workbench's Companies list tells the two "Exact 20001" apart by division.
    await page.goto(`${base}/pages/companies`);
    // The list pages by 25: searching the code finds both, wherever their names sort.
    await page.getByRole('searchbox').fill('20001');
    const rows = page.getByTestId('company-row').filter({ hasText: 'Exact 20001' });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const divisions = (await rows.getByTestId('company-division').allTextContents()).sort();
    expect(divisions).toEqual([`${w.companiesDivision}${beLabel}`, `${w.companiesDivision}${nlLabel}`]);
    await state(page, w, '14-companies');
    await context.close();
  }, 600_000);
});
