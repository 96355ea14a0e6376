import { z } from 'zod';

/** What the server tells the page (in a JSON script element): where everything lives. */
export const workbenchConfigSchema = z.object({
  siteUrl: z.string().url(),
  gatewayUrl: z.string().url(),
  authority: z.string().url(),
  clientId: z.string(),
  gatewayScope: z.string(),
  redirectUri: z.string().url(),
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
