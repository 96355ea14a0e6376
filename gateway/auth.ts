/**
 * Caller authentication: a Bearer access token (Entra ID in production, the sandbox identity
 * provider locally) checked against the issuer's JWKS for signature, issuer, audience, expiry
 * (by the Clock) and tenant.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Clock } from '../src/sync/clock';

/** Entra app roles of the gateway's app registration (assignment required): who may do what is in access/operations.ts. */
export const adminRole = 'Connector.Admin';
export const userRole = 'Connector.User';
/** The delegated scope the SPFx solution requests (`webApiPermissionRequests`). */
export const requiredScope = 'user_impersonation';

export interface Caller {
  tenantId: string;
  /** Entra object id: who asked (logs, fairness between callers). */
  userId: string;
  name: string;
  roles: string[];
  isAdmin: boolean;
}

export interface AuthSettings {
  issuer: string;
  /** Defaults to the discovery document's `jwks_uri` convention `${issuer}/discovery/v2.0/keys` is Entra's; give it explicitly. */
  jwksUri: string;
  audience: string | string[];
  /** Tenant ids (`tid`) allowed to call; `*` allows any tenant of the issuer (multi-tenant Entra apps use a per-tenant issuer instead). */
  allowedTenants: string[];
}

export class AuthError extends Error {
  public constructor(message: string, public readonly status: 401 | 403) {
    super(message);
  }
}

const claimsSchema = z.object({
  tid: z.string().min(1),
  oid: z.string().min(1).optional(),
  sub: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scp: z.string().optional(),
});

export interface Authenticator {
  authenticate(authorization: string | null): Promise<Caller>;
  verifyToken(token: string): Promise<Caller>;
}

export function createAuthenticator(settings: AuthSettings, clock: Clock, fetchImpl: typeof fetch = fetch): Authenticator {
  const jwks = createRemoteJWKSet(new URL(settings.jwksUri), { [customFetch]: fetchImpl });
  const verifyToken = async (token: string): Promise<Caller> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['RS256'],
        currentDate: new Date(clock.now()),
        clockTolerance: 60,
        // jose checks exp only when present; a token without one would never expire.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      const reason = error instanceof errors.JWTExpired ? 'the access token has expired' : error instanceof errors.JWTClaimValidationFailed ? `claim ${error.claim} is ${error.reason === 'missing' ? 'missing' : 'not valid'}` : 'the access token is not valid';
      throw new AuthError(`Unauthorized: ${reason}`, 401);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new AuthError(`Unauthorized: claim ${claims.error.issues[0]?.path.join('.')} is missing or not valid`, 401);
    }
    const { tid, oid, sub, name, preferred_username: username, roles = [], scp = '' } = claims.data;
    // Entra issues app-only tokens for this API to any service principal in the tenant; they carry
    // no scope. Only a signed-in user acting through the connector may spend the tenant's budget.
    if (scp.split(' ').indexOf(requiredScope) < 0) {
      throw new AuthError(`Forbidden: the access token has no ${requiredScope} scope; only signed-in users of the connector may call the gateway`, 403);
    }
    if (!settings.allowedTenants.includes('*') && !settings.allowedTenants.includes(tid)) {
      throw new AuthError(`Forbidden: tenant ${tid} is not allowed to use this gateway`, 403);
    }
    return { tenantId: tid, userId: oid ?? sub, name: name ?? username ?? sub, roles, isAdmin: roles.includes(adminRole) };
  };
  return {
    verifyToken,
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match?.[1]) {
        throw new AuthError('Unauthorized: send the access token as "Authorization: Bearer <token>"', 401);
      }
      return verifyToken(match[1]);
    },
  };
}
