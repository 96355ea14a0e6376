/**
 * The login and consent pages at `/exact/api/oauth2/auth`: plain HTML forms a person, Playwright
 * or a test with fetch can drive. Step 1 posts `username` + `password`; step 2 posts the `ticket`
 * from step 1, the chosen `division` values and `decision=allow|deny`, and redirects to the app.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/sync/clock';
import { normalizeClientId, type OAuthApp, type OAuthServer } from './oauth';
import type { DivisionInfo } from './seed';

export interface DemoUser {
  username: string;
  password: string;
  fullName: string;
}

interface Session { username: string; expiresAt: number }

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const page = (title: string, body: string, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - Exact Online (sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 28rem">
<main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`,
    { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers } },
  );

const sessionCookie = 'exact_sandbox_session';

export class AuthPages {
  private readonly sessions = new Map<string, Session>();

  public constructor(
    private readonly app: OAuthApp,
    private readonly user: DemoUser,
    private readonly divisions: () => DivisionInfo[],
    private readonly oauth: OAuthServer,
    private readonly clock: Clock,
  ) {}

  public async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : url.searchParams;
    const flow = {
      client_id: params.get('client_id') ?? '',
      redirect_uri: params.get('redirect_uri') ?? '',
      response_type: params.get('response_type') ?? '',
      state: params.get('state'),
    };
    if (normalizeClientId(flow.client_id) !== normalizeClientId(this.app.clientId)) {
      return page('Invalid request', '<p role="alert">The client_id is unknown.</p>', 400);
    }
    if (!this.app.redirectUris().includes(flow.redirect_uri)) {
      return page('Invalid request', '<p role="alert">The redirect_uri does not match a redirect URI registered for this app.</p>', 400);
    }
    if (flow.response_type !== 'code') {
      return this.redirect(flow, { error: 'unsupported_response_type' });
    }
    const hidden = (['client_id', 'redirect_uri', 'response_type', 'state'] as const)
      .filter((name) => flow[name] !== null)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(flow[name] ?? '')}">`)
      .join('\n');
    if (request.method === 'GET') {
      const session = this.session(cookieValue(request.headers.get('cookie')));
      if (session && url.searchParams.get('force_login') !== '1') {
        return this.consentPage(hidden, session.id);
      }
      return this.loginPage(hidden);
    }
    if (params.get('step') === 'consent') {
      const session = this.session(params.get('ticket'));
      if (!session) {
        return this.loginPage(hidden, 'Your session expired. Log in again.');
      }
      if (params.get('decision') !== 'allow') {
        return this.redirect(flow, { error: 'access_denied', error_description: 'The user denied access.' });
      }
      const allowed = new Set(this.divisions().map((d) => d.code));
      const chosen = params.getAll('division').map(Number).filter((code) => allowed.has(code));
      if (!chosen.length) {
        return this.consentPage(hidden, session.id, 'Choose at least one division.');
      }
      const code = this.oauth.createCode(session.username, chosen, flow.redirect_uri);
      return this.redirect(flow, { code });
    }
    if (params.get('username') !== this.user.username || params.get('password') !== this.user.password) {
      return this.loginPage(hidden, 'The user name or password is incorrect.');
    }
    const id = randomBytes(18).toString('base64url');
    this.sessions.set(id, { username: this.user.username, expiresAt: this.clock.now() + 20 * 60_000 });
    return this.consentPage(hidden, id, undefined, {
      'set-cookie': `${sessionCookie}=${id}; Path=/exact; HttpOnly; SameSite=Lax`,
    });
  }

  private session(id: string | null | undefined): (Session & { id: string }) | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    return session && id && session.expiresAt > this.clock.now() ? { ...session, id } : undefined;
  }

  private redirect(flow: { redirect_uri: string; state: string | null }, values: Record<string, string>): Response {
    const target = new URL(flow.redirect_uri);
    for (const [name, value] of Object.entries(values)) {
      target.searchParams.set(name, value);
    }
    if (flow.state !== null) {
      target.searchParams.set('state', flow.state);
    }
    return new Response(null, { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } });
  }

  private loginPage(hidden: string, error?: string): Response {
    return page(
      'Log in to Exact Online',
      `${error ? `<p role="alert" style="color:#a4262c">${escapeHtml(error)}</p>` : ''}
<p>Sandbox: log in as <code>${escapeHtml(this.user.username)}</code>.</p>
<form method="post" action="/exact/api/oauth2/auth">
${hidden}
<input type="hidden" name="step" value="login">
<p><label for="username">Username</label><br><input id="username" name="username" type="text" autocomplete="username" required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Log in</button></p>
</form>`,
      error ? 401 : 200,
    );
  }

  private consentPage(hidden: string, ticket: string, error?: string, headers: Record<string, string> = {}): Response {
    const options = this.divisions()
      .map(
        (d) => `<li><input type="checkbox" id="division-${d.code}" name="division" value="${d.code}" checked>
<label for="division-${d.code}">${d.code} - ${escapeHtml(d.description)} (${d.country})</label></li>`,
      )
      .join('\n');
    return page(
      'Allow access',
      `${error ? `<p role="alert" style="color:#a4262c">${escapeHtml(error)}</p>` : ''}
<p><strong>${escapeHtml(this.app.name)}</strong> wants to access your Exact Online data in these divisions:</p>
<form method="post" action="/exact/api/oauth2/auth">
${hidden}
<input type="hidden" name="step" value="consent">
<input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<fieldset><legend>Divisions</legend><ul style="list-style:none;padding:0">
${options}
</ul></fieldset>
<p><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form>`,
      200,
      headers,
    );
  }
}

function cookieValue(header: string | null): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${sessionCookie}=([^;]+)`).exec(header ?? '');
  return match?.[1];
}
