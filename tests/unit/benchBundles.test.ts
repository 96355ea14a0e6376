import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, bundleReport, bundleSizes, bundleTable, lazyChunkFiles, lazyChunkSizes, lazyImportGroups, lazyPartSizes } from '../bench/bundles';

// What SPFx 1.21's webpack runtime writes for its chunk file names (from a real ship bundle).
const named = 'm.u=e=>"chunk."+({328:"connector-sync",487:"customer-finance-details"}[e]||e)+"_"+{74:"f9eb9a65b9bf493da0c2",328:"89ceae9a1a2855757bc8",487:"9c049f2e348d6fdac3c8"}[e]+".js",m.g=function(){}';
// …and for its import()s: a group of chunks, or one chunk alone.
const imports = 'sync:()=>(u??=Promise.all([m.e(74),m.e(328)]).then(m.bind(m,6643))),other:()=>Promise.all([m.e(328),m.e(74)]).then(m.bind(m,6643)),details:()=>m.e(487).then(m.bind(m,91))';
const unnamed = 'n.u=e=>"chunk."+e+"_"+{455:"eb74caa9a3b471b09acb"}[e]+".js",n.g=';

describe('bench bundle report', () => {
  let dir = '';
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('reads the chunk files a bundle can load from its webpack runtime, named or not', () => {
    expect(lazyChunkFiles(named)).toEqual([
      { id: '74', name: '74', file: 'chunk.74_f9eb9a65b9bf493da0c2.js' },
      { id: '328', name: 'connector-sync', file: 'chunk.connector-sync_89ceae9a1a2855757bc8.js' },
      { id: '487', name: 'customer-finance-details', file: 'chunk.customer-finance-details_9c049f2e348d6fdac3c8.js' },
    ]);
    expect(lazyChunkFiles(unnamed)).toEqual([{ id: '455', name: '455', file: 'chunk.455_eb74caa9a3b471b09acb.js' }]);
    expect(lazyChunkFiles('no runtime here')).toEqual([]);
  });

  it('reads which chunks each import() loads together, each group once', () => {
    expect(lazyImportGroups(imports)).toEqual([['74', '328'], ['487']]);
    expect(lazyImportGroups('Promise.all([a(1)]).then(x)')).toEqual([]);
  });

  it('counts the manifest\'s bundle and its chunks, not files of an earlier build, and flags one over budget', () => {
    dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    const random = (n: number): string => Array.from({ length: n }, (_, i) => ((i * 7919) % 65_521).toString(36)).join('');
    const big = `${named};${imports};${random(120_000)}`;
    writeFileSync(join(dist, 'customer-finance-web-part_aaaa1111bbbb2222cccc.js'), big);
    writeFileSync(join(dist, 'customer-finance-web-part_0000000000000000dead.js'), 'an earlier build');
    writeFileSync(join(dist, 'chunk.connector-sync_89ceae9a1a2855757bc8.js'), 'sync');
    writeFileSync(join(dist, 'chunk.connector-sync_00000000000000000000.js'), 'an earlier sync chunk, much larger '.repeat(100));
    writeFileSync(join(dist, 'chunk.74_f9eb9a65b9bf493da0c2.js'), 'shared');
    writeFileSync(
      join(dist, '8d4f.manifest.json'),
      JSON.stringify({ loaderConfig: { entryModuleId: 'customer-finance-web-part', scriptResources: { 'customer-finance-web-part': { type: 'path', path: 'customer-finance-web-part_aaaa1111bbbb2222cccc.js' }, react: { type: 'component' } } } }),
    );
    const gz = (text: string): number => gzipSync(text, { level: 9 }).length;

    const reports = bundleReport(dir, false);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.gzipBytes).toBe(gz(big));
    // customer-finance-details is named in the runtime but its file is missing: left out, not guessed.
    expect(reports[0]!.lazyChunks.map((c) => [c.name, c.gzipBytes]).sort()).toEqual([['74', gz('shared')], ['connector-sync', gz('sync')]]);
    expect(bundleSizes(reports)).toEqual({ 'customer-finance-web-part': gz(big) });
    expect(lazyChunkSizes(reports)['customer-finance-web-part']).toEqual({ 74: gz('shared'), 'connector-sync': gz('sync') });
    // Opening the sync part downloads the shared chunk too; the details part's file is missing.
    expect(reports[0]!.lazyImports).toEqual([{ name: 'connector-sync', chunks: ['74', 'connector-sync'], gzipBytes: gz('shared') + gz('sync') }]);
    expect(lazyPartSizes(reports)).toEqual({ 'customer-finance-web-part': { 'connector-sync': gz('shared') + gz('sync') } });
    const row = bundleTable(reports)[1]!;
    expect(gz(big)).toBeGreaterThan(BUNDLE_BUDGET_BYTES);
    expect(row).toMatch(/^customer-finance-web-part .* OVER by /);
  });

  it('says so when there is no build', () => {
    dir = mkdtempSync(join(tmpdir(), 'bundles-'));
    expect(bundleReport(dir, false)).toEqual([]);
    expect(bundleTable([])[0]).toMatch(/no dist/);
  });
});
