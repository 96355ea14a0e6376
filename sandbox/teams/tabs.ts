/**
 * The pages the sandbox serves as Teams tabs at `/teams/tab/<page>`, by name, and where the host
 * stand-in offers them, as teams/manifest.json does: "My customers" and the admin pages as the
 * app's personal tabs (left rail), the customer panel as a configurable tab of a team's channel
 * (its settings page picks the company).
 */
export const teamsTabs = {
  'exact-connection': 'Exact Online connection',
  'import-profiles': 'Import profiles',
  'customer-finance': 'Customer finance',
  'customer-finance-settings': 'Customer finance: choose the customer',
  'my-customers': 'My customers',
} as const;
export type TeamsTabId = keyof typeof teamsTabs;
/** The same names in a Dutch client, as teams/nl-nl.json localises the app's static tabs. */
const teamsTabsNl: Record<TeamsTabId, string> = {
  'exact-connection': 'Koppeling met Exact Online',
  'import-profiles': 'Importprofielen',
  'customer-finance': 'Financiën van de klant',
  'customer-finance-settings': 'Financiën van de klant: kies de klant',
  'my-customers': 'Mijn klanten',
};
export const tabName = (id: TeamsTabId, locale: string): string => (locale.toLowerCase().startsWith('nl') ? teamsTabsNl[id] : teamsTabs[id]);
/** Tabs for CRM administrators: a person without the right to manage the site does not see them. */
export const adminTabs: readonly TeamsTabId[] = ['exact-connection', 'import-profiles'];
export const isTeamsTab = (value: string): value is TeamsTabId => Object.prototype.hasOwnProperty.call(teamsTabs, value);

/** The personal app's static tabs (entity id = page). */
export const personalTabs: readonly TeamsTabId[] = ['my-customers', 'exact-connection', 'import-profiles'];
/** The configurable tab: its settings page sets `entityId` (`company:<CRM item id>`) and `contentUrl` (the content page). */
export const configurableTab = { name: 'Customer finance', settings: 'customer-finance-settings', content: 'customer-finance' } as const satisfies { name: string; settings: TeamsTabId; content: TeamsTabId };
