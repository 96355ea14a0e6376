import type { SandboxPart, SandboxPartFactory } from './server';

/** The page at `/`: where the sandbox lists what it serves, and where web parts will mount. */
export const workbench: SandboxPartFactory = (): SandboxPart => ({
  prefix: '/',
  describe: (baseUrl) => [`Workbench:            ${baseUrl}/`],
  handler: async (request) => {
    const base = new URL(request.url).origin;
    if (new URL(request.url).pathname !== '/') {
      return new Response('Not found', { status: 404 });
    }
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Exact CRM Connector sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: 'Segoe UI', sans-serif; margin: 2rem; max-width: 48rem">
<h1>Exact CRM Connector sandbox</h1>
<p>Local stand-ins for Exact Online, SharePoint and Entra ID, and the gateway, on one port.</p>
<ul>
<li><a href="${base}/exact/api/oauth2/auth">Exact Online emulator</a> (<code>${base}/exact/api/v1/…</code>)</li>
<li><a href="${base}/sites/crm/_api/web">SharePoint site /sites/crm</a></li>
<li><a href="${base}/idp/.well-known/openid-configuration">Identity provider</a></li>
<li><a href="${base}/gateway/health">Gateway</a></li>
</ul>
</body></html>`;
    return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  },
});
