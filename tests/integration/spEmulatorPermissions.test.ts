import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionKind } from '@pnp/sp/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { contosoTenantId, demoUsers, sandboxClientId, type DemoUser } from '../../sandbox/idp';
import { startSandbox } from '../../sandbox/server';
import { SESSION_PATH, sharePointEmulator } from '../../sandbox/sharepoint';
import { signInTokens } from '../support/gatewayHarness';
import { startSp } from '../support/spEmulatorHelpers';
import { postSession, signInToSite, spAs, startSpWithIdp, type SpSignInHarness } from '../support/spSessions';

const accessDenied = { 'odata.error': { code: '-2147024891, System.UnauthorizedAccessException', message: { lang: 'en-US', value: 'Access denied.' } } };
const noAccess = {
  'odata.error': {
    code: '-2147024891, System.UnauthorizedAccessException',
    message: { lang: 'en-US', value: 'Access denied. You do not have permission to perform this action or access this resource.' },
  },
};

/** The error body PnPjs saw (HttpRequestError keeps the Response). */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await promise.then(() => undefined, (e: unknown) => e as { status: number; response: Response });
  if (!error) throw new Error('expected the request to be refused');
  return { status: error.status, body: await error.response.clone().json() };
}

describe('SharePoint emulator: who is calling', () => {
  let h: SpSignInHarness;
  let adminCookie: string;
  let salesCookie: string;

  beforeAll(async () => {
    h = await startSpWithIdp({ requireSignIn: true });
    adminCookie = await signInToSite(h, demoUsers.admin);
    salesCookie = await signInToSite(h, demoUsers.sales);
    // What npm start does, as the site owner.
    await provisionCrm(spAs(h.siteUrl, adminCookie));
  });
  afterAll(async () => h.sandbox.close());

  it('signs in with the identity provider\'s ID token and sets an HttpOnly FedAuth session cookie', async () => {
    const { id_token } = await signInTokens(h, demoUsers.admin);
    const answer = await postSession(h, id_token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('set-cookie')).toMatch(/^FedAuth=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await answer.json()).toMatchObject({ Email: 'admin@contoso.test', LoginName: 'i:0#.f|membership|admin@contoso.test', Title: 'Anna Admin', IsSiteAdmin: true });
    // The form post an OIDC form_post would make is accepted too.
    const form = await fetch(h.url(SESSION_PATH), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ id_token }) });
    expect(form.status).toBe(200);
  });

  it('refuses an ID token that is forged, for another client or expired', async () => {
    const { id_token } = await signInTokens(h, demoUsers.sales);
    const [head, payload] = id_token.split('.');
    const forged = await postSession(h, `${head}.${payload}.${'A'.repeat(342)}`);
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const otherClient = await postSession(h, await h.idp.issueIdToken(demoUsers.sales, 'some-other-app'));
    expect(await otherClient.json()).toMatchObject({ 'odata.error': { message: { value: expect.stringContaining('claim aud is not valid') } } });
    h.clock.advance(2 * 3600 * 1000);
    const expired = await postSession(h, id_token);
    h.clock.advance(-2 * 3600 * 1000);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ 'odata.error': { message: { value: expect.stringContaining('expired') } } });
  });

  it('refuses the other tenant\'s admin: the site is contoso\'s', async () => {
    const { id_token } = await signInTokens(h, demoUsers.otherTenantAdmin);
    const answer = await postSession(h, id_token);
    expect(answer.status).toBe(403);
    expect(answer.headers.get('set-cookie')).toBeNull();
    expect(await answer.json()).toMatchObject({
      'odata.error': { code: '-2147024891, System.UnauthorizedAccessException', message: { value: expect.stringMatching(/^We're sorry, but admin@fabrikam\.test can't be found in the 127\.0\.0\.1:\d+ directory\./) } },
    });
  });

  it('adds a person to the site users on their first sign-in', async () => {
    const newHire: DemoUser = { username: 'nina.new@contoso.test', password: '-', name: 'Nina New', oid: 'a0000000-0000-4000-8000-00000000n001', tid: contosoTenantId, roles: [] };
    expect(h.control.list('Companies')).toBeDefined();
    const before = await spAs(h.siteUrl, adminCookie).web.siteUsers();
    expect(before.some((u) => u.Email === newHire.username)).toBe(false);
    const answer = await postSession(h, await h.idp.issueIdToken(newHire, sandboxClientId));
    expect(answer.status).toBe(200);
    const added = await spAs(h.siteUrl, adminCookie).web.siteUsers.getByEmail(newHire.username)();
    expect(added).toMatchObject({ Title: 'Nina New', Email: newHire.username, LoginName: `i:0#.f|membership|${newHire.username}`, IsSiteAdmin: false });
    // In no group of the site: signed in, but SharePoint lets them nowhere.
    const cookie = /^(FedAuth=[^;]+)/.exec(answer.headers.get('set-cookie') ?? '')![1];
    const web = await fetch(`${h.siteUrl}/_api/web`, { headers: { accept: 'application/json', cookie } });
    expect(web.status).toBe(403);
    expect(await web.json()).toEqual(noAccess);
  });

  it('answers currentuser and the site groups for the signed-in user', async () => {
    const sales = spAs(h.siteUrl, salesCookie);
    expect(await sales.web.currentUser()).toMatchObject({ Email: 'sales@contoso.test', Title: 'Sam Sales', LoginName: 'i:0#.f|membership|sales@contoso.test', IsSiteAdmin: false });
    expect(await spAs(h.siteUrl, adminCookie).web.currentUser()).toMatchObject({ Email: 'admin@contoso.test', IsSiteAdmin: true });
    expect((await sales.web.siteGroups()).map((g) => g.Title).sort()).toEqual(['CRM Members', 'CRM Owners', 'CRM Visitors']);
    expect((await sales.web.associatedOwnerGroup.users()).map((u) => u.Email)).toEqual(['admin@contoso.test']);
    expect((await sales.web.associatedMemberGroup.users()).map((u) => u.Email)).toEqual(['sales@contoso.test']);
    expect(await sales.web.associatedVisitorGroup.users()).toEqual([]);
    const members = await sales.web.associatedMemberGroup();
    expect((await sales.web.siteGroups.getById(members.Id).users()).map((u) => u.Email)).toEqual(['sales@contoso.test']);
    expect((await sales.web.currentUser.groups()).map((g) => g.Title)).toEqual(['CRM Members']);
  });

  it('answers permission questions with SharePoint\'s bits, through PnPjs', async () => {
    const admin = spAs(h.siteUrl, adminCookie);
    const sales = spAs(h.siteUrl, salesCookie);
    expect(await admin.web.currentUserHasPermissions(PermissionKind.ManageWeb)).toBe(true);
    expect(await sales.web.currentUserHasPermissions(PermissionKind.ManageWeb)).toBe(false);
    expect(await sales.web.currentUserHasPermissions(PermissionKind.AddListItems)).toBe(true);
    expect(await sales.web.currentUserHasPermissions(PermissionKind.ManageLists)).toBe(false);
    // The Contribute permission level, as SharePoint Online reports it.
    expect(await sales.web.getCurrentUserEffectivePermissions()).toMatchObject({ High: '432', Low: '1011028719' });
    expect(await admin.web.getCurrentUserEffectivePermissions()).toMatchObject({ High: '2147483647', Low: '4294967295' });

    const profilesAsSales = sales.web.lists.getByTitle(CRM_LISTS.importProfiles);
    expect(await profilesAsSales.currentUserHasPermissions(PermissionKind.EditListItems)).toBe(false);
    expect(await profilesAsSales.currentUserHasPermissions(PermissionKind.ViewListItems)).toBe(true);
    expect(await profilesAsSales.getCurrentUserEffectivePermissions()).toMatchObject({ High: '176', Low: '138612833' }); // Read
    expect(await admin.web.lists.getByTitle(CRM_LISTS.importProfiles).currentUserHasPermissions(PermissionKind.EditListItems)).toBe(true);
    expect(await sales.web.lists.getByTitle(CRM_LISTS.companies).currentUserHasPermissions(PermissionKind.EditListItems)).toBe(true);
    expect(await sales.web.lists.getByTitle(CRM_LISTS.runLogs).currentUserHasPermissions(PermissionKind.AddListItems)).toBe(false);

    expect(await admin.web.lists.getByTitle(CRM_LISTS.syncRuns).select('HasUniqueRoleAssignments')()).toMatchObject({ HasUniqueRoleAssignments: true });
    expect(await admin.web.lists.getByTitle(CRM_LISTS.companies).select('HasUniqueRoleAssignments')()).toMatchObject({ HasUniqueRoleAssignments: false });

    // Owners may ask about anyone; a Contribute user may not even ask about themselves (PnPjs issue #259).
    expect(await admin.web.userHasPermissions('i:0#.f|membership|sales@contoso.test', PermissionKind.DeleteListItems)).toBe(true);
    expect(await admin.web.lists.getByTitle(CRM_LISTS.importProfiles).userHasPermissions('i:0#.f|membership|sales@contoso.test', PermissionKind.EditListItems)).toBe(false);
    expect(await refusal(sales.web.getUserEffectivePermissions('i:0#.f|membership|sales@contoso.test'))).toEqual({ status: 403, body: noAccess });

    const ask = async (path: string, mask: { High: number; Low: number }) => {
      const url = `${h.siteUrl}/_api/${path}/doesUserHavePermissions(@v)?@v=${encodeURIComponent(`{'High':'${mask.High}','Low':'${mask.Low}'}`)}`;
      const answer = await fetch(url, { headers: { accept: 'application/json;odata=nometadata', cookie: salesCookie } });
      return ((await answer.json()) as { value: boolean }).value;
    };
    expect(await ask('web', { High: 432, Low: 1011028719 })).toBe(true);
    expect(await ask('web', { High: 0, Low: 2048 })).toBe(false); // ManageLists
    expect(await ask(`web/lists/getByTitle('${CRM_LISTS.importProfiles}')`, { High: 0, Low: 4 })).toBe(false); // EditListItems
    expect(await ask(`web/lists/getByTitle('${CRM_LISTS.companies}')`, { High: 0, Low: 4 })).toBe(true);
  });

  it('refuses the sales user\'s writes to owner-only lists with SharePoint\'s 403, and lets the owner write', async () => {
    const sales = spAs(h.siteUrl, salesCookie);
    const profiles = sales.web.lists.getByTitle(CRM_LISTS.importProfiles);
    expect(await refusal(profiles.items.add({ Title: 'Mine', ProfileId: 'sales-1' }))).toEqual({ status: 403, body: accessDenied });
    expect(await refusal(sales.web.lists.getByTitle(CRM_LISTS.syncRuns).items.add({ Title: 'run' }))).toEqual({ status: 403, body: accessDenied });
    expect(h.control.items(CRM_LISTS.importProfiles)).toHaveLength(0);

    const added = await spAs(h.siteUrl, adminCookie).web.lists.getByTitle(CRM_LISTS.importProfiles).items.add({ Title: 'Nightly', ProfileId: 'p-1' });
    expect(await refusal(profiles.items.getById(added.Id).update({ Title: 'Hijacked' }))).toEqual({ status: 403, body: accessDenied });
    expect(await refusal(profiles.items.getById(added.Id).delete())).toEqual({ status: 403, body: accessDenied });
    expect(await profiles.items.getById(added.Id)()).toMatchObject({ Title: 'Nightly' }); // members still read it

    const company = await sales.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: 'Sales Co', ExactId: 'e-1' });
    const salesUser = await sales.web.currentUser();
    expect(h.control.items(CRM_LISTS.companies).find((i) => i.Id === company.Id)).toMatchObject({ AuthorId: salesUser.Id, EditorId: salesUser.Id });
    // Managing lists is for owners too (PnPjs asks for odata=verbose here, so the error comes as `error`).
    expect(await refusal(sales.web.lists.getByTitle(CRM_LISTS.companies).fields.addText('Nickname'))).toEqual({ status: 403, body: { error: accessDenied['odata.error'] } });
  });

  it('answers each part of a $batch on its own: 403 for the part the user has no right to', async () => {
    const [batched, execute] = spAs(h.siteUrl, salesCookie).batched();
    const settle = (p: Promise<unknown>) => p.then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, value: error }));
    const profile = settle(batched.web.lists.getByTitle(CRM_LISTS.importProfiles).items.add({ Title: 'Batched', ProfileId: 'b-1' }));
    const company = settle(batched.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: 'Batched Co', ExactId: 'b-2' }));
    await execute();
    const refused = await profile;
    expect(refused).toMatchObject({ ok: false, value: { status: 403 } });
    expect(await (refused.value as { response: Response }).response.json()).toEqual(accessDenied);
    expect(await company).toMatchObject({ ok: true, value: { Title: 'Batched Co' } });
    expect(h.control.items(CRM_LISTS.importProfiles).some((i) => i.values.ProfileId === 'b-1')).toBe(false);
  });

  it('binds the form digest to the session: another session\'s digest is refused', async () => {
    const digestOf = async (cookie: string) => {
      const info = await fetch(`${h.siteUrl}/_api/contextinfo`, { method: 'POST', headers: { accept: 'application/json', cookie } });
      return ((await info.json()) as { FormDigestValue: string }).FormDigestValue;
    };
    const add = (cookie: string, digest: string) => fetch(`${h.siteUrl}/_api/web/lists/getByTitle('Companies')/items`, {
      method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json', cookie, 'x-requestdigest': digest }, body: JSON.stringify({ Title: 'Digest Co' }),
    });
    const adminDigest = await digestOf(adminCookie);
    const stolen = await add(salesCookie, adminDigest);
    expect(stolen.status).toBe(403);
    expect(await stolen.json()).toMatchObject({ 'odata.error': { message: { value: expect.stringContaining('The security validation for this page is invalid') } } });
    const own = await digestOf(salesCookie);
    expect((await add(salesCookie, own)).status).toBe(201);
    h.clock.advance(31 * 60 * 1000); // past FormDigestTimeoutSeconds (1800)
    expect((await add(salesCookie, own)).status).toBe(403);
    h.clock.advance(-31 * 60 * 1000);
  });

  it('refuses a request without a session cookie with SharePoint\'s 401, and signs out', async () => {
    const plain = await fetch(`${h.siteUrl}/_api/web`, { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(401);
    expect(await plain.json()).toEqual(noAccess);
    expect(plain.headers.get('www-authenticate')).toContain(`realm="${contosoTenantId}"`);

    const cookie = await signInToSite(h, demoUsers.sales);
    expect((await fetch(h.url(SESSION_PATH), { headers: { cookie } })).status).toBe(200);
    const out = await fetch(h.url(SESSION_PATH), { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^FedAuth=; Path=\/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970/);
    expect((await fetch(`${h.siteUrl}/_api/web`, { headers: { accept: 'application/json', cookie } })).status).toBe(401);
    expect((await fetch(h.url(SESSION_PATH), { headers: { cookie } })).status).toBe(401);
    // The other sessions of the same person are not affected.
    expect(await spAs(h.siteUrl, salesCookie).web.currentUser()).toMatchObject({ Email: 'sales@contoso.test' });
    // A session ends on its own after 8 hours.
    const later = h.control.sessionCookieFor('sales@contoso.test');
    h.clock.advance(9 * 3600 * 1000);
    const expired = await fetch(`${h.siteUrl}/_api/web`, { headers: { accept: 'application/json', cookie: later } });
    h.clock.advance(-9 * 3600 * 1000);
    expect(expired.status).toBe(401);
  });

  it('lets visitors read and nothing more; owners change list permissions through REST', async () => {
    h.control.addGroupMember('CRM Visitors', 'vera.visitor@contoso.test');
    const visitor = spAs(h.siteUrl, h.control.sessionCookieFor('vera.visitor@contoso.test'));
    expect((await visitor.web.currentUser.groups()).map((g) => g.Title)).toEqual(['CRM Visitors']);
    expect(await visitor.web.lists.getByTitle(CRM_LISTS.companies).currentUserHasPermissions(PermissionKind.ViewListItems)).toBe(true);
    expect(await refusal(visitor.web.lists.getByTitle(CRM_LISTS.companies).items.add({ Title: 'No', ExactId: 'v-1' }))).toEqual({ status: 403, body: accessDenied });

    const admin = spAs(h.siteUrl, adminCookie);
    const contacts = admin.web.lists.getByTitle(CRM_LISTS.contacts);
    await contacts.breakRoleInheritance(false);
    // Without copying, only the owner who broke the inheritance is left: the visitor no longer sees the list.
    await expect(visitor.web.lists.getByTitle(CRM_LISTS.contacts)()).rejects.toMatchObject({ status: 404 });
    expect((await visitor.web.lists()).map((l) => l.Title)).not.toContain(CRM_LISTS.contacts);
    await contacts.roleAssignments.add(4, 1073741826); // CRM Visitors → Read
    expect(await visitor.web.lists.getByTitle(CRM_LISTS.contacts).currentUserHasPermissions(PermissionKind.ViewListItems)).toBe(true);
    expect(await refusal(visitor.web.lists.getByTitle(CRM_LISTS.contacts).breakRoleInheritance(true))).toEqual({ status: 403, body: accessDenied });
    await contacts.resetRoleInheritance();
    expect(await contacts.select('HasUniqueRoleAssignments')()).toMatchObject({ HasUniqueRoleAssignments: false });
  });
});

describe('SharePoint emulator permissions on disk', () => {
  it('keeps groups and list permissions across a restart, and gives files from before permissions the defaults', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-permissions-'));
    try {
      const first = await startSp({ dataDir });
      await first.sp.web.lists.add(CRM_LISTS.runLogs, '', 101);
      await first.sp.web.lists.add(CRM_LISTS.companies, '', 100);
      first.control.setListPermissions(CRM_LISTS.companies, { 'CRM Owners': 'Full Control', 'CRM Visitors': 'Read' });
      first.control.addGroupMember('CRM Visitors', 'vera.visitor@contoso.test');
      await first.control.flush();
      await first.sandbox.close();

      const second = await startSp({ dataDir, requireSignIn: true });
      const asVisitor = spAs(second.siteUrl, second.control.sessionCookieFor('vera.visitor@contoso.test'));
      const asSales = spAs(second.siteUrl, second.control.sessionCookieFor('sales@contoso.test'));
      expect((await asVisitor.web.currentUser.groups()).map((g) => g.Title)).toEqual(['CRM Visitors']);
      expect(second.control.list(CRM_LISTS.companies)).toMatchObject({ HasUniqueRoleAssignments: true });
      await expect(asSales.web.lists.getByTitle(CRM_LISTS.companies)()).rejects.toMatchObject({ status: 404 });
      await second.sandbox.close();

      // A site.json written before permissions existed: no groups, no role assignments, no list flags.
      const file = join(dataDir, 'sharepoint', 'site.json');
      const old = JSON.parse(readFileSync(file, 'utf8')) as { groups?: unknown; webRoleAssignments?: unknown; lists: Record<string, unknown>[] };
      delete old.groups;
      delete old.webRoleAssignments;
      for (const list of old.lists) {
        delete list.HasUniqueRoleAssignments;
        delete list.roleAssignments;
      }
      writeFileSync(file, JSON.stringify(old));
      const third = await startSp({ dataDir, requireSignIn: true });
      const sales = spAs(third.siteUrl, third.control.sessionCookieFor('sales@contoso.test'));
      expect((await sales.web.currentUser.groups()).map((g) => g.Title)).toEqual(['CRM Members']);
      expect(await sales.web.lists.getByTitle(CRM_LISTS.runLogs).currentUserHasPermissions(PermissionKind.AddListItems)).toBe(false);
      expect(await sales.web.lists.getByTitle(CRM_LISTS.companies).currentUserHasPermissions(PermissionKind.AddListItems)).toBe(true);
      await third.sandbox.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('SharePoint emulator sign-in modes', () => {
  it('lets cookie-less callers act as the default user when sign-in is not required (existing tests)', async () => {
    const h = await startSpWithIdp();
    try {
      const me = await fetch(`${h.siteUrl}/_api/web/currentuser`, { headers: { accept: 'application/json;odata=nometadata' } });
      expect(await me.json()).toMatchObject({ Email: 'admin@contoso.test', IsSiteAdmin: true });
      // A stale cookie never falls back to the default user.
      expect((await fetch(`${h.siteUrl}/_api/web`, { headers: { cookie: 'FedAuth=gone' } })).status).toBe(401);
    } finally {
      await h.sandbox.close();
    }
  });

  it('says so when the identity provider\'s keys cannot be fetched', async () => {
    const h = await startSpWithIdp({ requireSignIn: true, signIn: { jwksUri: 'http://127.0.0.1:9/idp/jwks' } });
    try {
      const answer = await postSession(h, await h.idp.issueIdToken(demoUsers.admin, sandboxClientId));
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ 'odata.error': { message: { value: expect.stringContaining('http://127.0.0.1:9/idp/jwks could not be fetched') } } });
    } finally {
      await h.sandbox.close();
    }
  });

  it('requires sign-in in the npm-start part', async () => {
    const sandbox = await startSandbox([sharePointEmulator], {});
    try {
      const web = await fetch(`${sandbox.url}/sites/crm/_api/web`, { headers: { accept: 'application/json' } });
      expect(web.status).toBe(401);
      expect(await web.json()).toEqual(noAccess);
    } finally {
      await sandbox.close();
    }
  });
});
