/**
 * App registrations and the client-credentials grant, as Entra ID does them for a daemon: the app
 * proves itself with a client assertion (RFC 7523) signed by the private key of a certificate
 * whose public part is registered with the app. The assertion's header names the certificate
 * (`x5t` = SHA-1 thumbprint, or `x5t#S256`); its `aud` must be this token endpoint, `iss` and `sub`
 * the client id, and it must be within its time window. A client secret is accepted too, as Entra
 * does, but the token says so (`appidacr: "1"`) and SharePoint refuses such tokens.
 *
 * The assertion's time window is checked against the machine's clock (MSAL makes it from that
 * clock, and the sandbox's TestClock cannot move it); the tokens issued follow the sandbox clock,
 * so tests can let them expire.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';

export interface AppRegistration {
  /** Application (client) id. */
  clientId: string;
  displayName: string;
  tenantId: string;
  /** PEM certificates (public parts) registered under "Certificates & secrets". */
  certificates: string[];
  /** Client secrets, if any (SharePoint refuses the tokens they get). */
  secrets?: string[];
  /** Consented application permissions by resource (`https://host` for SharePoint, `https://graph.microsoft.com`). */
  appRoles: Record<string, string[]>;
  /** Object id of the app's service principal (the `oid` of its tokens). */
  servicePrincipalId: string;
}

interface RegisteredCertificate {
  sha1: string;
  sha256: string;
  key: KeyObject;
  notAfter: number;
}

export const clientCredentialsSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  scope: z.string().min(1),
  client_assertion_type: z.literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer').optional(),
  client_assertion: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
});
export type ClientCredentialsRequest = z.infer<typeof clientCredentialsSchema>;

/** An Entra-style refusal: `AADSTS<code>: <words>` with the code list. */
export class EntraError extends Error {
  public constructor(
    public readonly error: string,
    public readonly code: number,
    message: string,
    public readonly status = 400,
  ) {
    super(`AADSTS${code}: ${message}`);
  }

  public body(now: Date): Record<string, unknown> {
    return { error: this.error, error_description: this.message, error_codes: [this.code], timestamp: now.toISOString().replace('T', ' ').slice(0, 19) + 'Z' };
  }
}

const base64url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');

export class AppRegistry {
  private readonly apps = new Map<string, { app: AppRegistration; certificates: RegisteredCertificate[] }>();

  /** Registers (or replaces) an app with its certificates. */
  public register(app: AppRegistration): void {
    const certificates = app.certificates.map((pem) => {
      const certificate = new X509Certificate(pem);
      return {
        sha1: createHash('sha1').update(certificate.raw).digest('hex'),
        sha256: createHash('sha256').update(certificate.raw).digest('hex'),
        key: createPublicKey(pem),
        notAfter: Date.parse(certificate.validTo),
      };
    });
    this.apps.set(app.clientId, { app: { ...app }, certificates });
  }

  public get(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId)?.app;
  }

  /**
   * Checks the client's proof and answers who it is and which roles it has for `resource`;
   * throws an EntraError with Entra's code for each way it can fail.
   */
  public async authenticate(request: ClientCredentialsRequest, tokenEndpoint: string): Promise<{ app: AppRegistration; viaCertificate: boolean }> {
    const entry = this.apps.get(request.client_id);
    if (!entry) {
      throw new EntraError('unauthorized_client', 700016, `Application with identifier '${request.client_id}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant.`);
    }
    if (request.client_secret !== undefined) {
      if (!(entry.app.secrets ?? []).includes(request.client_secret)) {
        throw new EntraError('invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.', 401);
      }
      return { app: entry.app, viaCertificate: false };
    }
    if (!request.client_assertion) {
      throw new EntraError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 401);
    }
    // Entra reads an assertion only under its declared type; RFC 7523 makes the type required.
    if (request.client_assertion_type === undefined) {
      throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'client_assertion_type'.");
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(request.client_assertion);
    } catch {
      throw new EntraError('invalid_client', 50027, 'JWT token is invalid or malformed.', 401);
    }
    const x5t = typeof header.x5t === 'string' ? header.x5t : undefined;
    const x5t256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
    const certificate = entry.certificates.find((c) => (x5t !== undefined && base64url(c.sha1) === x5t) || (x5t256 !== undefined && base64url(c.sha256) === x5t256));
    if (!certificate) {
      const named = x5t ?? x5t256 ?? '(none)';
      throw new EntraError('invalid_client', 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${named}']`, 401);
    }
    if (certificate.notAfter <= Date.now()) {
      throw new EntraError('invalid_client', 700027, 'Client assertion contains an invalid signature. [Reason - The key used is expired.]', 401);
    }
    try {
      await jwtVerify(request.client_assertion, certificate.key, {
        algorithms: ['RS256', 'PS256'], audience: tokenEndpoint, issuer: request.client_id, subject: request.client_id,
        requiredClaims: ['exp', 'jti'], clockTolerance: 300,
      });
    } catch (error) {
      if (error instanceof errors.JWTExpired || (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf')) {
        throw new EntraError('invalid_client', 700024, 'Client assertion is not within its valid time range.', 401);
      }
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        throw new EntraError('invalid_client', 700021, `Client assertion audience claim does not match Realm issuer. Expected '${tokenEndpoint}'.`, 401);
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw new EntraError('invalid_client', 700023, `Client assertion claim '${error.claim}' is not valid.`, 401);
      }
      throw new EntraError('invalid_client', 700027, 'Client assertion contains an invalid signature.', 401);
    }
    return { app: entry.app, viaCertificate: true };
  }
}

/** The resource a client-credentials `scope` names: `https://host/.default` → `https://host`. */
export function resourceOfScope(scope: string): string | undefined {
  const defaults = scope.split(/\s+/).filter((s) => s.endsWith('/.default'));
  if (defaults.length !== 1) return undefined;
  return defaults[0]!.slice(0, -'/.default'.length);
}

/** The connector's app registration in the sandbox (its certificate is made at first start, devCertificate.ts). */
export const sandboxConnectorApp = {
  clientId: '5e1c0a11-0000-4000-8000-0000000ca7a1',
  displayName: 'Exact CRM Connector',
  servicePrincipalId: 'a0000000-0000-4000-8000-0000000a9901',
} as const;
