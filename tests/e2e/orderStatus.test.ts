/**
 * Status back on CRM Sales Orders, in real Chromium on the workbench's admin page (Orders tab):
 * a CRM order that the send side already put in Exact (its reference and Exact order id written
 * back) is invoiced and paid in the Exact stand-in; "Refresh status" brings the invoice and
 * "Paid" onto the CRM order, and a second refresh changes nothing. English (light), then Dutch
 * (dark, and at 320 px); axe and overflow checked in each state. SCREENSHOTS_DIR keeps pictures.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { createListProvisioner } from '../../src/crm/masterProvision';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactConnection } from '../../src/exact/connection';
import { readDivisionCatalog } from '../../src/exact/orderCatalog';
import { createSalesOrderTarget } from '../../src/exact/salesOrders';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { spAs } from '../support/spSessions';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

describe.skipIf(browserMissing)('payment status on CRM orders (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  const division = (): number => product.exact.divisions[0]!.code;

  /** A CRM order as the send side leaves it: in Exact, with its reference and Exact order id written back. */
  async function orderInExact(reference: string): Promise<{ itemId: number; orderId: string }> {
    const connection = new ExactConnection(createAxiosTransport({ baseUrl: `${product.sandbox.url}/exact/api/v1/`, getAccessToken: async () => product.exact.issueTokens().access_token, timeoutMs: 20_000 }));
    const catalog = await readDivisionCatalog(connection, division());
    const item = catalog.items.find((i) => i.salesVatCode && (i.salesPrice ?? 0) > 0)!;
    const account = catalog.accounts[0];
    const order = await createSalesOrderTarget(connection).create(division(), {
      yourRef: reference, description: `CRM order ${reference}`, accountId: account.id, orderDate: '2026-12-01', paymentCondition: '30',
      lines: [{ itemId: item.id, description: item.description, quantity: 3, unitPrice: 125, vatCode: item.salesVatCode! }],
    });
    const sp = spAs(product.sharePoint.siteUrl(), product.sharePoint.sessionCookieFor(demoLogins.admin.username));
    await createListProvisioner(sp).ensure('Sales Orders');
    const company = (await sp.web.lists.getByTitle('Companies').items.select('Id').top(1)()) as Array<{ Id: number }>;
    const added = await sp.web.lists.getByTitle('Sales Orders').items.add({
      Title: reference, CompanyId: company[0]?.Id ?? null, OrderStatus: 'In Exact', ExactReference: reference,
      ExactOrderId: order.orderId, ExactOrderNumber: order.orderNumber, ExactDivision: division(),
    });
    return { itemId: added.Id as number, orderId: order.orderId };
  }

  const crmOrder = (itemId: number): Record<string, unknown> => product.sharePoint.items('Sales Orders').find((i) => i.Id === itemId)?.values ?? {};

  beforeAll(async () => {
    product = await startWorkbench();
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

  it('English: invoiced and paid in Exact, Refresh status shows Paid on the CRM order; a second refresh changes nothing', async () => {
    const { page, context } = await newPage(browser);
    await openOrders(page, 'lang=en-us&theme=light');
    await page.getByRole('heading', { name: 'Payment status on CRM orders' }).waitFor();
    // No Sales Orders list on the site yet: nothing of the CRM is in Exact.
    await page.getByRole('button', { name: 'Refresh status' }).click();
    await page.getByText('No CRM sales order of this administration is in Exact yet.', { exact: false }).waitFor({ timeout: 30_000 });
    await expectClean(page, 'status, no CRM orders in Exact');
    await screenshot(page, 'order-status-en-01-empty');

    const { itemId, orderId } = await orderInExact('CRM-SO-2001');
    const { invoice } = product.exact.invoiceSalesOrder(division(), orderId);
    product.exact.registerPayment(division(), Number(invoice.InvoiceNumber), { amount: 100 });
    product.exact.registerPayment(division(), Number(invoice.InvoiceNumber));

    await page.getByRole('button', { name: 'Refresh status' }).click();
    await page.getByText(/^Orders updated: \d+, paid: 1, overdue: 0$/).waitFor({ timeout: 30_000 });
    expect(crmOrder(itemId)).toMatchObject({ PaymentStatus: 'Paid', InvoiceNumber: invoice.InvoiceNumber, InvoiceStatus: 'Processed', OpenAmount: 0, ExactOrderStatus: 'Complete' });
    await expectClean(page, 'status refreshed');
    await screenshot(page, 'order-status-en-02-paid');

    // Mid-refresh: the progress names what is being read and how much. The receivables' read is held,
    // so axe and the screenshot see one still state, not a line that changes under them.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/bulk/Cashflow/Receivables**', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Refresh status' }).click();
    await page.getByText(/^Sales invoices: \d+ rows read \(2 calls\)$/).waitFor({ timeout: 30_000 });
    await expectClean(page, 'status refreshing');
    await screenshot(page, 'order-status-en-025-progress');
    release();
    await page.getByText('Orders updated: 0, paid: 0, overdue: 0').waitFor({ timeout: 30_000 });
    await page.unroute('**/bulk/Cashflow/Receivables**');
    await page.getByText('Every CRM order already shows what Exact says', { exact: false }).waitFor();
    await screenshot(page, 'order-status-en-03-nothing');

    // Scheduled in the background: the division's refresh gets a schedule of its own.
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.getByText('Refreshes the payment status of this administration', { exact: false }).waitFor();
    await page.getByRole('radio', { name: 'Once a day' }).check();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByText('Schedule saved.').waitFor();
    await page.getByText(/^Next run: /).waitFor();
    await expectClean(page, 'status schedule saved');
    await screenshot(page, 'order-status-en-04-schedule');
    await context.close();
  });

  it('Dutch, dark and 320 px: a part payment makes the order Partly paid, the rest Paid; Exact refusing the read; the schedule form', async () => {
    const { itemId, orderId } = await orderInExact('CRM-SO-2002');
    const { invoice } = product.exact.invoiceSalesOrder(division(), orderId);
    product.exact.registerPayment(division(), Number(invoice.InvoiceNumber), { amount: 50 });

    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await openOrders(page, 'lang=nl-nl&theme=dark');
    await page.getByRole('heading', { name: 'Betaalstatus op CRM-verkooporders' }).waitFor();
    await page.getByRole('button', { name: 'Status vernieuwen' }).click();
    await page.getByText('Orders bijgewerkt: 1, betaald: 0, vervallen: 0').waitFor({ timeout: 30_000 });
    expect(crmOrder(itemId)).toMatchObject({ PaymentStatus: 'Partly paid', OpenAmount: Number(invoice.AmountDC) - 50 });
    await expectClean(page, 'nl partly paid');
    await screenshot(page, 'order-status-nl-01-partly');

    product.exact.registerPayment(division(), String(invoice.InvoiceID));
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('button', { name: 'Status vernieuwen' }).click();
    await page.getByText('Orders bijgewerkt: 1, betaald: 1, vervallen: 0').waitFor({ timeout: 30_000 });
    expect(crmOrder(itemId)).toMatchObject({ PaymentStatus: 'Paid', OpenAmount: 0 });
    await expectClean(page, 'nl paid at 320 px');
    await screenshot(page, 'order-status-nl-02-paid-320');

    // Exact refuses the read: the error says so in the page's words, with "try again", and nothing is lost.
    product.exact.injectFault({ kind: 'filterRefused', path: 'sync/SalesOrder/SalesOrderHeaders', count: 1 });
    await page.getByRole('button', { name: 'Status vernieuwen' }).click();
    await page.getByText('De status kon niet worden vernieuwd.', { exact: false }).waitFor({ timeout: 30_000 });
    await expectClean(page, 'nl refresh failed at 320 px');
    await screenshot(page, 'order-status-nl-03-failed-320');
    product.exact.clearFaults();

    await page.getByRole('button', { name: 'Planning' }).click();
    await page.getByText('Vernieuwt de betaalstatus van de CRM-orders van deze administratie zelf', { exact: false }).waitFor();
    await expectClean(page, 'nl schedule at 320 px');
    await screenshot(page, 'order-status-nl-04-schedule-320');
    await context.close();
  });
});
