/**
 * The billing report's whole path in real Chromium on the workbench's admin page (Orders tab), in
 * English (light, wide, then 320 px) and in Dutch (dark, 320 px throughout: the Teams width, where
 * the order tables are cards): an admin creates an order profile, uploads the shipped sample
 * report, maps its customer without a KvK number and the distributor's SKUs once ("map now"),
 * previews, creates the sales orders in the Exact stand-in, downloads the Globe XML of the same plan
 * (validated here against the XSD and compared with what Exact holds), opens the profile again and
 * re-runs the report (no blockers: the mapping was remembered; nothing created, all linked), and
 * undoes the first run. axe and sideways overflow are checked in every state; every step waits for
 * a state, never for a time. SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGlobeXml } from '../../src/orders/globeValidate';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { pickOption, sampleProductChoices } from '../support/orderPages';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const sample = join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv');
const xsd = readFileSync(join(__dirname, '../../src/orders/eExact-Schema.xsd'), 'utf8');
/** Under load a step may take long; it still waits for a state, never for a time. */
const stepTimeout = 45_000;

/** The customer without KvK number in the sample, so it cannot be matched and is mapped by hand. */
const unmatched = { id: 'IM-100251', name: 'Stichting Buurtwerk Oost' };

/** What the screens say, per language (the loc files' words). */
interface Words {
  lang: 'en-us' | 'nl-nl';
  theme: 'light' | 'dark';
  prefix: string;
  profile: string;
  fieldName: string;
  fieldPrefix: string;
  newProfile: string;
  save: string;
  back: string;
  open: (profile: string) => string;
  /** The profile list's line once it is read again: the mapping is saved with the profile. */
  remembered: RegExp;
  upload: string;
  read: string;
  customerBlocker: string;
  productBlocker: (sku: string) => string;
  chooseAccount: string;
  chooseItem: (sku: string) => string;
  price: string;
  mapNow: (what: string) => string;
  mapped: (what: string) => string;
  /** "0 held back." must not be found inside "10 held back.". */
  heldBack: (n: number) => RegExp;
  preview: string;
  send: string;
  confirmTitle: string;
  confirm: string;
  created: string;
  linked: string;
  nothingNew: string;
  /** Why a re-run's order was linked, as the log says it (in the reader's language), for a reference pattern. */
  linkedWhy: (reference: string) => RegExp;
  globeMake: string;
  globeValid: string;
  download: RegExp;
  showRun: RegExp;
  undo: string;
  undone: (deleted: number, refused: number) => string;
  kept: (orderNumber: string) => string;
  deletedByUndo: string;
  downloadCsv: string;
  logList: string;
}

const english: Words = {
  lang: 'en-us',
  theme: 'light',
  prefix: 'IM',
  profile: 'Ingram Micro monthly billing',
  fieldName: 'Name',
  fieldPrefix: 'Reference prefix',
  newProfile: 'New order profile',
  save: 'Save',
  back: 'Back to order profiles',
  open: (profile) => `Open order profile ${profile}`,
  remembered: /mapped: customers [1-9]\d*, products 7/,
  upload: 'Upload a billing report (CSV or JSON)',
  read: 'billing-report-2026-11.csv: 39 lines read',
  customerBlocker: `Customer ${unmatched.name} (${unmatched.id})`,
  productBlocker: (sku) => `Product ${sku} (`,
  chooseAccount: `Exact account (debiteur) for ${unmatched.name}`,
  chooseItem: (sku) => `Exact item (artikel) for ${sku}`,
  price: 'Unit price (empty: from the report)',
  mapNow: (what) => `Map now: ${what}`,
  mapped: (what) => `Mapped ${what} to`,
  heldBack: (n) => new RegExp(`\\b${n} held back\\.`),
  preview: '10 orders for 10 customers, 39 lines',
  send: 'Create 10 sales orders in Exact',
  confirmTitle: 'Create 10 sales orders?',
  confirm: 'Create the orders',
  created: '10 created, 0 already in Exact (linked), 0 failed, 0 held back',
  linked: '0 created, 10 already in Exact (linked), 0 failed, 0 held back',
  nothingNew: 'Nothing new was created: Exact already had all 10 orders',
  linkedWhy: (reference) => new RegExp(`^Exact already has order \\d+ with reference ${reference}: linked, not created again\\.$`),
  globeMake: 'Check and download the Globe XML',
  globeValid: 'The file validates against eExact-Schema.xsd. Globe will create 10 sales orders for 10 debtors with 39 lines',
  download: /^Download .*\.xml$/,
  showRun: /^Show the run of /,
  undo: 'Undo this run',
  undone: (deleted, refused) => `Undo: ${deleted} deleted, ${refused} refused, 0 already gone`,
  kept: (orderNumber) => `Order ${orderNumber} kept:`,
  deletedByUndo: 'Deleted by undo',
  downloadCsv: 'Download log (CSV)',
  logList: 'Orders of this run',
};

const dutch: Words = {
  lang: 'nl-nl',
  theme: 'dark',
  prefix: 'DIST',
  profile: 'Maandfacturen distributeur',
  fieldName: 'Naam',
  fieldPrefix: 'Voorvoegsel referentie',
  newProfile: 'Nieuw orderprofiel',
  save: 'Opslaan',
  back: 'Terug naar orderprofielen',
  open: (profile) => `Orderprofiel ${profile} openen`,
  remembered: /gekoppeld: klanten [1-9]\d*, artikelen 7/,
  upload: 'Factuurrapportage uploaden (CSV of JSON)',
  read: 'billing-report-2026-11.csv: 39 regels gelezen',
  customerBlocker: `Klant ${unmatched.name} (${unmatched.id})`,
  productBlocker: (sku) => `Artikel ${sku} (`,
  chooseAccount: `Relatie (debiteur) in Exact voor ${unmatched.name}`,
  chooseItem: (sku) => `Artikel in Exact voor ${sku}`,
  price: 'Prijs per eenheid (leeg: uit de rapportage)',
  mapNow: (what) => `Nu koppelen: ${what}`,
  mapped: (what) => `${what} gekoppeld aan`,
  heldBack: (n) => new RegExp(`\\b${n} tegengehouden\\.`),
  preview: '10 orders voor 10 klanten, 39 regels',
  send: '10 verkooporders aanmaken in Exact',
  confirmTitle: '10 verkooporders aanmaken?',
  confirm: 'Orders aanmaken',
  created: '10 aangemaakt, 0 al in Exact (gekoppeld), 0 mislukt, 0 tegengehouden',
  linked: '0 aangemaakt, 10 al in Exact (gekoppeld), 0 mislukt, 0 tegengehouden',
  nothingNew: 'Er is niets nieuws aangemaakt: Exact had alle 10 orders',
  linkedWhy: (reference) => new RegExp(`^Exact heeft al verkooporder \\d+ met referentie ${reference}: gekoppeld, niet opnieuw aangemaakt\\.$`),
  globeMake: 'Globe-XML controleren en downloaden',
  globeValid: 'Het bestand voldoet aan eExact-Schema.xsd. Globe maakt 10 verkooporders voor 10 debiteuren met 39 regels',
  download: /^.*\.xml downloaden$/,
  showRun: /^Uitvoering van .* tonen$/,
  undo: 'Deze uitvoering ongedaan maken',
  undone: (deleted, refused) => `Ongedaan maken: ${deleted} verwijderd, ${refused} geweigerd, 0 waren al weg`,
  kept: (orderNumber) => `Order ${orderNumber} blijft:`,
  deletedByUndo: 'Verwijderd (ongedaan gemaakt)',
  downloadCsv: 'Logboek downloaden (CSV)',
  logList: 'Orders van deze uitvoering',
};

/**
 * expectClean (axe, script errors, sideways scrolling) and, on top, nothing cut off: no column
 * header ends in "…", no button's words run past its edge, no card value is clipped.
 */
async function expectReadable(page: Page, state: string): Promise<void> {
  await expectClean(page, state);
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.ms-DetailsHeader-cellName, .ms-Button, [data-testid$="-card"] dd, [data-testid$="-card"] dt')]
      .filter((e) => e.offsetParent !== null && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
      .map((e) => e.textContent ?? ''),
  );
  expect(clipped, `cut off on ${state}`).toEqual([]);
  // Words wrapped onto a second line inside Fluent's one-line button sit with no line spacing.
  const squeezed = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.ms-Button-label')]
      .filter((e) => {
        const style = getComputedStyle(e);
        const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize);
        return e.offsetParent !== null && e.offsetHeight > line * 1.5 && line < parseFloat(style.fontSize) * 1.2;
      })
      .map((e) => e.textContent ?? ''),
  );
  expect(squeezed, `button words squeezed on ${state}`).toEqual([]);
}


/** The XML's orders by Your ref., each with its lines as "item quantity price VAT" (sorted), to compare with Exact's. */
function globeOrders(xml: string): Map<string, { debtor: string; lines: string[] }> {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'Order' || name === 'OrderLine', parseTagValue: false }).parse(xml) as {
    eExact: { Orders: { Order: Array<{ '@_type': string; YourRef: string; OrderedBy: { Debtor: { '@_code': string } }; OrderLine: Array<{ Item: { '@_code': string }; Quantity: string; Price: { Value: string; VAT: { '@_code': string } } }> }> } };
  };
  return new Map(parsed.eExact.Orders.Order.map((o) => {
    expect(o['@_type']).toBe('V');
    const lines = o.OrderLine.map((l) => `${l.Item['@_code']} ${Number(l.Quantity)} ${Number(l.Price.Value).toFixed(2)} ${l.Price.VAT['@_code']}`).sort();
    return [o.YourRef, { debtor: o.OrderedBy.Debtor['@_code'], lines }];
  }));
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
  async function openOrders(page: Page, w: Words): Promise<void> {
    const query = `lang=${w.lang}&theme=${w.theme}`;
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
    await page.getByRole('button', { name: w.newProfile, exact: true }).waitFor();
  }

  /** Opens a confirmation, waits until it is open, checks it, and presses its own button (never one behind the overlay). */
  async function confirmIn(page: Page, opener: string, button: string, state: string, shot: string): Promise<void> {
    await page.getByRole('button', { name: opener, exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: button, exact: true }).waitFor();
    await expectReadable(page, state);
    await screenshot(page, shot);
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** Upload, map once, preview, create, Globe XML, re-run creating nothing; returns when the re-run's log shows. */
  async function billingReportPath(page: Page, w: Words, shot: (name: string) => string): Promise<void> {
    await page.getByRole('button', { name: w.newProfile, exact: true }).click();
    await page.getByRole('textbox', { name: w.fieldName }).fill(w.profile);
    await page.getByRole('textbox', { name: w.fieldPrefix }).fill(w.prefix);
    await expectReadable(page, `${w.lang} new order profile`);
    await screenshot(page, shot('new'));
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await page.getByRole('heading', { name: w.profile }).waitFor();

    await page.getByLabel(w.upload).setInputFiles(sample);
    await page.getByText(w.read).waitFor();
    const blockers = page.getByRole('list', { name: /^(To map first|Eerst koppelen)$/ });
    await blockers.getByText(w.customerBlocker, { exact: false }).waitFor();
    await page.getByText(w.heldBack(10)).waitFor();
    // The division's accounts and items have arrived when the picker can be used.
    await page.getByRole('combobox', { name: w.chooseAccount, exact: true }).waitFor();
    await expectReadable(page, `${w.lang} blockers`);
    await screenshot(page, shot('blockers'));

    await pickOption(page, w.chooseAccount, unmatched.name);
    await page.getByRole('button', { name: w.mapNow(unmatched.name), exact: true }).click();
    await page.getByText(w.mapped(unmatched.name), { exact: false }).waitFor();
    await blockers.getByText(w.customerBlocker, { exact: false }).waitFor({ state: 'detached' });
    for (const [sku, words] of sampleProductChoices) {
      await pickOption(page, w.chooseItem(sku), words);
      if (sku === 'ESET-PROTECT-ADV') await page.locator('li', { hasText: w.productBlocker(sku) }).getByRole('textbox', { name: w.price, exact: true }).fill('2,95');
      await page.getByRole('button', { name: w.mapNow(sku), exact: true }).click();
      await page.getByText(w.mapped(sku), { exact: false }).waitFor();
      await page.getByRole('button', { name: w.mapNow(sku), exact: true }).waitFor({ state: 'detached' });
    }
    await page.getByText(w.preview, { exact: false }).waitFor();
    await page.getByText(w.heldBack(0)).waitFor();
    await expectReadable(page, `${w.lang} preview`);
    await screenshot(page, shot('preview'));

    await confirmIn(page, w.send, w.confirm, `${w.lang} confirm`, shot('confirm'));
    await page.getByText(w.created).waitFor();
    const created = orders(w.prefix);
    expect(created).toHaveLength(10);
    expect(created.find((o) => o.order.YourRef === `${w.prefix}-2026-11-${unmatched.id}`)?.order.OrderedByName).toBe(unmatched.name);
    const eset = created.flatMap((o) => o.lines).filter((l) => /ESET/.test(String(l.ItemDescription)));
    expect(eset.length).toBeGreaterThan(0);
    expect(eset.every((l) => l.UnitPrice === 2.95)).toBe(true);
    await expectReadable(page, `${w.lang} created`);
    await screenshot(page, shot('created'));

    // The Globe file of the same plan: it validates, and holds what Exact Online now holds, order by order.
    await page.getByRole('button', { name: w.globeMake, exact: true }).click();
    await page.getByText(w.globeValid, { exact: false }).waitFor();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: w.download }).click();
    const xml = readFileSync((await (await downloading).path())!, 'utf8');
    expect(await validateGlobeXml(xml, xsd)).toEqual({ valid: true, errors: [] });
    const inFile = globeOrders(xml);
    expect([...inFile.keys()].sort()).toEqual(created.map((o) => String(o.order.YourRef)).sort());
    expect([...inFile.values()].reduce((n, o) => n + o.lines.length, 0)).toBe(39);
    for (const o of created) {
      const lines = o.lines.map((l) => `${String(l.ItemCode)} ${Number(l.Quantity)} ${Number(l.UnitPrice).toFixed(2)} ${String(l.VATCode)}`).sort();
      expect(inFile.get(String(o.order.YourRef))?.lines, String(o.order.YourRef)).toEqual(lines);
    }
    expect(inFile.get(`${w.prefix}-2026-11-${unmatched.id}`)?.debtor).toMatch(/\S/);
    await expectReadable(page, `${w.lang} globe`);
    await screenshot(page, shot('globe'));

    // Later, the same report again: the profile remembered every mapping, and Exact has every order under its reference.
    await page.getByRole('button', { name: w.back, exact: true }).click();
    await page.locator('li', { hasText: w.profile }).getByText(w.remembered).waitFor();
    await page.getByRole('button', { name: w.open(w.profile), exact: true }).click();
    await page.getByLabel(w.upload).setInputFiles(sample);
    await page.getByText(w.heldBack(0)).waitFor();
    await expect(page.getByRole('list', { name: /^(To map first|Eerst koppelen)$/ }).count()).resolves.toBe(0);
    await confirmIn(page, w.send, w.confirm, `${w.lang} confirm re-run`, shot('confirm-rerun'));
    await page.getByText(w.linked).waitFor();
    await page.getByText(w.nothingNew, { exact: false }).waitFor();
    // The log says why in the reader's language, not the engine's English.
    await page.getByTestId('order-run-rows').getByText(w.linkedWhy(`${w.prefix}-2026-11-\\S+`)).first().waitFor();
    expect(orders(w.prefix)).toHaveLength(10);
    await expectReadable(page, `${w.lang} re-run`);
    await screenshot(page, shot('rerun'));
  }

  /** Opens the first run from the earlier runs (newest first: it is the second) and undoes it. */
  async function undoFirstRun(page: Page, w: Words, refused: number, shot: (name: string) => string): Promise<void> {
    await page.getByTestId('order-history-rows').getByRole('button', { name: w.showRun }).nth(1).click();
    await page.getByText(w.created).waitFor();
    await confirmIn(page, w.undo, w.undo, `${w.lang} confirm undo`, shot('confirm-undo'));
    await page.getByText(w.undone(10 - refused, refused)).waitFor();
    await expect.poll(() => page.getByTestId('order-run-rows').getByText(w.deletedByUndo, { exact: true }).count()).toBe(10 - refused);
    await expectReadable(page, `${w.lang} undone`);
    await screenshot(page, shot('undone'));
    // The log's rows come next in the Tab order after its buttons: the grid, or the labelled box of cards.
    await page.getByRole('button', { name: w.downloadCsv, exact: true }).focus();
    const inLog = (): Promise<string | null> => page.evaluate(() => {
      const log = document.querySelector('[data-testid="order-run-rows"]');
      const active = document.activeElement;
      return active && log?.contains(active) ? (active.getAttribute('aria-label') ?? active.getAttribute('role') ?? active.tagName) : null;
    });
    for (let tabs = 0; tabs < 3 && (await inLog()) === null; tabs++) await page.keyboard.press('Tab');
    const reached = await inLog();
    expect(reached, 'Tab reaches the run log').not.toBeNull();
    if ((page.viewportSize()?.width ?? 1280) < 640) expect(reached).toBe(w.logList);
  }

  it('English, light: upload, map once, preview, create, Globe XML, re-run creates nothing, undo (a delivered order is kept)', async () => {
    const { page, context } = await newPage(browser);
    context.setDefaultTimeout(stepTimeout);
    const shot = (name: string): string => `orders-en-${name}`;
    await openOrders(page, english);
    await page.getByText('There are no order profiles yet.', { exact: false }).waitFor();
    await expectReadable(page, 'no order profiles');
    await screenshot(page, shot('empty'));
    await billingReportPath(page, english, shot);

    // Exact delivers one order; undoing the first run deletes the other nine and says why it keeps that one.
    const delivered = orders('IM').find((o) => o.order.YourRef === `IM-2026-11-IM-100231`)!;
    product.exact.fulfilSalesOrder(division(), String(delivered.order.OrderID));
    await undoFirstRun(page, english, 1, shot);
    await page.getByText(english.kept(String(delivered.order.OrderNumber)), { exact: false }).waitFor();
    expect(orders('IM').map((o) => o.order.YourRef)).toEqual(['IM-2026-11-IM-100231']);

    // The same screen in Teams' width: the log and the earlier runs become cards, nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByTestId('order-run-rows-card').first().waitFor();
    await page.getByTestId('order-history-rows-card').first().waitFor();
    await expectReadable(page, 'en undone at 320 px');
    await screenshot(page, shot('undone-320'));
    await context.close();
  }, 420_000);

  it('Dutch, dark, 320 px (Teams): the same path with cards, and undo deletes all ten', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'dark', width: 320, height: 800 });
    context.setDefaultTimeout(stepTimeout);
    const shot = (name: string): string => `orders-nl-${name}-dark-320`;
    await openOrders(page, dutch);
    await billingReportPath(page, dutch, shot);
    await expect.poll(() => page.getByTestId('order-run-rows-card').count()).toBeGreaterThan(0);
    await undoFirstRun(page, dutch, 0, shot);
    expect(orders('DIST')).toHaveLength(0);
    await context.close();
  }, 420_000);
});
