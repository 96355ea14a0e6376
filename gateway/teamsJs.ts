import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * teams-js for the connect outcome page, from the installed package SPFx 1.21 itself depends on
 * (`@microsoft/teams-js-v2`, teams-js 2.32): the page runs in a window the Teams host opened and
 * must not load scripts from a CDN (offline sandbox, and one origin less to trust).
 */
export const teamsJsPackage = '@microsoft/teams-js-v2';
export const teamsJsScript = `${teamsJsPackage}/dist/umd/MicrosoftTeams.min.js`;
/** The copy the Function app build puts beside its bundle: a deployed app has no node_modules. */
export const teamsJsBesideBundle = 'teams-js.js';

let source: Promise<string> | undefined;

function load(): Promise<string> {
  const beside = join(dirname(fileURLToPath(import.meta.url)), teamsJsBesideBundle);
  return readFile(existsSync(beside) ? beside : createRequire(import.meta.url).resolve(teamsJsScript), 'utf8');
}

export async function teamsJsResponse(): Promise<Response> {
  source ??= load().catch((error: unknown) => {
    source = undefined;
    throw error;
  });
  let text: string;
  try {
    text = await source;
  } catch (error) {
    return new Response(`teams-js is not installed with the gateway (${teamsJsScript}): ${error instanceof Error ? error.message : String(error)}`, {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(text, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' },
  });
}
