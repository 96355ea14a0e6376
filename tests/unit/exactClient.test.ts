import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { ExactClient } from '../../src/exact/client';
import { ExactApiError, ExactMalformedResponseError, ExactWriteOutcomeUnknownError, readErrorBody } from '../../src/exact/errors';
import { parseRateLimitHeaders, RateLimitTracker } from '../../src/exact/rateLimit';
import { createExactRecordSource } from '../../src/exact/recordSource';
import type { ExactRequest, ExactResponse, Transport } from '../../src/exact/transport';

/** A Transport that answers from a queue of canned responses and records every request. */
class FakeTransport implements Transport {
  public readonly requests: ExactRequest[] = [];
  private inFlight = 0;
  public maxInFlight = 0;

  public constructor(private readonly answer: (request: ExactRequest, index: number) => ExactResponse) {}

  public async send(request: ExactRequest): Promise<ExactResponse> {
    this.requests.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await Promise.resolve();
    this.inFlight -= 1;
    return this.answer(request, this.requests.length - 1);
  }
}

const ok = (data: unknown, headers: Record<string, string> = {}): ExactResponse => ({ status: 200, headers, data });
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const base = 'https://start.exactonline.nl/api/v1/';

async function expectError<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

describe('paging', () => {
  it('follows __next verbatim through toRelativePath, one request at a time, until it is absent', async () => {
    const next = (page: number) => `${base}1/bulk/CRM/Accounts?$select=ID,Name&$skiptoken=guid'${guid(page)}'`;
    const transport = new FakeTransport((_request, index) =>
      ok({
        d: {
          results: [{ ID: guid(index * 2) }, { ID: guid(index * 2 + 1) }],
          ...(index < 2 ? { __next: next(index + 1) } : {}),
        },
      }),
    );
    const exact = new ExactClient(transport);
    const ids: string[] = [];
    for await (const page of exact.bulk(1, 'Account', { select: ['Name'] })) {
      ids.push(...page.map((r) => r.ID ?? ''));
    }
    expect(ids).toEqual([0, 1, 2, 3, 4, 5].map(guid));
    expect(transport.requests.map((r) => r.path)).toEqual([
      '1/bulk/CRM/Accounts?$select=ID,Name',
      `1/bulk/CRM/Accounts?$select=ID,Name&$skiptoken=guid'${guid(1)}'`,
      `1/bulk/CRM/Accounts?$select=ID,Name&$skiptoken=guid'${guid(2)}'`,
    ]);
    expect(transport.maxInFlight).toBe(1);
  });

  it('stops with an error when __next loops back to a page already read', async () => {
    const transport = new FakeTransport(() => ok({ d: { results: [], __next: `${base}1/crm/Accounts?$select=ID` } }));
    const pages = new ExactClient(transport).accounts(1).pages({ select: ['ID'] });
    const error = await expectError(
      (async () => {
        for await (const page of pages) {
          expect(page).toEqual([]);
        }
      })(),
      ExactMalformedResponseError,
    );
    expect(error.message).toMatch(/already read/);
    expect(transport.requests).toHaveLength(1);
  });

  it('reads only as many pages as the caller asks for', async () => {
    const transport = new FakeTransport((_r, i) => ok({ d: { results: [{ ID: guid(i) }], __next: `${base}1/x?p=${i + 1}` } }));
    for await (const account of new ExactClient(transport).accounts(1).list({ select: ['ID'] })) {
      expect(account.ID).toBe(guid(0));
      break;
    }
    expect(transport.requests).toHaveLength(1);
  });
});

describe('sync and deleted', () => {
  it('filters on Timestamp gt {since}L, selects key and Timestamp, and reports the highest Timestamp', async () => {
    const transport = new FakeTransport((_r, i) =>
      i === 0
        ? ok({ d: { results: [{ ID: guid(1), Timestamp: '9007199254740995' }, { ID: guid(2), Timestamp: '9007199254740993' }], __next: `${base}7/next` } })
        : ok({ d: { results: [{ ID: guid(3), Timestamp: '9007199254740994' }] } }),
    );
    const read = new ExactClient(transport).sync(7, 'Account', { select: ['Name'], since: '9007199254740992' });
    expect(read.cursor).toBe('9007199254740992');
    const { records, cursor } = await read.all();
    expect(records).toHaveLength(3);
    expect(cursor).toBe('9007199254740995');
    expect(decodeURIComponent(transport.requests[0].path)).toBe(
      '7/sync/CRM/Accounts?$filter=Timestamp gt 9007199254740992L&$select=Timestamp,ID,Name',
    );
  });

  it('keeps the cursor at since when nothing changed, and refuses entities without sync', async () => {
    const exact = new ExactClient(new FakeTransport(() => ok({ d: { results: [] } })));
    expect((await exact.sync(7, 'Contact', { select: [], since: '42' }).all()).cursor).toBe('42');
    expect(() => exact.sync(7, 'Receivable', { select: [], since: '0' })).toThrow(/no sync endpoint/);
    expect(() => exact.deleted(7, 'Receivable', { since: '0' })).toThrow(/does not track deletions/);
  });

  it('reads sync/Deleted by EntityType and maps rows for the record source', async () => {
    const transport = new FakeTransport(() =>
      ok({ d: { results: [{ Timestamp: '15', EntityKey: guid(9), EntityType: 2, DeletedDate: '/Date(1723420800000)/' }] } }),
    );
    const source = createExactRecordSource(new ExactClient(transport));
    const pages = [];
    for await (const page of source.readDeletions({ division: 7, entity: 'Account', since: '10' })) {
      pages.push(page);
    }
    expect(pages).toEqual([[{ key: guid(9), timestamp: '15', deletedAt: '2024-08-12T00:00:00.000Z' }]]);
    expect(decodeURIComponent(transport.requests[0].path)).toBe(
      '7/sync/Deleted?$filter=(Timestamp gt 10L) and (EntityType eq 2)&$select=Timestamp,EntityKey,EntityType,DeletedDate',
    );
  });
});

describe('record source', () => {
  it('reads through bulk with the key added, fills unselected-but-missing fields with null, refuses unknown fields', async () => {
    const transport = new FakeTransport(() => ok({ d: { results: [{ ID: guid(1), Code: '                25' }] } }));
    const source = createExactRecordSource(new ExactClient(transport));
    const pages = [];
    for await (const page of source.readAll({ division: 3, entity: 'Account', fields: ['Code', 'Name'], filter: 'Blocked eq false' })) {
      pages.push(page);
    }
    expect(pages).toEqual([[{ ID: guid(1), Code: '25', Name: null }]]);
    expect(decodeURIComponent(transport.requests[0].path)).toBe('3/bulk/CRM/Accounts?$filter=Blocked eq false&$select=ID,Code,Name');
    expect(source.describeEntity('Contact')?.deletedEntityType).toBe(5);
    expect(source.listEntities().map((e) => e.name)).toContain('SalesInvoice');
    await expect(async () => {
      for await (const page of source.readAll({ division: 3, entity: 'Account', fields: ['Nope'] })) {
        expect(page).toBeDefined();
      }
    }).rejects.toThrow('Account has no field Nope');
  });
});

describe('limits', () => {
  it('refuses a URL over 6,000 characters before it reaches the transport', async () => {
    const transport = new FakeTransport(() => ok({ d: { results: [] } }));
    const accounts = new ExactClient(transport).accounts(2);
    const long = accounts.where('Name', 'x'.repeat(6000));
    await expect(accounts.pages({ filter: long }).next()).rejects.toThrow(/URLs up to 6000 characters/);
    expect(transport.requests).toHaveLength(0);
    await accounts.pages({ filter: accounts.where('Name', 'x'.repeat(5000)) }).next();
    expect(transport.requests).toHaveLength(1);
  });
});

describe('writes', () => {
  it('creates with Prefer: return=representation and parses the returned record', async () => {
    const transport = new FakeTransport(() => ({ status: 201, headers: {}, data: { d: { ID: guid(5), Code: '                26', Name: 'Nieuw BV' } } }));
    const created = await new ExactClient(transport).accounts(2).create({ Name: 'Nieuw BV', Status: 'C' });
    expect(created).toEqual({ ID: guid(5), Code: '26', Name: 'Nieuw BV' });
    expect(transport.requests[0]).toEqual({
      method: 'POST',
      path: '2/crm/Accounts',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: { Name: 'Nieuw BV', Status: 'C' },
    });
  });

  it('sends Edm.Byte flags as 0/1 and reads them back as booleans', async () => {
    const transport = new FakeTransport(() => ({ status: 201, headers: {}, data: { d: { ID: guid(6), IsCompetitor: 1, IsMailing: 0, IsAccountant: 2 } } }));
    const created = await new ExactClient(transport).accounts(2).create({ Name: 'Concurrent BV', IsCompetitor: true, IsMailing: false });
    expect(transport.requests[0].body).toEqual({ Name: 'Concurrent BV', IsCompetitor: 1, IsMailing: 0 });
    expect(created).toEqual({ ID: guid(6), IsCompetitor: true, IsMailing: false, IsAccountant: 2 });
    expect(new ExactClient(transport).accounts(2).where('IsCompetitor', true)).toBe('IsCompetitor eq 1');
  });

  it('returns the ID of a created record even when the rest of the answer is null or not what the catalog expects', async () => {
    // Without Prefer Exact answers with almost every property null; a field in an unexpected shape must not turn a done create into an error.
    const transport = new FakeTransport(() => ({ status: 200, headers: {}, data: { d: { ID: guid(7), Name: null, City: null, IsCompetitor: true, Created: 'yesterday', Extra: { a: 1 } } } }));
    const created = await new ExactClient(transport).accounts(2).create({ Name: 'Half BV' });
    expect(created).toEqual({ ID: guid(7), Name: null, City: null });
  });

  it('refuses a create answer without a key, saying the record may exist', async () => {
    const transport = new FakeTransport(() => ({ status: 201, headers: {}, data: '<html>proxy</html>' }));
    const error = await expectError(new ExactClient(transport).accounts(2).create({ Name: 'Half BV' }), ExactMalformedResponseError);
    expect(error.message).toMatch(/may have been created, look it up before retrying/);
  });

  it('turns a POST without an answer into ExactWriteOutcomeUnknownError carrying when and what was sent', async () => {
    const clock = new TestClock(Date.UTC(2026, 10, 21, 9, 0, 0));
    const transport: Transport = { send: () => Promise.reject(new Error('timeout of 30000ms exceeded')) };
    const error = await expectError(new ExactClient(transport, { clock }).accounts(2).create({ Name: 'Traag BV' }), ExactWriteOutcomeUnknownError);
    expect(error).toMatchObject({ status: 0, sentAt: clock.now(), values: { Name: 'Traag BV' }, retryable: true });
    expect(error.message).toMatch(/may have been applied/);
  });

  it('updates with PUT on the guid key and refuses read-only, unknown and mistyped fields before sending', async () => {
    const transport = new FakeTransport(() => ({ status: 204, headers: {}, data: undefined }));
    const accounts = new ExactClient(transport).accounts(2);
    await accounts.update(guid(5), { City: 'Utrecht' });
    expect(transport.requests[0]).toMatchObject({ method: 'PUT', path: `2/crm/Accounts(guid'${guid(5)}')`, body: { City: 'Utrecht' } });
    await expect(accounts.update(guid(5), { Created: '2026-01-01' })).rejects.toThrow('Account.Created is read-only');
    await expect(accounts.update(guid(5), { Colour: 'red' })).rejects.toThrow('Account has no field Colour');
    await expect(accounts.update(guid(5), { Blocked: 'yes' })).rejects.toThrow(/Account\.Blocked/);
    await expect(accounts.update(guid(5), { Code: '1234567890123456789' })).rejects.toThrow(/longer than 18/);
    await expect(accounts.update('not-a-guid', { City: 'x' })).rejects.toThrow(/not a GUID/);
    // Dates only as ISO text: each 400 at Exact counts toward its hourly error block.
    await expect(accounts.update(guid(5), { StartDate: 'Nov 21 2026' })).rejects.toThrow(/Account\.StartDate must be an ISO 8601 date/);
    await expect(accounts.update(guid(5), { StartDate: 123 })).rejects.toThrow(/Account\.StartDate must be an ISO 8601 date/);
    expect(transport.requests).toHaveLength(1);
    await accounts.update(guid(5), { StartDate: '2026-11-21' });
    expect(transport.requests[1]).toMatchObject({ body: { StartDate: '2026-11-21' } });
  });
});

describe('errors', () => {
  it('carries status, endpoint, split messages, the 403 Reason and rate-limit state', async () => {
    const transport = new FakeTransport(() => ({
      status: 403,
      headers: { reason: 'No rights for Accounts', 'x-ratelimit-minutely-limit': '60', 'x-ratelimit-minutely-remaining': '12', 'x-ratelimit-minutely-reset': '1638447360000' },
      data: { error: { code: '', message: { lang: '', value: 'Verplicht: Factuur voor\r\nVerplicht: Besteld door' } } },
    }));
    const error = await expectError(new ExactClient(transport).accounts(9).get(guid(1), { select: ['ID'] }), ExactApiError);
    expect(error.status).toBe(403);
    expect(error.reason).toBe('No rights for Accounts');
    expect(error.messages).toEqual(['Verplicht: Factuur voor', 'Verplicht: Besteld door']);
    expect(error.endpoint).toBe(`GET 9/crm/Accounts(guid'${guid(1)}')?$select=ID`);
    expect(error.rateLimit).toEqual({ minutely: { limit: 60, remaining: 12, resetAt: 1638447360000 } });
    expect(error.message).toContain('HTTP 403 (Reason: No rights for Accounts): Verplicht: Factuur voor; Verplicht: Besteld door');
  });

  it('reads odd error bodies without crashing, and never keeps an access_token from a path', async () => {
    expect(readErrorBody('<html><body><h1>Server Error</h1></body></html>')).toEqual({ messages: ['Server Error'] });
    expect(readErrorBody(undefined)).toEqual({ messages: [] });
    expect(readErrorBody({ error: { code: 12, message: 'plain' } })).toEqual({ messages: ['plain'], code: '12' });
    expect(readErrorBody({ unexpected: true })).toEqual({ messages: [] });
    const transport = new FakeTransport(() => ({ status: 401, headers: {}, data: undefined }));
    const error = await expectError(
      new ExactClient(transport).connection.send('GET', 'current/Me?access_token=SECRET123&$select=UserID'),
      ExactApiError,
    );
    expect(error.message).not.toContain('SECRET123');
    expect(error.path).toBe('current/Me?access_token=REDACTED&$select=UserID');
  });

  it('turns a network failure into an ExactApiError with status 0', async () => {
    const transport: Transport = { send: () => Promise.reject(new Error('socket hang up')) };
    const error = await expectError(new ExactClient(transport).me(), ExactApiError);
    expect(error.status).toBe(0);
    expect(error.messages).toEqual(['socket hang up']);
  });

  it('names the entity, record key and field of a malformed record', async () => {
    const transport = new FakeTransport(() =>
      ok({ d: { results: [{ ID: guid(1), Name: 'A' }, { ID: guid(2), Name: 'B', Created: '2024-01-01' }] } }),
    );
    const error = await expectError(new ExactClient(transport).accounts(4).pages({ select: ['ID'] }).next(), ExactMalformedResponseError);
    expect(error).toMatchObject({ entity: 'Account', recordKey: guid(2), field: 'Created', status: 200 });
    expect(error.message).toContain(`Account, record ${guid(2)}, field Created`);
    expect(error.message).toContain('"2024-01-01"');
  });

  it('refuses a non-JSON or envelope-less 200', async () => {
    const html = new ExactClient(new FakeTransport(() => ok('<html>login</html>')));
    const e1 = await expectError(html.divisions(1), ExactMalformedResponseError);
    expect(e1.message).toMatch(/Division.*non-JSON body of 18 characters/);
    const bare = new ExactClient(new FakeTransport(() => ok({ results: [] })));
    await expectError(bare.me(), ExactMalformedResponseError);
    const empty = new ExactClient(new FakeTransport(() => ok({ d: { results: [] } })));
    const e3 = await expectError(empty.me(), ExactMalformedResponseError);
    expect(e3.message).toMatch(/empty collection/);
  });
});

describe('rate limits', () => {
  const all = {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4924',
    'x-ratelimit-reset': '1638489600000',
    'x-ratelimit-minutely-limit': '60',
    'x-ratelimit-minutely-remaining': '59',
    'x-ratelimit-minutely-reset': '1638447360000',
  };

  it('parses all six headers as epoch ms and ignores partial or garbled windows', () => {
    expect(parseRateLimitHeaders(all)).toEqual({
      daily: { limit: 5000, remaining: 4924, resetAt: 1638489600000 },
      minutely: { limit: 60, remaining: 59, resetAt: 1638447360000 },
    });
    expect(parseRateLimitHeaders({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': 'x', 'x-ratelimit-reset': '1' })).toEqual({});
    expect(parseRateLimitHeaders({})).toEqual({});
  });

  it('keeps the last known daily window when a minutely 429 omits it, per division', () => {
    const tracker = new RateLimitTracker();
    tracker.update('1', all);
    const after429 = tracker.update('1', {
      'x-ratelimit-minutely-limit': '60',
      'x-ratelimit-minutely-remaining': '0',
      'x-ratelimit-minutely-reset': '1638447420000',
    });
    expect(after429).toEqual({
      daily: { limit: 5000, remaining: 4924, resetAt: 1638489600000 },
      minutely: { limit: 60, remaining: 0, resetAt: 1638447420000 },
    });
    expect(tracker.get('2')).toEqual({});
  });

  it('tells how long to wait using the clock', async () => {
    const clock = new TestClock(1638447400000);
    const transport = new FakeTransport(() => ({
      status: 429,
      headers: { 'x-ratelimit-minutely-limit': '60', 'x-ratelimit-minutely-remaining': '0', 'x-ratelimit-minutely-reset': '1638447420000' },
      data: { error: { code: '', message: { lang: '', value: 'Too many requests' } } },
    }));
    const exact = new ExactClient(transport, { clock });
    const error = await expectError(exact.accounts(5).get(guid(1), { select: ['ID'] }), ExactApiError);
    expect(error.status).toBe(429);
    expect(error.rateLimit.minutely?.remaining).toBe(0);
    expect(exact.rateLimitWait(5)).toBe(20000);
    clock.advance(20000);
    expect(exact.rateLimitWait(5)).toBe(0);
  });
});
