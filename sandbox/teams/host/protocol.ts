import { z } from 'zod';

/**
 * The Teams host's side of the teams-js v2 message protocol (facts from teams-js 2.32's
 * `internal/communication.ts` and `messageObjects.ts`): the app posts `{id, uuidAsString, func,
 * args, timestamp}` to its parent (a tab) or opener (an authentication window); the host answers
 * `{id, uuidAsString, args}` to the message's source, and sends events without an id
 * (`{func: 'themeChange', args: ['dark']}`).
 */

export type TeamsTheme = 'default' | 'dark' | 'contrast';
export type FrameContext = 'content' | 'authentication';
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

export interface TeamsHostProtocolOptions {
  window: Window;
  /** The framed tab's window, once the frame exists. */
  tab: () => Window | null;
  clientType: HostClientType;
  theme: () => TeamsTheme;
  locale: () => string;
  session: () => HostSession;
  tabInfo: () => HostTab;
  /** The SSO token for the app's resource; rejects with the reason Teams gives the app. */
  authToken: () => Promise<string>;
}

export interface TeamsHostProtocol {
  /** Tells the tab (and teams-js passes it on to an open child window) that the theme changed. */
  themeChanged(theme: TeamsTheme): void;
  /** Every `func` the host was asked for, in order: what the tab really used. */
  calls: string[];
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

  const reply = (source: Window, request: HostRequest, args: unknown[]): void => {
    source.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, host.location.origin);
  };

  const legacyContext = (frameContext: FrameContext): Record<string, unknown> => {
    const session = options.session();
    const tab = options.tabInfo();
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

  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== host.location.origin) return;
    const parsed = requestSchema.safeParse(event.data);
    if (!parsed.success) return;
    const request = parsed.data;
    const source = event.source as Window | null;
    if (!source) return;
    const frameContext: FrameContext | undefined = source === options.tab() ? 'content' : source === auth?.popup ? 'authentication' : undefined;
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
        if (frameContext === 'content') authenticate(source, request);
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
    },
    stop() {
      host.removeEventListener('message', onMessage);
      if (auth) endAuthentication([false, 'CancelledByUser']);
    },
  };
}
