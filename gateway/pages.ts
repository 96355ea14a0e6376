/**
 * The page the OAuth popup ends on: it tells the window that opened it how the connect went and
 * closes. The message goes to the return URL's origin only (never `*`), and holds no token.
 * A connect started in Teams (`host=teams` in the state) answers through teams-js instead: the
 * Teams host opened this window for `authentication.authenticate`, and only
 * `notifySuccess`/`notifyFailure` end that call (teams-js closes the window itself).
 */
export interface ConnectOutcome {
  type: 'exact-connect';
  ok: boolean;
  /** Why it failed, for the page that opened the popup to choose its own words. */
  reason?: 'denied' | 'expired' | 'exact-error';
  /** Why it failed, in words for the admin. */
  error?: string;
  exactUser?: string;
  divisions?: number;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export type PageLanguage = 'en' | 'nl';

/** Dutch for admins whose browser asks for it first; English otherwise. */
export function pageLanguage(acceptLanguage: string | null): PageLanguage {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first === 'nl' || first.startsWith('nl-') ? 'nl' : 'en';
}

const strings = {
  en: {
    connected: 'Exact Online is connected',
    notConnected: 'Exact Online was not connected',
    connectedAs: (user: string, divisions: number) => `Connected as ${user} with ${divisions} division(s). You can close this window.`,
    unknown: 'Unknown error',
    tryAgain: 'Close this window and choose Connect again. If it keeps failing, send this message to your administrator.',
  },
  nl: {
    connected: 'Exact Online is gekoppeld',
    notConnected: 'Exact Online is niet gekoppeld',
    connectedAs: (user: string, divisions: number) => `Gekoppeld als ${user} met ${divisions} administratie(s). U kunt dit venster sluiten.`,
    unknown: 'Onbekende fout',
    tryAgain: 'Sluit dit venster en kies opnieuw Koppelen. Blijft het misgaan, stuur deze melding dan naar uw beheerder.',
  },
};

export type ConnectHost = 'teams';

export interface OutcomePageOptions {
  status: number;
  /** The origin the page posts the outcome to; none when the attempt's return URL is unknown. */
  targetOrigin?: string;
  language?: PageLanguage;
  host?: ConnectHost;
}

export function outcomePage(outcome: ConnectOutcome, { status, targetOrigin, language = 'en', host }: OutcomePageOptions): Response {
  const t = strings[language];
  const title = outcome.ok ? t.connected : t.notConnected;
  const detail = outcome.ok
    ? escapeHtml(t.connectedAs(outcome.exactUser ?? '', outcome.divisions ?? 0))
    : `${escapeHtml(outcome.error ?? t.unknown)}</p><p>${escapeHtml(t.tryAgain)}`;
  const script = `(function () {
  var outcome = ${scriptJson(outcome)};
  var targetOrigin = ${scriptJson(targetOrigin ?? null)};
  var sdk = window.microsoftTeams;
  if (sdk && sdk.app && sdk.authentication) {
    // The whole outcome both ways, so the tab can tell a refusal from an expired attempt.
    sdk.app.initialize().then(function () {
      if (outcome.ok) { sdk.authentication.notifySuccess(JSON.stringify(outcome)); } else { sdk.authentication.notifyFailure(JSON.stringify(outcome)); }
    }, function () { /* Not opened by a Teams host: the text on the page says what happened. */ });
    return;
  }
  if (window.opener && targetOrigin) {
    window.opener.postMessage(outcome, targetOrigin);
    window.close();
  }
})();`;
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<style>body{font-family:'Segoe UI',system-ui,sans-serif;margin:2rem;max-width:40rem;line-height:1.5}
h1{font-size:1.5rem;font-weight:600;color:${outcome.ok ? '#107c10' : '#a4262c'}}
@media (prefers-color-scheme: dark){body{background:#1b1a19;color:#f3f2f1}h1{color:${outcome.ok ? '#54b054' : '#f1707b'}}}</style>
${host === 'teams' ? '<script src="../teams-js.js"></script>' : ''}</head>
<body><main><h1>${title}</h1><p role="${outcome.ok ? 'status' : 'alert'}">${detail}</p></main>
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
