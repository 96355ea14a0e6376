/**
 * The Exact Online emulator: `https://start.exactonline.nl/api/...` becomes
 * `{baseUrl}/exact/api/...`. `createExactEmulator` returns the sandbox part and a `control`
 * handle for tests (knobs, injected faults, counters, direct token issue, data changes).
 */
import { DropConnection } from '../http/node';
import type { SandboxContext, SandboxPart, SandboxPartFactory } from '../server';
import { attachmentDownload } from './documents';
import { handleApi } from './api';
import { endpoints } from './entities';
import { errorBody, errorResponse, jsonResponse, ODataError } from './errors';
import { RateLimiter } from './limits';
import { OAuthServer, type OAuthApp, type TokenCounters, type TokenResponse } from './oauth';
import { AuthPages, type DemoUser } from './oauthPages';
import type { Value } from './odata';
import { StateFile, type SavedState } from './persistence';
import { rng } from './random';
import { day, divisionsSeed, type Row } from './seed';
import { DivisionData, type DivisionChanges } from './store';
import { createRecord, deleteRecord, updateRecord } from './writes';
import { ordersOf } from './salesOrders';
import { invoiceSalesOrder, registerPayment, type InvoiceOptions, type PaymentOptions } from './invoicing';
import { handleInvoicingPage, invoicingPagePath } from './invoicingPage';
import { WebhookHub } from './webhooks';
import { demoUserId, masterKey } from './store';
import type { MasterDataset } from './endpoint';
import { defaultMasterSizes, type MasterSizes } from './seedMaster';

export interface ExactKnobs {
  /** Added to every response (real milliseconds, not the sandbox clock). */
  latencyMs: number;
  /** Share of API and token calls (0..1) that fail with a 500 or 503. */
  faultRate: number;
  minuteLimit: number;
  dayLimit: number;
  /** Exact's "10 errors per endpoint per hour". */
  errorLimit: number;
  /** Block an endpoint (429) after `errorLimit` errors in an hour; off by default. */
  blockOnErrors: boolean;
  /** Refuse a refresh within 570 s of the last token, as Exact does; on by default. */
  enforceRefreshWait: boolean;
  /**
   * Answer reads in Atom XML unless `Accept` asks for JSON, as Exact does. Off by default so that
   * callers which forward no Accept header keep getting JSON; SANDBOX_EXACT_ATOM=1 turns it on.
   */
  atomWithoutAccept: boolean;
  /** A used refresh token may be replayed for this long (same new pair back); 0 = strict single use. */
  refreshGraceMs: number;
  /** Token-endpoint calls allowed per user per UTC day (Exact: 200). */
  tokenDayLimit: number;
  /**
   * First delay before a refused webhook callback is sent again (real ms); it doubles with every
   * retry, 10 retries, like Exact's 2^n minutes. SANDBOX_EXACT_WEBHOOK_RETRY_MS; default one minute.
   */
  webhookRetryMs: number;
  /** Whether the demo user has HR rights: without them payroll/Employees leaves the personal fields out. */
  hrRights: boolean;
}

/** `filterRefused`: Exact's 400 for a `$filter` its resource does not take (picqer #532), which no grammar check can foresee. */
export type FaultKind = 'error500' | 'error503' | 'slow' | 'drop' | 'filterRefused';

export interface FaultSpec {
  kind: FaultKind;
  /** Case-insensitive part of the path after `/exact/api/`, e.g. `crm/Accounts` or `oauth2/token`; all paths when absent. */
  path?: string;
  /** How many matching requests fail; 1 when absent. */
  count?: number;
  /** For `slow`: how long to stall before answering normally (default 5,000 ms). */
  delayMs?: number;
}

export interface ExactEmulatorOptions {
  /** Accounts per division (SANDBOX_ACCOUNTS; default 120). */
  accounts?: number;
  /** Extra allowed redirect URIs (besides `${baseUrl}/gateway/oauth/callback` and SANDBOX_EXACT_REDIRECT_URIS). */
  redirectUris?: string[];
  knobs?: Partial<ExactKnobs>;
  /** Master data per division (SANDBOX_ITEMS, SANDBOX_PROJECTS, SANDBOX_EMPLOYEES, SANDBOX_VAT_CODES). */
  master?: Partial<MasterSizes>;
}

export type CrmEntity = 'Accounts' | 'Contacts';

export interface ExactEmulatorControl {
  app: { clientId: string; clientSecret: string; redirectUris: string[]; webhookSecret: string };
  demoUser: { username: string; password: string };
  divisions: Array<{ code: number; description: string; country: 'NL' | 'BE' }>;
  knobs(): ExactKnobs;
  setKnobs(knobs: Partial<ExactKnobs>): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** API calls that passed the rate limiter, per `"{division} {endpoint}"` (e.g. `"2950001 crm/Accounts"`). */
  callCounts(): Record<string, number>;
  /** Sum of calls for one division, optionally one endpoint path such as `bulk/CRM/Accounts`. */
  calls(division: number, endpoint?: string): number;
  /** Token-endpoint calls by grant type, and successful refreshes. */
  tokenCalls(): TokenCounters;
  /** Errors (400/401/403/404) in the last hour for one division and endpoint path. */
  errorCount(division: number, endpoint: string): number;
  /** Clears call counts, token-endpoint counts, the error counter and both rate-limit windows. */
  resetCounters(): void;
  /** A token pair as the token endpoint would give it, for tests that skip the login page. */
  issueTokens(options?: { divisions?: number[] }): TokenResponse;
  /** The division `current/Me` reports (Exact moves it when the user opens another one). */
  setCurrentDivision(code: number): void;
  /** Raw rows (dates as epoch ms, Timestamp as a number). */
  records(division: number, entity: CrmEntity): Row[];
  createRecord(division: number, entity: CrmEntity, values: Record<string, Value>): Row;
  /** Changes fields of a record; its Timestamp and Modified move like an edit in Exact. */
  updateRecord(division: number, entity: CrmEntity, id: string, changes: Record<string, Value>): Row;
  /** Deletes a record so it shows in sync/Deleted. */
  deleteRecord(division: number, entity: CrmEntity, id: string): void;
  /** Writes pending state to dataDir now (no-op without dataDir). */
  flush(): void;
  /** Raw master rows of one dataset (`items`, `vatCodes`, …). */
  masterRecords(division: number, dataset: MasterDataset): Row[];
  /** Adds or changes a master row as an edit in Exact would (new Timestamp and Modified); the key (`ID`, currencies `Code`) picks the row. */
  putMasterRecord(division: number, dataset: MasterDataset, row: Record<string, Value>): Row;
  /** Deletes a master row: items, projects and employees show in sync/Deleted, the others leave no trace. */
  deleteMasterRecord(division: number, dataset: MasterDataset, key: string): void;
  /** Webhook callbacks sent so far (validation POSTs have an empty body); `settle` waits for those in flight. */
  webhookDeliveries(): Array<{ url: string; body: string; status: number | 'failed' }>;
  settleWebhooks(): Promise<void>;
  /** Invoices an order in full as Exact's back office would: a processed invoice with number and due date, a receivable, the order complete. */
  invoiceSalesOrder(division: number, orderId: string, options?: InvoiceOptions): { invoice: Row; receivable: Row };
  /** Registers a (part) payment of an invoice (by InvoiceID or number): the open receivable shrinks, or is matched when paid in full. */
  registerPayment(division: number, invoice: string | number, options?: PaymentOptions): Row[];
  /** Raw sales orders of a division, each with its lines. */
  salesOrders(division: number): Array<{ order: Row; lines: Row[] }>;
  /** Delivers and invoices an order in full, as fulfilment in Exact would (it can no longer be deleted). */
  fulfilSalesOrder(division: number, orderId: string): Row;
}

export const sandboxApp = {
  clientId: '5f2b8a61-3c4d-4e9f-a7b0-1c2d3e4f5a6b',
  clientSecret: 'sandbox-exact-client-secret',
  /** The App Center's webhook secret: the key of each callback's HashCode. */
  webhookSecret: 'sandbox-exact-webhook-secret',
  name: 'Exact CRM Connector (sandbox)',
};

export const demoUser: DemoUser = { username: 'demo', password: 'demo1234', fullName: 'Jeroen van Houten' };

const numberFrom = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(n) ? n : fallback;
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createExactEmulator(context: SandboxContext, options: ExactEmulatorOptions = {}): { part: SandboxPart; control: ExactEmulatorControl } {
  const { env, clock } = context;
  const knobs: ExactKnobs = {
    latencyMs: numberFrom(env.SANDBOX_LATENCY_MS, 0),
    faultRate: numberFrom(env.SANDBOX_FAULT_RATE, 0),
    minuteLimit: numberFrom(env.SANDBOX_MINUTE_LIMIT, 60),
    dayLimit: numberFrom(env.SANDBOX_DAY_LIMIT, 5000),
    errorLimit: 10,
    blockOnErrors: env.SANDBOX_EXACT_ERROR_BLOCKING === '1',
    enforceRefreshWait: env.SANDBOX_EXACT_REFRESH_WAIT !== '0',
    atomWithoutAccept: env.SANDBOX_EXACT_ATOM === '1',
    refreshGraceMs: numberFrom(env.SANDBOX_EXACT_REFRESH_GRACE_MS, 0),
    tokenDayLimit: numberFrom(env.SANDBOX_EXACT_TOKEN_DAY_LIMIT, 200),
    webhookRetryMs: numberFrom(env.SANDBOX_EXACT_WEBHOOK_RETRY_MS, 60_000),
    hrRights: env.SANDBOX_EXACT_HR_RIGHTS === '1',
    ...options.knobs,
  };
  const redirectUris = (): string[] => [
    `${context.baseUrl()}/gateway/oauth/callback`,
    ...(env.SANDBOX_EXACT_REDIRECT_URIS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    ...(options.redirectUris ?? []),
  ];
  const app: OAuthApp = { ...sandboxApp, redirectUris };

  const stateFile = context.dataDir ? new StateFile(context.dataDir, () => collect()) : undefined;
  const saved = stateFile?.load();
  const size = saved?.size ?? Math.max(1, Math.floor(options.accounts ?? numberFrom(env.SANDBOX_ACCOUNTS, 120)));
  const seedDay = saved?.seedDay ?? Math.floor(clock.now() / day) * day;
  let currentDivision = saved?.currentDivision ?? divisionsSeed[0].code;
  const masterSizes: MasterSizes = {
    items: numberFrom(env.SANDBOX_ITEMS, defaultMasterSizes.items),
    projects: numberFrom(env.SANDBOX_PROJECTS, defaultMasterSizes.projects),
    employees: numberFrom(env.SANDBOX_EMPLOYEES, defaultMasterSizes.employees),
    vatCodes: numberFrom(env.SANDBOX_VAT_CODES, defaultMasterSizes.vatCodes),
    ...options.master,
  };
  const changed = (): void => stateFile?.schedule();
  const webhooks = new WebhookHub({
    clock,
    secret: sandboxApp.webhookSecret,
    clientId: sandboxApp.clientId,
    userId: demoUserId,
    userFullName: demoUser.fullName,
    apiBase: () => `${context.baseUrl()}/exact/api/v1/`,
    retryDelayMs: () => knobs.webhookRetryMs,
  });

  const oauth = new OAuthServer(app, clock, saved?.oauth, changed);
  const limiter = new RateLimiter(clock, knobs);
  const pages = new AuthPages(app, demoUser, () => divisionsSeed, oauth, clock);
  const calls = new Map<string, number>();
  const loaded = new Map<number, DivisionData>();
  const data = (code: number): DivisionData => {
    let division = loaded.get(code);
    if (!division) {
      const info = divisionsSeed.find((d) => d.code === code);
      if (!info) {
        throw new ODataError(404, `Division ${code} does not exist.`);
      }
      division = new DivisionData(info, size, seedDay, clock, saved?.divisions[String(code)], (change) => {
        changed();
        if (change) {
          webhooks.notify(code, change);
        }
      }, masterSizes);
      loaded.set(code, division);
    }
    return division;
  };
  function collect(): SavedState {
    const divisions: Record<string, DivisionChanges> = { ...(saved?.divisions ?? {}) };
    for (const [code, division] of loaded) {
      divisions[String(code)] = division.snapshot();
    }
    return { version: 1, seedDay, size, oauth: oauth.snapshot(), divisions, currentDivision };
  }
  const apply = (): void => {
    oauth.enforceRefreshWait = knobs.enforceRefreshWait;
    oauth.refreshGraceMs = knobs.refreshGraceMs;
    oauth.tokenDayLimit = knobs.tokenDayLimit;
    limiter.settings = knobs;
  };
  apply();

  const faults: Array<Required<Pick<FaultSpec, 'kind' | 'count'>> & FaultSpec> = [];
  const faultRng = rng('exact-faults');
  const fault = async (path: string): Promise<Response | undefined> => {
    const lower = path.toLowerCase();
    const injected = faults.find((f) => f.count > 0 && (!f.path || lower.includes(f.path.toLowerCase())));
    let kind: FaultKind | undefined;
    if (injected) {
      injected.count -= 1;
      kind = injected.kind;
    } else if (knobs.faultRate > 0 && /^(v1\/|oauth2\/token)/i.test(path) && faultRng.next() < knobs.faultRate) {
      kind = faultRng.chance(0.5) ? 'error500' : 'error503';
    }
    switch (kind) {
      case 'drop':
        throw new DropConnection('Exact emulator: injected dropped connection');
      case 'slow':
        await sleep(injected?.delayMs ?? 5000);
        return undefined;
      case 'error500':
        return jsonResponse(500, errorBody('An unexpected error occurred. (injected by the sandbox)'));
      case 'filterRefused':
        return jsonResponse(400, errorBody('This $filter parameter is not supported for this resource'));
      case 'error503':
        return new Response('<html><body><h1>503 Service Unavailable</h1></body></html>', { status: 503, headers: { 'content-type': 'text/html' } });
      default:
        return undefined;
    }
  };

  /** A change is on disk before the answer that reports it; one that could not be saved is a 500. */
  const handler = async (request: Request): Promise<Response> => {
    const response = await answer(request);
    try {
      stateFile?.save();
    } catch (error) {
      console.warn('Exact emulator: cannot save its state.', error);
      return jsonResponse(500, errorBody('The change could not be saved. (sandbox)'));
    }
    return response;
  };

  const answer = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (knobs.latencyMs > 0) {
      await sleep(knobs.latencyMs);
    }
    const injected = await fault(path.replace(/^\/exact\/api\//, ''));
    if (injected) {
      return injected;
    }
    try {
      if (/^\/exact\/api\/oauth2\/auth\/?$/i.test(path)) {
        return await pages.handle(request);
      }
      if (/^\/exact\/api\/oauth2\/token\/?$/i.test(path)) {
        return await oauth.tokenEndpoint(request);
      }
      if (path.startsWith('/exact/api/v1/')) {
        return await handleApi(request, { clock, oauth, limiter, user: demoUser, divisions: divisionsSeed, data, currentDivision: () => currentDivision, calls, atom: () => knobs.atomWithoutAccept, webhooks, baseUrl: () => `${context.baseUrl()}/exact`, hrRights: () => knobs.hrRights });
      }
      if (path === invoicingPagePath) {
        return await handleInvoicingPage(request, data, divisionsSeed);
      }
      if (/^\/exact\/docs\/SysAttachment\.aspx$/i.test(path)) {
        return attachmentDownload(request, { oauth, data, baseUrl: `${context.baseUrl()}/exact` });
      }
      return errorResponse(new ODataError(404, 'Resource not found.'));
    } catch (error) {
      if (error instanceof ODataError) {
        return errorResponse(error);
      }
      throw error;
    }
  };

  const entityEndpoint = (entity: CrmEntity) => endpoints.find((e) => e.path === `crm/${entity}`) ?? endpoints[0];
  const dataset = (entity: CrmEntity): 'accounts' | 'contacts' => (entity === 'Accounts' ? 'accounts' : 'contacts');

  const control: ExactEmulatorControl = {
    app: { clientId: sandboxApp.clientId, clientSecret: sandboxApp.clientSecret, webhookSecret: sandboxApp.webhookSecret, get redirectUris() { return redirectUris(); } },
    demoUser: { username: demoUser.username, password: demoUser.password },
    divisions: divisionsSeed.map((d) => ({ code: d.code, description: d.description, country: d.country })),
    knobs: () => ({ ...knobs }),
    setKnobs: (next) => {
      Object.assign(knobs, next);
      apply();
    },
    injectFault: (spec) => faults.push({ ...spec, count: spec.count ?? 1 }),
    clearFaults: () => faults.splice(0, faults.length),
    callCounts: () => Object.fromEntries(calls),
    calls: (division, endpoint) =>
      [...calls.entries()]
        .filter(([key]) => key.startsWith(`${division} `) && (!endpoint || key.slice(String(division).length + 1).toLowerCase() === endpoint.toLowerCase()))
        .reduce((sum, [, n]) => sum + n, 0),
    tokenCalls: () => ({ ...oauth.counters }),
    errorCount: (division, endpoint) => limiter.errorCount(`${division}/${endpoint.toLowerCase()}`),
    resetCounters: () => {
      calls.clear();
      limiter.reset();
      Object.assign(oauth.counters, { authorization_code: 0, refresh_token: 0, other: 0, refreshes: 0 });
    },
    issueTokens: (issue) => oauth.issueTokens(demoUser.username, issue?.divisions ?? divisionsSeed.map((d) => d.code)),
    setCurrentDivision: (code) => {
      currentDivision = code;
      changed();
    },
    records: (division, entity) => [...data(division)[dataset(entity)].values()].map((row) => ({ ...row })),
    createRecord: (division, entity, values) => ({ ...createRecord(dataset(entity), entityEndpoint(entity), data(division), values, clock.now()) }),
    updateRecord: (division, entity, id, changes) => ({ ...updateRecord(dataset(entity), entityEndpoint(entity), data(division), id.toLowerCase(), changes) }),
    deleteRecord: (division, entity, id) => deleteRecord(dataset(entity), entityEndpoint(entity), data(division), id.toLowerCase(), true),
    masterRecords: (division, dataset) => [...data(division).master[dataset].values()].map((row) => ({ ...row })),
    putMasterRecord: (division, dataset, values) => {
      const store = data(division);
      const existing = store.master[dataset].get(String(values[masterKey(dataset)] ?? '').toLowerCase());
      return { ...store.putMaster(dataset, { ...(existing ?? { Division: division, Created: clock.now() }), ...values }) };
    },
    deleteMasterRecord: (division, dataset, key) => {
      if (!data(division).removeMaster(dataset, key)) {
        throw new ODataError(404, `${dataset} ${key} does not exist in division ${division}.`);
      }
    },
    flush: () => stateFile?.flush(),
    webhookDeliveries: () => webhooks.sent.map((d) => ({ ...d })),
    settleWebhooks: () => webhooks.settle(),
    invoiceSalesOrder: (division, orderId, options) => {
      const { invoice, receivable } = invoiceSalesOrder(data(division), orderId, options);
      return { invoice: { ...invoice }, receivable: { ...receivable } };
    },
    registerPayment: (division, invoice, options) => registerPayment(data(division), invoice, options).map((row) => ({ ...row })),
    salesOrders: (division) => [...ordersOf(data(division)).orders.values()].map((order) => ({ order: { ...order }, lines: ordersOf(data(division)).linesOf(order.OrderID as string).map((line) => ({ ...line })) })),
    fulfilSalesOrder: (division, orderId) => ({ ...ordersOf(data(division)).fulfil(orderId.toLowerCase()) }),
  };

  const part: SandboxPart = {
    prefix: '/exact',
    handler,
    describe: (baseUrl) => [
      `Exact Online emulator: ${baseUrl}/exact/api/v1/  (stands in for https://start.exactonline.nl/api/v1/)`,
      `  OAuth2:              ${baseUrl}/exact/api/oauth2/auth  and  ${baseUrl}/exact/api/oauth2/token`,
      `  demo user:           ${demoUser.username} / ${demoUser.password}`,
      `  invoicing/payments:  ${baseUrl}${invoicingPagePath}  (invoice the sales orders, register payments)`,
      `  sandbox app:         client_id ${sandboxApp.clientId}  client_secret ${sandboxApp.clientSecret}`,
      `  webhook secret:      ${sandboxApp.webhookSecret}  (HashCode = upper-case hex HMAC-SHA256 of the Content JSON)`,
      `  redirect URIs:       ${redirectUris().join(', ')}`,
      `  divisions:           ${divisionsSeed.map((d) => `${d.code} ${d.description} (${d.country})`).join('; ')}`,
      `  master data per division: ${masterSizes.items} items, ${masterSizes.projects} projects, ${masterSizes.employees} employees, VAT codes, payment conditions, cost centres, currencies, bank accounts`,
      `  ${size} accounts per division; limits ${knobs.minuteLimit}/min, ${knobs.dayLimit}/day; latency ${knobs.latencyMs} ms; fault rate ${knobs.faultRate}`,
      ...(context.dataDir
        ? [`  state:               ${context.dataDir}/exact/state.json${saved ? ' (restored; delete it to reseed, e.g. after changing SANDBOX_ACCOUNTS)' : ''}`]
        : []),
    ],
  };
  return { part, control };
}

export const exactEmulator: SandboxPartFactory = (context) => createExactEmulator(context).part;
