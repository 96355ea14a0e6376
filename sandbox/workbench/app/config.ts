import { z } from 'zod';
import { connectorUrl } from '../../../src/services/connectorSettings';

/**
 * The connector web parts' own properties on this site's pages, as a page editor sets them in the
 * property pane (`SANDBOX_WEBPART_PROPERTIES`); empty by default, as the manifests ship them. Any
 * strings: checking them is pinnedSettings' job, as on a real page.
 */
export const webPartPropertiesSchema = z.object({ gatewayUrl: z.string(), gatewayResource: z.string(), crmSiteUrl: z.string() }).partial().strict();
export type WebPartProperties = z.infer<typeof webPartPropertiesSchema>;

/**
 * What the server tells the page (in a JSON script element): where everything lives. The gateway
 * is not here: the page finds it as a web part does, in its own properties and the tenant property.
 */
export const workbenchConfigSchema = z.object({
  siteUrl: connectorUrl('crmSiteUrl'),
  authority: z.string().url(),
  clientId: z.string(),
  /** What sign-in asks consent for: the sandbox gateway's API. */
  gatewayScope: z.string(),
  redirectUri: z.string().url(),
  webPart: webPartPropertiesSchema,
  /** The site's regional settings (SharePoint's `currentCultureName`): Contoso is a Dutch company. */
  regionalLocale: z.string().default('nl-NL'),
});
export type WorkbenchConfig = z.infer<typeof workbenchConfigSchema>;

export function readWorkbenchConfig(): WorkbenchConfig {
  const element = document.getElementById('workbench-config');
  return workbenchConfigSchema.parse(JSON.parse(element?.textContent ?? '{}'));
}

export type WorkbenchLocale = 'en-us' | 'nl-nl';
export type WorkbenchThemeName = 'light' | 'dark' | 'contrast';

/** The person's choices, kept in this browser; the loc modules read the locale before they load. */
export const preferences = {
  locale(): WorkbenchLocale {
    return localStorage.getItem('workbench.locale') === 'nl-nl' ? 'nl-nl' : 'en-us';
  },
  setLocale(locale: WorkbenchLocale): void {
    localStorage.setItem('workbench.locale', locale);
  },
  theme(): WorkbenchThemeName {
    const value = localStorage.getItem('workbench.theme');
    return value === 'dark' || value === 'contrast' ? value : 'light';
  },
  setTheme(theme: WorkbenchThemeName): void {
    localStorage.setItem('workbench.theme', theme);
  },
};
