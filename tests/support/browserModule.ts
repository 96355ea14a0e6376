import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { localizedStrings } from '../../sandbox/workbench/bundle';

/**
 * A module of src/ that imports SPFx string modules, bundled with its strings as SPFx loads them
 * (the workbench's plugin) and run in node in one locale; `stubs` stand in for SPFx packages.
 */
export async function browserModule<T>(entry: string, locale: 'en-us' | 'nl-nl', stubs: Record<string, unknown> = {}): Promise<T> {
  const root = resolve(__dirname, '../..');
  const result = await build({
    entryPoints: [resolve(root, entry)],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    external: Object.keys(stubs),
    plugins: [localizedStrings()],
    logLevel: 'silent',
  });
  const module = { exports: {} as T };
  const requireReal = createRequire(resolve(root, entry));
  const require = (name: string): unknown => (name in stubs ? stubs[name] : requireReal(name));
  const window = { __connectorLocale: locale };
  new Function('module', 'exports', 'require', 'window', result.outputFiles[0]!.text)(module, module.exports, require, window);
  return module.exports;
}
