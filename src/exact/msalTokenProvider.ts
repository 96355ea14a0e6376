import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type Configuration } from '@azure/msal-browser';
import type { AccessTokenProvider } from './aadTokenProvider';

export interface MsalTokenProviderOptions {
  clientId: string;
  /** The issuer, e.g. `http://127.0.0.1:4321/idp` or `https://login.microsoftonline.com/{tenant}/v2.0`. */
  authority: string;
  /** e.g. `['api://exact-crm-gateway/user_impersonation']`. */
  scopes: string[];
  redirectUri: string;
  /** True for a non-Entra OpenID Connect provider such as the sandbox identity provider. */
  genericOidc?: boolean;
}

/**
 * Over `@azure/msal-browser`: silent first, a popup when the user must sign in or consent.
 * Tokens stay in session storage of this origin only for as long as the tab lives.
 *
 * Sandbox: MSAL watches the popup until it is back on the page's origin, so the identity
 * provider must live on another origin than the page: open the page on `http://localhost:4321`
 * and use the authority `http://127.0.0.1:4321/idp` (tested in Chromium).
 */
export function msalTokenProvider(options: MsalTokenProviderOptions, app?: Promise<PublicClientApplication>): AccessTokenProvider {
  const application = (): Promise<PublicClientApplication> => (app ??= createMsalApplication(options));
  return async () => {
    const pca = await application();
    let account: AccountInfo | null = pca.getActiveAccount() || pca.getAllAccounts()[0] || null;
    if (!account) {
      const login = await pca.loginPopup({ scopes: options.scopes });
      account = login.account;
      pca.setActiveAccount(account);
    }
    try {
      return (await pca.acquireTokenSilent({ scopes: options.scopes, account })).accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        return (await pca.acquireTokenPopup({ scopes: options.scopes, account })).accessToken;
      }
      throw error;
    }
  };
}

/**
 * The MSAL application behind the provider, for a page that also needs the sign-in itself (the
 * sandbox workbench hands the ID token to its SharePoint stand-in).
 */
export async function createMsalApplication(options: Omit<MsalTokenProviderOptions, 'scopes'>): Promise<PublicClientApplication> {
  const authorityUrl = new URL(options.authority);
  const loopback = authorityUrl.protocol === 'http:' && (authorityUrl.hostname === '127.0.0.1' || authorityUrl.hostname === 'localhost');

  async function configuration(): Promise<Configuration> {
    let authority = options.authority;
    let authorityMetadata: string | undefined;
    if (loopback) {
      // MSAL accepts only https authorities. The sandbox serves http on loopback, so MSAL gets
      // an https spelling of the authority plus the real (http) discovery document, which it
      // then uses instead of looking the authority up.
      const discovery = await fetch(`${options.authority.replace(/\/+$/, '')}/.well-known/openid-configuration`);
      authorityMetadata = await discovery.text();
      authority = options.authority.replace(/^http:/, 'https:');
    }
    return {
      auth: {
        clientId: options.clientId,
        authority,
        authorityMetadata,
        redirectUri: options.redirectUri,
        knownAuthorities: options.genericOidc ? [authorityUrl.host] : [],
        protocolMode: options.genericOidc ? 'OIDC' : 'AAD',
      },
      cache: { cacheLocation: 'sessionStorage' },
    };
  }

  const pca = new PublicClientApplication(await configuration());
  await pca.initialize();
  await pca.handleRedirectPromise();
  return pca;
}
