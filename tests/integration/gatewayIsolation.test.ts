import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fabrikamTenantId } from '../../sandbox/idp';
import { call, connectExact, createCustomer, invoicesPath, signInWithForm, startHarness, users, type Harness } from '../support/gatewayHarness';

interface Status {
  connected: boolean;
  division?: number | null;
  exactUser?: { fullName: string };
}

const contoso = users.admin.tid;

describe('gateway isolation: tenants and the sales role', () => {
  let h: Harness;
  let admin: string;
  let sales: string;
  let otherAdmin: string;
  let division: number;
  let second: number;

  const status = async (token: string, query = ''): Promise<Status> => (await (await call(h, `/gateway/connection${query}`, token)).json()) as Status;
  /** Contoso's connection and token record exactly as stored, to compare before and after. */
  const contosoState = async () => ({ connection: await h.store.getConnection(contoso, 'default'), token: await h.store.getToken(contoso, 'default') });

  beforeAll(async () => {
    h = await startHarness({ configure: (config) => ({ ...config, auth: { ...config.auth, allowedTenants: [contoso, fabrikamTenantId] } }) });
    admin = await signInWithForm(h, users.admin);
    sales = await signInWithForm(h, users.sales);
    otherAdmin = await signInWithForm(h, users.otherTenantAdmin);
    division = h.exact.divisions[0]!.code;
    second = h.exact.divisions[1]!.code;
    expect((await connectExact(h, admin)).page.status).toBe(200);
  });
  afterAll(async () => h.close());

  it('tenant B cannot read, change or remove tenant A\'s connection, under any connection id', async () => {
    const before = await contosoState();
    for (const query of ['', '?connection=default', '?connection=second']) {
      expect(await status(otherAdmin, query)).toEqual({ connected: false, status: 'not-connected' });
      const put = await call(h, `/gateway/connection/division${query}`, otherAdmin, { method: 'PUT', body: JSON.stringify({ division: second }) });
      expect(put.status).toBe(409);
      expect((await call(h, `/gateway/connection${query}`, otherAdmin, { method: 'DELETE' })).status).toBe(200);
    }
    expect(await contosoState()).toEqual(before);
    expect((await status(sales)).connected).toBe(true);
  });

  it('tenant B cannot read or write tenant A\'s Exact data through the proxy', async () => {
    h.exact.resetCounters();
    const paths = [
      `/gateway/exact/${division}/crm/Accounts?$select=ID,Name&$filter=Blocked eq false`,
      `/gateway/exact/${division}/salesinvoice/SalesInvoices?$select=InvoiceID&$top=1`,
      `/gateway/exact/${division}/system/Divisions?$select=Code`,
      '/gateway/exact/current/Me',
    ];
    for (const path of paths) {
      const answer = await call(h, path, otherAdmin);
      expect([403, 409]).toContain(answer.status);
      expect(await answer.text()).not.toMatch(/"Name"|InvoiceID|"Code"|UserName/);
    }
    const write = await call(h, `/gateway/exact/${division}/crm/Accounts`, otherAdmin, { method: 'POST', body: JSON.stringify({ Name: 'Fabrikam was here', Status: 'C' }) });
    expect(write.status).toBe(403);
    expect(h.exact.calls(division)).toBe(0);
    expect(h.exact.records(division, 'Accounts').some((r) => r.Name === 'Fabrikam was here')).toBe(false);
  });

  it('with its own connection to the same Exact division, tenant B never shares A\'s cache, calls or tokens', async () => {
    const before = await contosoState();
    expect((await connectExact(h, otherAdmin)).page.status).toBe(200);
    expect((await status(otherAdmin)).connected).toBe(true);
    expect(await contosoState()).toMatchObject({ token: before.token });
    h.exact.resetCounters();
    const path = invoicesPath(division, String(h.exact.records(division, 'Accounts')[0]!.ID), 'InvoiceID');
    const [a, b] = await Promise.all([call(h, path, sales), call(h, path, otherAdmin)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.headers.get('x-gateway-cache'), b.headers.get('x-gateway-cache')]).toEqual(['miss', 'miss']);
    expect(h.exact.calls(division, 'salesinvoice/SalesInvoices')).toBe(2);
    // B's write and disconnect drop B's cache and B's tokens only.
    expect((await createCustomer(h, otherAdmin, { division, item: 1, body: { Name: 'Fabrikam own', Status: 'C', Country: 'NL' } })).status).toBe(201);
    expect((await call(h, path, sales)).headers.get('x-gateway-cache')).toBe('hit');
    expect((await call(h, '/gateway/connection', otherAdmin, { method: 'DELETE' })).status).toBe(200);
    expect(await h.store.getToken(fabrikamTenantId, 'default')).toBeUndefined();
    expect(await contosoState()).toMatchObject({ token: before.token });
    expect((await call(h, path, sales)).headers.get('x-gateway-cache')).toBe('hit');
  });

  it('a sales user can never connect, disconnect or change the division, by any path', async () => {
    const before = await contosoState();
    const returnUrl = encodeURIComponent(h.url('/'));
    const attempts: Array<[string, RequestInit]> = [
      ['/gateway/connect/ticket', { method: 'POST' }],
      ['/gateway/connect/ticket?connection=second', { method: 'POST' }],
      [`/gateway/connect?returnUrl=${returnUrl}`, { redirect: 'manual' }],
      [`/gateway/connect?returnUrl=${returnUrl}&connection=second`, { redirect: 'manual' }],
      ['/gateway/connection', { method: 'DELETE' }],
      ['/gateway/connection?connection=default', { method: 'DELETE' }],
      ['/gateway/connection/division', { method: 'PUT', body: JSON.stringify({ division: second }) }],
      ['/gateway/connection/division?connection=default', { method: 'PUT', body: JSON.stringify({ division: second }) }],
      // Near misses of the admin routes must not land on something that changes the connection.
      ['/gateway/connection/', { method: 'DELETE' }],
      ['/gateway/Connection', { method: 'DELETE' }],
      ['/gateway//connection', { method: 'DELETE' }],
      ['/gateway/connection%2Fdivision', { method: 'PUT', body: JSON.stringify({ division: second }) }],
      ['/gateway/connection/division', { method: 'POST', body: JSON.stringify({ division: second }) }],
      ['/gateway/connection', { method: 'POST', headers: { 'x-http-method-override': 'DELETE' } }],
      ['/gateway/connection', { method: 'PATCH', body: JSON.stringify({ division: second }) }],
      ['/gateway/exact/current/Me', { method: 'PUT', body: JSON.stringify({ CurrentDivision: second }) }],
      [`/gateway/exact/${division}/system/Divisions`, { method: 'PUT', body: JSON.stringify({ Code: second }) }],
      [`/gateway/exact/${division}/system/Divisions`, { method: 'DELETE' }],
    ];
    for (const [path, init] of attempts) {
      const answer = await call(h, path, sales, init);
      expect({ path, method: init.method, ok: answer.ok || answer.status === 302 }).toEqual({ path, method: init.method, ok: false });
      expect([403, 404, 405]).toContain(answer.status);
    }
    // The callback needs a state only an admin's connect issues; a made-up one stores nothing.
    const forged = await fetch(h.url('/gateway/oauth/callback?code=x&state=forged'));
    expect(forged.status).toBe(400);
    expect(await contosoState()).toEqual(before);
    expect((await status(sales)).division).toBe(before.connection?.division);
  });
});
