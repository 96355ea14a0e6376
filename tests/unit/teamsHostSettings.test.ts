/**
 * The Teams host stand-in's side of a configurable tab's settings page (sandbox/teams/host/
 * protocol.ts), without a browser: fake windows post teams-js's messages and read the answers.
 * The happy path runs in Chromium in tests/e2e/teamsCustomerPanel.test.ts; here the refusals.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTeamsHostProtocol, type TeamsHostProtocol } from '../../sandbox/teams/host/protocol';

const origin = 'http://127.0.0.1:4321';

function fakeWindow() {
  const received: unknown[] = [];
  return { received, postMessage: (message: unknown) => void received.push(message) } as unknown as Window & { received: Record<string, unknown>[] };
}

function hostWithSettingsPage() {
  let listener: ((event: MessageEvent) => void) | undefined;
  const host = {
    location: { origin },
    addEventListener: (_: string, handler: (event: MessageEvent) => void) => {
      listener = handler;
    },
    removeEventListener: () => undefined,
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
    setInterval: () => 0,
    clearInterval: () => undefined,
  } as unknown as Window;
  const settings = fakeWindow();
  const content = fakeWindow();
  const validity: boolean[] = [];
  const protocol = startTeamsHostProtocol({
    window: host,
    tab: () => content,
    settings: () => settings,
    onValidity: (valid) => validity.push(valid),
    clientType: 'desktop',
    theme: () => 'default',
    locale: () => 'en-us',
    session: () => ({ userObjectId: 'u1', userPrincipalName: 'sales@contoso.test', tid: 't1' }),
    tabInfo: (frameContext) => ({ entityId: frameContext === 'settings' ? '' : 'company:12', channelId: '19:general' }),
    authToken: () => Promise.resolve('token'),
  });
  let id = 0;
  const send = (from: Window, func: string, args: unknown[] = [], at = origin): number => {
    id += 1;
    listener?.({ origin: at, source: from, data: { id, uuidAsString: `uuid-${id}`, func, args, timestamp: Date.now() } } as unknown as MessageEvent);
    return id;
  };
  const answer = (to: { received: Record<string, unknown>[] }, requestId: number) => to.received.find((m) => m.id === requestId)?.args as unknown[] | undefined;
  return { protocol, settings, content, validity, send, answer };
}

describe('Teams host stand-in: a configurable tab\'s settings page', () => {
  let protocol: TeamsHostProtocol | undefined;
  afterEach(() => {
    protocol?.stop();
    vi.useRealTimers();
  });

  it('answers initialize and getContext as a settings frame, follows the validity, and saves what setConfig set', async () => {
    const h = hostWithSettingsPage();
    protocol = h.protocol;
    expect(h.answer(h.settings, h.send(h.settings, 'initialize', ['2.32.0', 4]))?.[0]).toBe('settings');
    expect(h.answer(h.settings, h.send(h.settings, 'getContext'))?.[0]).toMatchObject({ frameContext: 'settings', entityId: '', channelId: '19:general' });
    h.send(h.settings, 'settings.setValidityState', [true]);
    h.send(h.settings, 'settings.setValidityState', [false]);
    expect(h.validity).toEqual([true, false]);

    const saved = h.protocol.save();
    expect(h.settings.received.at(-1)).toEqual({ func: 'settings.save', args: [{}] });
    const config = { entityId: 'company:12', contentUrl: `${origin}/teams/tab/customer-finance?lang={locale}`, suggestedDisplayName: 'Bakkerij Jansen' };
    expect(h.answer(h.settings, h.send(h.settings, 'settings.setSettings', [config]))).toEqual([true]);
    h.send(h.settings, 'settings.save.success');
    await expect(saved).resolves.toEqual(config);
    expect(h.protocol.calls).toEqual(['initialize', 'getContext', 'settings.setValidityState', 'settings.setValidityState', 'settings.setSettings', 'settings.save.success']);
  });

  it('refuses a configuration off the app\'s domains or without an entity, and a success without setConfig', async () => {
    const h = hostWithSettingsPage();
    protocol = h.protocol;
    expect(h.answer(h.settings, h.send(h.settings, 'settings.setSettings', [{ entityId: 'company:12', contentUrl: 'https://elsewhere.example/tab' }]))).toEqual([false, expect.stringContaining('not in the app\'s valid domains')]);
    expect(h.answer(h.settings, h.send(h.settings, 'settings.setSettings', [{ entityId: '', contentUrl: `${origin}/teams/tab/x` }]))?.[0]).toBe(false);
    const saved = h.protocol.save();
    h.send(h.settings, 'settings.save.success');
    await expect(saved).rejects.toThrow(/without setting a configuration/);
  });

  it('passes the page\'s failure reason on, gives up on a page that never answers, and ignores other frames and origins', async () => {
    const h = hostWithSettingsPage();
    protocol = h.protocol;
    const failed = h.protocol.save();
    h.send(h.content, 'settings.save.failure', ['from the wrong frame']);
    h.send(h.settings, 'settings.save.failure', ['from another origin'], 'https://evil.example');
    h.send(h.settings, 'settings.save.failure', ['Choose a customer first.']);
    await expect(failed).rejects.toThrow('Choose a customer first.');

    vi.useFakeTimers();
    const silent = h.protocol.save();
    vi.advanceTimersByTime(30_000);
    await expect(silent).rejects.toThrow(/did not answer within 30 seconds/);
  });
});
