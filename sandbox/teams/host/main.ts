import { z } from 'zod';
import { addTabDialog, configuredTabs, removeConfiguredTab, type ConfiguredTab } from './addTab';
import { teamsPageConfigSchema, type TeamsPageConfig } from './config';
import { startTeamsHostProtocol, type TeamsHostProtocol, type TeamsTheme } from './protocol';
import { teamsHostSignIn, type SignedInHost } from './signIn';
import { hostWords, type HostWords } from './words';

/**
 * The Teams host stand-in's page: a left rail (Teams, and the app's personal tabs as in the app
 * manifest's staticTabs), a team channel's tab header with "Add a tab" for the configurable tab,
 * and the tab in a frame from the same origin, with teams-js's host protocol behind it (protocol.ts). The theme picker stands in
 * for Teams' settings (`?theme=` starts with one), `?lang=nl-nl` makes it a Dutch client.
 */
declare global {
  interface Window {
    /** For tests and people: the protocol calls the tab made, and the current theme. */
    teamsHost?: { protocol: TeamsHostProtocol; theme: () => TeamsTheme };
  }
}

const themes: { value: TeamsTheme; label: string }[] = [
  { value: 'default', label: 'Default' },
  { value: 'dark', label: 'Dark' },
  { value: 'contrast', label: 'High contrast' },
];

const chrome: Record<TeamsTheme, { rail: string; header: string; text: string; accent: string; border: string }> = {
  default: { rail: '#ebebeb', header: '#ffffff', text: '#242424', accent: '#5b5fc7', border: '#d1d1d1' },
  dark: { rail: '#0a0a0a', header: '#292929', text: '#ffffff', accent: '#7f85f5', border: '#3d3d3d' },
  contrast: { rail: '#000000', header: '#000000', text: '#ffffff', accent: '#ffff00', border: '#ffffff' },
};

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
};

function paint(theme: TeamsTheme): void {
  const c = chrome[theme];
  const root = document.documentElement.style;
  root.setProperty('--rail', c.rail);
  root.setProperty('--header', c.header);
  root.setProperty('--text', c.text);
  root.setProperty('--accent', c.accent);
  root.setProperty('--border', c.border);
  document.documentElement.dataset.theme = theme;
}

function signInScreen(onSignIn: () => void): HTMLElement {
  const button = element('button', { type: 'button', class: 'primary' }, 'Sign in');
  button.addEventListener('click', onSignIn);
  return element('main', { class: 'sign-in', 'aria-labelledby': 'teams-sign-in-title' }, element('h1', { id: 'teams-sign-in-title' }, 'Microsoft Teams (sandbox)'), element('p', {}, 'Sign in with your work account to open the Exact CRM Connector app.'), button);
}

const deepLinkSchema = z.object({ subEntityId: z.string().optional() });
function deepLinkContext(raw: string | null): z.infer<typeof deepLinkSchema> | undefined {
  if (!raw) return undefined;
  try {
    const parsed = deepLinkSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Where the person is: the team's channel (Posts and added tabs) or the app's personal tabs from the rail. */
type View = 'channel' | 'personal';

const channel = { teamId: '19:sales-team@thread.tacv2', channelId: '19:sales-general@thread.tacv2', teamName: 'Sales', channelName: 'General' };
/** A `main`, as the framed tabs' pages have one: the client always shows one main landmark. */
function postsPane(words: HostWords): HTMLElement {
  return element('main', { class: 'posts', 'aria-label': words.posts }, element('h2', {}, words.posts), element('p', {}, words.postsText));
}

function teamsShell(config: TeamsPageConfig, who: SignedInHost, params: URLSearchParams, admin: boolean): HTMLElement {
  const locale = params.get('lang') === 'nl-nl' ? 'nl-nl' : 'en-us';
  // The client's language names the tabs (the app package's localisation file); admin pages only for admins.
  const personalTabs: ConfiguredTab[] = config.personalTabs.filter((t) => admin || !t.adminOnly).map((t) => ({ entityId: t.entityId, name: t.names[locale], contentUrl: t.contentUrl }));
  const apps = config.configurableTabs.map((app) => ({ name: app.names[locale], configurationUrl: app.configurationUrl }));
  // Like Teams' own setting, the theme outlives a page: ?theme= sets it, the picker changes it.
  const asked = params.get('theme') ?? localStorage.getItem('teams.theme');
  let theme: TeamsTheme = themes.find((t) => t.value === asked)?.value ?? 'default';
  const words = hostWords(locale);
  const added = configuredTabs();
  // Every channel's first tab; its conversation is no part of the stand-in.
  const posts: ConfiguredTab = { entityId: 'posts', name: words.posts, contentUrl: '' };
  const channelTabs: ConfiguredTab[] = [posts, ...added];
  // ?app= picks the place; without it, the place that has the ?tab= asked for (the channel by default).
  const asksApp = params.get('app');
  const view: View = asksApp === 'personal' || asksApp === 'channel' ? asksApp : personalTabs.some((t) => t.entityId === params.get('tab')) ? 'personal' : 'channel';
  const tabs: ConfiguredTab[] = view === 'personal' ? [...personalTabs] : channelTabs;
  const configured = new Set(view === 'channel' ? added.map((t) => t.entityId) : []);
  let tab = tabs.find((t) => t.entityId === params.get('tab')) ?? tabs[0]!;
  // Teams deep links carry `context={"subEntityId": …}` for the tab they open.
  let subEntityId = deepLinkContext(params.get('context'))?.subEntityId;
  paint(theme);
  // Back and forward after a tab was added: draw the client for that address again.
  window.onpopstate = () => window.location.reload();

  // Teams fills these placeholders in a tab's URLs.
  const fill = (template: string, entityId = ''): string => template.replace(/\{locale\}/g, locale).replace(/\{theme\}/g, theme).replace(/\{entityId\}/g, encodeURIComponent(entityId));
  const content = element('div', { class: 'tab-content' });
  let frame: HTMLIFrameElement | undefined;
  const show = (next: ConfiguredTab): void => {
    tab = next;
    frame = next.contentUrl ? element('iframe', { title: next.name, class: 'tab-frame', src: fill(next.contentUrl, next.entityId) }) : undefined;
    content.replaceChildren(frame ?? postsPane(words));
  };
  show(tab);
  let settingsFrame: HTMLIFrameElement | undefined;
  const place = view === 'channel' ? { channelId: channel.channelId, teamId: channel.teamId } : {};
  const dialog = addTabDialog({
    element,
    words,
    apps,
    fill,
    protocol: () => protocol,
    onFrame: (next) => {
      settingsFrame = next;
    },
    // As in Teams, the new tab opens at once, without reloading the client.
    onSaved: (saved, replaced) => {
      const at = tabs.findIndex((t) => t.entityId === (replaced ?? saved.entityId));
      for (let i = tabs.length - 1; i >= 0; i--) if (tabs[i]!.entityId === saved.entityId || tabs[i]!.entityId === replaced) tabs.splice(i, 1);
      tabs.splice(at >= 0 ? Math.min(at, tabs.length) : tabs.length, 0, saved);
      if (replaced) configured.delete(replaced);
      configured.add(saved.entityId);
      openTab(saved);
    },
  });
  const protocol = startTeamsHostProtocol({
    window,
    tab: () => frame?.contentWindow ?? null,
    settings: () => settingsFrame?.contentWindow ?? null,
    tabConfig: () => (configured.has(tab.entityId) ? { entityId: tab.entityId, contentUrl: fill(tab.contentUrl, tab.entityId), suggestedDisplayName: tab.name, websiteUrl: tab.websiteUrl } : undefined),
    onValidity: (valid) => dialog.validity(valid),
    clientType: 'desktop',
    theme: () => theme,
    locale: () => locale,
    session: () => who.session,
    // The settings page configures a new tab (the channel, no entity yet) or the one whose Settings were opened.
    tabInfo: (frameContext) => (frameContext === 'settings' ? { entityId: dialog.reconfiguring()?.entityId ?? '', ...place } : { entityId: tab.entityId, subEntityId, ...place }),
    authToken: who.authToken,
  });
  window.teamsHost = { protocol, theme: () => theme };

  const picker = element('select', { id: 'teams-theme' }, ...themes.map((t) => element('option', t.value === theme ? { value: t.value, selected: '' } : { value: t.value }, t.label)));
  picker.addEventListener('change', () => {
    theme = picker.value as TeamsTheme;
    localStorage.setItem('teams.theme', theme);
    paint(theme);
    protocol.themeChanged(theme);
  });
  const link = (query: Record<string, string>, current: boolean, ...children: (Node | string)[]): HTMLAnchorElement => {
    const next = new URLSearchParams(params);
    for (const name of ['theme', 'app', 'tab', 'context']) next.delete(name);
    for (const [name, value] of Object.entries(query)) next.set(name, value);
    return element('a', current ? { href: `?${next.toString()}`, 'aria-current': 'page' } : { href: `?${next.toString()}` }, ...children);
  };
  const tabNav = element('nav', { class: 'tabs', 'aria-label': 'Tabs' });
  const addButton = element('button', { type: 'button', class: 'add-tab-button', 'aria-label': words.addTab, title: words.addTab }, '+');
  addButton.addEventListener('click', () => dialog.open());
  const tabOptions = element('div', { class: 'tab-options' });
  const renderTabLinks = (): void => {
    const links = tabs.map((t) => link({ app: view, tab: t.entityId }, t.entityId === tab.entityId, t.name));
    tabNav.replaceChildren(...links, ...(view === 'channel' && apps.length ? [addButton] : []));
    renderTabOptions();
    requestAnimationFrame(currentInView);
  };
  // Teams' menu on an added tab: Settings (its settings page again) and Remove.
  const renderTabOptions = (): void => {
    if (!configured.has(tab.entityId)) {
      tabOptions.replaceChildren();
      return;
    }
    const toggle = element('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false', 'aria-controls': 'tab-options-menu', 'aria-label': words.tabOptions, title: words.tabOptions }, '⋯');
    const settingsButton = element('button', { type: 'button', class: 'secondary small' }, words.settings);
    const removeButton = element('button', { type: 'button', class: 'secondary small' }, words.remove);
    const menu = element('div', { id: 'tab-options-menu', class: 'tab-options-menu', role: 'group', 'aria-label': words.tabOptions, hidden: '' }, settingsButton, removeButton);
    toggle.addEventListener('click', () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute('aria-expanded', String(!menu.hidden));
    });
    const current = tab;
    settingsButton.addEventListener('click', () => dialog.reconfigure(current));
    removeButton.addEventListener('click', () => {
      removeConfiguredTab(current.entityId);
      configured.delete(current.entityId);
      tabs.splice(tabs.indexOf(current), 1);
      openTab(posts);
    });
    tabOptions.replaceChildren(toggle, menu);
  };
  const openTab = (next: ConfiguredTab): void => {
    subEntityId = undefined;
    params.delete('context');
    params.delete('theme');
    params.set('tab', next.entityId);
    window.history.pushState(null, '', `?${params.toString()}`);
    show(next);
    renderTabLinks();
  };
  // Teams mobile scrolls the tab strip sideways; the open tab stays in view.
  const currentInView = (): void => tabNav.querySelector('[aria-current=page]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  window.addEventListener('resize', currentInView);
  renderTabLinks();
  const rail = element(
    'nav',
    { class: 'rail', 'aria-label': 'Teams apps' },
    ...['Activity', 'Chat'].map((name) => element('span', { class: 'rail-item muted' }, name)),
    link({ app: 'channel' }, view === 'channel', 'Teams'),
    element('span', { class: 'rail-item muted' }, 'Calendar'),
    link({ app: 'personal' }, view === 'personal', 'Exact CRM'),
  );
  for (const item of rail.querySelectorAll('a')) item.classList.add('rail-item');
  const heading = element('h1', {}, view === 'personal' ? 'Exact CRM' : `${channel.teamName} › ${channel.channelName}`);
  const header = element(
    'header',
    { class: 'tab-header' },
    heading,
    tabNav,
    tabOptions,
    element('label', { class: 'theme' }, 'Theme ', picker),
    element('span', { class: 'user', 'data-testid': 'teams-user' }, who.name),
  );
  return element('div', { class: 'teams' }, rail, element('div', { class: 'main' }, header, content), dialog.dialog);
}

/**
 * Whether the signed-in person may manage the CRM site (SharePoint's ManageWeb, as the connector's
 * isCrmAdmin asks): only then does the app show its admin tabs. Unanswered, the tabs show; the
 * admin pages refuse a person without the right themselves.
 */
async function managesSite(siteUrl: string): Promise<boolean> {
  const manageWebBit = 1n << 30n;
  try {
    const answer = await fetch(`${siteUrl}/_api/web/EffectiveBasePermissions`, { headers: { accept: 'application/json;odata=nometadata' } });
    if (!answer.ok) return true;
    const parsed = z.object({ Low: z.union([z.string(), z.number()]) }).safeParse(await answer.json());
    return parsed.success ? (BigInt(parsed.data.Low) & manageWebBit) !== 0n : true;
  } catch {
    return true;
  }
}

async function start(): Promise<void> {
  const config = teamsPageConfigSchema.parse(JSON.parse(document.getElementById('teams-config')?.textContent ?? '{}'));
  const root = document.getElementById('teams')!;
  const signIn = teamsHostSignIn(config);
  paint('default');
  try {
    const who = await signIn.resume();
    root.replaceChildren(who ? teamsShell(config, who, new URLSearchParams(window.location.search), await managesSite(config.siteUrl)) : signInScreen(() => void signIn.signIn()));
  } catch (error) {
    root.replaceChildren(element('main', { class: 'sign-in' }, element('h1', {}, 'Sign-in failed'), element('p', { role: 'alert' }, error instanceof Error ? error.message : String(error))));
  }
}

void start();
