/**
 * `/exact/api/v1/...`: authentication, division access, both rate-limit windows, the error
 * counter, then the OData read or write itself. Order matters and follows Exact: a bad token is
 * a 401 before anything else; a division outside the consent is a 403 with a `Reason` header.
 */
import type { ApiDeps } from './apiDeps';
import { atomResponse, wantsJson } from './atom';
import { documentRows } from './documents';
import type { Endpoint } from './endpoint';
import { findEndpoint } from './entities';
import { errorResponse, jsonResponse, ODataError } from './errors';
import { parseSkipToken } from './odata';
import { page, parseQuery, pinnedGuid, serialize, type ParsedQuery } from './query';
import { ageGroupOf, agingRow } from './seedFinance';
import type { Row } from './seed';
import type { DivisionData } from './store';
import { createRecord, deleteRecord, parseBody, updateRecord } from './writes';
import { ordersOf } from './salesOrders';
import { invoicedOpenItems, invoicedReceivables, salesInvoiceSyncRows } from './invoicing';
import { divisionRow, handleMe, hrmDivisionRow } from './identity';
import { metadataDocument } from './metadata';
import { roleGatedEmployeeFields } from './masterEndpoints';

const apiRoot = '/exact/api/v1/';

/** Exact's limit is on the whole URL after encoding; measured as if the host were Exact's own. */
export const maxUrlLength = 6000;
const exactOrigin = 'https://start.exactonline.nl';

export async function handleApi(request: Request, deps: ApiDeps): Promise<Response> {
  const url = new URL(request.url);
  const length = exactOrigin.length + url.pathname.length - '/exact'.length + url.search.length;
  if (length > maxUrlLength) {
    return errorResponse(new ODataError(414, `The request URL is ${length} characters long; Exact accepts at most ${maxUrlLength}.`));
  }
  let rest: string;
  try {
    rest = decodeURIComponent(url.pathname.slice(apiRoot.length));
  } catch {
    return errorResponse(new ODataError(400, 'The request URL is not valid.'));
  }
  const base = `${url.origin}${apiRoot}`;
  if (/^current\/me$/i.test(rest)) {
    return handleMe(request, deps, base, url);
  }
  const match = /^(\d+)\/(.+)$/.exec(rest);
  if (!match) {
    return errorResponse(new ODataError(404, 'Resource not found.'));
  }
  const division = Number(match[1]);
  let path = match[2];
  let key: string | undefined;
  let count = false;
  if (/\/\$count$/.test(path)) {
    count = true;
    path = path.slice(0, -'/$count'.length);
  }
  const keyMatch = /^(.*)\((.+)\)$/.exec(path);
  if (keyMatch) {
    [, path, key] = keyMatch;
  }
  const endpoint = findEndpoint(path);
  const errorKey = `${division}/${(endpoint?.path ?? path).toLowerCase()}`;
  // Refused orders and invoices (500 with Exact's validation texts) count toward the block too.
  const countsAsError = (status: number): boolean => [400, 401, 403, 404].includes(status) || (status === 500 && (endpoint?.dataset === 'salesOrders' || endpoint?.dataset === 'salesInvoices'));
  const fail = (error: ODataError, headers: Record<string, string> = {}): Response => {
    if (countsAsError(error.status)) {
      deps.limiter.recordError(errorKey);
    }
    return errorResponse(error, headers);
  };

  const auth = deps.oauth.authenticate(request.headers.get('authorization'));
  if ('error' in auth) {
    // Exact explains a 401 in a Reason header, as it does a 403.
    return fail(new ODataError(401, auth.error, { 'WWW-Authenticate': 'Bearer', Reason: auth.error }));
  }
  const info = deps.divisions.find((d) => d.code === division);
  if (!info || !auth.grant.divisions.includes(division)) {
    const reason = info ? 'No access to this division: it was not included when the app was authorized.' : 'No access to this division: the division does not exist or the user has no rights.';
    return fail(new ODataError(403, 'Forbidden', { Reason: reason }));
  }
  if (deps.limiter.blocked(errorKey)) {
    return errorResponse(new ODataError(429, 'Too many errors on this endpoint in the last hour; the app is blocked for this endpoint.'));
  }
  const budget = deps.limiter.take(division);
  if (!budget.allowed) {
    return errorResponse(new ODataError(429, budget.message), budget.headers);
  }
  const callKey = `${division} ${endpoint?.path ?? path}`;
  deps.calls.set(callKey, (deps.calls.get(callKey) ?? 0) + 1);
  try {
    if (/^system\/me$/i.test(path)) {
      return withHeaders(handleMe(request, deps, base, url), budget.headers);
    }
    const metadata = /^(.+)\/\$metadata$/i.exec(path);
    if (metadata && request.method.toUpperCase() === 'GET') {
      const document = metadataDocument(metadata[1]);
      if (document === undefined) {
        throw new ODataError(404, `Resource not found for the segment '${metadata[1]}'.`);
      }
      return withHeaders(new Response(document, { status: 200, headers: { 'content-type': 'application/xml;charset=utf-8' } }), budget.headers);
    }
    if (!endpoint) {
      throw new ODataError(404, `Resource not found for the segment '${path}'.`);
    }
    const method = request.method.toUpperCase();
    if (!endpoint.methods.includes(method as Endpoint['methods'][number])) {
      throw new ODataError(405, `The HTTP method '${method}' is not allowed on ${endpoint.path}.`);
    }
    const data = deps.data(division);
    const entityUrl = `${base}${division}/${endpoint.path}`;
    let response: Response;
    if (method === 'GET') {
      response = read(endpoint, data, deps, url, entityUrl, key, count, request.headers.get('accept'));
    } else {
      response = await write(method, endpoint, data, deps, request, entityUrl, key);
    }
    return withHeaders(response, budget.headers);
  } catch (error) {
    if (error instanceof ODataError) {
      return fail(error, budget.headers);
    }
    throw error;
  }
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) {
    response.headers.set(name, value);
  }
  return response;
}

interface FunctionArgs {
  accountId?: string;
  ageGroup?: number;
}

/** Reads the parameters of a function-style endpoint; a missing or malformed one is a 400. */
function functionArgs(endpoint: Endpoint, params: URLSearchParams): FunctionArgs {
  const args: FunctionArgs = {};
  for (const name of endpoint.parameters ?? []) {
    const text = params.get(name)?.trim() ?? '';
    const invalid = (): ODataError => new ODataError(400, `The value of parameter '${name}' of ${endpoint.path.split('/').pop() ?? endpoint.path} is missing or not valid.`);
    if (name === 'accountId') {
      const match = /^guid'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'$/i.exec(text);
      if (!match) throw invalid();
      args.accountId = match[1].toLowerCase();
    } else {
      if (!/^[1-4]$/.test(text)) throw invalid();
      args.ageGroup = Number(text);
    }
  }
  return args;
}

function rowsFor(endpoint: Endpoint, data: DivisionData, deps: ApiDeps, query: ParsedQuery, division: number, args: FunctionArgs): Row[] {
  const inGroup = (row: Row): boolean => args.ageGroup === undefined || ageGroupOf(row, deps.clock.now()) === args.ageGroup;
  switch (endpoint.dataset) {
    case 'accounts':
      return [...data.accounts.values()];
    case 'contacts':
      return [...data.contacts.values()];
    case 'salesInvoices':
      if (endpoint.sync) return salesInvoiceSyncRows(data.financeRows((f) => f.invoices), data);
      return [...data.financeRows((f) => f.invoices, pinnedGuid(query.filter, ['InvoiceTo', 'OrderedBy'])), ...ordersOf(data).invoices.values()];
    case 'salesInvoiceLines':
      return [...data.financeRows((f) => f.lines), ...ordersOf(data).invoiceLines.values()];
    case 'salesOrders':
      return [...ordersOf(data).orders.values()];
    case 'salesOrderLines':
      return [...ordersOf(data).lines.values()];
    case 'receivables':
      return [...data.financeRows((f) => f.receivables, pinnedGuid(query.filter, ['Account'])), ...invoicedReceivables(data)];
    case 'receivablesList':
      return [...data.financeRows((f) => f.open.filter(inGroup), args.accountId ?? pinnedGuid(query.filter, ['AccountId'])), ...invoicedOpenItems(data).filter((row) => inGroup(row) && (!args.accountId || String(row.AccountId).toLowerCase() === args.accountId))];
    case 'aging': {
      const pinned = pinnedGuid(query.filter, ['AccountId']);
      const ids = pinned ? [pinned] : [...data.accounts.keys()];
      // ByAgeGroup: the accounts with something open in that group, their rows whole.
      return ids.flatMap((id) => {
        const open = data.financeOf(id)?.open ?? [];
        const row = open.some(inGroup) ? agingRow(open, deps.clock.now()) : undefined;
        return row ? [row] : [];
      });
    }
    case 'deleted':
      return data.deleted;
    case 'divisions':
      return deps.divisions.map((d) => divisionRow(d, division));
    case 'hrmDivisions':
      return deps.divisions.map((d) => hrmDivisionRow(d));
    case 'webhooks':
      return deps.webhooks.rows(division);
    case 'documents':
    case 'documentAttachments':
      return documentRows(data, endpoint.dataset, deps.baseUrl?.() ?? '');
    default:
      return [...data.master[endpoint.dataset].values()];
  }
}

function read(endpoint: Endpoint, data: DivisionData, deps: ApiDeps, url: URL, entityUrl: string, key: string | undefined, count: boolean, accept: string | null): Response {
  const reply = (d: Record<string, unknown>): Response =>
    !deps.atom() || wantsJson(accept) ? jsonResponse(200, { d }) : atomResponse(d, entityUrl, endpoint.fields, deps.clock.now());
  const query = parseQuery(endpoint, url.searchParams, key !== undefined);
  const rows = rowsFor(endpoint, data, deps, query, data.info.code, functionArgs(endpoint, url.searchParams));
  if (key !== undefined) {
    const wanted = parseKey(endpoint, key);
    const row = rows.find((r) => String(r[endpoint.key]).toLowerCase() === wanted);
    if (!row) {
      throw new ODataError(404, `${endpoint.model} with key '${key}' not found.`);
    }
    return reply(withExpand(serialize(endpoint, row, entityUrl, query.select), endpoint, row, data, query, entityUrl, deps.hrRights?.() ?? false));
  }
  if (count) {
    const total = page(endpoint, rows, { ...query, top: 0 }, '').total;
    return new Response(String(total), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const result = page(endpoint, rows, query, url.search.replace(/^\?/, ''));
  const d: Record<string, unknown> = {
    results: result.rows.map((row) => withExpand(serialize(endpoint, row, entityUrl, query.select), endpoint, row, data, query, entityUrl, deps.hrRights?.() ?? false)),
  };
  if (query.inlineCount) {
    d.__count = String(result.total);
  }
  if (result.nextQuery !== undefined) {
    d.__next = `${entityUrl}?${result.nextQuery}`;
  }
  return reply(d);
}

function withExpand(out: Record<string, unknown>, endpoint: Endpoint, row: Row, data: DivisionData, query: ParsedQuery, entityUrl: string, hrRights = true): Record<string, unknown> {
  if (endpoint.dataset === 'employees' && !hrRights) {
    // Role-gated: absent from the record, not null, so a reader can tell "not allowed" from "empty".
    for (const name of roleGatedEmployeeFields) delete out[name];
    return out;
  }
  if (endpoint.dataset === 'salesOrders') {
    return withOrderLines(out, row, data, query, entityUrl);
  }
  if (endpoint.dataset !== 'salesInvoices' || (query.select && !query.select.some((s) => s.startsWith('SalesInvoiceLines')))) {
    return out;
  }
  const linesEndpoint = findEndpoint('salesinvoice/SalesInvoiceLines') as Endpoint;
  // Not expanded: serialize() already left the `__deferred` link.
  if (query.expand.includes('SalesInvoiceLines')) {
    const lines = [...(data.financeOf(row.InvoiceTo as string)?.lines ?? []), ...ordersOf(data).invoiceLines.values()].filter((line) => line.InvoiceID === row.InvoiceID);
    const lineUrl = entityUrl.replace(/SalesInvoices$/, 'SalesInvoiceLines');
    const lineSelect = query.select?.filter((s) => s.startsWith('SalesInvoiceLines/')).map((s) => s.slice('SalesInvoiceLines/'.length));
    out.SalesInvoiceLines = { results: lines.map((line) => serialize(linesEndpoint, line, lineUrl, lineSelect?.length ? lineSelect : undefined)) };
  }
  return out;
}

function withOrderLines(out: Record<string, unknown>, row: Row, data: DivisionData, query: ParsedQuery, entityUrl: string): Record<string, unknown> {
  if (!query.expand.includes('SalesOrderLines')) {
    return out;
  }
  const linesEndpoint = findEndpoint('salesorder/SalesOrderLines') as Endpoint;
  const lineUrl = entityUrl.replace(/SalesOrders$/, 'SalesOrderLines');
  const lineSelect = query.select?.filter((s) => s.startsWith('SalesOrderLines/')).map((s) => s.slice('SalesOrderLines/'.length));
  out.SalesOrderLines = { results: ordersOf(data).linesOf(row.OrderID as string).map((line) => serialize(linesEndpoint, line, lineUrl, lineSelect?.length ? lineSelect : undefined)) };
  return out;
}

function parseKey(endpoint: Endpoint, key: string): string {
  let values;
  try {
    values = parseSkipToken(key);
  } catch {
    throw new ODataError(400, `Bad Request - Error in query syntax: the key '${key}' is not valid for ${endpoint.model}.`);
  }
  const type = endpoint.fields[endpoint.key];
  const value = values[0];
  if (values.length !== 1 || value === null || (type === 'guid' && !/^guid'/i.test(key.trim()))) {
    throw new ODataError(400, `Bad Request - Error in query syntax: the key '${key}' is not valid for ${endpoint.model}.`);
  }
  return String(value).toLowerCase();
}

async function write(method: string, endpoint: Endpoint, data: DivisionData, deps: ApiDeps, request: Request, entityUrl: string, key: string | undefined): Promise<Response> {
  if (endpoint.dataset === 'webhooks') {
    if (method === 'POST' && key === undefined) {
      return jsonResponse(201, { d: serialize(endpoint, deps.webhooks.subscribe(data.info.code, await request.text()), entityUrl) });
    }
    if (method === 'DELETE' && key !== undefined) {
      deps.webhooks.unsubscribe(data.info.code, parseKey(endpoint, key));
      return new Response(null, { status: 204 });
    }
    throw new ODataError(400, `${method} needs the key of one ${endpoint.model} in the URL.`);
  }
  if (endpoint.dataset === 'salesOrders' || endpoint.dataset === 'salesInvoices') {
    return writeOrder(method, endpoint, data, request, entityUrl, key === undefined ? undefined : parseKey(endpoint, key));
  }
  const dataset = endpoint.dataset === 'accounts' ? 'accounts' : 'contacts';
  const now = deps.clock.now();
  if (method === 'POST') {
    if (key !== undefined) {
      throw new ODataError(405, 'POST is not allowed on a single entity.');
    }
    const row = createRecord(dataset, endpoint, data, parseBody(endpoint, await request.text()), now);
    // Without `Prefer: return=representation` Exact answers with almost every property null.
    const full = /return=representation/i.test(request.headers.get('prefer') ?? '');
    return jsonResponse(201, { d: serialize(endpoint, row, entityUrl, undefined, full ? undefined : [endpoint.key]) });
  }
  if (key === undefined) {
    throw new ODataError(400, `${method} needs the key of one ${endpoint.model} in the URL.`);
  }
  const id = parseKey(endpoint, key);
  if (method === 'PUT') {
    updateRecord(dataset, endpoint, data, id, parseBody(endpoint, await request.text()));
  } else {
    deleteRecord(dataset, endpoint, data, id);
  }
  return new Response(null, { status: 204 });
}

/** Sales orders (POST with lines inline, PUT of the header, DELETE while open) and concept invoices (POST). */
async function writeOrder(method: string, endpoint: Endpoint, data: DivisionData, request: Request, entityUrl: string, id: string | undefined): Promise<Response> {
  const isOrder = endpoint.dataset === 'salesOrders';
  const lines = findEndpoint(isOrder ? 'salesorder/SalesOrderLines' : 'salesinvoice/SalesInvoiceLines') as Endpoint;
  if (method === 'POST') {
    if (id !== undefined) {
      throw new ODataError(405, 'POST is not allowed on a single entity.');
    }
    const text = await request.text();
    const row = isOrder ? ordersOf(data).createOrder(text, endpoint, lines) : ordersOf(data).createInvoice(text, endpoint, lines);
    const full = /return=representation/i.test(request.headers.get('prefer') ?? '');
    return jsonResponse(201, { d: serialize(endpoint, row, entityUrl, undefined, full ? undefined : [endpoint.key]) });
  }
  if (id === undefined) {
    throw new ODataError(400, `${method} needs the key of one ${endpoint.model} in the URL.`);
  }
  if (method === 'PUT') {
    ordersOf(data).updateOrder(id, await request.text(), endpoint);
  } else {
    ordersOf(data).deleteOrder(id);
  }
  return new Response(null, { status: 204 });
}
