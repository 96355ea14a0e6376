import { sandboxApiAudience, sandboxClientId } from '../idp/users';
import { incomingWebhook } from './incomingWebhook';
import type { SandboxContext, SandboxPart, SandboxPartFactory } from '../server';
import { buildTeamsBundles, type TeamsBundles } from './bundle';
import type { TeamsPageConfig } from './host/config';
import { adminTabs, configurableTab, isTeamsTab, personalTabs, tabName, type TeamsTabId } from './tabs';

const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
const html = (body: string): Response => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
const script = (text: string): Response => new Response(text, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' } });

const hostStyle = `html,body{margin:0;height:100%;font-family:'Segoe UI',system-ui,sans-serif;background:var(--header);color:var(--text)}
.teams{display:flex;height:100vh}.rail{display:flex;flex-direction:column;gap:4px;width:68px;padding:8px 0;background:var(--rail);border-right:1px solid var(--border)}
.rail-item{font-size:11px;text-align:center;padding:10px 2px;color:var(--text);text-decoration:none;border-left:3px solid transparent}
.rail-item[aria-current=page]{border-left-color:var(--accent);font-weight:600}
.main{display:flex;flex-direction:column;flex:1;min-width:0}
.tab-header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:8px 16px;background:var(--header);border-bottom:1px solid var(--border)}
.tab-header h1{font-size:16px;margin:0}.tabs{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;min-width:0}
.tabs a{color:var(--text);text-decoration:none;padding:4px 0;overflow-wrap:anywhere}
.tabs a[aria-current=page]{border-bottom:3px solid var(--accent);font-weight:600}.theme select{font:inherit}.user{margin-left:auto;font-size:13px}
.add-tab-button{font:inherit;font-size:18px;line-height:1;width:32px;height:32px;border:1px solid var(--border);border-radius:4px;background:transparent;color:var(--text);cursor:pointer}
.tab-content{flex:1;display:flex;flex-direction:column;min-height:0}.tab-frame{flex:1;width:100%;border:0;min-height:0}
.posts{padding:16px 20px;max-width:40rem}.posts h2{font-size:18px;margin:0 0 8px}.posts p{margin:0}
.sign-in{max-width:26rem;margin:4rem auto;padding:0 1rem}
.primary{font:inherit;padding:6px 20px;background:#5b5fc7;color:#fff;border:1px solid #5b5fc7;border-radius:4px;cursor:pointer}
.primary:disabled{background:#e0e0e0;color:#5c5c5c;border-color:#e0e0e0;cursor:default}
.secondary{font:inherit;padding:6px 20px;background:transparent;color:var(--text);border:1px solid var(--border);border-radius:4px;cursor:pointer}
[hidden]{display:none!important}
.tab-options{display:flex;flex-wrap:wrap;align-items:center;gap:4px}.tab-options-menu{display:flex;gap:4px}.small{padding:4px 10px;font-size:13px}
.add-tab{width:min(720px,calc(100vw - 16px));height:min(640px,calc(100vh - 16px));box-sizing:border-box;padding:0;border:1px solid var(--border);border-radius:8px;background:var(--header);color:var(--text);flex-direction:column}
.add-tab[open]{display:flex}.add-tab::backdrop{background:rgba(0,0,0,.4)}
.add-tab h2{font-size:18px;margin:0;padding:16px 20px 8px}.dialog-body{flex:1;min-height:0;display:flex;flex-direction:column;padding:0 20px}
.dialog-body p{margin:0 0 12px}.app-gallery{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:8px}
.app-tile{font:inherit;padding:12px 16px;border:1px solid var(--border);border-radius:4px;background:transparent;color:var(--text);cursor:pointer}
.settings-frame{flex:1;width:100%;min-height:0;border:1px solid var(--border);border-radius:4px}
.dialog-footer{display:flex;flex-wrap:wrap;justify-content:flex-end;align-items:center;gap:8px;padding:12px 20px 16px}
.dialog-status{margin:0 auto 0 0;font-size:13px;overflow-wrap:anywhere}
@media (max-width:600px){.teams{flex-direction:column}.rail{flex-direction:row;justify-content:center;width:auto;padding:0;border-right:0;border-bottom:1px solid var(--border)}
.rail .muted{display:none}.rail-item{border-left:0;border-bottom:3px solid transparent;padding:8px 12px}.rail-item[aria-current=page]{border-bottom-color:var(--accent)}
.user{margin-left:0}.tab-header{padding:8px 12px}
.tabs{flex:1 1 100%;flex-wrap:nowrap;overflow-x:auto;scrollbar-width:thin}.tabs a{white-space:nowrap;overflow-wrap:normal}.add-tab-button{flex:none}.add-tab h2{padding:12px 12px 8px}.dialog-body{padding:0 12px}.dialog-footer{padding:8px 12px 12px}}`;

/**
 * The Teams host stand-in at `/teams`: a page that looks enough like Teams (left rail, tab header)
 * and frames the app's tabs, speaking teams-js v2's host protocol (host/protocol.ts). It is served
 * on 127.0.0.1, the gateway's origin: teams-js accepts messages from other origins only over https,
 * and in the sandbox the host and the gateway's connect outcome page must talk without it. (Real
 * Teams is https and on teams-js's built-in list of valid origins.)
 */
export function teamsPart(context: SandboxContext): SandboxPart {
  let bundles: Promise<TeamsBundles> | undefined;
  const built = (): Promise<TeamsBundles> =>
    (bundles ??= buildTeamsBundles().catch((error: unknown) => {
      bundles = undefined;
      throw error;
    }));
  if (!context.env.VITEST) void built().catch(() => undefined);

  const hostPage = (origin: string): Response => {
    const base = context.baseUrl();
    const names = (id: TeamsTabId) => ({ 'en-us': tabName(id, 'en-us'), 'nl-nl': tabName(id, 'nl-nl') });
    const staticTab = (entityId: TeamsTabId) => ({ entityId, names: names(entityId), contentUrl: `${origin}/teams/tab/${entityId}?lang={locale}`, adminOnly: adminTabs.includes(entityId) });
    const config: TeamsPageConfig = {
      authority: `${base}/idp`,
      clientId: sandboxClientId,
      scope: `${sandboxApiAudience}/user_impersonation`,
      siteUrl: `${origin}/sites/crm`,
      redirectUri: `${origin}/teams`,
      personalTabs: personalTabs.map(staticTab),
      configurableTabs: [{ names: names(configurableTab.content), configurationUrl: `${origin}/teams/tab/${configurableTab.settings}?lang={locale}` }],
    };
    return html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Exact CRM Connector | Microsoft Teams</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${hostStyle}</style>
<script type="application/json" id="teams-config">${scriptJson(config)}</script>
</head><body><div id="teams"></div><script src="/teams/host.js"></script></body></html>`);
  };

  const tabPage = (origin: string, page: TeamsTabId, lang: string): Response => {
    const config = {
      siteUrl: `${origin}/sites/crm`,
      gatewayUrl: `${context.baseUrl()}/gateway`,
      page,
      // For the settings page: the tab it configures, and the company's page on the SharePoint site.
      contentUrl: `${origin}/teams/tab/${configurableTab.content}?lang={locale}`,
      websiteUrl: `${context.baseUrl().replace('127.0.0.1', 'localhost')}/pages/customer?company={company}`,
    };
    return html(`<!doctype html>
<html lang="${lang.startsWith('nl') ? 'nl' : 'en'}"><head><meta charset="utf-8"><title>${tabName(page, lang)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;padding:0;font-family:'Segoe UI','Segoe UI Web (West European)',system-ui,sans-serif}</style>
<script>window.FabricConfig = { fontBaseUrl: '' };</script>
<script>window.__connectorLocale = new URLSearchParams(location.search).get('lang') === 'nl-nl' ? 'nl-nl' : 'en-us';</script>
<script type="application/json" id="tab-config">${scriptJson(config)}</script>
</head><body><div id="tab"></div><script src="/teams/tab.js"></script></body></html>`);
  };

  return {
    prefix: '/teams',
    describe: (baseUrl) => [`Teams host stand-in:  ${baseUrl}/teams  ("My customers" and the admin pages in the left rail, customer tabs in a channel; ?theme=dark|contrast, ?lang=nl-nl)`],
    handler: async (request) => {
      const url = new URL(request.url);
      const posted = await incomingWebhook(request, url);
      if (posted) return posted;
      if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
      if (url.hostname === 'localhost') {
        return Response.redirect(`${url.protocol}//127.0.0.1:${url.port}${url.pathname}${url.search}`, 302);
      }
      if (url.pathname === '/teams/host.js') return script((await built()).host);
      if (url.pathname === '/teams/tab.js') return script((await built()).tab);
      const tab = /^\/teams\/tab\/([a-z-]+)$/.exec(url.pathname);
      if (tab) return isTeamsTab(tab[1]!) ? tabPage(url.origin, tab[1]!, url.searchParams.get('lang') === 'nl-nl' ? 'nl-nl' : 'en-us') : new Response('No such tab', { status: 404 });
      if (url.pathname === '/teams' || url.pathname === '/teams/') return hostPage(url.origin);
      return new Response('Not found', { status: 404 });
    },
  };
}

export const teams: SandboxPartFactory = (context) => teamsPart(context);
