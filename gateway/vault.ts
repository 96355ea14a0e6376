/**
 * The token vault's cipher: Exact's access and refresh tokens are sealed together with
 * AES-256-GCM under a 32-byte key from configuration (Key Vault in production). The record's
 * tenant and connection are bound in as additional data, so a sealed pair copied onto another
 * tenant's record does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const tokenPairSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });
export type TokenPair = z.infer<typeof tokenPairSchema>;

export interface Vault {
  keyId: string;
  seal(pair: TokenPair, tenantId: string, connectionId: string): string;
  open(ciphertext: string, tenantId: string, connectionId: string): TokenPair;
}

export function parseEncryptionKey(base64: string, settingName = 'GATEWAY_ENCRYPTION_KEY'): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) {
    throw new Error(`${settingName} must be 32 bytes in base64 (got ${key.length} bytes)`);
  }
  return key;
}

export function createVault(key: Buffer, keyId: string): Vault {
  if (key.length !== 32) {
    throw new Error(`Vault key ${keyId} must be 32 bytes`);
  }
  return {
    keyId,
    seal(pair, tenantId, connectionId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${tenantId}/${connectionId}`));
      const body = Buffer.concat([cipher.update(JSON.stringify(tokenPairSchema.parse(pair)), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(ciphertext, tenantId, connectionId) {
      const raw = Buffer.from(ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${tenantId}/${connectionId}`));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return tokenPairSchema.parse(JSON.parse(text));
    },
  };
}
