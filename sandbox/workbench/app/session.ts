import type { PublicClientApplication } from '@azure/msal-browser';
import { createMsalApplication, msalTokenProvider } from '../../../src/exact/msalTokenProvider';
import type { AccessTokenProvider } from '../../../src/exact/aadTokenProvider';
import type { WorkbenchConfig } from './config';

/**
 * Signing a person in to the workbench, as SharePoint Online does: the identity provider (Entra ID's
 * stand-in) signs them in through MSAL, then the SharePoint stand-in turns the ID token into its
 * FedAuth session cookie. The gateway gets access tokens from the same MSAL account.
 */
export interface SignedIn {
  name: string;
  username: string;
  /** Access tokens for one gateway's Application ID URI, as SPFx's `AadTokenProvider.getToken(resource)`. */
  tokenFor(resource: string): AccessTokenProvider;
}

export interface WorkbenchSession {
  /** The person signed in earlier in this tab, if SharePoint still knows them. */
  resume(): Promise<SignedIn | undefined>;
  /** Opens the identity provider's sign-in popup; call from a click. */
  signIn(): Promise<SignedIn>;
  signOut(): Promise<void>;
}

export function workbenchSession(config: WorkbenchConfig): WorkbenchSession {
  const options = { clientId: config.clientId, authority: config.authority, redirectUri: config.redirectUri, genericOidc: true };
  const scopes = [config.gatewayScope];
  let app: Promise<PublicClientApplication> | undefined;
  const application = (): Promise<PublicClientApplication> => (app ??= createMsalApplication(options));
  const signedIn = (name: string, username: string): SignedIn => ({
    name,
    username,
    tokenFor: (resource) => msalTokenProvider({ ...options, scopes: [`${resource}/user_impersonation`] }, application()),
  });

  const sharePointSession = async (idToken: string): Promise<void> => {
    const response = await fetch(`${config.siteUrl}/_api/sandbox/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ idToken }),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => undefined)) as { 'odata.error'?: { message?: { value?: string } } } | undefined;
      throw new Error(body?.['odata.error']?.message?.value ?? `SharePoint refused the sign-in (HTTP ${response.status}).`);
    }
  };

  return {
    async resume() {
      const pca = await application();
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      if (!account) return undefined;
      const me = await fetch(`${config.siteUrl}/_api/sandbox/session`, { headers: { accept: 'application/json' } });
      if (!me.ok) return undefined;
      pca.setActiveAccount(account);
      return signedIn(account.name ?? account.username, account.username);
    },
    async signIn() {
      const pca = await application();
      const result = await pca.loginPopup({ scopes: ['openid', 'profile', ...scopes], prompt: 'login' });
      pca.setActiveAccount(result.account);
      await sharePointSession(result.idToken);
      return signedIn(result.account.name ?? result.account.username, result.account.username);
    },
    async signOut() {
      const pca = await application();
      await fetch(`${config.siteUrl}/_api/sandbox/session`, { method: 'DELETE' });
      await pca.clearCache();
      pca.setActiveAccount(null);
    },
  };
}
