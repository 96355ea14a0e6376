import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Gzip size of each web part and extension bundle in dist/ (`gulp bundle --ship` names them
 * `<component>_<hash>.js`; the newest file of each component counts). Locale string files are left out.
 */
export function bundleSizes(root: string, build: boolean): Record<string, number> {
  if (build) execFileSync('npx', ['gulp', 'bundle', '--ship'], { cwd: root, stdio: 'inherit' });
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return {};
  const newest = new Map<string, { file: string; mtime: number }>();
  for (const file of readdirSync(dist)) {
    const match = /^([a-z0-9.-]+)_[0-9a-f]{8,}\.js$/.exec(file);
    if (!match || /strings/i.test(match[1])) continue;
    const mtime = statSync(join(dist, file)).mtimeMs;
    const seen = newest.get(match[1]);
    if (!seen || seen.mtime < mtime) newest.set(match[1], { file, mtime });
  }
  const sizes: Record<string, number> = {};
  for (const [name, { file }] of [...newest.entries()].sort()) sizes[name] = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  return sizes;
}
