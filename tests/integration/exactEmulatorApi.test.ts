import { afterEach, describe, expect, it } from 'vitest';
import { BE, NL, errorText, results, start, startExact, type Harness } from '../support/exactEmulatorHarness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.sandbox.close();
  h = undefined;
});

const rateHeaders = (response: Response): string[] =>
  [...response.headers.keys()].filter((name) => name.startsWith('x-ratelimit-')).sort();

describe('Exact emulator rate limits', () => {
  it('answers the 61st call in a minute with 429 and only the minutely headers, per division', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const first = await h.get(`${NL}/system/Divisions?$select=Code`, token);
    expect(rateHeaders(first)).toHaveLength(6);
    expect(first.headers.get('x-ratelimit-minutely-remaining')).toBe('59');
    expect(first.headers.get('x-ratelimit-minutely-reset')).toBe(String(Date.UTC(2026, 10, 21, 10, 1, 0)));
    expect(first.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 10, 22)));
    for (let i = 0; i < 59; i++) {
      expect((await h.get(`${NL}/system/Divisions?$select=Code`, token)).status).toBe(200);
    }
    // current/Me has no division in the URL: no budget spent, no headers.
    const me = await h.get('current/Me', token);
    expect(me.status).toBe(200);
    expect(rateHeaders(me)).toEqual([]);
    const limited = await h.get(`${NL}/system/Divisions?$select=Code`, token);
    expect(limited.status).toBe(429);
    expect(rateHeaders(limited)).toEqual(['x-ratelimit-minutely-limit', 'x-ratelimit-minutely-remaining', 'x-ratelimit-minutely-reset']);
    expect(limited.headers.get('x-ratelimit-minutely-remaining')).toBe('0');
    expect((await h.get(`${BE}/system/Divisions?$select=Code`, token)).status).toBe(200);
    h.clock.set(Date.UTC(2026, 10, 21, 10, 1, 0));
    const next = await h.get(`${NL}/system/Divisions?$select=Code`, token);
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-remaining')).toBe(String(5000 - 61));
    expect(h.control.calls(NL, 'system/Divisions')).toBe(61);
  });

  it('stops a division at its daily limit until the next UTC midnight', async () => {
    h = await startExact({ knobs: { dayLimit: 3 } });
    const token = h.control.issueTokens().access_token;
    for (let i = 0; i < 3; i++) {
      expect((await h.get(`${NL}/system/Divisions?$select=Code`, token)).status).toBe(200);
    }
    const limited = await h.get(`${NL}/system/Divisions?$select=Code`, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 10, 22)));
    h.clock.set(Date.UTC(2026, 10, 22, 0, 0, 1));
    const refreshed = h.control.issueTokens().access_token;
    expect((await h.get(`${NL}/system/Divisions?$select=Code`, refreshed)).status).toBe(200);
  });

  it('counts errors per endpoint per hour and blocks only when asked', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    for (let i = 0; i < 10; i++) {
      expect((await h.get(`${NL}/crm/Accounts?$filter=Nope eq 1`, token)).status).toBe(400);
    }
    expect(h.control.errorCount(NL, 'crm/Accounts')).toBe(10);
    expect((await h.get(`${NL}/crm/Accounts?$filter=Blocked eq true&$select=ID`, token)).status).toBe(200);
    h.control.setKnobs({ blockOnErrors: true });
    expect((await h.get(`${NL}/crm/Accounts?$filter=Blocked eq true&$select=ID`, token)).status).toBe(429);
    h.clock.advance(3_600_001);
    const fresh = h.control.issueTokens().access_token;
    expect(h.control.errorCount(NL, 'crm/Accounts')).toBe(0);
    expect((await h.get(`${NL}/crm/Accounts?$filter=Blocked eq true&$select=ID`, fresh)).status).toBe(200);
  });
});

describe('Exact emulator OData', () => {
  it('pages crm/Accounts by 60 with an absolute __next carrying $skiptoken, and counts', async () => {
    h = await startExact({ accounts: 130 });
    const token = h.control.issueTokens().access_token;
    const ids = new Set<string>();
    let url: string | undefined = `${h.api}${NL}/crm/Accounts?$filter=Blocked eq false or Blocked eq true&$select=ID,Code,Name&$inlinecount=allpages`;
    let pages = 0;
    while (url) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      expect(response.status).toBe(200);
      const d = await results(response);
      expect(d.__count).toBe('130');
      d.results.forEach((row) => ids.add(String(row.ID)));
      if (d.__next) {
        expect(d.__next.startsWith(`${h.api}${NL}/crm/Accounts?`)).toBe(true);
        expect(d.__next).toMatch(/\$skiptoken=guid'[0-9a-f-]{36}'/);
        expect(d.__next).toContain('$select=ID,Code,Name');
      }
      url = d.__next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(ids.size).toBe(130);
    const count = await h.get(`${NL}/crm/Accounts/$count?$filter=Status eq 'C'`, token);
    expect(Number(await count.text())).toBe(h.control.records(NL, 'Accounts').filter((a) => a.Status === 'C').length);
    const top2 = (await results(await h.get(`${NL}/crm/Accounts?$filter=Status eq 'C'&$select=Code&$orderby=Code desc&$top=2`, token))).results;
    const expected = h.control.records(NL, 'Accounts').filter((a) => a.Status === 'C').map((a) => String(a.Code)).sort().reverse().slice(0, 2);
    expect(top2.map((r) => r.Code)).toEqual(expected);
    expect(expected[0]).toHaveLength(18);
  });

  it('requires $select on bulk endpoints and pages them by 1,000', async () => {
    h = await startExact({ accounts: 1001 });
    const token = h.control.issueTokens().access_token;
    const missing = await h.get(`${NL}/bulk/CRM/Accounts`, token);
    expect(missing.status).toBe(400);
    expect(await errorText(missing)).toBe('Please add a $select or a $top=1 statement to the query string.');
    expect((await h.get(`${NL}/bulk/CRM/Accounts?$top=1`, token)).status).toBe(200);
    const page1 = await results(await h.get(`${NL}/bulk/CRM/Accounts?$select=ID,Name`, token));
    expect(page1.results).toHaveLength(1000);
    expect(Object.keys(page1.results[0])).toEqual(['__metadata', 'ID', 'Name']);
    const page2 = await results(await fetch(page1.__next ?? '', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }));
    expect(page2.results).toHaveLength(1);
    expect(page2.__next).toBeUndefined();
  });

  it('answers crm/Accounts without $filter with the mandatory-filtering 400 and GETs one account by key', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const unfiltered = await h.get(`${NL}/crm/Accounts?$select=ID`, token);
    expect(unfiltered.status).toBe(400);
    expect(await errorText(unfiltered)).toMatch(/^This endpoint has mandatory filtering applied\. A GET request for this endpoint must have a \$filter parameter with one of the following fields in the url:.*Code/);
    const hoekje = (await results(await h.get(`${NL}/crm/Accounts?$filter=Name eq '''t Hoekje'&$select=ID,Name,Created`, token))).results;
    expect(hoekje).toHaveLength(1);
    expect(hoekje[0].Created).toMatch(/^\/Date\(\d+\)\/$/);
    const one = await h.get(`${NL}/crm/Accounts(guid'${String(hoekje[0].ID)}')`, token);
    const body = (await one.json()) as { d: Record<string, unknown> };
    expect(body.d.Name).toBe("'t Hoekje");
    expect(body.d.__metadata).toEqual({ uri: `${h.api}${NL}/crm/Accounts(guid'${String(hoekje[0].ID)}')`, type: 'Exact.Web.Api.Models.Account' });
    const jansen = (await results(await h.get(`${NL}/crm/Accounts?$filter=Name eq 'Bakkerij Jansen'&$select=City`, token))).results;
    expect(jansen.map((r) => r.City).sort()).toEqual(['Utrecht', 'Zwolle']);
  });

  it('creates accounts with and without Prefer: return=representation, updates and deletes them', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const bare = await h.send('POST', `${NL}/crm/Accounts`, token, { Name: 'Nieuw Bedrijf B.V.', City: 'Paris', Status: 'C' });
    expect(bare.status).toBe(201);
    const bareBody = (await bare.json()) as { d: Record<string, unknown> };
    expect(bareBody.d.City).toBeNull();
    expect(bareBody.d.ID).toMatch(/^[0-9a-f-]{36}$/);
    const full = await h.send('POST', `${NL}/crm/Accounts`, token, { Name: 'Tweede B.V.', City: 'Breda' }, { prefer: 'return=representation' });
    const created = ((await full.json()) as { d: Record<string, unknown> }).d;
    expect(created.City).toBe('Breda');
    expect(String(created.Code)).toHaveLength(18);
    const put = await h.send('PUT', `${NL}/crm/Accounts(guid'${String(created.ID)}')`, token, { City: 'Tilburg' });
    expect(put.status).toBe(204);
    expect(await put.text()).toBe('');
    const row = h.control.records(NL, 'Accounts').find((a) => a.ID === created.ID);
    expect(row?.City).toBe('Tilburg');
    const del = await h.send('DELETE', `${NL}/crm/Accounts(guid'${String(created.ID)}')`, token);
    expect(del.status).toBe(204);
    const deleted = (await results(await h.get(`${NL}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 2&$select=EntityKey,Timestamp`, token))).results;
    expect(deleted.map((r) => r.EntityKey)).toContain(created.ID);
  });

  it('moves Timestamp on every change and serves sync in Timestamp order from a cursor', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const all = (await results(await h.get(`${NL}/sync/CRM/Accounts?$filter=Timestamp gt 1L&$select=ID,Timestamp`, token))).results;
    expect(all).toHaveLength(120);
    const stamps = all.map((r) => BigInt(String(r.Timestamp)));
    expect(stamps.every((s, i) => i === 0 || s > stamps[i - 1])).toBe(true);
    const cursor = String(all[all.length - 1].Timestamp);
    const target = String(all[5].ID);
    h.control.updateRecord(NL, 'Accounts', target, { Phone: '020-7654321' });
    const changes = (await results(await h.get(`${NL}/sync/CRM/Accounts?$filter=Timestamp gt ${cursor}L&$select=ID,Phone,Timestamp`, token))).results;
    expect(changes.map((r) => r.ID)).toEqual([target]);
    expect(BigInt(String(changes[0].Timestamp)) > BigInt(cursor)).toBe(true);
    const contacts = (await results(await h.get(`${NL}/sync/CRM/Contacts?$filter=Timestamp gt 1L&$select=ID,Account,Email`, token))).results;
    expect(contacts.length).toBeGreaterThanOrEqual(120);
  });

  it('answers each error status the way Exact does', async () => {
    h = await startExact();
    const token = h.control.issueTokens({ divisions: [NL] }).access_token;
    expect((await fetch(`${h.api}${NL}/crm/Contacts?$top=1`)).status).toBe(401);
    expect((await h.get(`${NL}/crm/Contacts?$top=1`, 'not-a-token')).status).toBe(401);
    const forbidden = await h.get(`${BE}/crm/Contacts?$top=1`, token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('reason')).toBeTruthy();
    expect((await h.get(`${NL}/crm/Nothing`, token)).status).toBe(404);
    expect((await h.get(`${NL}/crm/Accounts(guid'00000000-0000-0000-0000-000000000000')`, token)).status).toBe(404);
    const badSelect = await h.get(`${NL}/crm/Contacts?$select=ID,Shoe`, token);
    expect(badSelect.status).toBe(400);
    expect(await errorText(badSelect)).toContain("'Shoe'");
    expect((await h.get(`${NL}/crm/Contacts?$filter=ID eq 'abc'`, token)).status).toBe(400);
    expect((await h.get(`${NL}/crm/Contacts?$filter=(FirstName eq 'x'`, token)).status).toBe(400);
    // What the profile's filter check refuses, the stand-in refuses too (one grammar): a date not
    // on the calendar is not rolled over into a real one, a dangling operator is not ignored.
    for (const filter of ["Modified gt datetime'2024-13-45'", 'Name eq', "Status eq 'C' and", "Blocked eq 'yes'"]) {
      const refused = await h.get(`${NL}/crm/Accounts?$filter=${encodeURIComponent(filter)}&$select=ID`, token);
      expect(refused.status, filter).toBe(400);
      expect(await refused.json(), filter).toEqual({ error: { code: '', message: { lang: '', value: expect.any(String) } } });
    }
    expect((await h.get(`${NL}/crm/Accounts?$filter=${encodeURIComponent("Modified gt datetime'2024-02-29'")}&$select=ID`, token)).status).toBe(200);
    const invalid = await h.send('POST', `${NL}/crm/Contacts`, token, { FirstName: 'Piet' });
    expect(invalid.status).toBe(500);
    expect(await errorText(invalid)).toBe('Verplicht: Relatie\r\nVerplicht: Achternaam');
    const noName = await h.send('POST', `${NL}/crm/Accounts`, token, { City: 'Delft' });
    expect(noName.status).toBe(500);
    expect(await noName.json()).toEqual({ error: { code: '', message: { lang: '', value: 'Verplicht: Naam' } } });
    expect((await h.send('POST', `${NL}/crm/Accounts`, token, { Name: 'X', Colour: 'red' })).status).toBe(400);
    expect((await h.send('POST', `${NL}/bulk/CRM/Accounts`, token, { Name: 'X' })).status).toBe(405);
    const contact = h.control.records(NL, 'Contacts')[0];
    expect((await h.send('DELETE', `${NL}/crm/Contacts(guid'${String(contact.ID)}')`, token)).status).toBe(204);
    const gone = (await results(await h.get(`${NL}/sync/Deleted?$filter=EntityType eq 5&$select=EntityKey`, token))).results;
    expect(gone.map((r) => r.EntityKey)).toEqual([contact.ID]);
    expect(h.control.errorCount(NL, 'crm/Contacts')).toBe(5); // two 401s and three 400s; the 500s do not count
    h.clock.advance(600_000);
    expect((await h.get(`${NL}/crm/Contacts?$top=1`, token)).status).toBe(401);
  });

  it('answers a $filter nested 3,000 brackets deep with 400 in Exact\'s error shape, not a 500', async () => {
    h = await startExact();
    const token = h.control.issueTokens({ divisions: [NL] }).access_token;
    // 3,000 unclosed brackets: closing them too would pass Exact's 6,000-character URL limit (414).
    const deep = await h.get(`${NL}/crm/Accounts?$select=ID&$filter=${'('.repeat(3_000)}Name eq 'x'`, token);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({ error: { code: '', message: { lang: '', value: expect.stringMatching(/^Recursion depth exceeded allowed limit\./) } } });
    const fine = await h.get(`${NL}/crm/Accounts?$select=ID&$filter=${'('.repeat(100)}Name eq 'x'${')'.repeat(100)}`, token);
    expect(fine.status).toBe(200);
  });

  it('reads invoices, receivables and aging for one customer', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const account = h.control.records(NL, 'Accounts')[7];
    const invoices = (await results(await h.get(`${NL}/salesinvoice/SalesInvoices?$filter=InvoiceTo eq guid'${String(account.ID)}'&$select=InvoiceID,InvoiceNumber,AmountDC,InvoiceDate,SalesInvoiceLines&$expand=SalesInvoiceLines`, token))).results;
    expect(invoices.length).toBe(8);
    const lines = invoices[0].SalesInvoiceLines as { results: Array<Record<string, unknown>> };
    expect(lines.results.length).toBeGreaterThan(0);
    const open = (await results(await h.get(`${NL}/read/financial/ReceivablesList?$filter=AccountId eq guid'${String(account.ID)}'`, token))).results;
    const overdue = open.filter((r) => Number(/\d+/.exec(String(r.DueDate))?.[0]) < start);
    expect(overdue.length).toBeGreaterThan(0);
    const aging = (await results(await h.get(`${NL}/read/financial/AgingReceivablesList?$filter=AccountId eq guid'${String(account.ID)}'`, token))).results;
    expect(aging).toHaveLength(1);
    const total = open.reduce((sum, r) => sum + Number(r.Amount), 0);
    expect(Number(aging[0].TotalAmount)).toBeCloseTo(total, 2);
    expect([1, 2, 3, 4].reduce((sum, i) => sum + Number(aging[0][`AgeGroup${i}Amount`]), 0)).toBeCloseTo(total, 2);
  });

  it('answers in Atom XML when the request does not ask for JSON (knob)', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    const url = `${h.api}${NL}/crm/Accounts?$filter=Blocked eq true&$select=ID`;
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).headers.get('content-type')).toMatch(/json/);
    h.control.setKnobs({ atomWithoutAccept: true });
    const response = await fetch(`${h.api}${NL}/crm/Accounts?$filter=Name eq '''t Hoekje'&$select=ID,Name,Created,Fax`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const xml = await response.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><feed /);
    expect(xml).toContain('<d:Name>&apos;t Hoekje</d:Name>');
    expect(xml).toMatch(/<d:Created m:type="Edm.DateTime">\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}<\/d:Created>/);
    expect(xml).toContain('<d:Fax m:null="true" />');
    const me = await fetch(`${h.api}current/Me`, { headers: { authorization: `Bearer ${token}`, accept: 'application/atom+xml' } });
    expect(await me.text()).toContain(`<d:CurrentDivision>${NL}</d:CurrentDivision>`);
  });

  it('injects 5xx faults and dropped connections on a path', async () => {
    h = await startExact();
    const token = h.control.issueTokens().access_token;
    h.control.injectFault({ kind: 'error503', path: 'crm/Contacts', count: 1 });
    h.control.injectFault({ kind: 'drop', path: 'crm/Contacts', count: 1 });
    expect((await h.get(`${NL}/crm/Contacts?$top=1`, token)).status).toBe(503);
    await expect(h.get(`${NL}/crm/Contacts?$top=1`, token)).rejects.toThrow();
    expect((await h.get(`${NL}/crm/Contacts?$top=1`, token)).status).toBe(200);
  });
});
