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
  /** The settings (configuration) page's side of a configurable tab; undefined where teams-js has no `pages.config`. */
  tabSettings?: TeamsTabSettings;
}

/** What a configurable tab's settings page hands Teams on Save (teams-js `pages.config.setConfig`). */
export interface TeamsTabConfig {
  /** Ours to choose; Teams gives it back in every `getContext` of the tab, e.g. `company:12`. */
  entityId: string;
  contentUrl: string;
  suggestedDisplayName?: string;
  /** Where "Go to website" in Teams opens the same thing in a browser. */
  websiteUrl?: string;
}

export interface TeamsTabSettings {
  /** Teams keeps its Save button disabled until the page says the choice is complete. */
  setValid(valid: boolean): void;
  /**
   * Runs when the person presses Save: what `config` returns becomes the tab's configuration; if
   * it throws, Teams keeps the dialog open with the reason.
   */
  onSave(config: () => TeamsTabConfig | Promise<TeamsTabConfig>): void;
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
  /** Set for a tab in a chat or meeting. */
  chatId?: string;
  /** `content` for the tab itself, `settings` for a configurable tab's settings page. */
  frameContext?: string;
  hostName?: string;
}

/** Where in Teams a page runs: a channel tab, a chat or meeting tab, a personal app, or a tab's settings page. */
export function teamsSurface(context: TeamsTabContext): 'settings' | 'channel' | 'chat' | 'personal' {
  if (context.frameContext === 'settings') return 'settings';
  if (context.channelId) return 'channel';
  if (context.chatId) return 'chat';
  return 'personal';
}

/** The teams-js v2 module, as far as this code uses it (typeof import('@microsoft/teams-js') fits). */
export interface TeamsJsLike {
  app: {
    getContext(): Promise<{
      app: { locale: string; theme?: string; host?: { name?: string } };
      page: { id: string; subPageId?: string; frameContext?: string };
      user?: { userPrincipalName?: string };
      channel?: { id?: string };
      chat?: { id?: string };
    }>;
    registerOnThemeChangeHandler(handler: (theme: string) => void): void;
  };
  authentication: TeamsAuthentication & { getAuthToken(parameters?: { silent?: boolean }): Promise<string> };
  pages?: {
    config: {
      setValidityState(valid: boolean): void;
      setConfig(config: TeamsTabConfig): Promise<void>;
      registerOnSaveHandler(handler: (event: { notifySuccess(): void; notifyFailure(reason?: string): void }) => void): void;
    };
  };
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
        chatId: context.chat?.id,
        frameContext: context.page.frameContext,
        hostName: context.app.host?.name,
      };
    },
    onThemeChange(handler) {
      teamsJs.app.registerOnThemeChangeHandler((theme) => handler(teamsThemeName(theme)));
    },
    authentication: teamsJs.authentication,
    authToken: () => teamsJs.authentication.getAuthToken(),
    tabSettings: teamsJs.pages ? tabSettingsOver(teamsJs.pages.config) : undefined,
  };
}

function tabSettingsOver(config: NonNullable<TeamsJsLike['pages']>['config']): TeamsTabSettings {
  return {
    setValid: (valid) => config.setValidityState(valid),
    onSave(makeConfig) {
      config.registerOnSaveHandler((event) => {
        Promise.resolve()
          .then(makeConfig)
          .then((next) => config.setConfig(next))
          .then(
            () => event.notifySuccess(),
            (error: unknown) => event.notifyFailure(error instanceof Error ? error.message : String(error)),
          );
      });
    },
  };
}
