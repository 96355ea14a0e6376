/**
 * The connector's own identity in SharePoint, for runs no person watches: app-only access with a
 * certificate (SharePoint REST refuses app tokens got with a client secret) and Sites.Selected
 * (the app reaches only the sites an admin granted it; gateway/README.md, "Background runs").
 *
 * Tokens come from `@azure/msal-node`'s ConfidentialClientApplication (client credentials, the
 * certificate's thumbprint and private key), which caches them until shortly before they expire.
 * SharePoint can still answer 401 to a token MSAL took for valid (expired in flight, clocks apart,
 * revoked): that request is sent once more with a token fetched past the cache.
 *
 * The private key comes from the gateway's settings only (a Key Vault reference in production);
 * nothing here logs it or puts it in an error.
 */
import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { spfi, DefaultHeaders, DefaultInit, type SPFI } from '@pnp/sp';
import { DefaultParse, InjectHeaders } from '@pnp/queryable';
import '@pnp/sp/webs/index.js';
import '@pnp/sp/lists/index.js';
import '@pnp/sp/items/index.js';
import '@pnp/sp/fields/index.js';
import '@pnp/sp/files/index.js';
import '@pnp/sp/folders/index.js';
import '@pnp/sp/batching.js';
import { FetchWithSafeRetry } from '../../src/crm/fetchRetry';
import type { SharePointAppSettings } from '../config';

/** An app-only token for one SharePoint origin; `fresh` skips the cache (after a 401). */
export type AppTokenSource = (resource: string, options?: { fresh?: boolean }) => Promise<string>;

/** SharePoint's guidance for throttling: identify the app as `NONISV|Company|App/Version`. */
export const appUserAgent = 'NONISV|ExactCrmConnector|Gateway/1.0';

/** msal-node's network module over fetch (Node 18+): plain http too, which the sandbox's loopback identity provider needs. */
function fetchNetworkModule(fetchImpl: typeof fetch): INetworkModule {
  const call = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await fetchImpl(url, { method, headers: options?.headers, body: method === 'POST' ? options?.body : undefined });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return { sendGetRequestAsync: (url, options) => call('GET', url, options), sendPostRequestAsync: (url, options) => call('POST', url, options) };
}

/**
 * The token source over MSAL. An http authority (the sandbox's identity provider on loopback) is
 * handed to MSAL in an https spelling with its discovery document, as MSAL accepts only https
 * authorities; the real http endpoints come from that document.
 */
export function createAppTokenSource(settings: SharePointAppSettings, options: { fetch?: typeof fetch } = {}): AppTokenSource {
  const fetchImpl = options.fetch ?? fetch;
  const authority = (settings.authority ?? `https://login.microsoftonline.com/${settings.tenantId}`).replace(/\/+$/, '');
  let application: Promise<ConfidentialClientApplication> | undefined;
  const build = async (): Promise<ConfidentialClientApplication> => {
    const url = new URL(authority);
    const loopback = url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
    let authorityMetadata: string | undefined;
    if (loopback) {
      const discovery = await fetchImpl(`${authority}/.well-known/openid-configuration`);
      if (!discovery.ok) throw new Error(`The identity provider at ${authority} did not answer its discovery document (${discovery.status})`);
      authorityMetadata = await discovery.text();
    }
    return new ConfidentialClientApplication({
      auth: {
        clientId: settings.clientId,
        authority: loopback ? authority.replace(/^http:/, 'https:') : authority,
        ...(loopback ? { authorityMetadata, knownAuthorities: [url.host], protocolMode: 'OIDC' as never } : {}),
        clientCertificate: settings.certificateThumbprintSha256
          ? { thumbprintSha256: settings.certificateThumbprintSha256, privateKey: settings.privateKey }
          : { thumbprint: settings.certificateThumbprint!, privateKey: settings.privateKey },
      },
      system: { networkClient: fetchNetworkModule(fetchImpl) },
    });
  };
  return async (resource, { fresh = false } = {}) => {
    application ??= build().catch((error: unknown) => {
      application = undefined;
      throw error;
    });
    const result = await (await application).acquireTokenByClientCredential({ scopes: [`${resource}/.default`], skipCache: fresh });
    if (!result?.accessToken) throw new Error(`No app-only token for ${resource}`);
    return result.accessToken;
  };
}

/**
 * fetch with the app's bearer token; a 401 is answered before SharePoint does anything, so the
 * request (a `$batch` too) is sent once more with a token fetched past the cache.
 */
export function appFetch(tokens: AppTokenSource, resource: string, fetchImpl: typeof fetch = fetch) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const send = async (fresh: boolean): Promise<Response> => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `Bearer ${await tokens(resource, { fresh })}`);
      return fetchImpl(url, { ...init, headers });
    };
    const first = await send(false);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    return send(true);
  };
}

/** An SPFI for one site, as the app: what src/crm's lists and stores take in the browser too. */
export function createAppSp(siteUrl: string, tokens: AppTokenSource, options: { fetch?: typeof fetch } = {}): SPFI {
  const resource = new URL(siteUrl).origin;
  return spfi(siteUrl).using(
    DefaultHeaders(),
    DefaultInit(),
    InjectHeaders({ 'User-Agent': appUserAgent }),
    DefaultParse(),
    FetchWithSafeRetry({ fetch: appFetch(tokens, resource, options.fetch) }),
  );
}

/**
 * The app's settings from app settings (environment), the same names on Azure Functions and under
 * `npm start`: undefined when GATEWAY_SP_CLIENT_ID is not set (no background runs); otherwise
 * every one is required and named when missing. GATEWAY_SP_CERT_PRIVATE_KEY is a Key Vault
 * reference in production (`@Microsoft.KeyVault(SecretUri=…)`), resolved by App Service.
 */
export function sharePointAppFromEnv(env: Record<string, string | undefined>): SharePointAppSettings | undefined {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const clientId = value('GATEWAY_SP_CLIENT_ID');
  if (!clientId) return undefined;
  const required = (name: string): string => {
    const found = value(name);
    if (!found) throw new Error(`App setting ${name} is missing (needed with GATEWAY_SP_CLIENT_ID; see gateway/README.md, "Background runs")`);
    if (found.startsWith('@Microsoft.KeyVault(')) throw new Error(`App setting ${name} is a Key Vault reference that App Service could not resolve: give the Function app's managed identity read access to that secret`);
    return found;
  };
  const thumbprint = value('GATEWAY_SP_CERT_THUMBPRINT');
  const sha256 = thumbprint && thumbprint.length === 64 ? thumbprint : undefined;
  return {
    tenantId: required('GATEWAY_SP_TENANT_ID'),
    clientId,
    ...(value('GATEWAY_SP_AUTHORITY') ? { authority: value('GATEWAY_SP_AUTHORITY') } : {}),
    ...(sha256 ? { certificateThumbprintSha256: sha256 } : { certificateThumbprint: required('GATEWAY_SP_CERT_THUMBPRINT') }),
    // App settings cannot hold line breaks everywhere: `\n` written out is accepted too.
    privateKey: required('GATEWAY_SP_CERT_PRIVATE_KEY').replace(/\\n/g, '\n'),
    displayName: value('GATEWAY_SP_DISPLAY_NAME') ?? 'Exact CRM Connector',
  };
}
