/**
 * A self-signed X.509 certificate for the connector's app registration, made with node:crypto
 * alone (no OpenSSL, no download): Node can parse certificates but not issue them, so the DER is
 * put together here (RFC 5280: TBSCertificate, sha256WithRSAEncryption). What `New-PnPAzureCertificate`
 * or `openssl req -x509` makes for a real tenant; the sandbox keeps one in its data folder.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export interface DevCertificate {
  /** PEM of the certificate (public: what the app registration holds). */
  certificatePem: string;
  /** PKCS#8 PEM of the private key (secret: the gateway's setting only). */
  privateKeyPem: string;
  /** Upper-case hex SHA-1 of the DER (Entra's "thumbprint"; `x5t` is its base64url). */
  thumbprintSha1: string;
  /** Upper-case hex SHA-256 (`x5t#S256`). */
  thumbprintSha256: string;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(body.length), body]);
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
const nul = (): Buffer => Buffer.from([0x05, 0x00]);
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (body: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), body]));

function integer(bytes: Buffer): Buffer {
  // Positive: a leading 1 bit needs a zero byte in front.
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (years 1950–2049), as RFC 5280 wants for those years. */
function utcTime(date: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const sha256WithRsa = (): Buffer => seq(oid('1.2.840.113549.1.1.11'), nul());
const commonName = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));

export function createDevCertificate(options: { commonName: string; now: Date; validDays?: number }): DevCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notAfter = new Date(options.now.getTime() + (options.validDays ?? 365) * 86_400_000);
  const name = commonName(options.commonName);
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    sha256WithRsa(),
    name,
    seq(utcTime(new Date(options.now.getTime() - 60_000)), utcTime(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const der = seq(tbs, sha256WithRsa(), bitString(sign('sha256', tbs, privateKey)));
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const parsed = new X509Certificate(certificatePem);
  if (!parsed.verify(parsed.publicKey)) throw new Error('The dev certificate does not verify against its own key.');
  return {
    certificatePem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...thumbprints(certificatePem),
  };
}

/** SHA-1 and SHA-256 thumbprints as Entra lists them (upper-case hex, no colons). */
export function thumbprints(certificatePem: string): { thumbprintSha1: string; thumbprintSha256: string } {
  const certificate = new X509Certificate(certificatePem);
  return {
    thumbprintSha1: certificate.fingerprint.replace(/:/g, '').toUpperCase(),
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, '').toUpperCase(),
  };
}

const storedSchema = z.object({ certificatePem: z.string(), privateKeyPem: z.string() });

/**
 * The sandbox's certificate, made on first start and kept (mode 600) in the data folder, so the
 * registration and the gateway's setting stay the same across restarts; a new one when it expired.
 */
export async function loadOrCreateDevCertificate(dataDir: string | undefined, options: { commonName: string; now: Date }): Promise<DevCertificate> {
  const path = dataDir ? join(dataDir, 'sharepoint-app-certificate.json') : undefined;
  const text = path ? await fs.readFile(path, 'utf8').catch(() => undefined) : undefined;
  if (text) {
    const stored = storedSchema.safeParse(JSON.parse(text));
    if (stored.success && Date.parse(new X509Certificate(stored.data.certificatePem).validTo) > options.now.getTime() + 86_400_000) {
      createPrivateKey(stored.data.privateKeyPem);
      createPublicKey(stored.data.certificatePem);
      return { ...stored.data, ...thumbprints(stored.data.certificatePem) };
    }
  }
  const created = createDevCertificate(options);
  if (path && dataDir) {
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path, JSON.stringify({ certificatePem: created.certificatePem, privateKeyPem: created.privateKeyPem }), { mode: 0o600 });
  }
  return created;
}
