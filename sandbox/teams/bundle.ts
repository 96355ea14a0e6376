import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBrowserScripts, scriptOf } from '../workbench/bundle';

const here = dirname(fileURLToPath(import.meta.url));

export interface TeamsBundles {
  /** The host stand-in's page script. */
  host: string;
  /** The tab's script: teams-js from the installed package and the connector's root components. */
  tab: string;
}

export async function buildTeamsBundles(): Promise<TeamsBundles> {
  // teams-js's dependencies expect Node's `global`.
  const result = await buildBrowserScripts({ host: resolve(here, 'host/main.ts'), tab: resolve(here, 'tab/main.tsx') }, { global: 'globalThis' });
  return { host: scriptOf(result, 'host'), tab: scriptOf(result, 'tab') };
}
