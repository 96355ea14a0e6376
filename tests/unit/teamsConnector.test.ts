import { describe, expect, it } from 'vitest';
import { teamsConnector, type TeamsAuthentication } from '../../src/services/teamsConnector';
import { teamsHost, teamsThemeName, type TeamsJsLike } from '../../src/ui/teams';

const connectUrl = (returnUrl: string): Promise<string> => Promise.resolve(`https://gateway.example/api/connect?ticket=t1&returnUrl=${encodeURIComponent(returnUrl)}`);
const outcome = (fields: Record<string, unknown>): string => JSON.stringify({ type: 'exact-connect', ...fields });

function connectWith(answer: (url: string) => Promise<string>) {
  const asked: { url: string; width?: number; height?: number }[] = [];
  const authentication: TeamsAuthentication = {
    authenticate: (parameters) => {
      asked.push(parameters);
      return answer(parameters.url);
    },
  };
  return { asked, connect: teamsConnector({ connectUrl, authentication, returnUrl: () => 'https://contoso.sharepoint.com/sites/crm/_layouts/15/teamshostedapp.aspx' }) };
}

describe('teamsConnector: connecting Exact through authentication.authenticate', () => {
  it('asks Teams to open the gateway with the host=teams hint and reads the outcome page answer', async () => {
    const { asked, connect } = connectWith(() => Promise.resolve(outcome({ ok: true, exactUser: 'Jeroen van Houten', divisions: 2 })));
    await expect(connect()).resolves.toEqual({ kind: 'connected', exactUser: 'Jeroen van Houten', divisions: 2 });
    const url = new URL(asked[0]!.url);
    expect(url.searchParams.get('host')).toBe('teams');
    expect(url.searchParams.get('ticket')).toBe('t1');
    expect(url.searchParams.get('returnUrl')).toBe('https://contoso.sharepoint.com/sites/crm/_layouts/15/teamshostedapp.aspx');
    expect(asked[0]).toMatchObject({ width: 520, height: 680 });
  });

  it('sorts failures: the outcome page reason, the host reasons teams-js uses, anything else as failed', async () => {
    const reject = (reason: string) => connectWith(() => Promise.reject(new Error(reason))).connect();
    await expect(reject(outcome({ ok: false, reason: 'denied', error: 'Exact did not give consent (access_denied).' }))).resolves.toEqual({ kind: 'denied', message: 'Exact did not give consent (access_denied).' });
    await expect(reject(outcome({ ok: false, reason: 'expired', error: 'The connect attempt expired; start again.' }))).resolves.toEqual({ kind: 'expired', message: 'The connect attempt expired; start again.' });
    await expect(reject(outcome({ ok: false, reason: 'exact-error', error: 'Exact answered 500.' }))).resolves.toEqual({ kind: 'failed', message: 'Exact answered 500.' });
    await expect(reject('CancelledByUser')).resolves.toEqual({ kind: 'closed' });
    await expect(reject('FailedToOpenWindow')).resolves.toEqual({ kind: 'blocked' });
    await expect(reject('Url should be a valid https url')).resolves.toEqual({ kind: 'failed', message: 'Url should be a valid https url' });
    await expect(connectWith(() => Promise.resolve('not json')).connect()).resolves.toMatchObject({ kind: 'failed', message: expect.stringContaining('not json') });
  });

  it('a gateway that refuses the ticket ends the attempt before Teams opens anything', async () => {
    const asked: string[] = [];
    const connect = teamsConnector({
      connectUrl: () => Promise.reject(new Error('Connecting Exact Online needs the Connector.Admin role.')),
      authentication: { authenticate: (p) => (asked.push(p.url), Promise.resolve('')) },
      returnUrl: () => 'https://contoso.sharepoint.com/',
    });
    await expect(connect()).resolves.toEqual({ kind: 'failed', message: 'Connecting Exact Online needs the Connector.Admin role.' });
    expect(asked).toEqual([]);
  });
});

describe('teamsHost: the Teams adapter over teams-js', () => {
  it('maps Teams themes and context, and passes live theme changes on', async () => {
    let themeHandler: ((theme: string) => void) | undefined;
    const teamsJs: TeamsJsLike = {
      app: {
        getContext: () => Promise.resolve({ app: { locale: 'nl-nl', theme: 'contrast', host: { name: 'Teams' } }, page: { id: 'customer-42', subPageId: '' }, user: { userPrincipalName: 'admin@contoso.test' }, channel: { id: '19:abc@thread.tacv2' } }),
        registerOnThemeChangeHandler: (handler) => {
          themeHandler = handler;
        },
      },
      authentication: { authenticate: () => Promise.resolve(''), getAuthToken: () => Promise.resolve('sso-token') },
    };
    const host = teamsHost(teamsJs);
    await expect(host.context()).resolves.toEqual({ theme: 'contrast', locale: 'nl-nl', entityId: 'customer-42', subEntityId: undefined, userPrincipalName: 'admin@contoso.test', channelId: '19:abc@thread.tacv2', hostName: 'Teams' });
    await expect(host.authToken()).resolves.toBe('sso-token');
    const seen: string[] = [];
    host.onThemeChange((theme) => seen.push(theme));
    themeHandler?.('dark');
    themeHandler?.('default');
    themeHandler?.('some-future-theme');
    expect(seen).toEqual(['dark', 'light', 'light']);
    expect(teamsThemeName(undefined)).toBe('light');
  });
});
