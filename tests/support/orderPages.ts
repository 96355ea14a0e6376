/**
 * The Orders tab in Chromium, for e2e tests of order profiles: open it as the admin (connecting
 * Exact once), pick from a searchable picker as a keyboard user does, and map the shipped sample
 * report's customer without a KvK number and its SKUs ("map now") in English or Dutch.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { consentInExactPopup, demoLogins, signIn } from './workbench';

/** SKU of the sample report → words that find a fitting item of the stand-in's IT catalogue. */
export const sampleProductChoices: Array<[string, string]> = [
  ['CFQ7TTC0LCHC', 'Business Premium'],
  ['CFQ7TTC0LDPB', 'Business Standard'],
  ['CFQ7TTC0LH18', 'E3'],
  ['AZ-CONSUMPTION', 'Beheercontract server'],
  ['ESET-PROTECT-ADV', 'ESET'],
  ['ACR-CP-BKP-GB', 'Back-up as a service'],
  ['VEEAM-VB365-U', 'Veeam'],
];

/** Types words into a picker, takes the first option that fits with the arrow key and Enter. */
export async function pickOption(page: Page, label: string, typed: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.click();
  await box.fill(typed);
  await box.press('ArrowDown');
  await box.press('Enter');
  const fits = new RegExp(typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  // The picker takes the option on a later render; under load that may take long.
  await expect.poll(() => box.inputValue(), { timeout: 45_000 }).toMatch(fits);
}

/** Signs the admin in, connects Exact once if the product is not connected yet, and opens the Orders tab. */
export async function openOrdersTab(page: Page, workbenchUrl: string, query: string): Promise<void> {
  await signIn(page, workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query });
  const connect = page.getByRole('button', { name: /^(Connect with Exact Online|Koppelen met Exact Online)$/ });
  const disconnect = page.getByRole('button', { name: /^(Disconnect Exact Online|Exact Online ontkoppelen)$/ });
  await connect.or(disconnect).first().waitFor();
  if (await connect.isVisible()) {
    await consentInExactPopup(page, () => connect.click());
    await page.getByText(/^(Connected as|Gekoppeld als)/).first().waitFor();
  }
  await page.goto(`${workbenchUrl.replace(/\/$/, '')}/pages/import-profiles?${query}`);
  await page.getByRole('tab', { name: 'Orders' }).click();
}

const words = {
  en: { account: 'Exact account (debiteur) for', customer: 'Customer', item: 'Exact item (artikel) for', product: 'Product', mapNow: 'Map now', mapped: (sku: string) => `Mapped ${sku} to` },
  nl: { account: 'Relatie (debiteur) in Exact voor', customer: 'Klant', item: 'Artikel in Exact voor', product: 'Artikel', mapNow: 'Nu koppelen', mapped: (sku: string) => `${sku} gekoppeld aan` },
};

/** Maps the sample report's blockers once: Stichting Buurtwerk Oost and the seven SKUs. */
export async function mapSampleReport(page: Page, language: 'en' | 'nl'): Promise<void> {
  const w = words[language];
  await pickOption(page, `${w.account} Stichting Buurtwerk Oost`, 'Stichting Buurtwerk Oost');
  await page.locator('li', { hasText: `${w.customer} Stichting Buurtwerk Oost` }).getByRole('button', { name: w.mapNow }).click();
  for (const [sku, typed] of sampleProductChoices) {
    await pickOption(page, `${w.item} ${sku}`, typed);
    await page.locator('li', { hasText: `${w.product} ${sku}` }).getByRole('button', { name: w.mapNow }).click();
    await page.getByText(w.mapped(sku), { exact: false }).waitFor();
  }
}
