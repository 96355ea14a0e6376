import '@pnp/sp/security';
import '@pnp/sp/site-groups/web';
import '@pnp/sp/site-users/web';
import { TestClock } from '../../src/sync/clock';
import { createCrmSp, siteContext, type SPFI } from '../../src/crm/pnp';
import { createIdentityProvider, type DemoUser, type IdentityProviderControl } from '../../sandbox/idp';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { createSharePointEmulator, SESSION_PATH, type SharePointControl, type SharePointEmulatorOptions } from '../../sandbox/sharepoint';
import { SessionCookie } from '../../sandbox/sharepoint/sessionCookie';
import { signInTokens } from './gatewayHarness';

export interface SpSignInHarness {
  sandbox: RunningSandbox;
  control: SharePointControl;
  idp: IdentityProviderControl;
  clock: TestClock;
  siteUrl: string;
  url: (path: string) => string;
}

/** The SharePoint emulator and the identity provider on one 127.0.0.1:0 server, as `npm start` mounts them. */
export async function startSpWithIdp(options: SharePointEmulatorOptions = {}): Promise<SpSignInHarness> {
  const clock = new TestClock(Date.UTC(2026, 10, 21, 12, 0, 0));
  let control: SharePointControl | undefined;
  let idp: IdentityProviderControl | undefined;
  const sandbox = await startSandbox(
    [
      async (context) => {
        const created = await createSharePointEmulator(context, options);
        control = created.control;
        return created.part;
      },
      async (context) => {
        const provider = await createIdentityProvider({ clock: context.clock, baseUrl: context.baseUrl });
        idp = provider.control;
        return { prefix: '/idp', describe: () => [], handler: provider.handler };
      },
    ],
    { clock },
  );
  return { sandbox, control: control!, idp: idp!, clock, siteUrl: `${sandbox.url}/sites/crm`, url: (path) => `${sandbox.url}${path}` };
}

/** Posts an ID token to the site's sign-in endpoint; returns the response (the FedAuth cookie is in Set-Cookie). */
export const postSession = (h: Pick<SpSignInHarness, 'url'>, idToken: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(h.url(SESSION_PATH), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ idToken }) });

/** Signs `user` in at the identity provider (login form, PKCE) and then at the site; returns the Cookie header value. */
export async function signInToSite(h: SpSignInHarness, user: DemoUser): Promise<string> {
  const { id_token } = await signInTokens(h, user);
  const answer = await postSession(h, id_token);
  const cookie = /^(FedAuth=[^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
  if (answer.status !== 200 || !cookie) throw new Error(`sign-in of ${user.username} failed: ${answer.status} ${await answer.text()}`);
  return cookie;
}

/** PnPjs for the site as the person behind `cookie` (from {@link signInToSite} or `control.sessionCookieFor`). */
export const spAs = (siteUrl: string, cookie: string): SPFI => createCrmSp(siteContext(siteUrl), siteUrl).using(SessionCookie(siteUrl, cookie));
