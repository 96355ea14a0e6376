import { z } from 'zod';

/**
 * The Teams host's side of the teams-js v2 message protocol (facts from teams-js 2.32's
 * `internal/communication.ts` and `messageObjects.ts`): the app posts `{id, uuidAsString, func,
 * args, timestamp}` to its parent (a tab) or opener (an authentication window); the host answers
 * `{id, uuidAsString, args}` to the message's source, and sends events without an id
 * (`{func: 'themeChange', args: ['dark']}`).
 */

export type TeamsTheme = 'default' | 'dark' | 'contrast';
export type FrameContext = 'content' | 'authentication' | 'settings';
/**
 * `desktop`: the host opens the `authentication.authenticate` window, as the Teams desktop and
 * mobile clients do. (With `web`, Teams in a browser, teams-js in the tab opens the window itself
 * and the host never sees the call; the sandbox cannot offer that, as teams-js opens only https.)
 */
export type HostClientType = 'desktop';

const requestSchema = z.object({
  id: z.number(),
  uuidAsString: z.string().optional(),
  func: z.string(),
  args: z.array(z.unknown()).default([]),
});
type HostRequest = z.infer<typeof requestSchema>;

const authenticateArgs = z.tuple([z.string().url(), z.number().optional().nullable(), z.number().optional().nullable(), z.boolean().optional().nullable()]);

/** What the host knows of the signed-in person and the tab, for `getContext`. */
export interface HostSession {
  userObjectId: string;
  userPrincipalName: string;
  tid: string;
}

export interface HostTab {
  entityId: string;
  subEntityId?: string;
  channelId?: string;
  teamId?: string;
}

/** A configurable tab's configuration, as its settings page sets it (`settings.setSettings`). */
export const tabConfigSchema = z.object({
  entityId: z.string().min(1),
  contentUrl: z.string().url(),
  suggestedDisplayName: z.string().optional(),
  websiteUrl: z.string().url().optional(),
  removeUrl: z.string().url().optional(),
});
export type HostTabConfig = z.infer<typeof tabConfigSchema>;

export interface TeamsHostProtocolOptions {
  window: Window;
  /** The framed tab's window, once the frame exists. */
  tab: () => Window | null;
  /** The settings page's window while the "Add a tab" dialog is open. */
  settings?: () => Window | null;
  /** The framed tab's configuration (`pages.getConfig`), for a configured tab. */
  tabConfig?: () => HostTabConfig | undefined;
  /** The settings page said its choice is complete (or no longer is): Save follows it. */
  onValidity?: (valid: boolean) => void;
  clientType: HostClientType;
  theme: () => TeamsTheme;
  locale: () => string;
  session: () => HostSession;
  /** What `getContext` says of the tab a frame shows (the settings page: the tab being set up). */
  tabInfo: (frameContext: FrameContext) => HostTab;
  /** The SSO token for the app's resource; rejects with the reason Teams gives the app. */
  authToken: () => Promise<string>;
}

export interface TeamsHostProtocol {
  /** Tells the tab (and teams-js passes it on to an open child window) that the theme changed. */
  themeChanged(theme: TeamsTheme): void;
  /** Every `func` the host was asked for, in order: what the tab really used. */
  calls: string[];
  /**
   * The dialog's Save: sends the settings page `settings.save` and resolves with the configuration
   * it set once it answers `settings.save.success`; rejects with the reason it gave on failure.
   */
  save(): Promise<HostTabConfig>;
  stop(): void;
}

const runtimeConfig = JSON.stringify({
  apiVersion: 4,
  isLegacyTeams: false,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: {
    appInstallDialog: {},
    dialog: { url: {} },
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
    teams: { fullTrust: {} },
    teamsCore: {},
  },
});

/**
 * teams-js refuses `authenticate` URLs that are not https, and the sandbox has no TLS: the sandbox
 * tab asks for its loopback gateway over https (tab/main.tsx) and the host opens it over http, as
 * an https host would open it unchanged. Only loopback addresses, only for an http host.
 */
export function loopbackHttp(url: string, hostProtocol = globalThis.location?.protocol): string {
  const target = new URL(url);
  if (hostProtocol !== 'http:' || target.protocol !== 'https:' || !['127.0.0.1', 'localhost'].includes(target.hostname)) return url;
  target.protocol = 'http:';
  return target.toString();
}

export function startTeamsHostProtocol(options: TeamsHostProtocolOptions): TeamsHostProtocol {
  const { window: host } = options;
  const calls: string[] = [];
  let auth: { popup: Window; request: HostRequest; source: Window; watch: number } | undefined;
  // Per settings page: a dialog opened afresh starts with nothing set.
  let pending: { frame: Window; config: HostTabConfig } | undefined;
  const pendingConfig = (): HostTabConfig | undefined => (pending && pending.frame === options.settings?.() ? pending.config : undefined);
  let saving: { resolve: (config: HostTabConfig) => void; reject: (error: Error) => void } | undefined;

  const reply = (source: Window, request: HostRequest, args: unknown[]): void => {
    source.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, host.location.origin);
  };

  const legacyContext = (frameContext: FrameContext): Record<string, unknown> => {
    const session = options.session();
    const tab = options.tabInfo(frameContext);
    return {
      locale: options.locale(),
      theme: options.theme(),
      entityId: tab.entityId,
      subEntityId: tab.subEntityId,
      channelId: tab.channelId,
      teamId: tab.teamId,
      userObjectId: session.userObjectId,
      userPrincipalName: session.userPrincipalName,
      loginHint: session.userPrincipalName,
      tid: session.tid,
      hostName: 'Teams',
      hostClientType: options.clientType,
      frameContext,
      appSessionId: 'sandbox-app-session',
      sessionId: 'sandbox-session',
      ringId: 'general',
      isFullScreen: false,
      isMultiWindow: false,
      userLicenseType: 'Unknown',
      tenantSKU: 'enterprise',
    };
  };

  const endAuthentication = (args: [boolean, string]): void => {
    if (!auth) return;
    const { popup, request, source, watch } = auth;
    auth = undefined;
    host.clearInterval(watch);
    reply(source, request, args);
    if (!popup.closed) popup.close();
  };

  const authenticate = (source: Window, request: HostRequest): void => {
    const parsed = authenticateArgs.safeParse(request.args);
    if (!parsed.success) {
      reply(source, request, [false, 'authentication.authenticate needs an absolute url.']);
      return;
    }
    const [requested, width, height] = parsed.data;
    const url = loopbackHttp(requested);
    if (auth) endAuthentication([false, 'CancelledByUser']);
    const w = width ?? 600;
    const h = height ?? 400;
    const popup = host.open(url, '_blank', `width=${w},height=${h},left=${host.screenX + (host.outerWidth - w) / 2},top=${host.screenY + (host.outerHeight - h) / 2}`);
    if (!popup) {
      reply(source, request, [false, 'FailedToOpenWindow']);
      return;
    }
    // Teams reports a window the person closed before the page answered as CancelledByUser.
    const watch = host.setInterval(() => {
      if (auth?.popup.closed) endAuthentication([false, 'CancelledByUser']);
    }, 300);
    auth = { popup, request, source, watch };
  };

  const setSettings = (source: Window, request: HostRequest): void => {
    const parsed = tabConfigSchema.safeParse(request.args[0]);
    if (!parsed.success) {
      reply(source, request, [false, `Invalid tab configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`]);
      return;
    }
    // Teams frames only content from the app's valid domains; here that is the host's own origin.
    if (new URL(parsed.data.contentUrl).origin !== host.location.origin) {
      reply(source, request, [false, `contentUrl ${parsed.data.contentUrl} is not in the app's valid domains.`]);
      return;
    }
    pending = { frame: source, config: parsed.data };
    reply(source, request, [true]);
  };

  const endSave = (outcome: { config: HostTabConfig } | { reason: string }): void => {
    const waiting = saving;
    saving = undefined;
    if (!waiting) return;
    if ('config' in outcome) waiting.resolve(outcome.config);
    else waiting.reject(new Error(outcome.reason));
  };

  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== host.location.origin) return;
    const parsed = requestSchema.safeParse(event.data);
    if (!parsed.success) return;
    const request = parsed.data;
    const source = event.source as Window | null;
    if (!source) return;
    const settingsFrame = options.settings?.() ?? null;
    const frameContext: FrameContext | undefined = source === options.tab() ? 'content' : settingsFrame && source === settingsFrame ? 'settings' : source === auth?.popup ? 'authentication' : undefined;
    if (!frameContext) return;
    calls.push(request.func);
    switch (request.func) {
      case 'initialize':
        reply(source, request, [frameContext, options.clientType, runtimeConfig, '2.0.1']);
        return;
      case 'getContext':
        reply(source, request, [legacyContext(frameContext)]);
        return;
      case 'authentication.getAuthToken':
        options.authToken().then(
          (token) => reply(source, request, [true, token]),
          (error: unknown) => reply(source, request, [false, error instanceof Error ? error.message : String(error)]),
        );
        return;
      case 'authentication.authenticate':
        if (frameContext === 'content' || frameContext === 'settings') authenticate(source, request);
        return;
      case 'settings.setValidityState':
        if (frameContext === 'settings') options.onValidity?.(request.args[0] === true);
        return;
      case 'settings.setSettings':
        if (frameContext === 'settings') setSettings(source, request);
        return;
      case 'settings.getSettings':
        reply(source, request, [(frameContext === 'settings' ? pendingConfig() : options.tabConfig?.()) ?? {}]);
        return;
      case 'settings.save.success':
        if (frameContext === 'settings') endSave(pendingConfig() ? { config: pendingConfig()! } : { reason: 'The settings page reported success without setting a configuration (setConfig).' });
        return;
      case 'settings.save.failure':
        if (frameContext === 'settings') endSave({ reason: String(request.args[0] ?? 'The settings page could not save.') });
        return;
      case 'authentication.authenticate.success':
        if (frameContext === 'authentication') endAuthentication([true, String(request.args[0] ?? '')]);
        return;
      case 'authentication.authenticate.failure':
        if (frameContext === 'authentication') endAuthentication([false, String(request.args[0] ?? 'failed')]);
        return;
      default:
        // registerHandler, appInitialization.* and the like need no answer from this host.
        return;
    }
  };
  host.addEventListener('message', onMessage);

  return {
    calls,
    themeChanged(theme) {
      options.tab()?.postMessage({ func: 'themeChange', args: [theme] }, host.location.origin);
      options.settings?.()?.postMessage({ func: 'themeChange', args: [theme] }, host.location.origin);
    },
    save() {
      const frame = options.settings?.();
      if (!frame) return Promise.reject(new Error('No settings page is open.'));
      endSave({ reason: 'Saved again before the settings page answered.' });
      return new Promise<HostTabConfig>((resolve, reject) => {
        // Teams gives up on a settings page that never answers, rather than spin for ever.
        const timer = host.setTimeout(() => endSave({ reason: 'The settings page did not answer within 30 seconds.' }), 30_000);
        saving = {
          resolve: (config) => (host.clearTimeout(timer), resolve(config)),
          reject: (error) => (host.clearTimeout(timer), reject(error)),
        };
        frame.postMessage({ func: 'settings.save', args: [{}] }, host.location.origin);
      });
    },
    stop() {
      host.removeEventListener('message', onMessage);
      if (auth) endAuthentication([false, 'CancelledByUser']);
      endSave({ reason: 'The dialog was closed.' });
    },
  };
}
