/**
 * Sales orders from the CRM's own Sales Orders list, in real Chromium on the workbench: the
 * sandbox's seeded orders of a Dutch IT reseller are read by a CRM-source order profile; the
 * customer without an Exact link or KvK number and the CRM product without an item code are
 * mapped once; the bad line is named by order and column; the preview is sent with the
 * exactly-once engine; the CRM orders show In Exact with Exact's order number (in the profile and
 * on the workbench's Sales orders page); a re-run creates nothing. English (light) and Dutch
 * (dark, then 320 px; it runs after the English test and uses its profile: a second CRM profile,
 * in any administration, is refused), where undo reopens the CRM orders. axe and overflow checked
 * in every state. SCREENSHOTS_DIR keeps the pictures.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_LISTS } from '../../src/crm/orderSchema';
import { CRM_LISTS } from '../../src/crm/schema';
import type { RunningProduct } from '../../sandbox/product';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

/** Types words into a picker and takes the first option with the keyboard. */
async function pick(page: Page, label: string, typed: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(typed);
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(box.inputValue()).resolves.toMatch(new RegExp(typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
}

describe.skipIf(browserMissing)('order profiles with CRM sales orders as the source (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  const division = (): number => product.exact.divisions[0]!.code;
  const exactOrders = (prefix: string) => product.exact.salesOrders(division()).filter((o) => String(o.order.YourRef).startsWith(`${prefix}-`));
  const crmOrder = (title: string) => product.sharePoint.items(ORDER_LISTS.salesOrders).find((i) => i.values.Title === title)!.values;

  beforeAll(async () => {
    product = await startWorkbench({ SANDBOX_CRM_ORDERS: '1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  async function openOrders(page: Page, query: string): Promise<void> {
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query });
    const connect = page.getByRole('button', { name: /^(Connect with Exact Online|Koppelen met Exact Online)$/ });
    const disconnect = page.getByRole('button', { name: /^(Disconnect Exact Online|Exact Online ontkoppelen)$/ });
    await connect.or(disconnect).first().waitFor();
    if (await connect.isVisible()) {
      await consentInExactPopup(page, () => connect.click());
      await page.getByText(/^(Connected as|Gekoppeld als)/).first().waitFor();
    }
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/import-profiles?${query}`);
    await page.getByRole('tab', { name: 'Orders' }).click();
  }

  it('English: CRM orders are mapped once, previewed, created in Exact, shown In Exact, and a re-run creates nothing', async () => {
    const { page, context } = await newPage(browser);
    await openOrders(page, 'lang=en-us&theme=light');
    await page.getByRole('button', { name: 'New order profile' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('CRM sales orders');
    await page.getByText('CRM sales orders (lists Sales Orders and Sales Order Lines)', { exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Reference prefix' }).inputValue()).resolves.toBe('CRM');
    // CRM orders go to Exact Online only: the Globe choice is off, and says why.
    await expect(page.getByRole('radio', { name: 'An XML file for Exact Globe (sales orders)' }).isDisabled()).resolves.toBe(true);
    await page.getByText('From a billing report only: CRM orders go to Exact Online', { exact: false }).waitFor();
    await expectClean(page, 'new CRM profile');
    await screenshot(page, 'crm-orders-en-01-new');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'CRM sales orders', level: 2 }).first().waitFor();

    // Four orders are Ready for Exact (the draft is not); the one without a quantity is named and held back.
    await page.getByText('Ready for Exact: 4 orders, 7 lines').waitFor();
    const bad = crmOrder('VO-2026-0145');
    expect(bad.OrderStatus).toBe('Ready for Exact');
    await page.getByText('Sales Order Lines, item', { exact: false }).filter({ hasText: '(order VO-2026-0145), Quantity: is empty' }).waitFor();
    await page.getByText('Customer Tandartsenpraktijk Het Zuiden', { exact: false }).waitFor();
    await page.getByText('Product KABEL-HDMI-2M', { exact: false }).waitFor();
    await expectClean(page, 'CRM blockers');
    await screenshot(page, 'crm-orders-en-02-blockers');

    const account = product.exact.records(division(), 'Accounts').filter((a) => a.Status === 'C' && !a.Blocked && a.ChamberOfCommerce)[2]!;
    await pick(page, 'Exact account (debiteur) for Tandartsenpraktijk Het Zuiden', String(account.Name));
    await page.locator('li', { hasText: 'Customer Tandartsenpraktijk Het Zuiden' }).getByRole('button', { name: 'Map now' }).click();
    await page.getByText('Mapped Tandartsenpraktijk Het Zuiden to', { exact: false }).waitFor();
    await page.locator('li', { hasText: 'Product KABEL-HDMI-2M' }).getByRole('textbox', { name: 'Unit price (empty: from the CRM order)' }).waitFor();
    await pick(page, 'Exact item (artikel) for KABEL-HDMI-2M', 'USB-C kabel');
    await page.locator('li', { hasText: 'Product KABEL-HDMI-2M' }).getByRole('button', { name: 'Map now' }).click();
    await page.getByText('Mapped KABEL-HDMI-2M to', { exact: false }).waitFor();
    await page.getByText('3 orders for 3 customers, 7 lines', { exact: false }).waitFor();
    await expectClean(page, 'CRM preview');
    await screenshot(page, 'crm-orders-en-03-preview');

    await page.getByRole('button', { name: 'Create 3 sales orders in Exact' }).click();
    await page.getByRole('button', { name: 'Create the orders' }).click();
    await page.getByText('3 created, 0 already in Exact (linked), 0 failed, 0 held back').waitFor({ timeout: 30_000 });
    expect(exactOrders('CRM')).toHaveLength(3);
    const first = exactOrders('CRM').find((o) => o.order.YourRef === `CRM-${product.sharePoint.items(ORDER_LISTS.salesOrders).find((i) => i.values.Title === 'VO-2026-0141')!.Id}`)!;
    expect(first.order.Description).toContain('VO-2026-0141');
    expect(first.lines.map((l) => [l.UnitPrice, l.Discount])).toEqual([[1281.55, 0], [239, 0], [85, 0]]);
    expect(crmOrder('VO-2026-0141')).toMatchObject({ OrderStatus: 'In Exact', ExactOrderNumber: first.order.OrderNumber, ExactDivision: division() });
    const crmList = page.getByRole('list', { name: 'CRM sales orders ready for Exact' });
    await crmList.getByRole('listitem').filter({ hasText: 'VO-2026-0141' }).getByText(`In Exact: order ${String(first.order.OrderNumber)}`).waitFor();
    await expectClean(page, 'CRM created');
    await screenshot(page, 'crm-orders-en-04-created');

    // Again from the same read: the orders are In Exact now, no longer Ready, so each is held back and says why; nothing new in Exact.
    await page.getByRole('button', { name: 'Create 3 sales orders in Exact' }).click();
    await page.getByRole('button', { name: 'Create the orders' }).click();
    await page.getByText('0 created, 0 already in Exact (linked), 0 failed, 3 held back').waitFor({ timeout: 30_000 });
    await page.getByText('CRM order VO-2026-0141 changed in the CRM since it was read; read the orders again.').first().waitFor();
    expect(exactOrders('CRM')).toHaveLength(3);
    // Read again: only the held-back order is still Ready for Exact; nothing to send.
    await page.getByRole('button', { name: 'Read again' }).click();
    await page.getByText('Ready for Exact: 1 orders, 0 lines').waitFor();
    await expect(page.getByRole('button', { name: /^Create \d+ sales orders in Exact$/ }).count()).resolves.toBe(0);

    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/sales-orders?lang=en-us&theme=light`);
    const card = page.getByRole('listitem', { name: 'VO-2026-0141' });
    await card.getByText('In Exact', { exact: true }).waitFor();
    expect(await card.innerText()).toContain(`Exact order number\n${String(first.order.OrderNumber)}`);
    await expectClean(page, 'sales orders page');
    await screenshot(page, 'crm-orders-en-05-sales-orders-page');
    await context.close();
  }, 300_000);

  it('Dutch, dark and 320 px: a second CRM profile is refused; the first sends the new CRM orders only, and undo reopens them', async () => {
    const company = product.sharePoint.items(CRM_LISTS.companies).find((c) => c.values.ExactId)!;
    const items = product.exact.masterRecords(division(), 'items');
    const code = (description: string): string => String(items.find((i) => i.Description === description)!.Code).trim();
    const [o1, o2] = product.sharePoint.addItems(ORDER_LISTS.salesOrders, [
      { Title: 'VO-2026-0150', CompanyId: company.Id, OrderDate: '2026-12-01T00:00:00Z', CustomerReference: 'Inkooporder 2026-311', OrderStatus: 'Ready for Exact' },
      { Title: 'VO-2026-0151', CompanyId: company.Id, OrderDate: '2026-12-02T00:00:00Z', OrderDescription: 'Headsets klantenservice', OrderStatus: 'Ready for Exact' },
    ]);
    product.sharePoint.addItems(ORDER_LISTS.salesOrderLines, [
      { Title: 'Supportuur op locatie', SalesOrderId: o1, ItemCode: code('Supportuur op locatie'), Quantity: 4, UnitPrice: 110 },
      { Title: 'Jabra Evolve2 65 headset', SalesOrderId: o2, ItemCode: code('Jabra Evolve2 65 headset'), Quantity: 8, UnitPrice: 229, DiscountPercent: 7.5 },
    ]);

    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await openOrders(page, 'lang=nl-nl&theme=dark');
    // A second CRM profile (in any administration) is refused: it could send a CRM order twice.
    await page.getByRole('button', { name: 'Nieuw orderprofiel' }).click();
    await page.getByRole('textbox', { name: 'Naam' }).fill('Verkooporders uit het CRM');
    await page.getByText('Verkooporders uit het CRM (lijsten Sales Orders en Sales Order Lines)', { exact: true }).click();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Orderprofiel CRM sales orders verstuurt de verkooporders uit het CRM al, naar administratie ', { exact: false }).waitFor();
    await expectClean(page, 'nl second CRM profile refused');
    await screenshot(page, 'crm-orders-nl-00-second-profile-refused-dark');
    await page.getByRole('button', { name: 'Annuleren' }).click();

    // The existing profile reads the new orders; the ones already in Exact are not read again.
    await page.getByRole('button', { name: 'Orderprofiel CRM sales orders openen' }).click();
    await page.getByText('Klaar voor Exact: 3 orders, 2 regels').waitFor();
    await page.getByText('(order VO-2026-0145), Quantity: is leeg', { exact: false }).waitFor();
    await page.getByText('2 orders voor 1 klanten, 2 regels', { exact: false }).waitFor();
    await expectClean(page, 'nl CRM preview');
    await screenshot(page, 'crm-orders-nl-01-preview-dark');

    await page.getByRole('button', { name: '2 verkooporders aanmaken in Exact' }).click();
    await page.getByRole('button', { name: 'Orders aanmaken', exact: true }).click();
    await page.getByText('2 aangemaakt, 0 al in Exact (gekoppeld), 0 mislukt, 0 tegengehouden').waitFor({ timeout: 30_000 });
    expect(exactOrders('CRM')).toHaveLength(5);
    const headsets = exactOrders('CRM').find((o) => o.order.YourRef === `CRM-${o2}`)!;
    expect(crmOrder('VO-2026-0151')).toMatchObject({ OrderStatus: 'In Exact', ExactOrderNumber: headsets.order.OrderNumber });
    await page.getByRole('list', { name: 'CRM-verkooporders klaar voor Exact' }).getByText(`In Exact: verkooporder ${String(headsets.order.OrderNumber)}`).waitFor();
    await expectClean(page, 'nl CRM created');
    await screenshot(page, 'crm-orders-nl-02-created-dark');

    // Undo: Exact's two orders are deleted and the CRM orders are Ready for Exact again.
    await page.getByRole('button', { name: 'Deze uitvoering ongedaan maken' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Deze uitvoering ongedaan maken' }).click();
    await page.getByText('Ongedaan maken: 2 verwijderd, 0 geweigerd, 0 waren al weg').waitFor({ timeout: 30_000 });
    expect(exactOrders('CRM')).toHaveLength(3);
    expect(crmOrder('VO-2026-0151')).toMatchObject({ OrderStatus: 'Ready for Exact', ExactOrderNumber: null });
    await expect.poll(() => page.getByRole('list', { name: 'CRM-verkooporders klaar voor Exact' }).getByText('Klaar voor Exact', { exact: true }).count(), { timeout: 10_000 }).toBe(2);
    await expectClean(page, 'nl CRM undone');
    await screenshot(page, 'crm-orders-nl-02b-undone-dark');

    await page.setViewportSize({ width: 320, height: 800 });
    await expectClean(page, 'nl CRM created at 320 px');
    await screenshot(page, 'crm-orders-nl-03-created-320');
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/sales-orders?lang=nl-nl&theme=dark`);
    const headsetsCard = page.getByRole('listitem', { name: 'VO-2026-0151' });
    await headsetsCard.waitFor();
    expect(await headsetsCard.innerText()).toContain('Status\nReady for Exact');
    expect(await headsetsCard.innerText()).toContain('Ordernummer in Exact\n—');
    await expectClean(page, 'nl sales orders page at 320 px');
    await screenshot(page, 'crm-orders-nl-04-sales-orders-320');
    expect(exactOrders('CRM')).toHaveLength(3);
    await context.close();
  }, 240_000);
});
