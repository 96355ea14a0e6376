import { z } from 'zod';
import type { HostTabConfig, TeamsHostProtocol } from './protocol';
import type { HostWords } from './words';

/**
 * The channel's configured tabs and Teams' "Add a tab" dialog. Real Teams keeps a channel's tabs
 * on its servers for every member; the stand-in keeps them in the browser tab's sessionStorage,
 * which is enough for one person trying the app (and leaves each test's browser context clean).
 */
export interface ConfiguredTab {
  entityId: string;
  name: string;
  contentUrl: string;
  websiteUrl?: string;
}

const storageKey = 'teams.channelTabs';
const storedSchema = z.array(z.object({ entityId: z.string(), name: z.string(), contentUrl: z.string(), websiteUrl: z.string().optional() }));

export function configuredTabs(): ConfiguredTab[] {
  const parsed = storedSchema.safeParse(JSON.parse(sessionStorage.getItem(storageKey) ?? '[]'));
  return parsed.success ? parsed.data : [];
}

/**
 * Stores the tab a settings page saved: in the place of the tab it reconfigured, if any; a second
 * tab for the same entity replaces the first (keeps the header short).
 */
export function saveConfiguredTab(config: HostTabConfig, fallbackName: string, replacing?: string): ConfiguredTab {
  const tab: ConfiguredTab = { entityId: config.entityId, name: config.suggestedDisplayName?.trim() || fallbackName, contentUrl: config.contentUrl, websiteUrl: config.websiteUrl };
  const tabs = configuredTabs();
  const at = tabs.findIndex((t) => t.entityId === (replacing ?? tab.entityId));
  const others = tabs.filter((t) => t.entityId !== tab.entityId && t.entityId !== replacing);
  others.splice(at >= 0 ? Math.min(at, others.length) : others.length, 0, tab);
  sessionStorage.setItem(storageKey, JSON.stringify(others));
  return tab;
}

export function removeConfiguredTab(entityId: string): void {
  sessionStorage.setItem(storageKey, JSON.stringify(configuredTabs().filter((t) => t.entityId !== entityId)));
}

type ElementFactory = <K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Record<string, string>, ...children: (Node | string)[]) => HTMLElementTagNameMap[K];

export interface AddTabDialogOptions {
  element: ElementFactory;
  words: HostWords;
  apps: { name: string; configurationUrl: string }[];
  /** Teams' URL templates: `{locale}`, `{theme}`, `{entityId}`. */
  fill: (template: string, entityId?: string) => string;
  protocol: () => TeamsHostProtocol;
  /** The dialog's settings frame, for the protocol to know which window is the settings page. */
  onFrame: (frame: HTMLIFrameElement | undefined) => void;
  /** `replaced`: the entity id of the tab whose settings were opened, if it was not a new tab. */
  onSaved: (tab: ConfiguredTab, replaced?: string) => void;
}

/**
 * Two steps, as in Teams: choose the app, then its settings page in a frame with Save, which
 * stays disabled until the page calls `setValidityState(true)`. Save sends the page
 * `settings.save`; the page answers with `setConfig` and `notifySuccess`, and the tab is added.
 */
export function addTabDialog(options: AddTabDialogOptions): {
  dialog: HTMLDialogElement;
  open: () => void;
  /** A configured tab's Settings: its app's settings page, getContext giving the tab's entity id. */
  reconfigure: (tab: ConfiguredTab) => void;
  /** The tab whose settings are open (undefined: a new tab). */
  reconfiguring: () => ConfiguredTab | undefined;
  validity: (valid: boolean) => void;
} {
  const { element, words } = options;
  const title = element('h2', { id: 'add-tab-title' }, words.addTab);
  const body = element('div', { class: 'dialog-body' });
  const status = element('p', { class: 'dialog-status', role: 'status' });
  const save = element('button', { type: 'button', class: 'primary', disabled: '' }, words.save);
  const back = element('button', { type: 'button', class: 'secondary' }, words.back);
  const cancel = element('button', { type: 'button', class: 'secondary' }, words.cancel);
  const footer = element('div', { class: 'dialog-footer' }, status, back, cancel, save);
  const dialog = element('dialog', { class: 'add-tab', 'aria-labelledby': 'add-tab-title' }, title, body, footer);
  let app: AddTabDialogOptions['apps'][number] | undefined;
  let replacing: ConfiguredTab | undefined;

  const close = (): void => {
    replacing = undefined;
    options.onFrame(undefined);
    body.replaceChildren();
    dialog.close();
  };
  const gallery = (): void => {
    app = undefined;
    options.onFrame(undefined);
    title.textContent = words.addTab;
    status.textContent = '';
    save.hidden = true;
    back.hidden = true;
    const list = element('ul', { class: 'app-gallery', 'aria-label': words.apps });
    for (const candidate of options.apps) {
      const pick = element('button', { type: 'button', class: 'app-tile' }, candidate.name);
      pick.addEventListener('click', () => configure(candidate));
      list.append(element('li', {}, pick));
    }
    body.replaceChildren(element('p', {}, words.chooseApp), list);
  };
  const configure = (chosen: AddTabDialogOptions['apps'][number]): void => {
    app = chosen;
    title.textContent = replacing ? replacing.name : words.addApp(chosen.name);
    status.textContent = '';
    save.hidden = false;
    save.disabled = true;
    back.hidden = !!replacing;
    const frame = element('iframe', { class: 'settings-frame', title: words.settingsOf(chosen.name), src: options.fill(chosen.configurationUrl) });
    options.onFrame(frame);
    body.replaceChildren(frame);
  };

  save.addEventListener('click', () => {
    if (!app) return;
    const name = app.name;
    save.disabled = true;
    status.textContent = words.saving;
    options.protocol().save().then(
      (config) => {
        const replaced = replacing?.entityId;
        const tab = saveConfiguredTab(config, name, replaced);
        close();
        options.onSaved(tab, replaced);
      },
      (error: unknown) => {
        status.textContent = words.notSaved(error instanceof Error ? error.message : String(error));
        save.disabled = false;
      },
    );
  });
  back.addEventListener('click', gallery);
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => {
    replacing = undefined;
    options.onFrame(undefined);
  });

  return {
    dialog,
    open() {
      replacing = undefined;
      gallery();
      dialog.showModal();
    },
    reconfigure(tab) {
      const first = options.apps[0];
      if (!first) return;
      replacing = tab;
      configure(first);
      dialog.showModal();
    },
    reconfiguring: () => replacing,
    validity(valid) {
      if (app) save.disabled = !valid;
    },
  };
}
