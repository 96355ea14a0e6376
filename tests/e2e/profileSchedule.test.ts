/**
 * The schedule section of the import-profile editor and the background runs in the connection's
 * health panel, in real Chromium against the sandbox's gateway: an admin sets Companies to every
 * 15 minutes in office hours on weekdays with "run on changes", sees "next run" in local time,
 * pauses all schedules on the connection page and sees it on the profile. Dutch, dark and 320 px
 * for axe and overflow. SCREENSHOTS_DIR=/tmp/shots keeps a picture of each state.
 */
import { spfi, SPFx } from '@pnp/sp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfiles } from '../../src/sync';
import { siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import type { RunningProduct } from '../../sandbox/product';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { browserMissing, launchChromium, newPage, screenshot } from '../support/browser';
import { expectClean } from '../support/pageChecks';
import { connectExactAsAdmin, demoLogins, signIn, startWorkbench } from '../support/workbench';

const editorPath = '/pages/import-profiles/edit';
const schedule = (page: Page) => page.locator('section[aria-labelledby="profile-schedule-title"]');

/** Fluent draws the box over its input; a person clicks the label. */
const tick = (page: Page, label: string) => schedule(page).getByText(label, { exact: true }).click();

describe.skipIf(browserMissing)('profile schedules in the workbench (Chromium)', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startWorkbench();
    browser = await launchChromium();
    const siteUrl = `${product.sandbox.url}/sites/crm`;
    const owner = product.sharePoint.sessionCookieFor('admin@contoso.test');
    const store = createSharePointProfileStore(spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner)));
    for (const profile of defaultProfiles(product.exact.divisions[0]!.code)) await store.save(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.sandbox.close();
  });

  it('sets Companies to every 15 minutes in office hours on weekdays with run on changes, and shows the next run', async () => {
    const { page, context } = await newPage(browser);
    await connectExactAsAdmin(page, product.workbenchUrl);
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${editorPath}?profile=companies&lang=en-us&theme=light`);
    await page.getByRole('heading', { name: 'Edit import profile: Companies from Exact accounts' }).waitFor();
    const section = schedule(page);
    await section.getByText('No run planned.').waitFor();
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'schedule-light-01-off');
    await section.getByRole('radio', { name: 'Every few minutes' }).check({ force: true });
    await expect(section.getByRole('spinbutton', { name: 'Every (minutes)' }).inputValue()).resolves.toBe('15');
    await section.getByRole('spinbutton', { name: 'Every (minutes)' }).fill('5');
    await section.getByText('At least 15 minutes.', { exact: true }).first().waitFor();
    await expect(section.getByRole('button', { name: 'Save schedule' }).isDisabled()).resolves.toBe(true);
    await section.getByRole('spinbutton', { name: 'Every (minutes)' }).fill('15');
    await tick(page, 'Only during office hours');
    await expect(section.getByRole('textbox', { name: 'From (HH:mm)' }).inputValue()).resolves.toBe('07:00');
    await tick(page, 'Sat');
    await tick(page, 'Sun');
    await section.getByRole('switch', { name: 'Also run when something changes in Exact' }).click();
    await expectClean(page, 'schedule filled in');
    await screenshot(page, 'schedule-light-02-filled');
    await section.getByRole('button', { name: 'Save schedule' }).click();
    await section.getByText('Schedule saved.').waitFor();
    await section.getByText(/^Next run: /).waitFor();
    await section.getByText('No background run yet.').waitFor();
    await expectClean(page, 'schedule saved');
    await screenshot(page, 'schedule-light-03-saved');

    // Pause all, on the connection page's health panel; the profile says so.
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}/pages/exact-connection?lang=en-us&theme=light`);
    const pause = page.getByRole('switch', { name: 'Pause all schedules of this connection' });
    await pause.scrollIntoViewIfNeeded();
    await page.getByText('No scheduled profile needs attention.').waitFor();
    await pause.click();
    await page.getByRole('switch', { name: 'Pause all schedules of this connection', checked: true }).waitFor();
    await expectClean(page, 'connection health, paused');
    await screenshot(page, 'schedule-light-04-health-paused');
    await page.goto(`${product.workbenchUrl.replace(/\/$/, '')}${editorPath}?profile=companies&lang=en-us&theme=light`);
    await schedule(page).getByText('All schedules of this connection are paused', { exact: false }).waitFor();
    await schedule(page).getByText('No run planned.').waitFor();
    await expectClean(page, 'schedule, all paused');
    await context.close();
  });

  it('reads as Dutch and fits in dark at 320 px', async () => {
    const { page, context } = await newPage(browser, { width: 320, height: 800, colorScheme: 'dark' });
    await signIn(page, product.workbenchUrl, demoLogins.admin, { path: editorPath, query: 'profile=companies&lang=nl-nl&theme=dark' });
    const section = schedule(page);
    await section.getByRole('heading', { name: 'Planning' }).waitFor();
    await expect(section.getByRole('radio', { name: 'Om de paar minuten' }).isChecked()).resolves.toBe(true);
    await expect(section.getByRole('switch', { name: 'Ook uitvoeren als er in Exact iets verandert' }).getAttribute('aria-checked')).resolves.toBe('true');
    await section.scrollIntoViewIfNeeded();
    await expectClean(page, 'nl dark 320');
    await screenshot(page, 'schedule-dark-320-01-nl');
    await context.close();
  });
});
