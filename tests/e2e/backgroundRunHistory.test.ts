/**
 * Run history says who or what started each run and who wrote it: runs started by the schedule
 * and by a change in Exact, written by the connector's app, next to a person's run, in English
 * and Dutch. The records are saved as the gateway's background runs save them (runChunk.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { spfi, SPFx } from '@pnp/sp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProduct } from '../../sandbox/product';
import { SessionCookie } from '../../sandbox/sharepoint';
import { siteContext } from '../../src/crm/pnp';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createSharePointRunJournal } from '../../src/crm/runStore';
import { emptyCounts, type RunRecord } from '../../src/sync/journal/records';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { consentInExactPopup, demoLogins, signIn, startWorkbench } from '../support/workbench';

const companiesTitle = 'Companies from Exact accounts';

function record(id: string, startedAt: string, patch: Partial<RunRecord>): RunRecord {
  return {
    id, profileId: 'companies', profileTitle: companiesTitle, targetList: 'Companies', keyField: 'ExactId', mode: 'ImportAndUpdate', status: 'Completed',
    startedBy: 'Schedule', startedAt, finishedAt: startedAt, durationMs: 4000, full: false, since: null, deletionsSince: null, cursorBefore: null,
    counts: { ...emptyCounts(), read: 3, updated: 3 }, checkpoint: { batchesCompleted: 1 }, profileProblems: [], ...patch,
  };
}

async function openHistory(page: Page, open: string, tab: string): Promise<void> {
  await page.getByRole('button', { name: `${open} ${companiesTitle}` }).click();
  await page.getByRole('tab', { name: tab }).click();
  await page.getByTestId('run-history').waitFor({ timeout: 30_000 });
}

describe.skipIf(browserMissing)('Run history: who started a run and who wrote it (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('shows the schedule, a change in Exact and a person, with the app as writer, in English and Dutch', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us&theme=light' });
    const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
    const health = page.getByRole('region', { name: 'Connection health' });
    await connect.or(health).waitFor({ timeout: 30_000 });
    if (await connect.isVisible()) {
      await consentInExactPopup(page, () => connect.click());
      await health.waitFor();
    }
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/import-profiles?lang=en-us&theme=light`);
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });

    const siteUrl = product.sharePoint.siteUrl();
    const sp = spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, product.sharePoint.sessionCookieFor('admin@contoso.test')));
    const runs = createSharePointRunJournal(sp, { documents: createDocumentStore(sp) });
    const writer = 'Exact CRM Connector (app)';
    await runs.save(record('run-person', '2026-12-01T08:00:00.000Z', { startedBy: 'Anna Admin', trigger: { kind: 'person', name: 'Anna Admin' } }));
    await runs.save(record('run-schedule', '2026-12-01T09:00:00.000Z', { trigger: { kind: 'schedule' }, writer }));
    await runs.save(record('run-change', '2026-12-01T10:00:00.000Z', { startedBy: 'Change in Exact (Accounts)', trigger: { kind: 'exactChange', topic: 'Accounts' }, writer }));

    await page.reload();
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openHistory(page, 'Open', 'History');
    const history = page.getByTestId('run-history');
    await expect(history.locator('[data-run="run-schedule"]').textContent()).resolves.toContain(`Schedule · written as ${writer}`);
    await expect(history.locator('[data-run="run-change"]').textContent()).resolves.toContain(`Change in Exact (Accounts) · written as ${writer}`);
    const person = (await history.locator('[data-run="run-person"]').textContent()) ?? '';
    expect(person).toContain('Anna Admin');
    expect(person).not.toContain('written as');
    await expectClean(page, 'history with background runs');
    await screenshot(page, 'background-history-en');

    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/import-profiles?lang=nl-nl&theme=dark`);
    await page.getByTestId('profile-companies').waitFor({ timeout: 30_000 });
    await openHistory(page, 'Openen', 'Geschiedenis');
    const dutch = page.getByTestId('run-history');
    await expect(dutch.locator('[data-run="run-schedule"]').textContent()).resolves.toContain(`Planning · geschreven als ${writer}`);
    await expect(dutch.locator('[data-run="run-change"]').textContent()).resolves.toContain(`Wijziging in Exact (Accounts) · geschreven als ${writer}`);
    await expectClean(page, 'history nl dark');
    await screenshot(page, 'background-history-nl-dark');
    await context.close();
  }, 300_000);
});
