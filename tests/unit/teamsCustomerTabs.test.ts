import { describe, expect, it } from 'vitest';
import { companySearchFilter } from '../../src/crm/companySearch';
import { explainError } from '../../src/services/explain';
import { teamsHost, teamsSurface, type TeamsJsLike, type TeamsTabConfig } from '../../src/ui/teams';
import { recentCustomers } from '../../src/webparts/customerFinance/components/teams/recentCustomers';
import { companyEntityId, companyFromEntityId, teamsTabCompany } from '../../src/webparts/customerFinance/teamsCompany';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('which company a customer tab in Teams shows', () => {
  it('reads company:<id> from the entity id, and the web part property first', () => {
    expect(companyEntityId(12)).toBe('company:12');
    expect(companyFromEntityId('company:12')).toBe(12);
    for (const bad of [undefined, '', 'company:', 'company:0', 'company:12a', 'company:-3', 'exact-connection', ' company:12']) expect(companyFromEntityId(bad), String(bad)).toBeUndefined();
    expect(teamsTabCompany('7', 'company:12')).toBe(7);
    expect(teamsTabCompany(' 7 ', undefined)).toBe(7);
    expect(teamsTabCompany('', 'company:12')).toBe(12);
    expect(teamsTabCompany('x', 'company:12')).toBe(12);
    expect(teamsTabCompany(undefined, undefined)).toBeUndefined();
  });

  it('tells a personal app from a channel tab, a chat tab and a settings page', () => {
    expect(teamsSurface({ theme: 'light', locale: 'en-us' })).toBe('personal');
    expect(teamsSurface({ theme: 'light', locale: 'en-us', channelId: '19:a@thread.tacv2' })).toBe('channel');
    expect(teamsSurface({ theme: 'light', locale: 'en-us', chatId: '19:meeting_x@thread.v2' })).toBe('chat');
    expect(teamsSurface({ theme: 'light', locale: 'en-us', channelId: '19:a@thread.tacv2', frameContext: 'settings' })).toBe('settings');
  });
});

describe('the Companies search', () => {
  it('needs every word in the name, city or postcode, digits also in the Exact code or KvK number, quotes doubled', () => {
    expect(companySearchFilter('')).toBeUndefined();
    expect(companySearchFilter('   ')).toBeUndefined();
    expect(companySearchFilter('bakker')).toBe("(substringof('bakker', Title) or substringof('bakker', City) or substringof('bakker', Postcode))");
    expect(companySearchFilter(" 't  hoekje ")).toBe("(substringof('''t', Title) or substringof('''t', City) or substringof('''t', Postcode)) and (substringof('hoekje', Title) or substringof('hoekje', City) or substringof('hoekje', Postcode))");
    expect(companySearchFilter('20008')).toBe("(substringof('20008', Title) or substringof('20008', City) or substringof('20008', Postcode) or substringof('20008', ExactCode) or substringof('20008', KvkNumber))");
    expect(companySearchFilter('a b c d e f g')!.match(/ and /g)).toHaveLength(4);
  });

  it('a SharePoint list that does not answer is said to be SharePoint, not Exact', () => {
    const busy = Object.assign(new Error('Error making HttpClient request in queryable [503] Service Unavailable'), { status: 503 });
    expect(explainError(busy)).toMatchObject({ kind: 'unavailable', source: 'sharepoint' });
  });
});

describe('recently opened customers', () => {
  it('keeps the newest first, once each, at most eight, per person', () => {
    const storage = memoryStorage();
    const sales = recentCustomers(storage, 'Sales@Contoso.test');
    for (let id = 1; id <= 10; id++) sales.remember({ id, name: `Company ${id}`, linked: true });
    sales.remember({ id: 4, name: 'Company 4, renamed', city: 'Zwolle', linked: false });
    expect(sales.list().map((c) => c.id)).toEqual([4, 10, 9, 8, 7, 6, 5, 3]);
    expect(sales.list()[0]).toEqual({ id: 4, name: 'Company 4, renamed', city: 'Zwolle', linked: false });
    expect(recentCustomers(storage, 'sales@contoso.test').list()).toHaveLength(8);
    expect(recentCustomers(storage, 'admin@contoso.test').list()).toEqual([]);
  });

  it('drops a customer the CRM no longer has, takes the CRM’s current name, and keeps nothing without a sign-in name', () => {
    const storage = memoryStorage();
    const sales = recentCustomers(storage, 'sales@contoso.test');
    sales.remember({ id: 1, name: 'A', linked: true });
    sales.remember({ id: 2, name: 'B', linked: false });
    expect(sales.refresh({ id: 1, name: 'A renamed', city: 'Delft', linked: true }).map((c) => c.name)).toEqual(['B', 'A renamed']);
    expect(sales.refresh({ id: 9, name: 'never opened', linked: true }).map((c) => c.id)).toEqual([2, 1]);
    expect(sales.forget(2).map((c) => c.id)).toEqual([1]);
    const nobody = recentCustomers(storage, ' ');
    nobody.remember({ id: 3, name: 'C', linked: true });
    expect(nobody.list()).toEqual([]);
  });

  it('survives what another tab or version left in storage, and a storage that refuses writes', () => {
    const storage = memoryStorage();
    storage.setItem('exactCrm.recentCustomers:sales@contoso.test', '{not json');
    expect(recentCustomers(storage, 'sales@contoso.test').list()).toEqual([]);
    storage.setItem('exactCrm.recentCustomers:sales@contoso.test', JSON.stringify([{ id: 'x' }]));
    expect(recentCustomers(storage, 'sales@contoso.test').list()).toEqual([]);
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(recentCustomers(full, 'sales@contoso.test').remember({ id: 1, name: 'A', linked: true })).toEqual([{ id: 1, name: 'A', linked: true }]);
    expect(recentCustomers(undefined, 'sales@contoso.test').list()).toEqual([]);
  });
});

describe('a configurable tab\'s settings page over teams-js pages.config', () => {
  function fakeTeams() {
    const sent: unknown[] = [];
    let onSave: ((event: { notifySuccess(): void; notifyFailure(reason?: string): void }) => void) | undefined;
    const teamsJs: TeamsJsLike = {
      app: { getContext: () => Promise.reject(new Error('not used')), registerOnThemeChangeHandler: () => undefined },
      authentication: { authenticate: () => Promise.resolve(''), getAuthToken: () => Promise.resolve('') },
      pages: {
        config: {
          setValidityState: (valid) => void sent.push(['valid', valid]),
          setConfig: async (config) => {
            if (!config.contentUrl.startsWith('https://')) throw new Error('contentUrl is not in the valid domains');
            sent.push(['config', config]);
          },
          registerOnSaveHandler: (handler) => {
            onSave = handler;
          },
        },
      },
    };
    const save = () =>
      new Promise<string>((resolve) => onSave?.({ notifySuccess: () => resolve('success'), notifyFailure: (reason) => resolve(`failure: ${reason ?? ''}`) }));
    return { sent, host: teamsHost(teamsJs), save };
  }

  it('on Save sets the configuration, then tells Teams it succeeded; a refusal or a throw becomes the failure reason', async () => {
    const { sent, host, save } = fakeTeams();
    const settings = host.tabSettings!;
    let config: TeamsTabConfig = { entityId: 'company:12', contentUrl: 'https://contoso.example/tab', suggestedDisplayName: 'Bakkerij Jansen' };
    settings.setValid(true);
    settings.onSave(() => config);
    await expect(save()).resolves.toBe('success');
    expect(sent).toEqual([['valid', true], ['config', config]]);
    config = { ...config, contentUrl: 'http://elsewhere.example/' };
    await expect(save()).resolves.toBe('failure: contentUrl is not in the valid domains');
    settings.onSave(() => {
      throw new Error('Choose a customer first.');
    });
    await expect(save()).resolves.toBe('failure: Choose a customer first.');
  });

  it('is absent where teams-js has no pages (an SPFx host that keeps the settings page to itself)', () => {
    const teamsJs: TeamsJsLike = { app: { getContext: () => Promise.reject(new Error('x')), registerOnThemeChangeHandler: () => undefined }, authentication: { authenticate: () => Promise.resolve(''), getAuthToken: () => Promise.resolve('') } };
    expect(teamsHost(teamsJs).tabSettings).toBeUndefined();
  });
});
