/**
 * Issue 20: a component's own gateway is honoured only as the tenant property's pair or one built
 * into the package (pinnedSettings). The browser side, where the token would leave, runs in
 * tests/e2e/gatewayPinning.test.ts; the URL check itself in connectorUrl.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { allowedPackagedGateways, gatewayPairSchema, isConfigured, parseTenantSettings, pinnedSettings, readsTenantSettings, type SettingsRefusal, type TenantSettings } from '../../src/services/connectorSettings';
import { packagedGateways } from '../../src/services/gatewayAllowlist';
import { browserModule } from '../support/browserModule';

const tenant = { gatewayUrl: 'https://gw.contoso.example/gateway', gatewayResource: 'api://exact-crm-gateway', crmSiteUrl: 'https://contoso.sharepoint.com/sites/crm' };
const foreign = 'https://attacker.example/gateway';

describe('the package\'s gateways (src/services/gatewayAllowlist.ts)', () => {
  it('holds only pairs that pass the same check as the tenant property (a deployer\'s typo fails here, before npm run package)', () => {
    for (const pair of packagedGateways) expect(gatewayPairSchema.safeParse(pair).error?.issues, JSON.stringify(pair)).toBeUndefined();
  });

  it('leaves out an entry that would send tokens over plain http', () => {
    const list = [{ gatewayUrl: 'http://gw.example/gateway', gatewayResource: 'api://x' }, { gatewayUrl: 'https://second.example/gateway', gatewayResource: 'api://second' }];
    expect(allowedPackagedGateways(list)).toEqual([list[1]]);
    expect(pinnedSettings({ gatewayUrl: list[0]!.gatewayUrl, gatewayResource: 'api://x' }, {}, list).refusal).toMatchObject({ reason: 'insecure', field: 'gatewayUrl' });
  });
});

describe('pinnedSettings: a component\'s own gateway', () => {
  const refused = (own: Parameters<typeof pinnedSettings>[0], from: TenantSettings = { settings: tenant }, list: Parameters<typeof pinnedSettings>[2] = []): SettingsRefusal | undefined => {
    const pinned = pinnedSettings(own, from, list);
    if (pinned.refusal) {
      // Refused means no gateway at all: nothing builds services, asks a token or calls out.
      expect(pinned.settings.gatewayUrl).toBe('');
      expect(pinned.settings.gatewayResource).toBe('');
      expect(isConfigured(pinned.settings)).toBe(false);
    }
    return pinned.refusal;
  };

  it('takes the tenant property\'s gateway when the component names none', () => {
    expect(pinnedSettings({ gatewayUrl: '', gatewayResource: '', companyId: '7' }, { settings: tenant }, [])).toEqual({ settings: { ...tenant, companyId: '7' } });
  });

  it('honours the tenant property\'s own pair, however the URL is spelled', () => {
    for (const gatewayUrl of [tenant.gatewayUrl, `${tenant.gatewayUrl}/`, 'https://GW.contoso.example:443/gateway']) {
      const pinned = pinnedSettings({ gatewayUrl, gatewayResource: tenant.gatewayResource }, { settings: tenant }, []);
      expect(pinned.refusal, gatewayUrl).toBeUndefined();
      expect(pinned.settings.gatewayUrl).toBe(gatewayUrl);
    }
  });

  it('refuses another host with the real gateway\'s resource: the person\'s token for it would go there', () => {
    expect(refused({ gatewayUrl: foreign, gatewayResource: tenant.gatewayResource })).toEqual({ reason: 'not-allowed', field: 'gatewayUrl', value: foreign });
    // Look-alikes of the real URL are other hosts or paths.
    for (const gatewayUrl of ['https://gw.contoso.example.attacker.example/gateway', 'https://gw.contoso.example@attacker.example/gateway', 'https://gw.contoso.example/gateway/../other', 'https://gw.contoso.example:8443/gateway']) {
      expect(refused({ gatewayUrl, gatewayResource: tenant.gatewayResource })?.reason, gatewayUrl).toBe('not-allowed');
    }
  });

  it('refuses the real URL with another resource, and a package gateway with the tenant\'s resource', () => {
    expect(refused({ gatewayUrl: tenant.gatewayUrl, gatewayResource: 'https://graph.microsoft.com' })).toEqual({
      reason: 'other-resource',
      field: 'gatewayResource',
      value: 'https://graph.microsoft.com',
      gatewayUrl: tenant.gatewayUrl,
    });
    const second = { gatewayUrl: 'https://second.example/gateway', gatewayResource: 'api://second' };
    expect(refused({ gatewayUrl: second.gatewayUrl, gatewayResource: tenant.gatewayResource }, { settings: tenant }, [second])?.reason).toBe('other-resource');
  });

  it('honours a gateway built into the package, with or without a tenant property', () => {
    const second = { gatewayUrl: 'https://second.example/gateway', gatewayResource: 'api://second' };
    expect(refused({ ...second }, { settings: tenant }, [second])).toBeUndefined();
    expect(pinnedSettings({ ...second, crmSiteUrl: tenant.crmSiteUrl }, {}, [second])).toEqual({ settings: { ...second, crmSiteUrl: tenant.crmSiteUrl } });
  });

  it('refuses any own gateway when there is no tenant property to compare with, and passes on why it is missing', () => {
    expect(refused({ gatewayUrl: tenant.gatewayUrl, gatewayResource: tenant.gatewayResource }, { settings: undefined })?.reason).toBe('not-allowed');
    const unreadable = pinnedSettings({ gatewayUrl: foreign, gatewayResource: 'api://x' }, { problem: 'The tenant property ExactCrmConnector could not be read: 503' }, []);
    expect(unreadable).toMatchObject({ refusal: { reason: 'not-allowed' }, problem: expect.stringMatching(/could not be read/) });
  });

  it('refuses plain http off the loopback and a URL that is not absolute, naming the field', () => {
    expect(refused({ gatewayUrl: 'http://gw.contoso.example/gateway', gatewayResource: tenant.gatewayResource })).toEqual({
      reason: 'insecure',
      field: 'gatewayUrl',
      value: 'http://gw.contoso.example/gateway',
      issue: 'not-https',
    });
    expect(refused({ gatewayUrl: '//attacker.example/gateway', gatewayResource: tenant.gatewayResource })).toMatchObject({ reason: 'insecure', issue: 'not-absolute' });
    expect(refused({ crmSiteUrl: 'http://contoso.sharepoint.com/sites/crm' })).toMatchObject({ reason: 'insecure', field: 'crmSiteUrl', issue: 'not-https' });
  });

  it('keeps the sandbox\'s loopback gateway working, and tells 127.0.0.1 from localhost', () => {
    const sandbox = { gatewayUrl: 'http://127.0.0.1:4321/gateway', gatewayResource: 'api://exact-crm-gateway', crmSiteUrl: 'http://localhost:4321/sites/crm' };
    expect(pinnedSettings({}, { settings: sandbox }, []).settings).toEqual(sandbox);
    expect(refused({ gatewayUrl: 'http://127.0.0.1:4321/gateway/', gatewayResource: sandbox.gatewayResource }, { settings: sandbox })).toBeUndefined();
    expect(refused({ gatewayUrl: 'http://localhost:4321/gateway', gatewayResource: sandbox.gatewayResource }, { settings: sandbox })?.reason).toBe('not-allowed');
    expect(refused({ gatewayUrl: 'http://127.0.0.1:9999/gateway', gatewayResource: sandbox.gatewayResource }, { settings: sandbox })?.reason).toBe('not-allowed');
  });

  it('leaves a half-set gateway unconfigured, as before, with nothing to refuse', () => {
    const half = pinnedSettings({ gatewayUrl: foreign, gatewayResource: '' }, { settings: tenant }, []);
    expect(half.refusal).toBeUndefined();
    expect(isConfigured(half.settings)).toBe(false);
  });

  it('reads the tenant property for a component whose own gateway is set but not the package\'s', () => {
    const second = { gatewayUrl: 'https://second.example/gateway', gatewayResource: 'api://second' };
    expect(readsTenantSettings(tenant, [])).toBe(true);
    expect(readsTenantSettings({ ...second, crmSiteUrl: tenant.crmSiteUrl }, [second])).toBe(false);
    expect(readsTenantSettings({ ...second }, [second])).toBe(true);
  });
});

describe('what a reader of a refused component is told', () => {
  type Refusals = typeof import('../../src/webparts/common/settingsRefusal');

  it('a refused component names the property, its value and why, in both languages', async () => {
    for (const locale of ['en-us', 'nl-nl'] as const) {
      const { settingsRefusalText } = await browserModule<Refusals>('src/webparts/common/settingsRefusal.ts', locale);
      const notAllowed = settingsRefusalText({ reason: 'not-allowed', field: 'gatewayUrl', value: foreign }, 'The tenant property ExactCrmConnector could not be read.');
      expect(notAllowed).toContain(`${foreign} (`);
      expect(notAllowed).toContain('gatewayUrl');
      expect(notAllowed).toContain('ExactCrmConnector');
      expect(notAllowed).toMatch(/could not be read\.$/);
      expect(notAllowed).toMatch(locale === 'en-us' ? /is not allowed/ : /is niet toegestaan/);
      const resource = settingsRefusalText({ reason: 'other-resource', field: 'gatewayResource', value: 'api://other', gatewayUrl: tenant.gatewayUrl });
      expect(resource).toContain('api://other');
      expect(resource).toContain('gatewayResource');
      expect(resource).toContain(tenant.gatewayUrl);
      const http = settingsRefusalText({ reason: 'insecure', field: 'crmSiteUrl', value: 'http://x.example/sites/crm', issue: 'not-https' });
      expect(http).toContain('crmSiteUrl');
      expect(http).toContain('https://');
    }
  });

  it('says the tenant property\'s own problem in the reader\'s language, and an older English sentence as given', async () => {
    const entity = (value: string) => ({ Value: value });
    const notJson = parseTenantSettings(entity('{gatewayUrl'));
    const insecure = parseTenantSettings(entity(JSON.stringify({ ...tenant, crmSiteUrl: 'http://x.example/sites/crm' })));
    const missing = parseTenantSettings(entity(JSON.stringify({ gatewayUrl: tenant.gatewayUrl, gatewayResource: tenant.gatewayResource })));
    const unknown = parseTenantSettings(entity(JSON.stringify({ ...tenant, gatewayURL: 'x' })));
    for (const locale of ['en-us', 'nl-nl'] as const) {
      const { tenantProblemText, settingsRefusalText } = await browserModule<Refusals>('src/webparts/common/settingsRefusal.ts', locale);
      const said = [notJson, insecure, missing, unknown].map((t) => tenantProblemText(t));
      if (locale === 'en-us') {
        expect(said[0]).toBe(notJson.problem);
        expect(said[1]).toMatch(/^The tenant property ExactCrmConnector: crmSiteUrl must use https:\/\//);
        expect(said[2]).toBe('The tenant property ExactCrmConnector: crmSiteUrl is required.');
        expect(said[3]).toBe('The tenant property ExactCrmConnector: unknown field: gatewayURL.');
      } else {
        expect(said[0]).toMatch(/^De tenanteigenschap ExactCrmConnector is geen JSON/);
        expect(said[1]).toMatch(/^De tenanteigenschap ExactCrmConnector: crmSiteUrl moet met https:\/\/ beginnen/);
        expect(said[2]).toMatch(/^De tenanteigenschap ExactCrmConnector: crmSiteUrl is verplicht\.$/);
        expect(said[3]).toMatch(/^De tenanteigenschap ExactCrmConnector: onbekend veld: gatewayURL\.$/);
        for (const text of said) expect(text).not.toMatch(/\b(the|must|required|unknown|could not)\b/i);
      }
      const refused = settingsRefusalText({ reason: 'not-allowed', field: 'gatewayUrl', value: foreign }, { problem: 'The tenant property ExactCrmConnector could not be read: 503', problemParts: { kind: 'unreadable', detail: '503' } });
      expect(refused).toMatch(locale === 'en-us' ? /could not be read: 503$/ : /kon niet worden gelezen: 503$/);
    }
  });
});
