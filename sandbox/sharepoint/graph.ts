/**
 * The slice of Microsoft Graph an admin uses to give the connector's app its one site
 * (Sites.Selected): `GET /v1.0/sites/{hostname}:/sites/crm` for the site id, and
 * `GET|POST /v1.0/sites/{site-id}/permissions`, `GET|PATCH|DELETE …/permissions/{id}`. Only an
 * admin may call it: an app with Sites.FullControl.All, or a site admin signed in with the
 * delegated Sites.FullControl.All. Errors are Graph's `{"error":{"code","message"}}`.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { grantApp, revokeApp } from './appAccess';
import { isSiteAdmin } from './permissions';
import { SITE_PATH, type Site } from './site';
import type { AppGrant } from './state';

export const GRAPH_PATH = '/graph';
export const graphResource = 'https://graph.microsoft.com';

export interface GraphSettings {
  issuer: string;
  jwksUri: string;
  tenantId: string;
}

const graphError = (status: number, code: string, message: string): Response =>
  Response.json({ error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': crypto.randomUUID() } } }, { status });

const tokenSchema = z.object({
  tid: z.string(),
  idtyp: z.string().optional(),
  roles: z.array(z.string()).default([]),
  scp: z.string().optional(),
  preferred_username: z.string().optional(),
});

const roleSchema = z.enum(['read', 'write', 'manage', 'fullcontrol']);
const grantBodySchema = z.object({
  roles: z.array(roleSchema).min(1),
  grantedToIdentities: z.array(z.object({ application: z.object({ id: z.string().min(1), displayName: z.string().min(1) }) })).length(1).optional(),
  grantedToIdentitiesV2: z.array(z.object({ application: z.object({ id: z.string().min(1), displayName: z.string().min(1) }) })).length(1).optional(),
});
const patchBodySchema = z.object({ roles: z.array(roleSchema).min(1) });

function permissionEntity(grant: AppGrant) {
  const identity = [{ application: { id: grant.appId, displayName: grant.displayName } }];
  return { id: grant.id, roles: grant.roles, grantedToIdentities: identity, grantedToIdentitiesV2: identity };
}

export function createGraphHandler(deps: { site: Site; clock: Clock; settings: () => GraphSettings; siteHost: () => string }) {
  let jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;
  const siteId = (): string => `${deps.siteHost()},${deps.site.state.webId},${deps.site.state.webId}`;

  /** undefined when the caller is an admin; else Graph's refusal. */
  const refuseNonAdmin = async (request: Request): Promise<Response | undefined> => {
    const s = deps.settings();
    const header = request.headers.get('authorization') ?? '';
    if (!/^Bearer\s+\S+/i.test(header)) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (jwks?.uri !== s.jwksUri) jwks = { uri: s.jwksUri, set: createRemoteJWKSet(new URL(s.jwksUri), { [customFetch]: fetch }) };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(header.replace(/^Bearer\s+/i, ''), jwks.set, { issuer: s.issuer, audience: graphResource, currentDate: new Date(deps.clock.now()), clockTolerance: 300 }));
    } catch (error) {
      return graphError(401, 'InvalidAuthenticationToken', error instanceof errors.JWTExpired ? 'Access token has expired or is not yet valid.' : 'Access token validation failure. Invalid audience.');
    }
    const claims = tokenSchema.safeParse(payload);
    if (!claims.success || claims.data.tid !== s.tenantId) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    const { idtyp, roles, scp, preferred_username: username } = claims.data;
    if (idtyp === 'app') return roles.includes('Sites.FullControl.All') ? undefined : graphError(403, 'accessDenied', 'Access denied');
    const scopes = (scp ?? '').split(' ');
    const user = username ? deps.site.state.users.find((u) => u.EMail.toLowerCase() === username.toLowerCase()) : undefined;
    if (!scopes.includes('Sites.FullControl.All') || !user || !isSiteAdmin(deps.site.state, user)) return graphError(403, 'accessDenied', 'Access denied');
    return undefined;
  };

  const json = async (request: Request): Promise<unknown> => {
    try {
      return JSON.parse(await request.text());
    } catch {
      return undefined;
    }
  };

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname.slice(GRAPH_PATH.length));
    const refusal = await refuseNonAdmin(request);
    if (refusal) return refusal;
    const byPath = /^\/v1\.0\/sites\/([^/]+?):(\/sites\/[^:]+):?$/i.exec(path);
    if (byPath && request.method === 'GET') {
      if (byPath[2]!.toLowerCase() !== SITE_PATH) return graphError(404, 'itemNotFound', 'Requested site could not be found');
      return Response.json({ id: siteId(), name: 'crm', displayName: 'CRM', webUrl: `${url.origin}${SITE_PATH}` });
    }
    const match = /^\/v1\.0\/sites\/([^/]+)\/permissions(?:\/([^/]+))?$/i.exec(path);
    if (!match) return graphError(400, 'invalidRequest', `Resource not found for the segment '${path}'.`);
    if (match[1] !== siteId()) return graphError(404, 'itemNotFound', 'Requested site could not be found');
    const permissionId = match[2];
    const { site } = deps;
    if (!permissionId) {
      if (request.method === 'GET') return Response.json({ value: site.state.appGrants.map(permissionEntity) });
      if (request.method !== 'POST') return graphError(405, 'Request_BadRequest', `${request.method} is not allowed here.`);
      const body = grantBodySchema.safeParse(await json(request));
      const identity = body.success ? (body.data.grantedToIdentitiesV2 ?? body.data.grantedToIdentities)?.[0] : undefined;
      if (!body.success || !identity) return graphError(400, 'invalidRequest', 'Invalid request: roles (read, write, manage or fullcontrol) and grantedToIdentities[0].application {id, displayName} are required.');
      const grant = grantApp(site, { appId: identity.application.id, displayName: identity.application.displayName, roles: body.data.roles, tenantId: deps.settings().tenantId });
      return Response.json(permissionEntity(grant), { status: 201 });
    }
    const grant = site.state.appGrants.find((g) => g.id === permissionId);
    if (!grant) return graphError(404, 'itemNotFound', 'Item not found');
    if (request.method === 'GET') return Response.json(permissionEntity(grant));
    if (request.method === 'DELETE') {
      revokeApp(site, grant.id);
      return new Response(null, { status: 204 });
    }
    if (request.method === 'PATCH') {
      const body = patchBodySchema.safeParse(await json(request));
      if (!body.success) return graphError(400, 'invalidRequest', 'Invalid request: roles must be read, write, manage or fullcontrol.');
      return Response.json(permissionEntity(grantApp(site, { ...grant, roles: body.data.roles, tenantId: deps.settings().tenantId })));
    }
    return graphError(405, 'Request_BadRequest', `${request.method} is not allowed here.`);
  };
}
