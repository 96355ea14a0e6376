/**
 * App-only access, as SharePoint Online gives it to an Entra app with **Sites.Selected**: a bearer
 * token from the identity provider (client credentials, certificate) is accepted only for a site
 * granted to that app (`POST /v1.0/sites/{site-id}/permissions`, Graph's shape, `graph.ts`); a
 * token the app got with a client secret is refused ("Unsupported app only token."), as
 * SharePoint refuses them for REST; every other failure gets SharePoint's 401 or 403 with its
 * headers. What the app writes carries the app as Author/Editor.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { SpError } from './errors';
import { accessCode } from './permissions';
import type { Site } from './site';
import type { AppGrant, SiteUser } from './state';

/** SharePoint Online's own app id: the `client_id` in its WWW-Authenticate challenge. */
export const sharePointPrincipal = '00000003-0000-0ff1-ce00-000000000000';

export interface AppAccessSettings {
  issuer: string;
  jwksUri: string;
  /** Audiences SharePoint takes: the tenant's SharePoint origin (`https://contoso.sharepoint.com`). */
  audiences: string[];
  tenantId: string;
}

const appClaimsSchema = z.object({
  tid: z.string(),
  appid: z.string(),
  appidacr: z.string().optional(),
  idtyp: z.string().optional(),
  roles: z.array(z.string()).default([]),
  scp: z.string().optional(),
});

/** The login name SharePoint gives an Entra app principal. */
export const appLoginName = (appId: string, tenantId: string): string => `i:0i.t|ms.sp.ext|${appId}@${tenantId}`;

/** 401 as SharePoint sends it to a bearer it does not take: JSON `error_description`, the challenge, and x-ms-diagnostics. */
function unauthorized(settings: AppAccessSettings, description: string, diagnostics: string): Response {
  return new Response(JSON.stringify({ error_description: description }), {
    status: 401,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': `Bearer realm="${settings.tenantId}",client_id="${sharePointPrincipal}",trusted_issuers="00000001-0000-0000-c000-000000000000@*,https://sts.windows.net/*/,https://login.microsoftonline.com/*/v2.0,${sharePointPrincipal}@90140122-8516-11e1-8eff-49304924019b",authorization_uri="https://login.windows.net/common/oauth2/authorize"`,
      'x-ms-diagnostics': diagnostics,
    },
  });
}

/** What SharePoint answers an app with a valid token but no grant on this site. */
export const unauthorizedOperation = (): SpError => new SpError(403, accessCode, 'Attempted to perform an unauthorized operation.');

export type AppCaller = { user: SiteUser; grant: AppGrant } | { refused: Response } | { forbidden: SpError };

export function createAppAccess(deps: { site: Site; clock: Clock; settings: () => AppAccessSettings; fetchImpl?: typeof fetch }) {
  let jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

  /** The app calling with `Authorization: Bearer …`, or SharePoint's refusal. */
  const caller = async (authorization: string): Promise<AppCaller> => {
    const s = deps.settings();
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    if (jwks?.uri !== s.jwksUri) jwks = { uri: s.jwksUri, set: createRemoteJWKSet(new URL(s.jwksUri), { [customFetch]: deps.fetchImpl ?? fetch }) };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, jwks.set, { issuer: s.issuer, audience: s.audiences, algorithms: ['RS256'], currentDate: new Date(deps.clock.now()), clockTolerance: 300 }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        return { refused: unauthorized(s, 'Invalid JWT token. The token is expired.', '3000006;reason="Token expired.";category="invalid_client"') };
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        return { refused: unauthorized(s, 'Invalid audience Uri.', '3000003;reason="Invalid audience Uri.";category="invalid_client"') };
      }
      return { refused: unauthorized(s, 'Invalid issuer or signature.', '3000006;reason="Token contains invalid signature.";category="invalid_client"') };
    }
    const claims = appClaimsSchema.safeParse(payload);
    if (!claims.success || claims.data.tid !== s.tenantId) {
      return { refused: unauthorized(s, 'Invalid issuer or signature.', '3000006;reason="Token contains invalid signature.";category="invalid_client"') };
    }
    const { appid, appidacr, idtyp, roles, scp } = claims.data;
    if (idtyp !== 'app' || scp !== undefined) {
      return { refused: unauthorized(s, 'Unsupported security token.', '3001000;reason="There has been an error authenticating the request.";category="invalid_client"') };
    }
    // SharePoint REST takes app-only tokens only from a certificate (appidacr 2), never a client secret.
    if (appidacr !== '2') {
      return { refused: unauthorized(s, 'Unsupported app only token.', '3001000;reason="There has been an error authenticating the request.";category="invalid_client"') };
    }
    const grant = deps.site.state.appGrants.find((g) => g.appId === appid);
    const tenantWide = roles.some((r) => r === 'Sites.FullControl.All' || r === 'Sites.Manage.All' || r === 'Sites.ReadWrite.All' || r === 'Sites.Read.All');
    if (!grant || (!roles.includes('Sites.Selected') && !tenantWide)) return { forbidden: unauthorizedOperation() };
    const user = deps.site.userById(grant.principalId);
    if (!user) return { forbidden: unauthorizedOperation() };
    return { user, grant };
  };

  return { caller };
}

/** Grants (or replaces the roles of) an app on the site; the app becomes a principal of the site. */
export function grantApp(site: Site, input: { appId: string; displayName: string; roles: AppGrant['roles']; tenantId: string }): AppGrant {
  const login = appLoginName(input.appId, input.tenantId);
  let user = site.state.users.find((u) => u.LoginName.toLowerCase() === login.toLowerCase());
  if (!user) {
    user = { Id: Math.max(...site.state.users.map((u) => u.Id), 10) + 1, Title: input.displayName, EMail: '', LoginName: login };
    site.state.users.push(user);
  }
  user.Title = input.displayName;
  const id = Buffer.from(`i:0i.t|ms.sp.ext|${input.appId}@${input.tenantId}`, 'utf8').toString('base64');
  const grant: AppGrant = { id, appId: input.appId, displayName: input.displayName, roles: input.roles, principalId: user.Id };
  site.state.appGrants = [...site.state.appGrants.filter((g) => g.appId !== input.appId), grant];
  site.siteChanged();
  return grant;
}

/** Removes an app's grant: its next request is refused. The principal stays (items keep their Author). */
export function revokeApp(site: Site, grantId: string): boolean {
  const before = site.state.appGrants.length;
  site.state.appGrants = site.state.appGrants.filter((g) => g.id !== grantId);
  site.siteChanged();
  return site.state.appGrants.length < before;
}
