import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue 12's budget for what a page must download before a web part or extension can start. */
export const BUNDLE_BUDGET_BYTES = 150 * 1024;

export interface ChunkSize {
  /** The `webpackChunkName` (`connector-sync`), or webpack's number for a shared chunk it split off. */
  name: string;
  file: string;
  gzipBytes: number;
}

/** One `import()` of the bundle: the chunks webpack loads together for it. */
export interface LazyImport {
  /** Its named chunks (`exact-connection-connected`), or the shared ones' numbers when none is named. */
  name: string;
  chunks: string[];
  /** What opening that part downloads, counting chunks that another part may have brought already. */
  gzipBytes: number;
}

export interface BundleReport {
  /** The component's bundle name in config/config.json (`exact-connection-web-part`). */
  name: string;
  file: string;
  /** The initial bundle: what SharePoint loads before the component's onInit. */
  gzipBytes: number;
  /** Every chunk this bundle's `import()`s can load, the shared ones included; none of it is initial. */
  lazyChunks: ChunkSize[];
  lazyImports: LazyImport[];
}

const gzipSize = (path: string): number => gzipSync(readFileSync(path), { level: 9 }).length;

const mapEntries = (text: string): Map<string, string> => new Map([...text.matchAll(/"?([\w.-]+)"?:"([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));

/**
 * The chunk files a bundle can load, read from its webpack runtime, which names them as
 * `"chunk."+({<id>:"<name>"}[e]||e)+"_"+{<id>:"<hash>"}[e]+".js"` (SPFx's output template; the
 * name map is missing when no chunk is named). Reading the runtime rather than listing dist/ keeps
 * files of earlier builds and chunks of other bundles out.
 */
export function lazyChunkFiles(bundleText: string): Array<{ id: string; name: string; file: string }> {
  const template = /"chunk\."\+(?:\((\{[^{}]*\})\[\w+\]\|\|\w+\)|\w+)\+"_"\+(\{[^{}]*\})\[\w+\]\+"\.js"/.exec(bundleText);
  if (!template) return [];
  const names = template[1] ? mapEntries(template[1]) : new Map<string, string>();
  return [...mapEntries(template[2]!)].map(([id, hash]) => ({ id, name: names.get(id) ?? id, file: `chunk.${names.get(id) ?? id}_${hash}.js` }));
}

/**
 * The chunk ids of each `import()` in a bundle: webpack compiles one to
 * `Promise.all([m.e(475),m.e(704),m.e(691)]).then(m.bind(m,825))`, or `m.e(691).then(…)` when a
 * single chunk holds it all. The same group imported from two places counts once.
 */
export function lazyImportGroups(bundleText: string): string[][] {
  const groups = new Map<string, string[]>();
  for (const m of bundleText.matchAll(/Promise\.all\(\[((?:\w+\.e\(\d+\),?)+)\]\)\.then\(|\b\w+\.e\((\d+)\)\.then\(/g)) {
    const ids = m[1] ? [...m[1].matchAll(/\.e\((\d+)\)/g)].map((e) => e[1]!) : [m[2]!];
    const key = [...ids].sort().join(',');
    if (!groups.has(key)) groups.set(key, ids);
  }
  return [...groups.values()];
}

/**
 * Each web part's and extension's initial bundle and lazy chunks, gzip -9, from the manifests that
 * `gulp bundle --ship` writes to dist/ (so only the last build counts). Locale string files are
 * left out: a page loads one of them, a few KB.
 */
export function bundleReport(root: string, build: boolean): BundleReport[] {
  if (build) execFileSync('npx', ['gulp', 'bundle', '--ship'], { cwd: root, stdio: 'inherit' });
  const dist = join(root, 'dist');
  if (!existsSync(dist)) return [];
  const reports: BundleReport[] = [];
  for (const manifestFile of readdirSync(dist).filter((f) => f.endsWith('.manifest.json'))) {
    const manifest = JSON.parse(readFileSync(join(dist, manifestFile), 'utf8')) as {
      loaderConfig?: { entryModuleId?: string; scriptResources?: Record<string, { type: string; path?: string }> };
    };
    const entry = manifest.loaderConfig?.entryModuleId;
    const file = entry ? manifest.loaderConfig?.scriptResources?.[entry]?.path : undefined;
    if (!entry || !file || !existsSync(join(dist, file))) continue;
    const text = readFileSync(join(dist, file), 'utf8');
    const byId = new Map(
      lazyChunkFiles(text)
        .filter((chunk) => existsSync(join(dist, chunk.file)))
        .map((chunk) => [chunk.id, { name: chunk.name, file: chunk.file, gzipBytes: gzipSize(join(dist, chunk.file)) }]),
    );
    const lazyChunks = [...byId.values()].sort((a, b) => b.gzipBytes - a.gzipBytes);
    const lazyImports = lazyImportGroups(text)
      .map((ids) => ids.map((id) => byId.get(id)).filter((chunk): chunk is ChunkSize => chunk !== undefined))
      .filter((chunks) => chunks.length > 0)
      .map((chunks) => {
        const named = chunks.filter((c) => !/^\d+$/.test(c.name));
        return { name: (named.length ? named : chunks).map((c) => c.name).join('+'), chunks: chunks.map((c) => c.name), gzipBytes: chunks.reduce((sum, c) => sum + c.gzipBytes, 0) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    reports.push({ name: entry, file, gzipBytes: gzipSize(join(dist, file)), lazyChunks, lazyImports });
  }
  return reports.sort((a, b) => a.name.localeCompare(b.name));
}

/** `bench-results.json`'s `bundles`: initial gzip bytes per bundle. */
export const bundleSizes = (reports: BundleReport[]): Record<string, number> => Object.fromEntries(reports.map((r) => [r.name, r.gzipBytes]));

/** `bench-results.json`'s `lazyChunks`: per bundle, gzip bytes per chunk it can load later. */
export const lazyChunkSizes = (reports: BundleReport[]): Record<string, Record<string, number>> =>
  Object.fromEntries(reports.map((r) => [r.name, Object.fromEntries(r.lazyChunks.map((c) => [c.name, c.gzipBytes]))]));

/** `bench-results.json`'s `lazyParts`: per bundle, what opening each lazy part downloads (its chunks together). */
export const lazyPartSizes = (reports: BundleReport[]): Record<string, Record<string, number>> =>
  Object.fromEntries(reports.map((r) => [r.name, Object.fromEntries(r.lazyImports.map((i) => [i.name, i.gzipBytes]))]));

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The bench table's bundle rows; an initial bundle over the budget says so. */
export function bundleTable(reports: BundleReport[]): string[] {
  if (reports.length === 0) return ['bundles: no dist/*.manifest.json (run `npx gulp bundle --ship`, or BENCH_BUNDLE=1)'];
  const width = Math.max(...reports.map((r) => r.name.length));
  const lines = [`${'bundle (gzip -9)'.padEnd(width)}  ${'initial'.padStart(9)}  ${`budget ${kb(BUNDLE_BUDGET_BYTES)}`.padEnd(18)}  lazy chunks`];
  for (const r of reports) {
    const verdict = r.gzipBytes <= BUNDLE_BUDGET_BYTES ? 'ok' : `OVER by ${kb(r.gzipBytes - BUNDLE_BUDGET_BYTES)}`;
    const lazyTotal = r.lazyChunks.reduce((sum, c) => sum + c.gzipBytes, 0);
    const chunks = r.lazyChunks.map((c) => `${c.name} ${kb(c.gzipBytes)}`).join(', ');
    lines.push(`${r.name.padEnd(width)}  ${kb(r.gzipBytes).padStart(9)}  ${verdict.padEnd(18)}  ${r.lazyChunks.length ? `${kb(lazyTotal)} in ${r.lazyChunks.length}: ${chunks}` : 'none'}`);
    for (const part of r.lazyImports) lines.push(`${''.padEnd(width)}  ${''.padStart(9)}  ${''.padEnd(18)}    opening ${part.name}: ${kb(part.gzipBytes)} (${part.chunks.join(', ')})`);
  }
  return lines;
}

// `npx tsx tests/bench/bundles.ts` (BENCH_BUNDLE=1 to build first): the bundle rows alone, without the 10-minute bench.
if (require.main === module) {
  const reports = bundleReport(join(__dirname, '..', '..'), process.env.BENCH_BUNDLE === '1');
  for (const line of bundleTable(reports)) console.log(line);
  if (reports.some((r) => r.gzipBytes > BUNDLE_BUDGET_BYTES)) process.exitCode = 1;
}
