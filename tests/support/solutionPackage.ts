/**
 * The built .sppkg for tests: builds it when it is missing or older than what goes into it, opens
 * it, and offers the look-ups the package test makes (XML attributes, secrets).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntries } from '../../scripts/zip';

/** Newest modification time under the given files and folders (0 when none exist). */
function newest(root: string, paths: string[], skip: (path: string) => boolean = () => false): number {
  let latest = 0;
  const visit = (path: string): void => {
    if (!existsSync(path) || skip(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) readdirSync(path).forEach((name) => visit(join(path, name)));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach((path) => visit(join(root, path)));
  return latest;
}

/** When the last ship bundle finished: gulpfile.js stamps it, as webpack skips unchanged files. */
const bundledAt = (root: string): number => {
  const stamp = join(root, 'release/bundled-at.txt');
  return existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
};

/** Runs one gulp task in the repository; a failure carries the end of gulp's output. */
function gulp(root: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/gulp/bin/gulp.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`gulp ${args.join(' ')} exited with ${code}:\n${output.split('\n').slice(-40).join('\n')}`)),
    );
  });
}

export interface BuiltPackage {
  path: string;
  entries: Map<string, Buffer>;
  /** The gulp tasks this call ran, e.g. `['package-solution --ship']`; empty when the package was current. */
  ran: string[];
}

/**
 * The ship bundle (`release/`) is rebuilt when src/ or the build config changed after it; the
 * package when the bundle, package-solution.json, teams/ or sharepoint/assets/ did. CI bundles
 * before `npm test`, so there only `package-solution` runs (seconds, not minutes).
 */
export async function builtSolutionPackage(root: string, zippedPackage: string): Promise<BuiltPackage> {
  const path = join(root, 'sharepoint', zippedPackage);
  const ran: string[] = [];
  const bundleInputs = newest(root, ['src', 'config', 'gulpfile.js', 'package.json', 'tsconfig.json'], (p) => p.endsWith('package-solution.json'));
  if (bundledAt(root) < bundleInputs) {
    await gulp(root, ['bundle', '--ship']);
    ran.push('bundle --ship');
  }
  const packageInputs = newest(root, ['release', 'config/package-solution.json', 'teams', 'sharepoint/assets']);
  if (!existsSync(path) || statSync(path).mtimeMs < packageInputs) {
    await gulp(root, ['package-solution', '--ship']);
    ran.push('package-solution --ship');
  }
  return { path, entries: new Map(zipEntries(readFileSync(path), zippedPackage).map((e) => [e.name, e.data])), ran };
}

const entities: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' };
const decodeXml = (value: string): string =>
  value.replace(/&(#x[0-9a-f]+|#\d+|quot|apos|lt|gt|amp);/gi, (_, entity: string) =>
    entity.startsWith('#x') || entity.startsWith('#X') ? String.fromCodePoint(parseInt(entity.slice(2), 16)) : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : entities[entity.toLowerCase()],
  );

/** The attributes of every `<tag …>` element in an XML text, decoded. */
export function xmlElements(xml: string, tag: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${tag}\\s([^>]*?)/?>`, 'g'))].map(([, attributes]) =>
    Object.fromEntries([...attributes.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map(([, key, double, single]) => [key, decodeXml(double ?? single)])),
  );
}

export interface SecretFinding {
  entry: string;
  what: string;
  excerpt: string;
}

/**
 * Secrets that must never ship to browsers: the given literals (sandbox client secret, dev keys),
 * PEM blocks, and a client secret given a value in a query string or an object/JSON literal. Code
 * that only builds such a string from a variable (`"client_secret="+e`) is not a finding.
 */
export function findSecrets(entry: string, text: string, literals: Array<{ what: string; value: string }>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const excerpt = (at: number): string => text.slice(Math.max(0, at - 40), at + 60).replace(/\s+/g, ' ');
  for (const { what, value } of literals) {
    const at = value ? text.indexOf(value) : -1;
    if (at >= 0) findings.push({ entry, what, excerpt: excerpt(at) });
  }
  const patterns: Array<{ what: string; pattern: RegExp }> = [
    { what: 'a PEM block (private key or certificate)', pattern: /-----BEGIN [A-Z0-9 ]+-----\s*[A-Za-z0-9+/=\s]{40,}/g },
    { what: 'client_secret= with a value', pattern: /client_secret=(?![\s"'`$&+]|%24\{)[^\s&"'`]+/gi },
    { what: 'a client secret property with a value', pattern: /["']?client_?secret["']?\s*[:=]\s*(["'`])(?!\1)[^"'`\s]+\1/gi },
  ];
  for (const { what, pattern } of patterns) {
    for (const match of text.matchAll(pattern)) findings.push({ entry, what, excerpt: excerpt(match.index ?? 0) });
  }
  return findings;
}
