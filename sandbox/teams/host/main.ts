import { teamsPageConfigSchema, type TeamsPageConfig } from './config';
import { startTeamsHostProtocol, type TeamsHostProtocol, type TeamsTheme } from './protocol';
import { teamsHostSignIn, type SignedInHost } from './signIn';

/**
 * The Teams host stand-in's page: a left rail, the app's tab header and the tab in a frame from the
 * same origin, with teams-js's host protocol behind it (protocol.ts). The theme picker stands in
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

function teamsShell(config: TeamsPageConfig, who: SignedInHost, params: URLSearchParams): HTMLElement {
  const locale = params.get('lang') === 'nl-nl' ? 'nl-nl' : 'en-us';
  // Like Teams' own setting, the theme outlives a page: ?theme= sets it, the picker changes it.
  const asked = params.get('theme') ?? localStorage.getItem('teams.theme');
  let theme: TeamsTheme = themes.find((t) => t.value === asked)?.value ?? 'default';
  const tab = config.tabs.find((t) => t.entityId === params.get('tab')) ?? config.tabs[0]!;
  paint(theme);

  const frame = element('iframe', { title: tab.name, class: 'tab-frame', src: tab.contentUrl.replace('{locale}', locale).replace('{entityId}', encodeURIComponent(tab.entityId)) });
  const protocol = startTeamsHostProtocol({
    window,
    tab: () => frame.contentWindow,
    clientType: 'desktop',
    theme: () => theme,
    locale: () => locale,
    session: () => who.session,
    tabInfo: () => ({ entityId: tab.entityId }),
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
  const tabLinks = config.tabs.map((t) => {
    const query = new URLSearchParams(params);
    query.delete('theme');
    query.set('tab', t.entityId);
    return element('a', t.entityId === tab.entityId ? { href: `?${query.toString()}`, 'aria-current': 'page' } : { href: `?${query.toString()}` }, t.name);
  });
  const rail = element(
    'nav',
    { class: 'rail', 'aria-label': 'Teams apps' },
    ...['Activity', 'Chat', 'Teams', 'Calendar'].map((name) => element('span', { class: 'rail-item' }, name)),
    element('span', { class: 'rail-item current', 'aria-current': 'page' }, 'Exact CRM'),
  );
  const header = element(
    'header',
    { class: 'tab-header' },
    element('h1', {}, 'Exact CRM Connector'),
    element('nav', { class: 'tabs', 'aria-label': 'Tabs' }, ...tabLinks),
    element('label', { class: 'theme' }, 'Theme ', picker),
    element('span', { class: 'user', 'data-testid': 'teams-user' }, who.name),
  );
  return element('div', { class: 'teams' }, rail, element('div', { class: 'main' }, header, frame));
}

async function start(): Promise<void> {
  const config = teamsPageConfigSchema.parse(JSON.parse(document.getElementById('teams-config')?.textContent ?? '{}'));
  const root = document.getElementById('teams')!;
  const signIn = teamsHostSignIn(config);
  paint('default');
  try {
    const who = await signIn.resume();
    root.replaceChildren(who ? teamsShell(config, who, new URLSearchParams(window.location.search)) : signInScreen(() => void signIn.signIn()));
  } catch (error) {
    root.replaceChildren(element('main', { class: 'sign-in' }, element('h1', {}, 'Sign-in failed'), element('p', { role: 'alert' }, error instanceof Error ? error.message : String(error))));
  }
}

void start();
