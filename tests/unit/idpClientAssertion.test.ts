import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppRegistry, EntraError, type ClientCredentialsRequest } from '../../sandbox/idp/apps';
import { createDevCertificate } from '../../sandbox/idp/devCertificate';

/** The identity provider's client-credentials check against Entra's rules for a certificate assertion. */

const tokenEndpoint = 'http://127.0.0.1:1/idp/tenant/oauth2/v2.0/token';
const clientId = '11111111-0000-4000-8000-000000000001';
const certificate = createDevCertificate({ commonName: 'Test app', now: new Date() });

function registry(): AppRegistry {
  const apps = new AppRegistry();
  apps.register({ clientId, displayName: 'Test app', tenantId: 'tenant', certificates: [certificate.certificatePem], appRoles: {}, servicePrincipalId: 'sp-1' });
  return apps;
}

async function assertion(): Promise<string> {
  const x5t = Buffer.from(certificate.thumbprintSha1, 'hex').toString('base64url');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t })
    .setIssuer(clientId).setSubject(clientId).setAudience(tokenEndpoint).setJti(randomUUID())
    .setIssuedAt().setNotBefore('0s').setExpirationTime('10m')
    .sign(createPrivateKey(certificate.privateKeyPem));
}

const base = { grant_type: 'client_credentials', client_id: clientId, scope: 'https://contoso.sharepoint.com/.default' } as const;

describe('client assertion (certificate) as Entra checks it', () => {
  it('takes a signed assertion sent with its client_assertion_type', async () => {
    const request: ClientCredentialsRequest = { ...base, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion() };
    await expect(registry().authenticate(request, tokenEndpoint)).resolves.toMatchObject({ viaCertificate: true });
  });

  it('refuses an assertion without client_assertion_type (AADSTS900144), as Entra does', async () => {
    const request: ClientCredentialsRequest = { ...base, client_assertion: await assertion() };
    const refusal = await registry().authenticate(request, tokenEndpoint).then(() => undefined, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(EntraError);
    expect(refusal).toMatchObject({ error: 'invalid_request', code: 900144 });
    expect((refusal as Error).message).toMatch(/client_assertion_type/);
  });
});
