/**
 * No secret in what gets deployed: the Function app folder (built here by gateway/azure/build.ts,
 * as the deploy step does), and when present the SPFx output (`lib/`, `temp/deploy/`) and the
 * `.sppkg` packages in `sharepoint/solution/`, read entry by entry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAzureFunctionApp } from '../../gateway/azure/build';
import { devEncryptionKey } from '../../sandbox/gateway';
import { sandboxApp } from '../../sandbox/exact';
import { createDevCertificate } from '../../sandbox/idp/devCertificate';
import { deflatedZip } from '../../scripts/zip';
import { expand, filesUnder, scanForSecrets, type KnownSecret } from '../support/secretScan';

const root = join(__dirname, '..', '..');

/** A stretch of a PEM key's body: found in output however the key was wrapped or stripped. */
const keyBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '').slice(64, 128);

/** The sandbox's secrets, and a developer's own dev key and IdP signing key when they exist. */
async function knownSecrets(scratch: string): Promise<KnownSecret[]> {
  const secrets: KnownSecret[] = [
    { what: 'the sandbox Exact client secret', value: sandboxApp.clientSecret },
    { what: 'a dev encryption key', value: await devEncryptionKey(scratch) },
  ];
  const dataDir = join(root, 'sandbox-data');
  const devKey = join(dataDir, 'gateway-dev-encryption-key');
  if (existsSync(devKey)) {
    secrets.push({ what: 'the dev encryption key in sandbox-data', value: readFileSync(devKey, 'utf8').trim() });
  }
  const signing = join(dataDir, 'idp-signing-key.json');
  if (existsSync(signing)) {
    const { privateJwk } = JSON.parse(readFileSync(signing, 'utf8')) as { privateJwk: { d: string } };
    secrets.push({ what: 'the sandbox IdP private key', value: privateJwk.d });
  }
  // The connector's certificate key (background runs' app-only SharePoint access): the sandbox's
  // dev certificate and a deployment's setting. Known by value, so even a fragment of the key
  // body without its PEM lines is found.
  const certificate = join(dataDir, 'sharepoint-app-certificate.json');
  if (existsSync(certificate)) {
    const { privateKeyPem } = JSON.parse(readFileSync(certificate, 'utf8')) as { privateKeyPem: string };
    secrets.push({ what: 'the sandbox app certificate key', value: keyBody(privateKeyPem) });
  }
  for (const name of ['GATEWAY_SP_CERT_PRIVATE_KEY'] as const) {
    const value = process.env[name];
    if (value && value.length >= 64) {
      secrets.push({ what: name, value: keyBody(value) });
    }
  }
  for (const name of ['GATEWAY_EXACT_CLIENT_SECRET', 'GATEWAY_ENCRYPTION_KEY'] as const) {
    const value = process.env[name];
    if (value && value.length >= 8) {
      secrets.push({ what: name, value });
    }
  }
  return secrets;
}

describe('secrets in build output', () => {
  let scratch: string;
  let secrets: KnownSecret[];
  let bundleFolder: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'secrets-scan-'));
    secrets = await knownSecrets(scratch);
    bundleFolder = (await buildAzureFunctionApp(join(scratch, 'gateway-azure'))).outDir;
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the scanner finds a planted secret, also inside a package', () => {
    const planted = Buffer.from(`const settings = { clientSecret: "${sandboxApp.clientSecret}" };\n-----BEGIN PRIVATE KEY-----\n`);
    const files = expand('solution/planted.sppkg', deflatedZip([{ name: 'ClientSideAssets/bundle.js', data: planted }]));
    expect(files.map((f) => f.name)).toEqual(['solution/planted.sppkg!ClientSideAssets/bundle.js']);
    expect(scanForSecrets(files, secrets).map((f) => f.what)).toEqual(['the sandbox Exact client secret', 'a PEM private key', 'a client secret setting (san…)']);
  });

  it('the scanner finds the connector\'s certificate key, with or without its PEM lines', () => {
    const { privateKeyPem } = createDevCertificate({ commonName: 'scan test', now: new Date() });
    const body = privateKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const files = [
      { name: 'settings.json', data: Buffer.from(JSON.stringify({ GATEWAY_SP_CERT_PRIVATE_KEY: privateKeyPem })) },
      { name: 'stripped.js', data: Buffer.from(`const k = "${body}";`) },
    ];
    expect(scanForSecrets(files, [{ what: 'the test key', value: keyBody(privateKeyPem) }]).map((f) => `${f.file}: ${f.what}`)).toEqual([
      'settings.json: the test key', 'settings.json: a PEM private key', 'stripped.js: the test key', 'stripped.js: a private key without its PEM lines',
    ]);
  });

  it('the Function app folder (bundle, source map, settings) holds no secret', () => {
    const files = filesUnder(bundleFolder);
    expect(files.map((f) => f.name)).toContain(join('dist', 'functions.js'));
    expect(scanForSecrets(files, secrets)).toEqual([]);
    const deployed = join(root, 'dist', 'gateway-azure');
    if (existsSync(deployed)) {
      expect(scanForSecrets(filesUnder(deployed), secrets)).toEqual([]);
    }
  });

  it('the SPFx build output, when present, holds no secret', () => {
    for (const folder of ['lib', join('temp', 'deploy')].map((f) => join(root, f)).filter(existsSync)) {
      expect(scanForSecrets(filesUnder(folder), secrets)).toEqual([]);
    }
  });

  const solution = join(root, 'sharepoint', 'solution');
  const packages = existsSync(solution) ? readdirSync(solution).filter((name) => name.endsWith('.sppkg')) : [];
  it.skipIf(packages.length === 0)('the .sppkg packages hold no secret', () => {
    for (const name of packages) {
      const files = expand(name, readFileSync(join(solution, name)));
      expect(files.length).toBeGreaterThan(0);
      expect(scanForSecrets(files, secrets)).toEqual([]);
    }
  });
});
