/**
 * The sign-in endpoint and "who is this request from": the FedAuth session, or for a caller
 * without any cookie the default user when the site does not require sign-in (Node tests).
 */
import type { Clock } from '../../src/sync/clock';
import { SpCodes, SpError } from './errors';
import { noAccess } from './permissions';
import { userEntity } from './principals';
import type { ApiRequest } from './request';
import { clearSessionCookie, cookieValue, idTokenVerifier, setSessionCookie, signInToken, type Session, type Sessions, type SignInSettings } from './sessions';
import { SITE_PATH, type Site } from './site';
import type { SiteUser } from './state';

/** The sandbox-only sign-in endpoint (POST signs in with an ID token, GET says who, DELETE signs out). */
export const SESSION_PATH = `${SITE_PATH}/_api/sandbox/session`;

export interface SignInDeps {
  site: Site;
  sessions: Sessions;
  clock: Clock;
  webUrl: () => string;
  requireSignIn: boolean;
  defaultUser: string;
  settings: () => SignInSettings;
}

export function createSignIn(deps: SignInDeps) {
  const { site, sessions, requireSignIn, defaultUser, webUrl } = deps;
  const verifyIdToken = idTokenVerifier(deps.settings, deps.clock);

  const signedInUser = (email: string, name?: string): SiteUser => {
    const user = site.ensureUser(email);
    // The user information list follows the directory profile, as SharePoint's profile sync does.
    if (name && user.Title !== name) {
      user.Title = name;
      site.siteChanged();
    }
    return user;
  };

  const userResponse = (user: SiteUser, url: URL, headers: Record<string, string> = {}): Response => {
    const req: ApiRequest = { site, webUrl: webUrl(), url, method: 'GET', headers: new Headers(), body: new Uint8Array(), dialect: 'nometadata' };
    const entity = userEntity(req, user);
    return Response.json(entity.props, { headers });
  };

  /** POST {@link SESSION_PATH} with the IdP's ID token sets the FedAuth cookie; GET says who; DELETE signs out. */
  const sessionEndpoint = async (request: Request, method: string, url: URL, body: Uint8Array): Promise<Response> => {
    const current = sessions.fromCookie(request.headers.get('cookie'));
    if (method === 'POST') {
      const token = signInToken(request.headers.get('content-type'), new TextDecoder().decode(body));
      const claims = await verifyIdToken(token, url.host);
      const user = signedInUser(claims.preferred_username, claims.name);
      if (current) sessions.end(current);
      const session = sessions.create(user.Id);
      return userResponse(user, url, { 'set-cookie': setSessionCookie(session.id) });
    }
    if (method === 'DELETE') {
      if (current) sessions.end(current);
      return new Response(null, { status: 204, headers: { 'set-cookie': clearSessionCookie } });
    }
    if (method === 'GET') {
      const user = current ? site.userById(current.userId) : undefined;
      if (!user) throw signInNeeded();
      return userResponse(user, url);
    }
    throw new SpError(405, SpCodes.notSupported, `${method} is not supported on the sign-in endpoint.`);
  };

  const signInNeeded = (): SpError => {
    const error = noAccess(401);
    Object.assign(error.headers, { 'WWW-Authenticate': `Bearer realm="${deps.settings().tenantId}",client_id="00000003-0000-0ff1-ce00-000000000000"` });
    return error;
  };

  /** The signed-in user; a cookie-less caller acts as the default user unless sign-in is required; a stale cookie never does. */
  const caller = (request: Request): { user: SiteUser; session?: Session } => {
    const header = request.headers.get('cookie');
    const session = sessions.fromCookie(header);
    const user = session ? site.userById(session.userId) : undefined;
    if (session && user) return { user, session };
    if (requireSignIn || cookieValue(header) !== undefined) throw signInNeeded();
    const fallback = site.state.users.find((u) => u.EMail.toLowerCase() === defaultUser.toLowerCase());
    if (!fallback) throw new SpError(500, SpCodes.generic, `The default user ${defaultUser} is not a user of the site.`);
    return { user: fallback };
  };

  const digestAccepted = (request: Request, session: Session | undefined): boolean => {
    const digest = request.headers.get('x-requestdigest');
    if (session) return sessions.digestValid(session, digest);
    return request.headers.has('authorization') || /^0x[0-9A-F]+,/i.test(digest ?? '');
  };

  return { sessionEndpoint, caller, digestAccepted, signedInUser };
}
