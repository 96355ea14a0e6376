import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildResult, type OutputFile, type Plugin } from 'esbuild';
import { z } from 'zod';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * SPFx loads string modules (`import * as strings from 'CommonStrings'`) through its loader from
 * `config/config.json`'s `localizedResources`. The workbench bundles both locales of each and
 * picks one at start, from what the page set in `window.__connectorLocale`.
 */
export function localizedStrings(): Plugin {
  const config = z.object({ localizedResources: z.record(z.string()) }).parse(JSON.parse(readFileSync(resolve(root, 'config/config.json'), 'utf8')));
  const sources = new Map(Object.entries(config.localizedResources).map(([name, path]) => [name, resolve(root, path.replace(/^lib\//, 'src/'))]));
  return {
    name: 'spfx-localized-strings',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^[A-Za-z]+Strings$/ }, (args) => (sources.has(args.path) ? { path: args.path, namespace: 'spfx-strings' } : undefined));
      esbuild.onLoad({ filter: /.*/, namespace: 'spfx-strings' }, (args) => {
        const pattern = sources.get(args.path) ?? '';
        const load = (locale: string): string => {
          const file = pattern.replace('{locale}', locale);
          // The loc files are AMD modules: `define([], function () { return {...}; })`.
          return `(function () { var out; var define = function (_deps, factory) { out = factory(); }; ${readFileSync(file, 'utf8')}; return out; })()`;
        };
        return {
          contents: `module.exports = (typeof window !== 'undefined' && window.__connectorLocale === 'nl-nl') ? ${load('nl-nl')} : ${load('en-us')};`,
          loader: 'js',
          resolveDir: root,
        };
      });
    },
  };
}

/**
 * The sandbox's browser pages (workbench, Teams host and tab): one esbuild set-up, unminified so
 * a person can read them in the browser, with the string modules resolved as SPFx does.
 */
export function buildBrowserScripts(entryPoints: Record<string, string>, define: Record<string, string> = {}): Promise<BuildResult & { outputFiles: OutputFile[] }> {
  return build({
    entryPoints,
    outdir: resolve(root, 'sandbox/out'),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"development"', ...define },
    plugins: [localizedStrings()],
    logLevel: 'silent',
  });
}

/** The script of one entry point of a `buildBrowserScripts` result. */
export function scriptOf(result: { outputFiles: OutputFile[] }, name: string): string {
  const output = result.outputFiles.find((file) => basename(file.path) === `${name}.js`);
  if (!output) throw new Error(`esbuild produced no ${name} bundle.`);
  return output.text;
}

/** The workbench's browser bundle, built from the same src/ the SPFx web parts are. */
export async function buildWorkbenchBundle(): Promise<string> {
  return scriptOf(await buildBrowserScripts({ workbench: resolve(root, 'sandbox/workbench/app/main.tsx') }), 'workbench');
}
