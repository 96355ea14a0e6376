import { z } from 'zod';

/** What the server tells the host page (in a JSON script element). */
export const teamsPageConfigSchema = z.object({
  authority: z.string().url(),
  clientId: z.string(),
  scope: z.string(),
  siteUrl: z.string().url(),
  redirectUri: z.string().url(),
  /** The app's static tabs: what the tab header offers, with Teams-style content URL templates. */
  tabs: z.array(z.object({ entityId: z.string(), name: z.string(), contentUrl: z.string() })).min(1),
});
export type TeamsPageConfig = z.infer<typeof teamsPageConfigSchema>;
