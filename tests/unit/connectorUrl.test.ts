/**
 * Issue 20: every connector URL is https, plain http only on the loopback (the sandbox, a
 * developer's gateway), checked by one schema (connectorUrl) wherever it comes from: the tenant
 * property (tests/integration/connectorSettings.test.ts), the property pane, the package's gateways.
 */
import { describe, expect, it } from 'vitest';
import { connectorUrl, connectorUrlIssue, urlIssue } from '../../src/services/connectorSettings';
import { browserModule } from '../support/browserModule';

describe('connectorUrl: https, or plain http on the loopback', () => {
  it('takes https anywhere and http only on localhost and 127.0.0.1, any port', () => {
    for (const ok of ['https://gw.example/gateway', 'http://127.0.0.1:4321/gateway', 'http://localhost:7071/api', 'http://localhost/gateway']) expect(urlIssue(ok), ok).toBeUndefined();
    for (const bad of ['http://gw.example/gateway', 'http://localhost.attacker.example/gateway', 'http://127.0.0.1.nip.io/gateway', 'ftp://localhost/gateway', 'javascript:alert(1)']) {
      expect(urlIssue(bad), bad).toBe('not-https');
    }
    for (const bad of ['gw.example/gateway', '//attacker.example/gateway', '/gateway', '']) expect(urlIssue(bad), bad).toBe('not-absolute');
  });

  it('names the field in its message and carries the issue for a translated one', () => {
    const insecure = connectorUrl('gatewayUrl').safeParse('http://gw.example/gateway');
    expect(insecure.success).toBe(false);
    expect(insecure.error?.issues[0]).toMatchObject({ message: expect.stringMatching(/^gatewayUrl must use https:\/\//), params: { issue: 'not-https' } });
    expect(connectorUrl('crmSiteUrl').safeParse('contoso.sharepoint.com').error?.issues[0]?.message).toMatch(/^crmSiteUrl must be an absolute URL/);
    expect(connectorUrlIssue('crmSiteUrl', 'http://contoso.sharepoint.com/sites/crm')).toBe('not-https');
    expect(connectorUrlIssue('gatewayUrl', 'http://127.0.0.1:4321/gateway')).toBeUndefined();
  });
});

describe('the property pane', () => {
  type Fields = typeof import('../../src/webparts/common/settingsFields');
  const propertyPane = { PropertyPaneTextField: (targetProperty: string, properties: unknown) => ({ targetProperty, properties }) };

  it('the property pane refuses plain http off the loopback in both languages, naming the field (the tenant property\'s check)', async () => {
    for (const [locale, label, says] of [
      ['en-us', 'Gateway URL', /^Gateway URL must use https:\/\//],
      ['nl-nl', 'URL van de gateway', /^URL van de gateway moet met https:\/\/ beginnen/],
    ] as const) {
      const { connectorSettingsFields } = await browserModule<Fields>('src/webparts/common/settingsFields.ts', locale, { '@microsoft/sp-property-pane': propertyPane });
      const fields = connectorSettingsFields({ gatewayUrl: label, gatewayResource: 'resource', crmSiteUrl: 'site' }) as unknown as Array<{ targetProperty: string; properties: { onGetErrorMessage?: (value: string) => string } }>;
      const check = (name: string, value: string) => fields.find((f) => f.targetProperty === name)!.properties.onGetErrorMessage!(value);
      expect(check('gatewayUrl', 'http://gw.example/gateway')).toMatch(says);
      expect(check('gatewayUrl', 'http://127.0.0.1:7071/gateway')).toBe('');
      expect(check('gatewayUrl', 'https://gw.example/gateway')).toBe('');
      expect(check('gatewayUrl', '')).toBe('');
      expect(check('crmSiteUrl', 'http://contoso.sharepoint.com/sites/crm')).toMatch(/^site /);
      expect(check('crmSiteUrl', 'contoso')).toMatch(/^site /);
    }
  });
});
