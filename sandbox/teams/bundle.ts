import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { localizedStrings } from '../workbench/bundle';

const here = dirname(fileURLToPath(import.meta.url));

export interface TeamsBundles {
  /** The host stand-in's page script. */
  host: string;
  /** The tab's script: teams-js from the installed package and the connector's root components. */
  tab: string;
}

export async function buildTeamsBundles(): Promise<TeamsBundles> {
  const result = await build({
    entryPoints: { host: resolve(here, 'host/main.ts'), tab: resolve(here, 'tab/main.tsx') },
    outdir: resolve(here, 'out'),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    sourcemap: false,
    // teams-js's dependencies expect Node's `global`.
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
    plugins: [localizedStrings()],
    logLevel: 'silent',
  });
  const text = (name: string): string => {
    const output = result.outputFiles.find((file) => basename(file.path) === `${name}.js`);
    if (!output) throw new Error(`esbuild produced no Teams ${name} bundle.`);
    return output.text;
  };
  return { host: text('host'), tab: text('tab') };
}
