import type { Page } from 'playwright-core';
import { startProduct, type RunningProduct } from '../../sandbox/product';

/** The product as `npm start` serves it, in memory, on a free port of 127.0.0.1. */
export function startWorkbench(env: Record<string, string | undefined> = {}): Promise<RunningProduct> {
  return startProduct({ port: 0, env: { SANDBOX_ACCOUNTS: '40', ...env } });
}

export interface DemoLogin {
  username: string;
  password: string;
}

export const demoLogins = {
  admin: { username: 'admin@contoso.test', password: 'admin' },
  sales: { username: 'sales@contoso.test', password: 'sales' },
} satisfies Record<string, DemoLogin>;

/** Signs in on the workbench's sign-in page through the identity provider's popup, and waits for the site. */
export async function signIn(page: Page, workbenchUrl: string, who: DemoLogin, options: { path?: string; query?: string } = {}): Promise<void> {
  await signInThroughPopup(page, workbenchUrl, who, options);
  await page.getByTestId('signed-in-user').waitFor({ timeout: 20_000 });
}

/** The sign-in alone, for a page that may show something else than the site afterwards. */
export async function signInThroughPopup(page: Page, workbenchUrl: string, who: DemoLogin, options: { path?: string; query?: string } = {}): Promise<void> {
  await page.goto(`${workbenchUrl.replace(/\/$/, '')}${options.path ?? '/'}${options.query ? `?${options.query}` : ''}`);
  const popupPromise = page.waitForEvent('popup');
  await page.locator('#sign-in-title').waitFor();
  await page.getByRole('button', { name: /^(Sign in|Aanmelden)$/ }).click();
  const popup = await popupPromise;
  await popup.waitForSelector('input[name=username]');
  await popup.fill('input[name=username]', who.username);
  await popup.fill('input[name=password]', who.password);
  await popup.click('button[type=submit]');
}

/** Goes through the Exact emulator's login and consent in the connect popup. */
export async function consentInExactPopup(page: Page, trigger: () => Promise<void>, decision: 'allow' | 'deny' = 'allow'): Promise<void> {
  const popupPromise = page.waitForEvent('popup');
  await trigger();
  const popup = await popupPromise;
  await popup.waitForSelector('input[name=username]');
  await popup.fill('input[name=username]', 'demo');
  await popup.fill('input[name=password]', 'demo1234');
  await popup.click('button[type=submit]');
  await popup.waitForSelector('button[value=allow]');
  await popup.click(`button[value=${decision}]`);
}

/**
 * Opens the Teams host stand-in and signs in there (Teams' own sign-in, by redirect). teams-js
 * fetches its valid-domains list from a CDN on load; the route answers that with a network error,
 * so it falls back to its built-in list and nothing leaves the machine.
 */
export async function signInToTeams(page: Page, sandboxUrl: string, who: DemoLogin, query = ''): Promise<void> {
  await page.context().route('https://res.cdn.office.net/**', (route) => route.abort('internetdisconnected'));
  await page.goto(`${sandboxUrl}/teams${query ? `?${query}` : ''}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('input[name=username]');
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.getByTestId('teams-user').waitFor({ timeout: 20_000 });
}

/**
 * On the connection page, the admin ticks one more division the CRM may use (the first connect
 * opens only the default one) and saves; in English or Dutch, whichever the page speaks.
 */
export async function enableDivision(page: Page, label: string): Promise<void> {
  const enabled = page.getByRole('region', { name: /^(Divisions the CRM may use|Administraties die het CRM mag gebruiken)$/ });
  await enabled.getByText(label, { exact: true }).click();
  await enabled.getByRole('button', { name: /^(Save divisions|Administraties opslaan)$/ }).click();
  await page.getByText(/^(Divisions saved|Administraties opgeslagen)/).waitFor();
}

/** The CRM admin connects Exact once, on the workbench's connection page (what the finance tests start from). */
export async function connectExactAsAdmin(page: Page, workbenchUrl: string): Promise<void> {
  await signIn(page, workbenchUrl, demoLogins.admin, { path: '/pages/exact-connection', query: 'lang=en-us' });
  const connect = page.getByRole('button', { name: 'Connect with Exact Online' });
  await connect.waitFor();
  await consentInExactPopup(page, () => connect.click());
  await page.getByText('Connected as Jeroen van Houten').waitFor();
}
