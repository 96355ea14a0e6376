import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { createAuthenticator } from '../../gateway/auth';
import { CircuitBreaker, exactQuery, parseEndpoint } from '../../gateway/guards';
import { createMemoryLogger } from '../../gateway/log';
import { createStateSigner } from '../../gateway/state';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import { createVault, parseEncryptionKey } from '../../gateway/vault';

describe('token vault cipher', () => {
  const key = randomBytes(32);
  const pair = { accessToken: 'AAEAA-access', refreshToken: 'Gcp7!-refresh' };

  it('round-trips a token pair and never stores it readable', () => {
    const vault = createVault(key, 'k1');
    const sealed = vault.seal(pair, 'tenant-a', 'default');
    expect(sealed).not.toContain('AAEAA');
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain('Gcp7');
    expect(vault.open(sealed, 'tenant-a', 'default')).toEqual(pair);
    expect(vault.seal(pair, 'tenant-a', 'default')).not.toBe(sealed);
  });

  it('does not open under another tenant, another key, or after a bit flip', () => {
    const vault = createVault(key, 'k1');
    const sealed = vault.seal(pair, 'tenant-a', 'default');
    expect(() => vault.open(sealed, 'tenant-b', 'default')).toThrow();
    expect(() => createVault(randomBytes(32), 'k2').open(sealed, 'tenant-a', 'default')).toThrow();
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => vault.open(raw.toString('base64'), 'tenant-a', 'default')).toThrow();
  });

  it('names the setting when the key is not 32 bytes', () => {
    expect(() => parseEncryptionKey(randomBytes(16).toString('base64'))).toThrow(/GATEWAY_ENCRYPTION_KEY must be 32 bytes/);
  });
});

describe('connect state', () => {
  it('is single use, bound to the starting browser, expires, and detects tampering', async () => {
    const clock = new TestClock(Date.UTC(2026, 10, 23));
    const store = createEmbeddedStore({ clock });
    const signer = createStateSigner(randomBytes(32), store, clock, 60_000);
    const fields = { tenantId: 't', connectionId: 'default', userId: 'u', returnUrl: 'https://contoso.sharepoint.com/sites/crm' };
    const { state, browserNonce } = await signer.issue(fields);
    // A link forwarded to someone else arrives without (or with another) browser nonce.
    await expect(signer.redeem(state, undefined)).rejects.toThrow(/another browser/);
    await expect(signer.redeem(state, 'someone-elses-nonce')).rejects.toThrow(/another browser/);
    expect(await signer.redeem(state, browserNonce)).toMatchObject(fields);
    await expect(signer.redeem(state, browserNonce)).rejects.toThrow(/already used/);
    const other = await signer.issue(fields);
    const [body, mac] = other.state.split('.');
    await expect(signer.redeem(`${body}x.${mac}`, other.browserNonce)).rejects.toThrow(/altered/);
    await expect(signer.redeem('garbage', other.browserNonce)).rejects.toThrow(/malformed/);
    clock.advance(60_000);
    await expect(signer.redeem(other.state, other.browserNonce)).rejects.toThrow(/expired/);
  });
});

describe('proxy guards', () => {
  it('parses endpoint paths and passes only OData options on', () => {
    const key = "crm/Accounts(guid'1f0c2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b')";
    expect(parseEndpoint(key)).toEqual({ endpoint: 'crm/Accounts', rest: key });
    expect(parseEndpoint('system/Divisions(2950001)')?.endpoint).toBe('system/Divisions');
    // Keys are a GUID or a number: nothing encoded rides along.
    expect(parseEndpoint("crm/Accounts(guid'1'%2F..%2F..%2Fsystem%2FUsers)")).toBeUndefined();
    expect(parseEndpoint("crm/Accounts(guid'1f0c')")).toBeUndefined();
    expect(parseEndpoint('bulk/CRM/Accounts')?.endpoint).toBe('bulk/CRM/Accounts');
    expect(parseEndpoint('crm/Accounts/$count')?.endpoint).toBe('crm/Accounts');
    expect(parseEndpoint('crm/x/y')).toBeUndefined();
    expect(parseEndpoint('../oauth2/token')).toBeUndefined();
    // OData options pass verbatim; the gateway's own parameter stays here; others are refused.
    expect(exactQuery("?$select=ID,Name&$filter=Name%20eq%20'A%26B'&connection=default")).toBe("?$select=ID,Name&$filter=Name%20eq%20'A%26B'");
    expect(exactQuery('?connection=default')).toBe('');
    expect(exactQuery('')).toBe('');
    expect(exactQuery('?$select=ID&api_key=x')).toBeUndefined();
    expect(exactQuery('?%24select=ID')).toBe('?%24select=ID');
  });

  it('the breaker opens at the eighth error in a rolling hour and closes as they age out', () => {
    const clock = new TestClock(0);
    const breaker = new CircuitBreaker(clock, 8);
    for (let i = 0; i < 7; i++) {
      breaker.recordError('k');
      clock.advance(60_000);
    }
    expect(breaker.openUntil('k')).toBeUndefined();
    breaker.recordError('k');
    expect(breaker.openUntil('k')).toBe(3600_000);
    clock.set(3600_000);
    expect(breaker.openUntil('k')).toBeUndefined();
  });
});

describe('structured logs', () => {
  it('redacts secret-looking fields and adds child fields', () => {
    const logger = createMemoryLogger();
    logger.child({ correlationId: 'c1' }).log('info', 'x', { accessToken: 'AAEAA', client_secret: 's', ticket: 't', status: 200 });
    const line = JSON.parse(logger.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', event: 'x', correlationId: 'c1', accessToken: '[redacted]', client_secret: '[redacted]', ticket: '[redacted]', status: 200 });
  });
});

describe('caller tokens', () => {
  it('refuses a correctly signed token that has no exp', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = (async () => Response.json({ keys: [jwk] })) as unknown as typeof fetch;
    const clock = new TestClock(Date.UTC(2026, 10, 23));
    const auth = createAuthenticator({ issuer: 'https://idp.test', jwksUri: 'https://idp.test/jwks', audience: 'api://gw', allowedTenants: ['t1'] }, clock, jwks);
    const now = Math.floor(clock.now() / 1000);
    const sign = (withExp: boolean) => {
      const jwt = new SignJWT({ tid: 't1', oid: 'o1', scp: 'user_impersonation' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('https://idp.test').setAudience('api://gw').setSubject('o1').setIssuedAt(now);
      return (withExp ? jwt.setExpirationTime(now + 600) : jwt).sign(privateKey);
    };
    expect((await auth.verifyToken(await sign(true))).tenantId).toBe('t1');
    await expect(auth.verifyToken(await sign(false))).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/claim exp is missing/) });
  });
});
