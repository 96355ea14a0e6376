import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTarget } from '../../src/sync/read/prepare';
import { defaultProfiles } from '../../src/sync/profile/defaults';
import { ProfileService } from '../../src/sync/service';
import { createCrmTarget } from '../../src/crm/crmList';
import { createCrmSp, siteContext } from '../../src/crm/pnp';
import { provisionCrm } from '../../src/crm/provision';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';
import { MemoryProfileStore } from '../support/memoryStores';
import { seededExact } from '../support/memoryExact';

/** Only a 404 means "the list does not exist"; no access, throttling and no network are reported as such. */
describe('opening a CRM list through PnPjs', () => {
  let sandbox: CrmSandbox;
  let denying: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startCrmSandbox();
    expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
    // A site that refuses the caller, as SharePoint does for an expired or missing sign-in.
    denying = await startSandbox(
      [() => ({ prefix: '/sites/crm', describe: () => [], handler: async () => new Response('{"error_description":"Invalid JWT token. The token is expired."}', { status: 401, headers: { 'content-type': 'application/json' } }) })],
      { port: 0 },
    );
  });
  afterAll(async () => {
    await sandbox.close();
    await denying.close();
  });

  const target = (siteUrl: string) => createCrmTarget(createCrmSp(siteContext(siteUrl), siteUrl));

  it('404: the list does not exist, and the profile check says so', async () => {
    expect(await openTarget(target(sandbox.siteUrl), 'Klanten')).toBeUndefined();
    expect((await openTarget(target(sandbox.siteUrl), 'Companies'))?.title).toBe('Companies');
    const service = new ProfileService({ profiles: new MemoryProfileStore([]), exact: seededExact(), crm: target(sandbox.siteUrl) });
    expect(await service.check({ ...defaultProfiles(1)[0], targetList: 'Klanten' })).toEqual([expect.objectContaining({ path: 'targetList', message: 'CRM list "Klanten" does not exist' })]);
  });

  it('401: no access is an error saying so, not a missing list', async () => {
    await expect(openTarget(target(`${denying.url}/sites/crm`), 'Companies')).rejects.toThrow(
      /^Opening CRM list "Companies" failed \(401\): SharePoint answered 401: .*token is expired/,
    );
    const service = new ProfileService({ profiles: new MemoryProfileStore([]), exact: seededExact(), crm: target(`${denying.url}/sites/crm`) });
    await expect(service.check(defaultProfiles(1)[0])).rejects.toThrow('(401)');
  });

  it('429: still throttled after PnPjs retried is reported as throttling', async () => {
    sandbox.control.resetCounts();
    sandbox.control.throttle({ everyNth: 1, retryAfterSeconds: 0 });
    try {
      await expect(openTarget(target(sandbox.siteUrl), 'Companies')).rejects.toThrow(/^Opening CRM list "Companies" failed \(429\): The request has been throttled/);
    } finally {
      sandbox.control.clearThrottle();
    }
    expect(sandbox.control.counts()).toMatchObject({ total: 3, throttled: 3 });
  });

  it('no network: the site cannot be reached', async () => {
    const gone = await startSandbox([], { port: 0 });
    const url = `${gone.url}/sites/crm`;
    await gone.close();
    await expect(openTarget(target(url), 'Companies')).rejects.toThrow(/^Opening CRM list "Companies" failed: SharePoint could not be reached: fetch failed \(ECONNREFUSED\)/);
  });
});
