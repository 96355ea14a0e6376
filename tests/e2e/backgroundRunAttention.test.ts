/**
 * What an admin sees of the gateway's background runs outside the editor: a scheduled run that
 * failed shows as a badge with its reason in the site's Administration menu (admins only), and
 * Run on a profile whose background run is going offers to watch it instead of a second run,
 * following its record until it ends. English light, Dutch dark at 320 px, axe in each state.
 * The failed run is a real one: a change in the Exact stand-in reaches the gateway's webhook,
 * and the run it queues fails because this in-memory gateway has no SharePoint identity. The
 * going run is a record saved as the gateway's runChunk saves it.
 */
import type { Browser, Page } from 'playwright-core';
import { spfi, SPFx } from '@pnp/sp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { demoUsers, sandboxApiAudience } from '../../sandbox/idp/users';
import { SessionCookie } from '../../sandbox/sharepoint';
import { siteContext } from '../../src/crm/pnp';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createSharePointRunJournal } from '../../src/crm/runStore';
import { emptyCounts, type RunRecord } from '../../src/sync/journal/records';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { signInTokens } from '../support/gatewayHarness';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const companiesTitle = 'Companies from Exact accounts';
const writer = 'Exact CRM Connector (app)';

function going(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id, profileId: 'companies', profileTitle: companiesTitle, targetList: 'Companies', keyField: 'ExactId', mode: 'ImportAndUpdate', status: 'Running',
    startedBy: 'Schedule', startedAt: new Date().toISOString(), full: false, since: null, deletionsSince: null, cursorBefore: null,
    counts: { ...emptyCounts(), read: 12 }, checkpoint: { batchesCompleted: 0 }, profileProblems: [], trigger: { kind: 'schedule' }, writer, ...patch,
  };
}

describe.skipIf(browserMissing)('Background runs in the Administration menu and the Run dialog (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;
  const base = () => product.workbenchUrl.replace(/\/$/, '');

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('shows a failed scheduled run as a badge with its reason, and watches a going background run instead of starting one', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us&theme=light' });
    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    const health = page.getByRole('region', { name: 'Connection health' });
    await connect.or(health).waitFor({ timeout: 30_000 });
    if (await connect.isVisible()) {
      await consentInExactPopup(page, () => connect.click());
      await health.waitFor();
    }
    // No background run yet: the menu has no badge.
    await page.getByRole('button', { name: 'Administration', exact: true }).waitFor();
    await expect(page.getByTestId('admin-menu-badge').count()).resolves.toBe(0);

    // Companies follows changes in Exact; a change arrives and the run it queues fails.
    const url = product.sandbox.url;
    const admin = (await signInTokens({ url: (path: string) => `${url}${path}`, idp: { audience: sandboxApiAudience } }, demoUsers.admin)).access_token;
    // The site as the workbench's pages name it (their schedule list is filtered by it).
    const pageSiteUrl = `${base()}/sites/crm`;
    const division = product.exact.divisions[0]!.code;
    const saved = await fetch(`${url}/gateway/background/schedules/companies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteUrl: pageSiteUrl, profileName: 'Companies', topic: 'Accounts', division, spec: { cadence: { kind: 'off' }, runOnChanges: true } }),
    });
    expect(saved.status).toBe(200);
    await product.exact.settleWebhooks();
    const id = String(product.exact.records(division, 'Accounts')[1]!.ID);
    product.exact.updateRecord(division, 'Accounts', id, { City: 'Hattem' });
    const attention = async () => ((await (await fetch(`${url}/gateway/background/schedules`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { schedules: Array<{ attention: boolean; lastResult?: { reason?: string } }> }).schedules.find((s) => s.attention);
    for (let waited = 0; (await attention()) === undefined && waited < 120; waited++) await new Promise((resolve) => setTimeout(resolve, 1000));
    const failed = await attention();
    expect(failed?.lastResult?.reason).toBeTruthy();

    await page.goto(`${base()}/?lang=en-us&theme=light`);
    const menu = page.getByRole('button', { name: 'Administration, 1 scheduled run needs attention' });
    await menu.waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('admin-menu-badge').textContent()).resolves.toBe('1');
    await expectClean(page, 'admin menu with a badge');
    await screenshot(page, 'attention-light-01-badge');
    // Keyboard: the menu opens from the button, the item names the profile and the reason.
    await menu.focus();
    await page.keyboard.press('Enter');
    const item = page.getByRole('menuitem', { name: `Companies: ${failed!.lastResult!.reason!}` });
    await item.waitFor();
    await expectClean(page, 'admin menu open');
    await screenshot(page, 'attention-light-02-menu');
    await page.keyboard.press('Escape');

    // A sales user sees no Administration menu and so no badge.
    const sales = await newPage(browser);
    await signIn(sales.page, product.workbenchUrl, demoLogins.sales, { query: 'lang=en-us&theme=light' });
    await sales.page.getByTestId('signed-in-user').waitFor();
    await sales.page.waitForTimeout(1500);
    await expect(sales.page.getByRole('button', { name: /Administration/ }).count()).resolves.toBe(0);
    await sales.context.close();

    // A scheduled run of Companies is going: Run offers to watch it.
    const siteUrl = product.sharePoint.siteUrl();
    const sp = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    const runs = createSharePointRunJournal(sp, { documents: createDocumentStore(sp) });
    await runs.save(going('run-background'));
    await openRunDialog(page, 'en-us', 'light');
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('background-run-going').getByText(/A scheduled run \(started .+ by the schedule\) is going/).waitFor();
    await expect(dialog.getByRole('button', { name: /^Start run/ }).count()).resolves.toBe(0);
    await expectClean(page, 'run dialog, background run going');
    await screenshot(page, 'attention-light-03-run-dialog');
    await dialog.getByRole('button', { name: 'Watch it' }).click();
    const progress = page.locator('section[aria-labelledby="run-progress-title"]');
    await progress.getByText(/Watching the background run/).waitFor();
    await progress.getByTestId('run-progress-counts').getByText(/12 read/).waitFor();
    // The background run writes a batch, then ends: the page follows its record.
    await runs.save(going('run-background', { counts: { ...emptyCounts(), read: 40, updated: 5 }, checkpoint: { batchesCompleted: 1 } }));
    await progress.getByTestId('run-progress-counts').getByText(/40 read/).waitFor({ timeout: 15_000 });
    await expectClean(page, 'watching the background run');
    await screenshot(page, 'attention-light-04-watching');
    await runs.save(going('run-background', { status: 'Completed', finishedAt: new Date().toISOString(), durationMs: 9000, counts: { ...emptyCounts(), read: 40, updated: 7 }, checkpoint: { batchesCompleted: 2 } }));
    const finished = page.getByTestId('run-finished');
    await finished.waitFor({ timeout: 15_000 });
    await expect(finished.getAttribute('data-status')).resolves.toBe('Completed');
    await expect(finished.textContent()).resolves.toContain('The background run ended: Completed');
    await expectClean(page, 'watched run ended');
    await screenshot(page, 'attention-light-05-ended');
    await context.close();

    // Dutch, dark, 320 px: the badge, and the dialog for a run started by a change in Exact.
    const nl = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(nl.page, product.workbenchUrl, demoLogins.admin, { query: 'lang=nl-nl&theme=dark' });
    await nl.page.getByRole('button', { name: 'Beheer, 1 geplande run vraagt aandacht' }).waitFor({ timeout: 30_000 });
    await expectClean(nl.page, 'nl dark 320 badge');
    await screenshot(nl.page, 'attention-dark-320-01-badge');
    await runs.save(going('run-change', { startedBy: 'Change in Exact (Accounts)', trigger: { kind: 'exactChange', topic: 'Accounts' } }));
    await openRunDialog(nl.page, 'nl-nl', 'dark');
    await nl.page.getByRole('dialog').getByText(/Een geplande run \(gestart .+ door een wijziging in Exact\) loopt nu/).waitFor();
    await nl.page.getByRole('dialog').getByRole('button', { name: 'Volgen' }).waitFor();
    await expectClean(nl.page, 'nl dark 320 run dialog');
    await screenshot(nl.page, 'attention-dark-320-02-run-dialog');
    await nl.context.close();
  }, 300_000);
});

async function openRunDialog(page: Page, lang: string, theme: string): Promise<void> {
  await page.goto(`${page.url().replace(/(https?:\/\/[^/]+).*/, '$1')}/pages/import-profiles?lang=${lang}&theme=${theme}`);
  await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: `${lang === 'nl-nl' ? 'Openen' : 'Open'} ${companiesTitle}` }).click();
  const run = page.getByRole('button', { name: lang === 'nl-nl' ? 'Uitvoeren' : 'Run', exact: true });
  await expect.poll(() => run.isEnabled(), { timeout: 30_000 }).toBe(true);
  await run.click();
}
