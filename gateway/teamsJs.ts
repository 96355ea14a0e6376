import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * teams-js for the connect outcome page, from the installed package SPFx 1.21 itself depends on
 * (`@microsoft/teams-js-v2`, teams-js 2.32): the page runs in a window the Teams host opened and
 * must not load scripts from a CDN (offline sandbox, and one origin less to trust).
 */
export const teamsJsPackage = '@microsoft/teams-js-v2';
const scriptPath = `${teamsJsPackage}/dist/umd/MicrosoftTeams.min.js`;

let source: Promise<string> | undefined;

function load(): Promise<string> {
  const path = createRequire(import.meta.url).resolve(scriptPath);
  return readFile(path, 'utf8');
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
    return new Response(`teams-js is not installed with the gateway (${scriptPath}): ${error instanceof Error ? error.message : String(error)}`, {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(text, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' },
  });
}
