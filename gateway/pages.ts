/**
 * The page the OAuth popup ends on: it tells the window that opened it how the connect went and
 * closes. The message goes to the return URL's origin only (never `*`), and holds no token.
 */
export interface ConnectOutcome {
  type: 'exact-connect';
  ok: boolean;
  /** Why it failed, in words for the admin. */
  error?: string;
  exactUser?: string;
  divisions?: number;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function outcomePage(outcome: ConnectOutcome, targetOrigin: string | undefined, status: number): Response {
  const title = outcome.ok ? 'Exact Online is connected' : 'Exact Online was not connected';
  const detail = outcome.ok
    ? `Connected as ${escapeHtml(outcome.exactUser ?? '')} with ${outcome.divisions ?? 0} division(s). You can close this window.`
    : escapeHtml(outcome.error ?? 'Unknown error');
  const script = `(function () {
  var outcome = ${scriptJson(outcome)};
  var targetOrigin = ${scriptJson(targetOrigin ?? null)};
  var teams = window.microsoftTeams && window.microsoftTeams.authentication;
  if (teams && teams.notifySuccess && teams.notifyFailure) {
    if (outcome.ok) { teams.notifySuccess(JSON.stringify(outcome)); } else { teams.notifyFailure(outcome.error || 'failed'); }
    return;
  }
  if (window.opener && targetOrigin) {
    window.opener.postMessage(outcome, targetOrigin);
    window.close();
  }
})();`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:'Segoe UI',sans-serif;margin:2rem"><h1>${title}</h1><p>${detail}</p>
<script>${script}</script></body></html>`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
  });
}
