/**
 * The pages the sandbox serves as Teams tabs at `/teams/tab/<page>`, by name, and where the host
 * stand-in offers them: the admin pages as static tabs of the team's channel, the customer panel
 * as a configurable channel tab (its settings page picks the company), and "My customers" as the
 * app's personal tab in the left rail.
 */
export const teamsTabs = {
  'exact-connection': 'Exact Online connection',
  'import-profiles': 'Import profiles',
  'customer-finance': 'Customer finance',
  'customer-finance-settings': 'Customer finance: choose the customer',
  'my-customers': 'My customers',
} as const;
export type TeamsTabId = keyof typeof teamsTabs;
export const isTeamsTab = (value: string): value is TeamsTabId => Object.prototype.hasOwnProperty.call(teamsTabs, value);

/** Static tabs in the channel's tab header (entity id = page). */
export const channelTabs: readonly TeamsTabId[] = ['exact-connection', 'import-profiles'];
/** The personal app's static tabs (entity id = page). */
export const personalTabs: readonly TeamsTabId[] = ['my-customers'];
/** The configurable tab: its settings page sets `entityId` (`company:<CRM item id>`) and `contentUrl` (the content page). */
export const configurableTab = { name: 'Customer finance', settings: 'customer-finance-settings', content: 'customer-finance' } as const satisfies { name: string; settings: TeamsTabId; content: TeamsTabId };
