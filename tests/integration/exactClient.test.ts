import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { createAxiosHttp, createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { ExactApiError, ExactWriteOutcomeUnknownError } from '../../src/exact/errors';
import {
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  ExactOAuthError,
  refreshAccessToken,
  type HttpFunction,
} from '../../src/exact/oauth';
import { createExactRecordSource } from '../../src/exact/recordSource';
import type { ExactRequest, ExactResponse, Transport } from '../../src/exact/transport';
import { createExactEmulator, type ExactEmulatorControl, type ExactEmulatorOptions } from '../../sandbox/exact';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';

/**
 * The issue's acceptance criteria, over real HTTP against the Exact emulator: OAuth code flow,
 * refresh rotation, both rate-limit windows, bulk paging counts, sync, deletions, writes and
 * every error path.
 */

const redirectUri = 'https://crm.example/exact/callback';
// 09:00:00 UTC sharp, so a test's calls all fall inside one fixed rate-limit minute.
const start = Date.UTC(2026, 10, 23, 9, 0, 0);

interface Harness {
  sandbox: RunningSandbox;
  control: ExactEmulatorControl;
  clock: TestClock;
  division: number;
  apiBase: string;
  /** A client over axios with a token the emulator issued (for tests that skip the login page). */
  client(options?: { divisions?: number[]; token?: string; counter?: Transport[] }): { exact: ExactClient; calls: () => number };
}

async function startHarness(options: ExactEmulatorOptions = {}): Promise<Harness> {
  const clock = new TestClock(start);
  let control: ExactEmulatorControl | undefined;
  const sandbox = await startSandbox(
    [
      (context) => {
        const emulator = createExactEmulator(context, { redirectUris: [redirectUri], ...options });
        control = emulator.control;
        return emulator.part;
      },
    ],
    { clock },
  );
  const ready = control as ExactEmulatorControl;
  const apiBase = `${sandbox.url}/exact/api/v1/`;
  return {
    sandbox,
    control: ready,
    clock,
    division: ready.divisions[0].code,
    apiBase,
    client(clientOptions = {}) {
      const token = clientOptions.token ?? ready.issueTokens({ divisions: clientOptions.divisions }).access_token;
      const counting = countingTransport(createAxiosTransport({ baseUrl: apiBase, getAccessToken: async () => token, timeoutMs: 20_000 }));
      return { exact: new ExactClient(counting.transport, { clock }), calls: () => counting.requests.length };
    },
  };
}

function countingTransport(inner: Transport): { transport: Transport; requests: ExactRequest[] } {
  const requests: ExactRequest[] = [];
  return {
    requests,
    transport: {
      send: async (request: ExactRequest): Promise<ExactResponse> => {
        requests.push(request);
        return inner.send(request);
      },
    },
  };
}

async function failure<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The hidden and checked inputs of the page's form, as a browser would submit them. */
function formFields(html: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const match of html.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = match[1];
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
    if (name === undefined || (type === 'checkbox' && !/\bchecked\b/.test(attrs))) {
      continue;
    }
    if (type === 'hidden' || type === 'checkbox') {
      fields.append(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
    }
  }
  return fields;
}

function formAction(html: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  return new URL(action as string, pageUrl).toString();
}

describe('Exact client against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accounts: 150 });
  });
  afterAll(async () => h.sandbox.close());

  it('runs the OAuth code flow like a browser, then refreshes with rotation and rejects a reused refresh token', async () => {
    const http: HttpFunction = createAxiosHttp();
    const common = { baseUrl: `${h.sandbox.url}/exact`, clientId: h.control.app.clientId, clientSecret: h.control.app.clientSecret, http, clock: h.clock };
    const authorizeUrl = buildAuthorizeUrl({ ...common, redirectUri, state: 'st-42', forceLogin: true });

    const login = await http({ method: 'GET', url: authorizeUrl, headers: {} });
    expect(login.status).toBe(200);
    expect(login.text).toContain('name="password"');
    const loginForm = formFields(login.text);
    loginForm.set('username', h.control.demoUser.username);
    loginForm.set('password', h.control.demoUser.password);
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const consent = await http({ method: 'POST', url: formAction(login.text, authorizeUrl), headers: form, body: loginForm.toString() });
    expect(consent.status).toBe(200);
    const consentForm = formFields(consent.text);
    expect(consentForm.getAll('division').map(Number)).toEqual(h.control.divisions.map((d) => d.code));
    consentForm.set('decision', 'allow');
    const redirect = await http({ method: 'POST', url: formAction(consent.text, authorizeUrl), headers: form, body: consentForm.toString() });
    expect(redirect.status).toBe(302);
    const callback = new URL(redirect.headers.location);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('st-42');
    const code = callback.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const tokens = await exchangeAuthorizationCode({ ...common, code, redirectUri });
    expect(tokens.expiresIn).toBe(600);
    expect(tokens.expiresAt).toBe(h.clock.now() + 600_000);
    const reusedCode = await failure(exchangeAuthorizationCode({ ...common, code, redirectUri }), ExactOAuthError);
    expect(reusedCode.status).toBe(400);
    expect(reusedCode.message).not.toContain(h.control.app.clientSecret);

    const exact = new ExactClient(createAxiosTransport({ baseUrl: h.apiBase, getAccessToken: async () => tokens.accessToken }), { clock: h.clock });
    const me = await exact.me();
    expect(me.CurrentDivision).toBe(h.division);
    expect(me.DivisionCustomerCode).not.toMatch(/^\s/);

    h.clock.advance(571_000);
    const rotated = await refreshAccessToken({ ...common, refreshToken: tokens.refreshToken });
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    expect(rotated.accessToken).not.toBe(tokens.accessToken);
    const reused = await failure(refreshAccessToken({ ...common, refreshToken: tokens.refreshToken }), ExactOAuthError);
    expect(reused).toMatchObject({ status: 401, error: 'unauthorized_client', errorDescription: 'Old refresh token used.' });
    expect(reused.message).not.toContain(tokens.refreshToken);
    expect(h.control.tokenCalls()).toMatchObject({ authorization_code: 2, refresh_token: 2, refreshes: 1 });
  });

  it('creates an account with return=representation, reads it back by key and by padded Code, and updates it', async () => {
    const { exact } = h.client();
    const accounts = exact.accounts(h.division);
    const created = await accounts.create({ Name: "Bakkerij 't Hoekje", Status: 'C', City: 'Utrecht', Country: 'NL', Code: '9100' });
    expect(created).toMatchObject({ Name: "Bakkerij 't Hoekje", Status: 'C', City: 'Utrecht', Code: '9100' });
    expect(created.ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.Created).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const id = created.ID as string;

    await accounts.update(id, { City: 'Amersfoort' });
    const again = await accounts.get(id);
    expect(again).toMatchObject({ ID: id, City: 'Amersfoort', Code: '9100' });

    const byCode = [];
    for await (const a of accounts.list({ filter: accounts.where('Code', '9100'), select: ['ID', 'Code', 'Name'] })) {
      byCode.push(a);
    }
    expect(byCode).toEqual([{ ID: id, Code: '9100', Name: "Bakkerij 't Hoekje" }]);
    const byName = [];
    for await (const a of accounts.list({ filter: accounts.where('Name', "Bakkerij 't Hoekje"), select: ['ID'] })) {
      byName.push(a);
    }
    expect(byName).toEqual([{ ID: id }]);

    const contact = await exact.contacts(h.division).create({ Account: id, FirstName: 'Anna', LastName: 'de Vries', Email: 'anna@hoekje.example' });
    expect(contact).toMatchObject({ Account: id, FirstName: 'Anna', LastName: 'de Vries' });
    expect(contact.ID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('after a dropped POST, findCreated tells whether Exact applied it, so a retry cannot duplicate', async () => {
    const { exact } = h.client();
    const accounts = exact.accounts(h.division);
    const values = { Name: 'Verloren Verbinding B.V.', City: 'Zwolle' };
    h.control.injectFault({ kind: 'drop', path: 'crm/Accounts' });
    const lost = await failure(accounts.create(values), ExactWriteOutcomeUnknownError);
    // The drop happened before the emulator handled the POST: nothing was created.
    expect(await accounts.findCreated(values, lost.sentAt)).toEqual([]);
    const created = await accounts.create(values);
    const found = await accounts.findCreated(values, lost.sentAt);
    expect(found.map((a) => a.ID)).toEqual([created.ID]);
    const contacts = exact.contacts(h.division);
    const person = await contacts.create({ Account: created.ID as string, LastName: 'Dijkstra' });
    expect((await contacts.findCreated({ Account: created.ID as string, LastName: 'Dijkstra' }, lost.sentAt)).map((c) => c.ID)).toEqual([person.ID]);
  });

  it('reads changes since a cursor through sync, and deletions through sync/Deleted', async () => {
    const { exact } = h.client();
    const source = createExactRecordSource(exact);
    const first = exact.sync(h.division, 'Account', { select: ['Name', 'City'], since: '0' });
    const all = await first.all();
    expect(all.records.length).toBe(h.control.records(h.division, 'Accounts').length);
    const cursor = first.cursor;
    expect(cursor).toMatch(/^\d+$/);

    const [a, b, c] = all.records.map((r) => r.ID as string);
    // sync/Deleted has its own cursor: Timestamps are one sequence across the division's tables.
    const deletedBefore = await exact.deleted(h.division, 'Account', { since: '0' }).all();
    const contactsDeletedBefore = await exact.deleted(h.division, 'Contact', { since: '0' }).all();
    expect(deletedBefore.records.every((r) => r.EntityType === 2)).toBe(true);
    const contactsOfC = h.control.records(h.division, 'Contacts').filter((r) => r.Account === c).map((r) => r.ID as string);
    h.control.updateRecord(h.division, 'Accounts', a, { City: 'Zwolle' });
    h.control.updateRecord(h.division, 'Accounts', b, { Name: 'Gewijzigd BV' });
    h.control.deleteRecord(h.division, 'Accounts', c);

    const changes = [];
    for await (const page of source.readChanges({ division: h.division, entity: 'Account', fields: ['Name', 'City'], since: cursor })) {
      changes.push(...page);
    }
    expect(changes.map((r) => r.ID).sort()).toEqual([a, b].sort());
    expect(changes.find((r) => r.ID === a)).toMatchObject({ City: 'Zwolle' });
    expect(changes.every((r) => typeof r.Timestamp === 'string' && BigInt(r.Timestamp) > BigInt(cursor))).toBe(true);

    const second = exact.sync(h.division, 'Account', { select: ['Name'], since: cursor });
    await second.all();
    expect(BigInt(second.cursor)).toBeGreaterThan(BigInt(cursor));
    expect((await exact.sync(h.division, 'Account', { select: ['Name'], since: second.cursor }).all()).records).toEqual([]);

    const deletions = [];
    for await (const page of source.readDeletions({ division: h.division, entity: 'Account', since: deletedBefore.cursor })) {
      deletions.push(...page);
    }
    expect(deletions).toEqual([{ key: c, timestamp: expect.stringMatching(/^\d+$/) as unknown as string, deletedAt: expect.stringMatching(/Z$/) as unknown as string }]);
    // The emulator removes an account's contacts with it; they show up as EntityType 5 only.
    const contactDeletions = await exact.deleted(h.division, 'Contact', { since: contactsDeletedBefore.cursor }).all();
    expect(contactDeletions.records.map((r) => r.EntityKey).sort()).toEqual(contactsOfC.sort());
    expect(contactDeletions.records.every((r) => r.EntityType === 5)).toBe(true);
  });

  it('reads divisions and the finance of one account', async () => {
    const { exact } = h.client();
    const divisions = await exact.divisions(h.division);
    expect(divisions.map((d) => d.Code)).toEqual(h.control.divisions.map((d) => d.code));
    expect(divisions[0].Country).toMatch(/^[A-Z]{2}$/);
    const debtor = h.control.records(h.division, 'Accounts').find((r) => r.Status === 'C');
    const id = debtor?.ID as string;
    const invoices = await exact.salesInvoicesForAccount(h.division, id);
    const open = await exact.receivablesForAccount(h.division, id);
    const aging = await exact.agingForAccount(h.division, id);
    expect(invoices.every((i) => i.InvoiceTo === id)).toBe(true);
    expect(open.every((r) => r.AccountId === id)).toBe(true);
    if (open.length > 0) {
      const total = open.reduce((sum, r) => sum + (r.Amount ?? 0), 0);
      expect(aging?.TotalAmount).toBeCloseTo(total, 2);
    } else {
      expect(aging).toBeUndefined();
    }
  });
});

describe('Exact client error paths against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accounts: 30 });
  });
  afterAll(async () => h.sandbox.close());

  it('400: mandatory filtering on crm/Accounts, with Exact’s message', async () => {
    const { exact } = h.client();
    const error = await failure(exact.accounts(h.division).pages({ select: ['ID'] }).next(), ExactApiError);
    expect(error.status).toBe(400);
    expect(error.messages[0]).toMatch(/mandatory filtering/);
    expect(error.endpoint).toBe(`GET ${h.division}/crm/Accounts?$select=ID`);
    expect(error.rateLimit.minutely?.limit).toBe(60);
  });

  it('401: an unknown access token, which never shows up in the error', async () => {
    const { exact } = h.client({ token: 'not-a-real-token' });
    const error = await failure(exact.divisions(h.division), ExactApiError);
    expect(error.status).toBe(401);
    expect(error.messages).toEqual(['The access token is invalid.']);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('not-a-real-token');
  });

  it('401: an access token used after its 600 seconds', async () => {
    const { exact } = h.client();
    await exact.divisions(h.division);
    h.clock.advance(601_000);
    const error = await failure(exact.divisions(h.division), ExactApiError);
    expect(error.status).toBe(401);
    expect(error.messages[0]).toMatch(/expired/);
  });

  it('403: a division left out of the consent, with the Reason header', async () => {
    const [first, second] = h.control.divisions.map((d) => d.code);
    const { exact } = h.client({ divisions: [first] });
    const error = await failure(exact.divisions(second), ExactApiError);
    expect(error.status).toBe(403);
    expect(error.reason).toMatch(/not included when the app was authorized/);
    expect(error.message).toContain(`Reason: ${error.reason as string}`);
  });

  it('404: an account that does not exist', async () => {
    const { exact } = h.client();
    const error = await failure(exact.accounts(h.division).get('00000000-0000-4000-8000-000000000000'), ExactApiError);
    expect(error.status).toBe(404);
    expect(error.messages[0]).toMatch(/not found/);
  });

  it('500: validation messages joined with \\r\\n come back as a list', async () => {
    const { exact } = h.client();
    const error = await failure(exact.contacts(h.division).create({ FirstName: 'Anna' }), ExactApiError);
    expect(error.status).toBe(500);
    expect(error.messages).toEqual(['Verplicht: Relatie', 'Verplicht: Achternaam']);
  });

  it('a non-JSON error page, an injected 500 and a dropped connection are ExactApiErrors too', async () => {
    const { exact } = h.client();
    h.control.injectFault({ kind: 'error503', path: 'system/Divisions' });
    const html = await failure(exact.divisions(h.division), ExactApiError);
    expect(html).toMatchObject({ status: 503, messages: ['503 Service Unavailable'] });
    h.control.injectFault({ kind: 'error500', path: 'system/Divisions' });
    expect((await failure(exact.divisions(h.division), ExactApiError)).messages[0]).toMatch(/unexpected error/);
    h.control.injectFault({ kind: 'drop', path: 'system/Divisions' });
    expect((await failure(exact.divisions(h.division), ExactApiError)).status).toBe(0);
    expect((await exact.divisions(h.division)).length).toBe(h.control.divisions.length);
  });

  it('429: the 61st call in one minute, with the minutely state and the last known daily state', async () => {
    h.clock.set(Date.UTC(2026, 10, 23, 10, 0, 0));
    h.control.resetCounters();
    const { exact, calls } = h.client();
    for (let i = 0; i < 60; i += 1) {
      await exact.divisions(h.division);
    }
    expect(exact.rateLimit(h.division).minutely?.remaining).toBe(0);
    const error = await failure(exact.divisions(h.division), ExactApiError);
    expect(calls()).toBe(61);
    expect(error.status).toBe(429);
    const minuteReset = Date.UTC(2026, 10, 23, 10, 1, 0);
    expect(error.rateLimit).toEqual({
      minutely: { limit: 60, remaining: 0, resetAt: minuteReset },
      daily: { limit: 5000, remaining: 4940, resetAt: Date.UTC(2026, 10, 24) },
    });
    expect(exact.rateLimitWait(h.division)).toBe(60_000);
    h.clock.set(minuteReset);
    expect(exact.rateLimitWait(h.division)).toBe(0);
    await exact.divisions(h.division);
    expect(exact.rateLimit(h.division).minutely?.remaining).toBe(59);
  });
});

describe('Exact client and the daily limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accounts: 5, knobs: { dayLimit: 3 } });
  });
  afterAll(async () => h.sandbox.close());

  it('a daily 429 carries the daily window, which resets at UTC midnight; current/Me does not count', async () => {
    const { exact, calls } = h.client();
    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(61_000);
      await exact.divisions(h.division);
      await exact.me();
    }
    const error = await failure(exact.divisions(h.division), ExactApiError);
    expect(calls()).toBe(7);
    expect(error.status).toBe(429);
    expect(error.rateLimit.daily).toEqual({ limit: 3, remaining: 0, resetAt: Date.UTC(2026, 10, 24) });
    expect(exact.rateLimitWait(h.division)).toBe(Date.UTC(2026, 10, 24) - h.clock.now());
  });
});

describe('Exact client bulk reads at size', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accounts: 10_000 });
  });
  afterAll(async () => h.sandbox.close());

  it('reads 10,000 accounts through bulk/CRM/Accounts in exactly 10 calls', async () => {
    const { exact, calls } = h.client();
    const source = createExactRecordSource(exact);
    const ids = new Set<string>();
    let pages = 0;
    for await (const page of source.readAll({ division: h.division, entity: 'Account', fields: ['Code', 'Name', 'Modified'] })) {
      pages += 1;
      expect(page.length).toBe(1000);
      for (const record of page) {
        ids.add(record.ID as string);
        expect(record.Code).toMatch(/^\S+$/);
      }
    }
    expect(ids.size).toBe(10_000);
    expect(pages).toBe(10);
    expect(calls()).toBe(10);
    expect(h.control.calls(h.division, 'bulk/CRM/Accounts')).toBe(10);
  });
});
