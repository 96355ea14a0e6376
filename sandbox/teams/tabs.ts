/** The app's static tabs, by entity id (what the tab header offers and the tab page renders). */
export const teamsTabs = {
  'exact-connection': 'Exact Online connection',
  'import-profiles': 'Import profiles',
} as const;
export type TeamsTabId = keyof typeof teamsTabs;
export const isTeamsTab = (value: string): value is TeamsTabId => Object.prototype.hasOwnProperty.call(teamsTabs, value);
