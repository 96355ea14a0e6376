/**
 * Looks for secrets in build output: known secret values, private keys in PEM form and
 * `clientSecret`-like settings with a literal value. Archives (.sppkg, .zip) are read entry by
 * entry, since an SPFx package is a zip whose entries hold the bundles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipEntries } from '../../scripts/zip';

export interface ScannedFile {
  name: string;
  data: Buffer;
}

export interface KnownSecret {
  what: string;
  value: string;
}

export interface Finding {
  file: string;
  what: string;
}

// The header ending its line (a real line break or a JSON-escaped one), as in a key: a library's
// doc comment that only names the format (msal-node's "-----BEGIN PRIVATE KEY----- ... ") is no key.
const privateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\r?\n|\\[nr]|$)/m;
/**
 * The opening of an RSA key in PKCS#8 DER as base64 (what the connector's certificate key is),
 * for a key pasted without its PEM lines, as app settings often hold one.
 */
// The 5th character carries the low bits of the DER length, so it is one of A, Q, g or w.
const headerlessPkcs8 = /MII[A-Za-z0-9+/]{2}\s*[AQgw]IBADANBgkqhkiG9w0BAQEFAASC/;
const secretSetting = /client_?secret["']?\s*[:=]\s*["'`]([^"'`\s]{8,})["'`]/gi;

/** Every file under `root` (names relative to it); archives expand to `archive!entry`. */
export function filesUnder(root: string): ScannedFile[] {
  const found: ScannedFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else {
        found.push(...expand(relative(root, path), readFileSync(path)));
      }
    }
  };
  walk(root);
  return found;
}

export function expand(name: string, data: Buffer): ScannedFile[] {
  if (!/\.(sppkg|zip)$/i.test(name)) {
    return [{ name, data }];
  }
  return zipEntries(data, name).flatMap((entry) => expand(`${name}!${entry.name}`, entry.data));
}

export function scanForSecrets(files: ScannedFile[], secrets: KnownSecret[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const text = file.data.toString('utf8');
    for (const secret of secrets) {
      if (text.includes(secret.value)) {
        findings.push({ file: file.name, what: secret.what });
      }
    }
    if (privateKey.test(text)) {
      findings.push({ file: file.name, what: 'a PEM private key' });
    } else if (headerlessPkcs8.test(text)) {
      findings.push({ file: file.name, what: 'a private key without its PEM lines' });
    }
    for (const match of text.matchAll(secretSetting)) {
      // The OAuth parameter's own name as a constant (msal-node: CLIENT_SECRET = "client_secret").
      if (match[1]!.toLowerCase() === 'client_secret') continue;
      findings.push({ file: file.name, what: `a client secret setting (${match[1]!.slice(0, 3)}…)` });
    }
  }
  return findings;
}
