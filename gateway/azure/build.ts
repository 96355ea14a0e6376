/**
 * Builds the deployable Function app folder:
 *
 *   npx tsx gateway/azure/build.ts [outDir]        (default dist/gateway-azure)
 *
 * Output: `host.json`, a generated `package.json` (`main` → the bundle), `dist/functions.js`,
 * one CommonJS bundle of gateway/azure/functions.ts with all its npm dependencies inlined, so the
 * folder needs no `npm install` on Azure, and `dist/teams-js.js`, the teams-js the Teams connect
 * outcome page loads. Only `@azure/functions-core` stays external: the
 * Functions Node.js worker provides it at run time.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { teamsJsBesideBundle, teamsJsScript } from '../teamsJs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

export interface BuiltFunctionApp {
  outDir: string;
  bundle: string;
  bytes: number;
}

export async function buildAzureFunctionApp(outDir = join(repoRoot, 'dist', 'gateway-azure')): Promise<BuiltFunctionApp> {
  const target = resolve(outDir);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'dist'), { recursive: true });
  const bundle = join(target, 'dist', 'functions.js');
  await build({
    entryPoints: [join(here, 'functions.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@azure/functions-core'],
    // Some Azure SDK ESM builds read import.meta.url, which a CommonJS bundle lacks.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'host.json'), join(target, 'host.json'));
  // The connect outcome page of a connect started in Teams loads it from the gateway (gateway/teamsJs.ts).
  copyFileSync(createRequire(import.meta.url).resolve(teamsJsScript), join(target, 'dist', teamsJsBesideBundle));
  const rootPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(
    join(target, 'package.json'),
    `${JSON.stringify({ name: 'exact-crm-gateway-functions', version: rootPackage.version, private: true, main: 'dist/functions.js' }, null, 2)}\n`,
  );
  // Local `func start` and `func azure functionapp publish` read settings from here, never deployed.
  writeFileSync(join(target, '.funcignore'), 'local.settings.json\n*.map\n');
  return { outDir: target, bundle, bytes: readFileSync(bundle).byteLength };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAzureFunctionApp(process.argv[2]).then(
    (built) => console.log(`Function app in ${built.outDir} (bundle ${(built.bytes / 1024).toFixed(0)} KiB)`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
