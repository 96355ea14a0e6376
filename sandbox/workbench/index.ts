import { z } from 'zod';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxApiAudience, sandboxClientId } from '../idp/users';
import type { SandboxContext, SandboxPart, SandboxPartFactory } from '../server';
import { buildWorkbenchBundle } from './bundle';
import { webPartPropertiesSchema, type WebPartProperties, type WorkbenchConfig } from './app/config';

const fontsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../node_modules/@fluentui/font-icons-mdl2/fonts');
const teamsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../teams');
/** The app's colour icon from the Teams package: the sandbox's favicon. */
const appIcon = async (): Promise<Buffer> => {
  const manifest = z.object({ icons: z.object({ color: z.string().regex(/^[\w.-]+\.png$/) }) }).parse(JSON.parse(await readFile(resolve(teamsDir, 'manifest.json'), 'utf8')));
  return readFile(resolve(teamsDir, manifest.icons.color));
};
/** `SANDBOX_WEBPART_PROPERTIES`: what a page editor set in the web parts' property panes (JSON). */
function webPartProperties(value: string | undefined): WebPartProperties {
  if (!value) return {};
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new Error('SANDBOX_WEBPART_PROPERTIES is not JSON: it looks like {"gatewayUrl":"…","gatewayResource":"…","crmSiteUrl":"…"}.');
  }
  const parsed = webPartPropertiesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`SANDBOX_WEBPART_PROPERTIES: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'its value'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * The page at `/`: a SharePoint-like site (sign-in, header, admin menu, pages) that mounts the web
 * parts' root components with services from the same composition root. It is served on
 * `localhost` while the identity provider answers on `127.0.0.1`: MSAL's popup flow needs the
 * two on different origins, as on SharePoint Online (`*.sharepoint.com` vs `login.microsoftonline.com`).
 */
export function workbenchPart(context: SandboxContext): SandboxPart {
  const webPart = webPartProperties(context.env.SANDBOX_WEBPART_PROPERTIES);
  let bundle: Promise<string> | undefined;
  const appBundle = (): Promise<string> =>
    (bundle ??= buildWorkbenchBundle().catch((error: unknown) => {
      bundle = undefined;
      throw error;
    }));
  // Build while the rest starts, so the first page load does not wait for esbuild.
  if (!context.env.VITEST) void appBundle().catch(() => undefined);

  const page = (origin: string): Response => {
    const base = context.baseUrl();
    const config: WorkbenchConfig = {
      siteUrl: `${origin}/sites/crm`,
      authority: `${base}/idp`,
      clientId: sandboxClientId,
      gatewayScope: `${sandboxApiAudience}/user_impersonation`,
      redirectUri: `${origin}/workbench/redirect.html`,
      webPart,
      // The site's regional settings; SANDBOX_REGIONAL_LOCALE=en-US shows a US site.
      regionalLocale: context.env.SANDBOX_REGIONAL_LOCALE || 'nl-NL',
    };
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contoso CRM</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;padding:0;font-family:'Segoe UI','Segoe UI Web (West European)',system-ui,sans-serif}</style>
<script>window.FabricConfig = { fontBaseUrl: '' };</script>
<script>window.__connectorLocale = (function () { try { var q = new URLSearchParams(location.search).get('lang'); if (q === 'nl-nl' || q === 'en-us') localStorage.setItem('workbench.locale', q); var t = new URLSearchParams(location.search).get('theme'); if (t) localStorage.setItem('workbench.theme', t); return localStorage.getItem('workbench.locale') || 'en-us'; } catch (e) { return 'en-us'; } })();</script>
<script type="application/json" id="workbench-config">${scriptJson(config)}</script>
</head><body><div id="workbench"></div><script src="/workbench/app.js"></script></body></html>`;
    return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
  };

  return {
    prefix: '/',
    describe: (baseUrl) => [`Workbench:            ${baseUrl.replace('127.0.0.1', 'localhost')}/  (sign in as admin@contoso.test / admin or sales@contoso.test / sales)`],
    handler: async (request) => {
      const url = new URL(request.url);
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
      if (url.pathname === '/workbench/app.js') {
        return new Response(await appBundle(), { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' } });
      }
      if (url.pathname === '/workbench/redirect.html') {
        return new Response('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing in</title></head><body><main>Signing in…</main></body></html>', {
          headers: { 'content-type': 'text/html; charset=utf-8' },
        });
      }
      const font = /^\/workbench\/fonts\/([\w.-]+\.woff2?)$/.exec(url.pathname);
      if (font) {
        const bytes = await readFile(resolve(fontsDir, font[1]!)).catch(() => undefined);
        return bytes ? new Response(bytes, { headers: { 'content-type': 'font/woff', 'cache-control': 'max-age=86400' } }) : new Response('Not found', { status: 404 });
      }
      // Every page of the sandbox (workbench, Teams, Exact, identity provider, gateway) shares this origin's icon.
      if (url.pathname === '/favicon.ico') return new Response(await appIcon(), { headers: { 'content-type': 'image/png', 'cache-control': 'max-age=86400' } });
      if (url.hostname === '127.0.0.1') {
        // The site lives on localhost (see above); send people there.
        return Response.redirect(`${url.protocol}//localhost:${url.port}${url.pathname}${url.search}`, 302);
      }
      return page(url.origin);
    },
  };
}

export const workbench: SandboxPartFactory = (context) => workbenchPart(context);
