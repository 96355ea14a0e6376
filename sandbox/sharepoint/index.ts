import { join } from 'node:path';
import type { SandboxContext, SandboxPart, SandboxPartFactory } from '../server';
import { formatBatchResponse, parseBatch, type BatchPart } from './batch';
import { SpCodes, SpError, errorResponse } from './errors';
import { dialectOf } from './format';
import { normalizePath } from './files';
import { addItem } from './items';
import type { ApiRequest } from './request';
import { routeApi } from './router';
import { contosoTenantId, sandboxClientId } from '../idp/users';
import { effectiveMask, groupIds, hasKind, noAccess, PermissionKind, roleDefinitions } from './permissions';
import { digestSeconds, Sessions, sessionCookie, type Session, type SignInSettings } from './sessions';
import { createSignIn, SESSION_PATH } from './signIn';
import { SitePersistence } from './persistence';
import { ignoreChanges, SITE_PATH, Site } from './site';
import type { AppGrant, ItemState, ListState, SiteUser } from './state';
import { createAppAccess, grantApp, revokeApp, type AppAccessSettings } from './appAccess';
import { createGraphHandler, GRAPH_PATH, type GraphSettings } from './graph';

export { SESSION_PATH };

export interface SharePointEmulatorOptions {
  /** Keep data in memory only, even when the sandbox has a dataDir (tests). */
  inMemory?: boolean;
  /** Log size above which it is folded into `site.json` (when also above the snapshot's size); small in tests that cross it. */
  logCompactBytes?: number;
  /** Filters on non-indexed columns fail on lists above this many items; false turns the check off. */
  listViewThreshold?: number | false;
  /** Non-GET requests need an X-RequestDigest (as SharePoint does); false accepts them without. */
  requireDigest?: boolean;
  /**
   * Callers must sign in (FedAuth cookie from POST {@link SESSION_PATH}) or get SharePoint's 401.
   * Default false so Node tests can call without a cookie; `sharePointEmulator` (npm start) turns it on.
   */
  requireSignIn?: boolean;
  /** Who a caller without any FedAuth cookie acts as when sign-in is not required (default admin@contoso.test, a site owner). */
  defaultUser?: string;
  /** Where ID tokens come from; defaults to the sandbox identity provider at `{baseUrl}/idp` and the contoso tenant. */
  signIn?: Partial<SignInSettings>;
  /** Delay before answering each request, like a remote tenant (default SANDBOX_SP_LATENCY_MS, else 0; Exact has its own SANDBOX_LATENCY_MS). */
  latencyMs?: number;
  /** Whose app-only tokens the site takes; defaults to the sandbox identity provider, the contoso tenant and the sandbox's origin as audience. */
  appAccess?: Partial<AppAccessSettings>;
}

export type GroupTitle = 'CRM Owners' | 'CRM Members' | 'CRM Visitors';
export type RoleName = 'Full Control' | 'Edit' | 'Contribute' | 'Read';

export interface ThrottleOptions {
  /** Answer the next N requests with the fault. */
  next?: number;
  /** Answer every Nth request with the fault (counted from when this is set). */
  everyNth?: number;
  /** Retry-After header value in seconds (default 1); sent with 429 and 503. */
  retryAfterSeconds?: number;
  /** Status to answer with: 429 (default, throttled), 503 (server busy) or 500 (server fault). */
  status?: 429 | 500 | 503;
}

export interface RequestCounts {
  /** HTTP requests that reached the emulator (a $batch counts once). */
  total: number;
  byMethod: Record<string, number>;
  /** By path kind: web, lists, list, fields, field, items, item, files, folders, contextinfo, batch, other. */
  byKind: Record<string, number>;
  batches: number;
  /** Requests carried inside $batch bodies. */
  batchParts: number;
  batchPartsByKind: Record<string, number>;
  /** Requests answered with an injected 429/503/500. */
  throttled: number;
}

export interface SharePointControl {
  siteUrl(): string;
  counts(): RequestCounts;
  resetCounts(): void;
  throttle(options: ThrottleOptions): void;
  clearThrottle(): void;
  /** Delay before answering each request (a $batch waits once), like the round trip to a tenant. */
  setLatency(ms: number): void;
  /** Wipes every list and the persisted folder; the site starts over with its Documents library. */
  reset(): Promise<void>;
  /** Folds the write-ahead log into `site.json` now (every acknowledged write is on disk already). */
  flush(): Promise<void>;
  listTitles(): string[];
  /** The live list (for assertions; do not mutate). */
  list(title: string): ListState;
  items(title: string): ItemState[];
  /** Adds items without HTTP (validated like a REST add) to seed big lists fast; returns their Ids. */
  addItems(title: string, rows: Record<string, unknown>[]): number[];
  /** Signs `email` in without the identity provider (tests not about sign-in); returns the Cookie header value. */
  sessionCookieFor(email: string): string;
  /** Puts a person in a site group (adding them to the site first). */
  addGroupMember(group: GroupTitle, email: string): void;
  /** Grants an app this site (what Graph's `POST /sites/{id}/permissions` does, without an admin token; tests). */
  grantApp(appId: string, displayName: string, roles: AppGrant['roles']): AppGrant;
  /** Removes an app's grant (Graph's DELETE of the permission); its next request is refused. */
  revokeApp(appId: string): void;
  /** The Graph slice that grants apps this site (mount under {@link GRAPH_PATH}). */
  graphHandler(request: Request): Promise<Response>;
  /** Gives a list its own permissions (group → permission level), or makes it inherit the web's again. */
  setListPermissions(title: string, assignments: Partial<Record<GroupTitle, RoleName>> | 'inherit'): void;
  /** Sets a tenant property (`Set-PnPStorageEntity`); undefined removes it. */
  setStorageEntity(key: string, value: string | undefined): void;
}

function injectedFault(status: 429 | 500 | 503, retryAfter: number): SpError {
  if (status === 500) return new SpError(500, SpCodes.generic, 'Injected server fault (sandbox knob).');
  const message = status === 429
    ? 'The request has been throttled. Please retry after the number of seconds in the Retry-After header.'
    : 'The service is temporarily unavailable. Please retry after the number of seconds in the Retry-After header.';
  return new SpError(status, SpCodes.throttled, message, { 'Retry-After': String(retryAfter) });
}

const emptyCounts = (): RequestCounts => ({ total: 0, byMethod: {}, byKind: {}, batches: 0, batchParts: 0, batchPartsByKind: {}, throttled: 0 });

/** Coarse path kind for request counting: the last addressable thing in the path. */
export function pathKind(apiPath: string): string {
  const p = apiPath.toLowerCase().replace(/\?.*$/, '');
  if (p === 'contextinfo') return 'contextinfo';
  if (p === '$batch') return 'batch';
  if (/\/items\(\d+\)|\/items\/getbyid\(|getitembyid\(/.test(p)) return 'item';
  if (/\/items$/.test(p)) return 'items';
  if (/\/fields\/|\/fields\(/.test(p)) return 'field';
  if (/\/fields$/.test(p)) return 'fields';
  if (/getfile|\/files/.test(p)) return 'files';
  if (/getfolder|\/folders|rootfolder/.test(p)) return 'folders';
  if (/^web\/lists$/.test(p)) return 'lists';
  if (/^web\/lists|^web\/getlist/.test(p)) return 'list';
  if (p === 'web') return 'web';
  return 'other';
}

const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

export async function createSharePointEmulator(
  context: SandboxContext,
  options: SharePointEmulatorOptions = {},
): Promise<{ part: SandboxPart; control: SharePointControl }> {
  const folder = !options.inMemory && context.dataDir ? join(context.dataDir, 'sharepoint') : undefined;
  const persistence = folder ? new SitePersistence(folder, options.logCompactBytes) : undefined;
  const activeSite = new Site(context.clock, persistence?.changes ?? ignoreChanges, persistence?.load());
  persistence?.attach(activeSite);
  if (persistence) process.once('exit', () => persistence.trySave());
  const threshold = options.listViewThreshold === false ? undefined : options.listViewThreshold ?? 5000;
  const requireDigest = options.requireDigest ?? context.env.SANDBOX_SP_REQUIRE_DIGEST !== 'false';
  const requireSignIn = options.requireSignIn ?? false;
  const defaultUser = options.defaultUser ?? 'admin@contoso.test';
  const sessions = new Sessions(context.clock);

  let counts = emptyCounts();
  let latencyMs = options.latencyMs ?? Math.max(0, Number(context.env.SANDBOX_SP_LATENCY_MS ?? 0) || 0);
  let throttle: (ThrottleOptions & { seen: number }) | undefined;
  const envEvery = Number(context.env.SANDBOX_SP_THROTTLE_EVERY ?? 0);
  if (envEvery > 0) throttle = { everyNth: envEvery, retryAfterSeconds: Number(context.env.SANDBOX_SP_RETRY_AFTER ?? 1), seen: 0 };

  const webUrl = () => `${context.baseUrl()}${SITE_PATH}`;

  let lastStatus: 429 | 500 | 503 = 429;
  const shouldThrottle = (): number | undefined => {
    if (!throttle) return undefined;
    lastStatus = throttle.status ?? 429;
    throttle.seen += 1;
    const retryAfter = throttle.retryAfterSeconds ?? 1;
    if (throttle.next && throttle.next > 0) {
      throttle.next -= 1;
      if (throttle.next === 0 && !throttle.everyNth) throttle = undefined;
      return retryAfter;
    }
    if (throttle.everyNth && throttle.seen % throttle.everyNth === 0) return retryAfter;
    return undefined;
  };

  const dispatch = (method: string, url: URL, headers: Headers, body: Uint8Array): Response => {
    const dialect = dialectOf(headers.get('accept'));
    try {
      const apiPath = url.pathname.slice(`${SITE_PATH}/_api/`.length);
      // Links (odata.nextLink, __metadata.uri) use the host the caller used, as SharePoint does:
      // the workbench calls on localhost, and a link to 127.0.0.1 would leave its cookie behind.
      const req: ApiRequest = { site: activeSite, webUrl: `${url.origin}${SITE_PATH}`, url, method, headers, body, dialect, listViewThreshold: threshold };
      return routeApi(req, apiPath);
    } catch (error) {
      if (error instanceof SpError) return errorResponse(error, dialect === 'verbose');
      const message = error instanceof Error ? error.message : String(error);
      return errorResponse(new SpError(500, SpCodes.generic, `Emulator failure: ${message}`), dialect === 'verbose');
    }
  };

  const contextInfo = (dialect: string, session: Session | undefined): Response => {
    const info = {
      FormDigestTimeoutSeconds: digestSeconds, FormDigestValue: sessions.issueDigest(session),
      LibraryVersion: '16.0.25409.12001', SiteFullUrl: webUrl(), SupportedSchemaVersions: ['14.0.0.0', '15.0.0.0'], WebFullUrl: webUrl(),
    };
    const body = dialect === 'verbose'
      ? { d: { GetContextWebInformation: { __metadata: { type: 'SP.ContextWebInformation' }, ...info, SupportedSchemaVersions: { results: info.SupportedSchemaVersions } } } }
      : { 'odata.metadata': `${webUrl()}/_api/$metadata#SP.ContextWebInformation`, ...info };
    return Response.json(body, { headers: { 'content-type': 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8' } });
  };

  const batchPart = (part: BatchPart): Response => {
    counts.batchParts += 1;
    let url: URL;
    try {
      url = new URL(part.url, webUrl());
    } catch {
      return errorResponse(new SpError(400, SpCodes.generic, `The batch part URL '${part.url}' is not valid.`), false);
    }
    bump(counts.batchPartsByKind, pathKind(url.pathname.slice(`${SITE_PATH}/_api/`.length)));
    if (!url.pathname.toLowerCase().startsWith(`${SITE_PATH}/_api/`)) {
      return errorResponse(new SpError(400, SpCodes.generic, `The batch part URL '${part.url}' is not on site ${SITE_PATH}.`), false);
    }
    return dispatch(part.method, url, part.headers, new TextEncoder().encode(part.body));
  };

  const batch = async (request: Request, body: Uint8Array, user: SiteUser): Promise<Response> => {
    const parts = parseBatch(request.headers.get('content-type'), new TextDecoder().decode(body));
    counts.batches += 1;
    // Every part runs as the caller: a part they have no right to is answered 403 on its own.
    const responses = activeSite.actAs(user, () => parts.map(batchPart));
    const { body: text, contentType } = await formatBatchResponse(responses);
    return new Response(text, { status: 200, headers: { 'content-type': contentType } });
  };

  const tenantOf = (): string => options.signIn?.tenantId ?? contosoTenantId;
  const appAccess = createAppAccess({
    site: activeSite, clock: context.clock,
    settings: () => ({ issuer: `${context.baseUrl()}/idp`, jwksUri: `${context.baseUrl()}/idp/jwks`, audiences: [context.baseUrl(), context.baseUrl().replace('127.0.0.1', 'localhost')], tenantId: tenantOf(), ...options.appAccess }),
  });
  const graphHandler = createGraphHandler({
    site: activeSite, clock: context.clock, siteHost: () => new URL(context.baseUrl()).host,
    settings: (): GraphSettings => ({ issuer: options.appAccess?.issuer ?? `${context.baseUrl()}/idp`, jwksUri: options.appAccess?.jwksUri ?? `${context.baseUrl()}/idp/jwks`, tenantId: tenantOf() }),
  });

  /** The caller: an app by its bearer token (app-only), else a person by the FedAuth session. */
  const whoCalls = async (request: Request): Promise<{ user: SiteUser; session?: Session } | Response> => {
    const authorization = request.headers.get('authorization');
    if (authorization === null || !/^Bearer\s/i.test(authorization)) return signIn.caller(request);
    const app = await appAccess.caller(authorization);
    if ('refused' in app) return app.refused;
    if ('forbidden' in app) throw app.forbidden;
    return { user: app.user };
  };

  const signIn = createSignIn({
    site: activeSite, sessions, clock: context.clock, webUrl, requireSignIn, defaultUser,
    settings: () => ({ issuer: `${context.baseUrl()}/idp`, jwksUri: `${context.baseUrl()}/idp/jwks`, audience: sandboxClientId, tenantId: contosoTenantId, ...options.signIn }),
  });

  /** Nothing is acknowledged before it is on disk: a write that could not be saved is a 500. */
  const handler = async (request: Request): Promise<Response> => {
    const response = await answer(request);
    try {
      persistence?.save();
    } catch (error) {
      console.error(`SharePoint emulator could not save to ${folder}:`, error);
      const message = error instanceof Error ? error.message : String(error);
      return errorResponse(new SpError(500, SpCodes.generic, `The change could not be saved: ${message}`), dialectOf(request.headers.get('accept')) === 'verbose');
    }
    return response;
  };

  const answer = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const lowerPath = url.pathname.toLowerCase();
    if (lowerPath === SITE_PATH || lowerPath === `${SITE_PATH}/`) {
      return new Response(`SharePoint emulator site ${webUrl()} — REST at ${webUrl()}/_api/web`, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const apiPath = url.pathname.slice(`${SITE_PATH}/_api/`.length);
    const override = request.headers.get('x-http-method');
    const method = request.method === 'POST' && override ? override.toUpperCase() : request.method.toUpperCase();
    const dialect = dialectOf(request.headers.get('accept'));
    try {
      if (lowerPath === SESSION_PATH.toLowerCase()) return await signIn.sessionEndpoint(request, method, url, body);
      if (!lowerPath.startsWith(`${SITE_PATH}/_api/`)) {
        const who = await whoCalls(request);
        if (who instanceof Response) return who;
        return activeSite.actAs(who.user, () => downloadByUrl(decodeURIComponent(url.pathname)));
      }
      counts.total += 1;
      bump(counts.byMethod, method);
      bump(counts.byKind, pathKind(apiPath));
      const retryAfter = shouldThrottle();
      if (retryAfter !== undefined) {
        counts.throttled += 1;
        return errorResponse(injectedFault(throttle?.status ?? lastStatus, retryAfter), dialect === 'verbose');
      }
      const who = await whoCalls(request);
      if (who instanceof Response) return who;
      const { user, session } = who;
      // Signed in but in no group of the site: SharePoint's "you need access" for everything.
      if (!hasKind(effectiveMask(activeSite.state, user), PermissionKind.Open)) throw noAccess();
      const lowerApi = apiPath.toLowerCase();
      if (lowerApi === 'contextinfo') {
        return request.method === 'POST' ? contextInfo(dialect, session) : errorResponse(new SpError(405, SpCodes.notSupported, 'contextinfo needs POST.'), false);
      }
      if (requireDigest && method !== 'GET' && !signIn.digestAccepted(request, session)) {
        return errorResponse(new SpError(403, SpCodes.digest,
          'The security validation for this page is invalid and might be corrupted. Please use your web browser\'s Back button to try your operation again.'), dialect === 'verbose');
      }
      if (lowerApi === '$batch') {
        if (request.method !== 'POST') return errorResponse(new SpError(405, SpCodes.notSupported, '$batch needs POST.'), false);
        return await batch(request, body, user);
      }
      return activeSite.actAs(user, () => dispatch(method, url, request.headers, body));
    } catch (error) {
      if (error instanceof SpError) return errorResponse(error, dialect === 'verbose');
      throw error;
    }
  };

  /** Plain GET of a document URL (what a browser does when a user clicks a file link). */
  const downloadByUrl = (path: string): Response => {
    const list = activeSite.listByRootFolder(path);
    const item = list?.items.find((i) => i.FileSystemObjectType === 0 && i.FileRef?.toLowerCase() === normalizePath(path).toLowerCase());
    if (!item?.file || !activeSite.canView(list!)) return new Response('404 FILE NOT FOUND', { status: 404 });
    return new Response(Buffer.from(item.file.content, 'base64'), { headers: { 'content-type': 'application/octet-stream' } });
  };

  const control: SharePointControl = {
    siteUrl: webUrl,
    counts: () => structuredClone(counts),
    resetCounts: () => {
      counts = emptyCounts();
    },
    throttle: (o) => {
      throttle = { ...o, seen: 0 };
    },
    clearThrottle: () => {
      throttle = undefined;
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    reset: async () => {
      persistence?.remove();
      activeSite.reset();
    },
    flush: async () => {
      persistence?.save();
      persistence?.compact();
    },
    listTitles: () => activeSite.state.lists.map((l) => l.Title),
    list: (title) => activeSite.listByTitle(title),
    items: (title) => activeSite.listByTitle(title).items,
    addItems: (title, rows) => {
      const list = activeSite.listByTitle(title);
      return rows.map((row) => addItem(activeSite, list, row).Id);
    },
    sessionCookieFor: (email) => sessionCookie(sessions.create(signIn.signedInUser(email).Id).id),
    addGroupMember: (group, email) => {
      const target = activeSite.state.groups.find((g) => g.Title === group);
      if (!target) throw new Error(`Site group '${group}' does not exist.`);
      const user = activeSite.ensureUser(email);
      if (!target.userIds.includes(user.Id)) target.userIds.push(user.Id);
      activeSite.siteChanged();
    },
    setStorageEntity: (key, value) => {
      if (value === undefined) delete activeSite.state.storageEntities[key];
      else activeSite.state.storageEntities[key] = { Value: value, Description: null, Comment: null };
      activeSite.siteChanged();
    },
    grantApp: (appId, displayName, roles) => grantApp(activeSite, { appId, displayName, roles, tenantId: tenantOf() }),
    revokeApp: (appId) => {
      const grant = activeSite.state.appGrants.find((g) => g.appId === appId);
      if (grant) revokeApp(activeSite, grant.id);
      persistence?.save();
    },
    graphHandler: async (request) => {
      const response = await graphHandler(request);
      persistence?.save();
      return response;
    },
    setListPermissions: (title, assignments) => {
      const list = activeSite.listByTitle(title);
      if (assignments === 'inherit') {
        list.HasUniqueRoleAssignments = false;
        list.roleAssignments = undefined;
      } else {
        const ids: Record<GroupTitle, number> = { 'CRM Owners': groupIds.owners, 'CRM Members': groupIds.members, 'CRM Visitors': groupIds.visitors };
        list.HasUniqueRoleAssignments = true;
        list.roleAssignments = Object.entries(assignments).map(([group, role]) => ({
          PrincipalId: ids[group as GroupTitle], RoleDefinitionId: roleDefinitions.find((r) => r.Name === role)!.Id,
        }));
      }
      activeSite.listChanged(list);
    },
  };

  const part: SandboxPart = {
    prefix: SITE_PATH,
    describe: (baseUrl) => [
      `SharePoint site:      ${baseUrl}${SITE_PATH} (REST ${baseUrl}${SITE_PATH}/_api/web)` +
        (folder ? `; data in ${folder} (delete it to reset)` : ''),
    ],
    handler,
  };
  return { part, control };
}

/**
 * The npm-start part with its control: people sign in (POST {@link SESSION_PATH}) before the site
 * answers them; `control()` (after start) lets the sandbox itself act as the site owner, e.g.
 * `createCrmSp(…).using(SessionCookie(siteUrl, control().sessionCookieFor('admin@contoso.test')))`.
 * SANDBOX_SP_REQUIRE_SIGN_IN=false lets cookie-less callers act as admin@contoso.test again.
 */
export function sharePointEmulatorPart(): { factory: SandboxPartFactory; graph: SandboxPartFactory; control: () => SharePointControl } {
  let control: SharePointControl | undefined;
  const factory: SandboxPartFactory = async (context) => {
    const created = await createSharePointEmulator(context, { requireSignIn: context.env.SANDBOX_SP_REQUIRE_SIGN_IN !== 'false' });
    control = created.control;
    return created.part;
  };
  return {
    factory,
    graph: () => ({
      prefix: GRAPH_PATH,
      describe: (baseUrl) => [`Graph (site grants): ${baseUrl}${GRAPH_PATH}/v1.0/sites/{site-id}/permissions`],
      handler: (request) => (control ? control.graphHandler(request) : Promise.resolve(new Response('SharePoint has not started yet.', { status: 503 }))),
    }),
    control: () => {
      if (!control) throw new Error('The SharePoint emulator has not started yet.');
      return control;
    },
  };
}

/** The npm-start part when nothing needs its control. */
export const sharePointEmulator: SandboxPartFactory = (context) => sharePointEmulatorPart().factory(context);

export { SessionCookie } from './sessionCookie';
export { GRAPH_PATH, graphResource } from './graph';
export { appLoginName } from './appAccess';
