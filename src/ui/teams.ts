import type { TeamsAuthentication } from '../services/teamsConnector';
import type { ThemeName } from './theme';

/**
 * What a root component needs from Teams, as one small interface: the SPFx web part fills it from
 * `this.context.sdks.microsoftTeams.teamsJs`, the sandbox's Teams tab from teams-js talking to the
 * host stand-in. Both hand over the same teams-js v2 module, so {@link teamsHost} serves both.
 */
export interface TeamsHost {
  context(): Promise<TeamsTabContext>;
  /** Teams keeps one theme handler per tab; a later call replaces the earlier one. */
  onThemeChange(handler: (theme: ThemeName) => void): void;
  authentication: TeamsAuthentication;
  /** An Entra token for the app's own resource (Teams SSO); the host signs the person in. */
  authToken(): Promise<string>;
}

export interface TeamsTabContext {
  theme: ThemeName;
  /** BCP 47 as Teams gives it, e.g. `nl-nl`. */
  locale: string;
  /** The configured tab's entity (the company a channel tab shows), if any. */
  entityId?: string;
  subEntityId?: string;
  userPrincipalName?: string;
  /** Set for a tab on a channel; a personal app has none. */
  channelId?: string;
  hostName?: string;
}

/** The teams-js v2 module, as far as this code uses it (typeof import('@microsoft/teams-js') fits). */
export interface TeamsJsLike {
  app: {
    getContext(): Promise<{
      app: { locale: string; theme?: string; host?: { name?: string } };
      page: { id: string; subPageId?: string };
      user?: { userPrincipalName?: string };
      channel?: { id?: string };
    }>;
    registerOnThemeChangeHandler(handler: (theme: string) => void): void;
  };
  authentication: TeamsAuthentication & { getAuthToken(parameters?: { silent?: boolean }): Promise<string> };
}

/** Teams names its themes `default`, `dark` and `contrast`; anything new falls back to light. */
export function teamsThemeName(theme: string | undefined): ThemeName {
  return theme === 'dark' || theme === 'contrast' ? theme : 'light';
}

export function teamsHost(teamsJs: TeamsJsLike): TeamsHost {
  return {
    async context() {
      const context = await teamsJs.app.getContext();
      return {
        theme: teamsThemeName(context.app.theme),
        locale: context.app.locale,
        entityId: context.page.id || undefined,
        subEntityId: context.page.subPageId || undefined,
        userPrincipalName: context.user?.userPrincipalName,
        channelId: context.channel?.id,
        hostName: context.app.host?.name,
      };
    },
    onThemeChange(handler) {
      teamsJs.app.registerOnThemeChangeHandler((theme) => handler(teamsThemeName(theme)));
    },
    authentication: teamsJs.authentication,
    authToken: () => teamsJs.authentication.getAuthToken(),
  };
}
