/**
 * Where the browser gets the access token it shows the gateway. In SharePoint and Teams that is
 * SPFx's `AadTokenProvider` (Entra ID, the app's `webApiPermissionRequests`); in the sandbox and
 * any page without an SPFx context, MSAL (msalTokenProvider.ts, kept in its own module so SPFx
 * bundles do not carry MSAL).
 */
export type AccessTokenProvider = () => Promise<string>;

/** The part of SPFx's `AadTokenProvider` we use; taken as an interface so this file needs no sp-http. */
export interface AadTokenProviderLike {
  getToken(resource: string): Promise<string>;
}

/**
 * Over SPFx: `aadTokenProvider(this.context.aadTokenProviderFactory.getTokenProvider(), 'api://…')`.
 * SPFx caches and renews the token itself.
 */
export function aadTokenProvider(provider: AadTokenProviderLike | Promise<AadTokenProviderLike>, resource: string): AccessTokenProvider {
  return async () => (await provider).getToken(resource);
}
