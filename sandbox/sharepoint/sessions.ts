/**
 * Who is calling, the way SharePoint Online knows it in a browser: after the person signs in at the
 * identity provider the site sets an HttpOnly `FedAuth` cookie bound to a server-side session, and
 * every form digest from `_api/contextinfo` belongs to that session.
 */
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { SpCodes, SpError } from './errors';
import { accessCode } from './permissions';

/** How long a sign-in lasts; SharePoint's FedAuth session is of the same order (hours, not days). */
const sessionSeconds = 8 * 3600;
export const digestSeconds = 1800;

export interface SignInSettings {
  /** Issuer of the ID tokens, e.g. `{sandbox}/idp`. */
  issuer: string;
  jwksUri: string;
  /** The ID token's audience: the client id of the page that signed in. */
  audience: string;
  /** The tenant the site belongs to; people of other tenants are refused. */
  tenantId: string;
}

export interface Session {
  id: string;
  userId: number;
  expiresAt: number;
  /** Form digests issued to this session, with their expiry. */
  digests: Map<string, number>;
}

const cookieName = 'FedAuth';
export const sessionCookie = (id: string): string => `${cookieName}=${id}`;
export const setSessionCookie = (id: string): string => `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`;
export const clearSessionCookie = `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;

export function cookieValue(header: string | null): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookieName) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class Sessions {
  private byId = new Map<string, Session>();

  constructor(private readonly clock: Clock) {}

  create(userId: number): Session {
    const session: Session = { id: randomBytes(32).toString('base64url'), userId, expiresAt: this.clock.now() + sessionSeconds * 1000, digests: new Map() };
    this.byId.set(session.id, session);
    return session;
  }

  fromCookie(header: string | null): Session | undefined {
    const id = cookieValue(header);
    const session = id === undefined ? undefined : this.byId.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.byId.delete(session.id);
      return undefined;
    }
    return session;
  }

  end(session: Session): void {
    this.byId.delete(session.id);
  }

  /** A digest shaped like SharePoint's (`0x<hex>,<date>`), valid for this session only. */
  issueDigest(session: Session | undefined): string {
    const now = new Date(this.clock.now());
    const value = `0x${randomBytes(64).toString('hex').toUpperCase()},${now.toUTCString().slice(5, 25)} -0000`;
    session?.digests.set(value, this.clock.now() + digestSeconds * 1000);
    return value;
  }

  digestValid(session: Session, digest: string | null): boolean {
    const expiresAt = digest === null ? undefined : session.digests.get(digest);
    return expiresAt !== undefined && expiresAt > this.clock.now();
  }
}

const idClaimsSchema = z.object({
  tid: z.string().min(1),
  preferred_username: z.string().email(),
  name: z.string().min(1).optional(),
});
export type IdClaims = z.infer<typeof idClaimsSchema>;

/** Checks an ID token against the issuer's JWKS: signature, issuer, audience, expiry (by the Clock), then tenant. */
export function idTokenVerifier(settings: () => SignInSettings, clock: Clock, fetchImpl: typeof fetch = fetch) {
  let jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;
  return async (token: string, host: string): Promise<IdClaims> => {
    const s = settings();
    if (jwks?.uri !== s.jwksUri) jwks = { uri: s.jwksUri, set: createRemoteJWKSet(new URL(s.jwksUri), { [customFetch]: fetchImpl }) };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, jwks.set, {
        issuer: s.issuer, audience: s.audience, algorithms: ['RS256'], currentDate: new Date(clock.now()), clockTolerance: 60,
      }));
    } catch (error) {
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) {
        throw new SpError(503, SpCodes.generic, `Sign-in failed: the identity provider's keys at ${s.jwksUri} could not be fetched.`);
      }
      const reason = error instanceof errors.JWTExpired ? 'it has expired'
        : error instanceof errors.JWTClaimValidationFailed ? `claim ${error.claim} is not valid`
          : 'its signature or format is not valid';
      throw new SpError(401, accessCode, `Sign-in refused: the ID token is not accepted because ${reason}.`);
    }
    const claims = idClaimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new SpError(401, accessCode, `Sign-in refused: the ID token's claim ${claims.error.issues[0]?.path.join('.')} is missing or not valid.`);
    }
    if (claims.data.tid !== s.tenantId) {
      // The text SharePoint Online shows a person from another directory.
      throw new SpError(403, accessCode,
        `We're sorry, but ${claims.data.preferred_username} can't be found in the ${host} directory. Please try again later, while we try to automatically fix this for you.`);
    }
    return claims.data;
  };
}

export const signInBodySchema = z.object({ idToken: z.string().min(1) });

/** The sign-in body: JSON `{"idToken": …}` from the workbench, or a form post `id_token=…` as an OIDC form_post. */
export function signInToken(contentType: string | null, text: string): string {
  let raw: unknown;
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    raw = { idToken: new URLSearchParams(text).get('id_token') ?? undefined };
  } else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new SpError(400, SpCodes.clientQuery, 'The sign-in body must be JSON {"idToken": "<ID token>"} or a form post with id_token.');
    }
  }
  const parsed = signInBodySchema.safeParse(raw);
  if (!parsed.success) throw new SpError(400, SpCodes.clientQuery, 'The sign-in body has no idToken (the ID token from the identity provider).');
  return parsed.data.idToken;
}
