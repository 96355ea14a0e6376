import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConfigured, needsTenantSettings, readTenantSettings, tenantSettingsKey, tenantSettingsOnce, withTenantSettings } from '../../src/services/connectorSettings';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

/**
 * The connector's tenant property (`Set-PnPStorageEntity -Key ExactCrmConnector`), read through
 * PnPjs from the SharePoint stand-in: what lets a Teams personal app, which has no property pane,
 * and every unconfigured web part find the gateway.
 */
describe('tenant settings (GetStorageEntity)', () => {
  let sandbox: CrmSandbox;
  const value = { gatewayUrl: 'https://exact-gateway.azurewebsites.net/gateway', gatewayResource: 'api://exact-gateway', crmSiteUrl: 'https://contoso.sharepoint.com/sites/crm' };

  beforeAll(async () => {
    sandbox = await startCrmSandbox();
  });
  afterAll(async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, undefined);
    await sandbox.close();
  });

  it('reads nothing, and no problem, when the property is not set', async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, undefined);
    expect(await readTenantSettings(sandbox.sp)).toEqual({});
  });

  it('reads the settings a tenant admin stored', async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify(value));
    expect(await readTenantSettings(sandbox.sp)).toEqual({ settings: value });
  });

  it('names the key and the field of a property that cannot be used', async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, '{gatewayUrl: https://x}');
    expect((await readTenantSettings(sandbox.sp)).problem).toMatch(/^The tenant property ExactCrmConnector is not JSON/);
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify({ ...value, gatewayUrl: 'exact-gateway.azurewebsites.net' }));
    expect(await readTenantSettings(sandbox.sp)).toMatchObject({ problem: expect.stringMatching(/^The tenant property ExactCrmConnector: gatewayUrl must be an absolute URL/), problemParts: { kind: 'invalid', field: 'gatewayUrl' } });
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify({ gatewayUrl: value.gatewayUrl, gatewayResource: value.gatewayResource }));
    expect((await readTenantSettings(sandbox.sp)).problem).toMatch(/^The tenant property ExactCrmConnector: crmSiteUrl Required/);
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify({ ...value, gatewayURL: value.gatewayUrl }));
    expect((await readTenantSettings(sandbox.sp)).problem).toMatch(/Unrecognized key.*gatewayURL/);
  });

  it('refuses plain http off the loopback for both URLs, naming the field, and takes the loopback (the sandbox, a developer\'s gateway)', async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify({ ...value, gatewayUrl: 'http://exact-gateway.azurewebsites.net/gateway' }));
    expect(await readTenantSettings(sandbox.sp)).toMatchObject({
      problem: 'The tenant property ExactCrmConnector: gatewayUrl must use https:// (plain http:// only on localhost or 127.0.0.1), such as https://<func>.azurewebsites.net/gateway.',
    });
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify({ ...value, crmSiteUrl: 'http://contoso.sharepoint.com/sites/crm' }));
    expect((await readTenantSettings(sandbox.sp)).problem).toMatch(/^The tenant property ExactCrmConnector: crmSiteUrl must use https:\/\//);
    const loopback = { ...value, gatewayUrl: 'http://127.0.0.1:4321/gateway', crmSiteUrl: 'http://localhost:4321/sites/crm' };
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify(loopback));
    expect(await readTenantSettings(sandbox.sp)).toEqual({ settings: loopback });
  });

  it('says when the property cannot be read at all', async () => {
    const unreachable = await startCrmSandbox();
    const sp = unreachable.sp;
    await unreachable.close();
    expect((await readTenantSettings(sp)).problem).toMatch(/^The tenant property ExactCrmConnector could not be read: /);
  });

  it('reads once per site for all the components on a page', async () => {
    sandbox.control.setStorageEntity(tenantSettingsKey, JSON.stringify(value));
    sandbox.control.resetCounts();
    const site = `${sandbox.siteUrl}?once`;
    const [first, second] = await Promise.all([tenantSettingsOnce(site, () => sandbox.sp), tenantSettingsOnce(site.toUpperCase(), () => sandbox.sp)]);
    expect(first).toEqual({ settings: value });
    expect(second).toBe(first);
    expect(sandbox.control.counts().total).toBe(1);
  });
});

describe('withTenantSettings', () => {
  const tenant = { gatewayUrl: 'https://gw.example/gateway', gatewayResource: 'api://gw', crmSiteUrl: 'https://contoso.sharepoint.com/sites/crm' };

  it('fills each empty field from the tenant and keeps what the component set', () => {
    expect(withTenantSettings({ gatewayUrl: '', gatewayResource: ' ', crmSiteUrl: undefined, companyId: '7' }, tenant)).toEqual({ ...tenant, companyId: '7' });
    expect(withTenantSettings({ gatewayUrl: '', gatewayResource: '', crmSiteUrl: 'https://own/sites/crm' }, tenant)).toEqual({ ...tenant, crmSiteUrl: 'https://own/sites/crm' });
  });

  it('never pairs a gateway URL from the component with a resource from the tenant (two gateways)', () => {
    const half = withTenantSettings({ gatewayUrl: 'https://own/gateway', gatewayResource: '' }, tenant);
    expect(half).toMatchObject({ gatewayUrl: 'https://own/gateway', gatewayResource: '' });
    expect(isConfigured(half)).toBe(false);
    expect(isConfigured(withTenantSettings({}, undefined))).toBe(false);
    expect(isConfigured(withTenantSettings({}, tenant))).toBe(true);
  });

  it('needsTenantSettings: a field is empty (readsTenantSettings also checks an own gateway, tests/unit/gatewayPinning.test.ts)', () => {
    expect(needsTenantSettings(tenant)).toBe(false);
    expect(needsTenantSettings({ ...tenant, crmSiteUrl: '' })).toBe(true);
    expect(needsTenantSettings({})).toBe(true);
  });
});
