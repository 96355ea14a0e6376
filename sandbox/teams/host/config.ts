import { z } from 'zod';

const names = z.object({ 'en-us': z.string(), 'nl-nl': z.string() });
/** `names` per client language; `adminOnly` tabs are hidden from people who cannot manage the CRM site. */
const staticTab = z.object({ entityId: z.string(), names, contentUrl: z.string(), adminOnly: z.boolean() });

/** What the server tells the host page (in a JSON script element). */
export const teamsPageConfigSchema = z.object({
  authority: z.string().url(),
  clientId: z.string(),
  scope: z.string(),
  siteUrl: z.string().url(),
  redirectUri: z.string().url(),
  /** The app's personal tabs, opened from the left rail, with Teams-style content URL templates. */
  personalTabs: z.array(staticTab).min(1),
  /** Apps whose tab a person can add to the channel ("Add a tab"), with their settings page. */
  configurableTabs: z.array(z.object({ names, configurationUrl: z.string() })),
});
export type TeamsPageConfig = z.infer<typeof teamsPageConfigSchema>;
