import { z } from 'zod';
import type { HostSession } from './protocol';

/**
 * How the Teams stand-in signs a person in: Teams itself signs in to Entra ID (here the sandbox
 * identity provider, authorization code with PKCE, by redirect), then hands tabs SSO tokens for
 * the app's resource through `getAuthToken`. Like Teams' SharePoint logon for SPFx tabs, the host
 * also opens the SharePoint session, so a tab's REST calls carry the person's cookie.
 */
export interface TeamsHostConfig {
  authority: string;
  clientId: string;
  /** The app's resource scope (`api://…/user_impersonation`), what `getAuthToken` returns a token for. */
  scope: string;
  siteUrl: string;
  redirectUri: string;
}

const tokenResponseSchema = z.object({ access_token: z.string(), id_token: z.string(), refresh_token: z.string(), expires_in: z.number() });
const storedSchema = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number(), session: z.object({ userObjectId: z.string(), userPrincipalName: z.string(), tid: z.string() }), name: z.string() });
type Stored = z.infer<typeof storedSchema>;
const idClaimsSchema = z.object({ oid: z.string(), tid: z.string(), preferred_username: z.string(), name: z.string() });

const storageKey = 'teams.session';
const verifierKey = 'teams.pkce';

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const claimsOf = (jwt: string): unknown => JSON.parse(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')));

export interface SignedInHost {
  name: string;
  session: HostSession;
  authToken: () => Promise<string>;
}

export function teamsHostSignIn(config: TeamsHostConfig) {
  const load = (): Stored | undefined => {
    const parsed = storedSchema.safeParse(JSON.parse(sessionStorage.getItem(storageKey) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  };

  const tokenRequest = async (body: Record<string, string>): Promise<z.infer<typeof tokenResponseSchema>> => {
    const response = await fetch(`${config.authority}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`The identity provider refused the token request: ${JSON.stringify(json)}`);
    return tokenResponseSchema.parse(json);
  };

  const store = async (tokens: z.infer<typeof tokenResponseSchema>): Promise<Stored> => {
    const claims = idClaimsSchema.parse(claimsOf(tokens.id_token));
    const stored: Stored = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: Date.now() + tokens.expires_in * 1000,
      session: { userObjectId: claims.oid, userPrincipalName: claims.preferred_username, tid: claims.tid },
      name: claims.name,
    };
    sessionStorage.setItem(storageKey, JSON.stringify(stored));
    const sharePoint = await fetch(`${config.siteUrl}/_api/sandbox/session`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ idToken: tokens.id_token }) });
    if (!sharePoint.ok) throw new Error(`SharePoint refused the sign-in (HTTP ${sharePoint.status}).`);
    return stored;
  };

  const signedIn = (stored: Stored): SignedInHost => ({
    name: stored.name,
    session: stored.session,
    async authToken() {
      const current = load();
      if (!current) throw new Error('The person is not signed in to Teams.');
      if (current.expiresAt - Date.now() > 60_000) return current.accessToken;
      const renewed = await store(await tokenRequest({ grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: config.clientId }));
      return renewed.accessToken;
    },
  });

  return {
    /** The person signed in earlier in this browser tab, or the one coming back from the identity provider. */
    async resume(): Promise<SignedInHost | undefined> {
      const url = new URL(window.location.href);
      const code = url.searchParams.get('code');
      const verifier = sessionStorage.getItem(verifierKey);
      if (code && verifier) {
        sessionStorage.removeItem(verifierKey);
        const back = url.searchParams.get('state') ?? '/teams';
        const tokens = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: config.redirectUri, client_id: config.clientId, code_verifier: verifier });
        const stored = await store(tokens);
        window.history.replaceState(null, '', back);
        return signedIn(stored);
      }
      const stored = load();
      return stored ? signedIn(stored) : undefined;
    },
    async signIn(): Promise<void> {
      const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
      const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
      sessionStorage.setItem(verifierKey, verifier);
      const query = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: config.redirectUri,
        response_type: 'code',
        scope: `openid profile offline_access ${config.scope}`,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: `${window.location.pathname}${window.location.search}`,
      });
      window.location.assign(`${config.authority}/authorize?${query.toString()}`);
    },
  };
}
