/**
 * The product as `npm start` serves it (startProduct with a data folder: the connector's own
 * SharePoint app registered and granted the CRM site, the gateway's timer and queue in the
 * process, on the real clock): the admin connects Exact and sets Companies to every 15 minutes
 * with "run on changes"; an account edited in the Exact stand-in reaches the CRM list with no
 * page open, the run started by "a change in Exact".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spfi, SPFx } from '@pnp/sp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type RunningProduct } from '../../sandbox/product';
import { demoUsers, sandboxApiAudience } from '../../sandbox/idp/users';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { incomingWebhookPosts } from '../../sandbox/teams/incomingWebhook';
import { siteContext } from '../../src/crm/pnp';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import { defaultProfiles } from '../../src/sync';
import { connectExact, signInTokens } from '../support/gatewayHarness';

describe('npm start: run on changes with no page open', () => {
  let product: RunningProduct;
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-background-'));
  beforeAll(async () => {
    product = await startProduct({ port: 0, dataDir, env: { SANDBOX_ACCOUNTS: '40' } });
  }, 60_000);
  afterAll(async () => {
    await product?.sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an account edited in Exact reaches the CRM by itself, started by the change', async () => {
    const url = product.sandbox.url;
    const h = { url: (path: string) => `${url}${path}`, idp: { audience: sandboxApiAudience }, exact: product.exact };
    const admin = (await signInTokens(h, demoUsers.admin)).access_token;
    await connectExact(h, admin);
    const siteUrl = `${url}/sites/crm`;
    const owner = product.sharePoint.sessionCookieFor('admin@contoso.test');
    const store = createSharePointProfileStore(spfi(siteUrl).using(SPFx(siteContext(siteUrl)), SessionCookie(siteUrl, owner)));
    const division = product.exact.divisions[0]!.code;
    for (const profile of defaultProfiles(division)) await store.save(profile);
    const saved = await fetch(`${url}/gateway/background/schedules/companies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteUrl, profileName: 'Companies', topic: 'Accounts', division, spec: { cadence: { kind: 'minutes', minutes: 15 }, runOnChanges: true } }),
    });
    expect(saved.status).toBe(200);
    await product.exact.settleWebhooks();

    const id = String(product.exact.records(division, 'Accounts')[2]!.ID);
    product.exact.updateRecord(division, 'Accounts', id, { City: 'Zwartsluis' });
    const item = () => product.sharePoint.items('Companies').find((x) => String(x.values.ExactId).toLowerCase() === id.toLowerCase());
    // Waits for the debounce window and the run, with nothing but the gateway's own timers at work.
    for (let waited = 0; item()?.values.City !== 'Zwartsluis' && waited < 120; waited++) await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(item()?.values.City).toBe('Zwartsluis');
    expect(product.sharePoint.items('Companies')).toHaveLength(40);
    // The item is written before the run ends; its end is recorded a moment later.
    const lastResult = async () => ((await (await fetch(`${url}/gateway/background/schedules`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { schedules: Array<{ lastResult?: unknown }> }).schedules[0]?.lastResult;
    for (let waited = 0; (await lastResult()) === undefined && waited < 60; waited++) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lastResult()).toMatchObject({ outcome: 'finished', status: 'Completed', trigger: { kind: 'exactChange', topic: 'Accounts' } });

    // A background run that fails is posted to the Teams channel the admin set (the stand-in records it).
    const put = (path: string, body: unknown) => fetch(`${url}/gateway${path}`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('/background/settings', { teamsWebhookUrl: `${url}/teams/webhook/crm-admins` })).status).toBe(200);
    expect((await put('/background/schedules/deleted-profile', { siteUrl, profileName: 'Deleted profile', topic: 'Accounts', division, spec: { cadence: { kind: 'off' }, runOnChanges: true } })).status).toBe(200);
    product.exact.updateRecord(division, 'Accounts', id, { City: 'Kampen' });
    for (let waited = 0; incomingWebhookPosts('crm-admins').length === 0 && waited < 120; waited++) await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(JSON.stringify(incomingWebhookPosts('crm-admins'))).toContain('Import profile Deleted profile: background run failed');
  }, 240_000);
});
