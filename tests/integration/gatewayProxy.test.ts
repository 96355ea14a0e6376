import { afterEach, describe, expect, it } from 'vitest';
import { DropConnection } from '../../sandbox/http/node';
import { call, createCustomer, invoicesPath, lookupPath, settle, startConnectedHarness, users, type ConnectedHarness, type Harness, type HarnessOptions } from '../support/gatewayHarness';

const accounts = (division: number) => lookupPath(division);
const isAccountPost = (request: Request): boolean => request.method === 'POST' && /\/crm\/Accounts$/.test(new URL(request.url).pathname);

describe('gateway proxy: queue, retries, breaker, cache', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  async function connected(options: HarnessOptions = {}): Promise<ConnectedHarness> {
    const started = await startConnectedHarness(options);
    h = started.h;
    return started;
  }

  it('100 concurrent calls at the moment the access token expires cause exactly one refresh at Exact', async () => {
    const { h, sales, admin, division } = await connected();
    h.clock.advance(600_000);
    const responses = await settle(h, Array.from({ length: 100 }, (_, i) => call(h, accounts(division), i % 2 ? sales : admin)));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 100 }, () => 200));
    expect(h.exact.tokenCalls()).toMatchObject({ refresh_token: 1, refreshes: 1 });
    expect(h.exact.calls(division, 'crm/Accounts')).toBe(100);
    expect((await h.store.getToken(users.admin.tid, 'default'))?.version).toBe(2);
  });

  it('200 calls queued within one minute all complete, no 429 reaches the caller, and Exact never sees more than 60 a minute', async () => {
    const { h, sales, admin, division } = await connected();
    const perMinute = new Map<number, number>();
    let last = 0;
    const sample = () => {
      const now = h.exact.calls(division);
      const minute = Math.floor(h.clock.now() / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + now - last);
      last = now;
    };
    const work = Array.from({ length: 200 }, (_, i) => call(h, accounts(division), i % 4 ? sales : admin).then((r) => (sample(), r.status)));
    let done = false;
    const all = Promise.all(work).finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!done && h.sleeper.waiting > 0) {
        sample();
        h.clock.advance(1000);
      }
    }
    const statuses = await all;
    sample();
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(h.exact.calls(division)).toBe(200);
    const queues = [...h.gateway().proxy.queues.values()];
    expect(queues.map((q) => [q.dispatched, q.throttled])).toEqual([[200, 0]]);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(60);
    expect([...perMinute.values()].filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('retries a GET on a 5xx but never blindly retries a write', async () => {
    let posts = 0;
    const { h, admin, division } = await connected({
      // Exact fails the create itself (a 5xx it may or may not have applied).
      exactIntercept: async (request, exact) => (isAccountPost(request) && ++posts === 1 ? new Response('{"error":{"message":{"value":"Er is een fout opgetreden."}}}', { status: 500 }) : exact(request)),
    });
    const write = await createCustomer(h, admin, { division, item: 1, body: { Name: 'Bakkerij Test', Country: 'NL' } });
    expect(write.status).toBe(500);
    expect(posts).toBe(1);
    h.exact.injectFault({ kind: 'error500', path: 'crm/Accounts', count: 1 });
    // The GET meets the fault, waits, and succeeds on the next attempt.
    const [read] = await settle(h, [call(h, accounts(division), admin)]);
    expect(read!.status).toBe(200);
    const retries = h.logger.lines.filter((l) => l.includes('"exact.retry"'));
    expect(retries).toHaveLength(1);
    expect(h.exact.records(division, 'Accounts').some((r) => r.Name === 'Bakkerij Test')).toBe(false);
  });

  it('a caller whose filters Exact rejects is paused alone; the rest of the tenant goes on', async () => {
    const { h, admin, sales, division } = await connected();
    const rejected = `/gateway/exact/${division}/crm/Accounts?$select=NoSuchField&$filter=Name eq 'x'`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await call(h, rejected, sales)).status);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429, 429, 429]);
    const paused = await call(h, rejected, sales);
    expect(((await paused.json()) as { error: string; message: string }).error).toBe('caller-paused');
    expect(Number(paused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(h.exact.errorCount(division, 'crm/Accounts')).toBe(3);
    // Everyone else in the tenant, on the same endpoint, is not affected.
    expect((await call(h, accounts(division), admin)).status).toBe(200);
    expect((await call(h, rejected, admin)).status).toBe(400);
    h.clock.advance(3600_000);
    expect((await call(h, rejected, sales)).status).toBe(400);
  });

  it('still stops every caller one short of Exact\'s block when many callers err on one endpoint', async () => {
    const { h, division } = await connected();
    const missing = `/gateway/exact/${division}/crm/Accounts(guid'00000000-0000-0000-0000-000000000000')?$select=ID`;
    const callers = await Promise.all([1, 2, 3, 4].map((n) => h.idp.issueAccessToken({ ...users.sales, oid: `b0000000-0000-4000-8000-00000000000${n}` })));
    for (const caller of callers.slice(0, 3)) {
      for (let i = 0; i < 3; i++) {
        expect((await call(h, missing, caller)).status).toBe(404);
      }
    }
    const stopped = await call(h, missing, callers[3]!);
    expect(stopped.status).toBe(503);
    expect(((await stopped.json()) as { error: string }).error).toBe('endpoint-paused');
    expect(h.exact.errorCount(division, 'crm/Accounts')).toBe(9);
    h.clock.advance(3600_000);
    expect((await call(h, missing, callers[3]!)).status).toBe(404);
  });

  it('caches the customer panel\'s finance reads for 60 s per tenant and path', async () => {
    const { h, sales, division } = await connected();
    const path = invoicesPath(division, String(h.exact.records(division, 'Accounts')[0]!.ID));
    const first = await call(h, path, sales);
    const second = await call(h, path, sales);
    expect(first.headers.get('x-gateway-cache')).toBe('miss');
    expect(second.headers.get('x-gateway-cache')).toBe('hit');
    expect(await second.json()).toEqual(await first.json());
    expect(h.exact.calls(division, 'salesinvoice/SalesInvoices')).toBe(1);
    h.clock.advance(60_000);
    expect((await call(h, path, sales)).headers.get('x-gateway-cache')).toBe('miss');
    expect(h.exact.calls(division, 'salesinvoice/SalesInvoices')).toBe(2);
    // Non-finance reads are never cached.
    await call(h, accounts(division), sales);
    await call(h, accounts(division), sales);
    expect(h.exact.calls(division, 'crm/Accounts')).toBe(2);
  });

  it('lets through only the endpoints the product uses', async () => {
    const { h, admin, division } = await connected();
    const hrm = await call(h, `/gateway/exact/${division}/hrm/Employees?$select=ID`, admin);
    expect(hrm.status).toBe(403);
    // DELETE exists for an order run's undo (salesorder/SalesOrders) only: on accounts it is refused.
    expect((await call(h, `/gateway/exact/${division}/crm/Accounts`, admin, { method: 'DELETE' })).status).toBe(403);
    // POST on invoices is an order run's concept invoice: '{}' is not one, so it is refused before Exact.
    expect((await call(h, `/gateway/exact/${division}/salesinvoice/SalesInvoices`, admin, { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await call(h, `/gateway/exact/${division}/../../oauth2/token`, admin)).status).toBe(404);
    // The invoice PDF's document reads are the documents route's own, not open to anyone through the proxy.
    expect((await call(h, `/gateway/exact/${division}/documents/Documents?$select=ID`, admin)).status).toBe(403);
    const me = await call(h, '/gateway/exact/current/Me?$select=CurrentDivision', admin);
    expect(me.status).toBe(200);
    expect(h.exact.calls(division)).toBe(0);
  });

  it('waits for the minute reset when another app has spent the shared budget, without passing a 429 on', async () => {
    const { h, sales, division } = await connected();
    const other = h.exact.issueTokens();
    for (let i = 0; i < 55; i++) {
      await fetch(h.url(`/exact/api/v1/${division}/crm/Accounts?$select=ID&$filter=Blocked eq false`), { headers: { authorization: `Bearer ${other.access_token}`, accept: 'application/json' } });
    }
    const before = h.clock.now();
    const statuses = (await settle(h, Array.from({ length: 12 }, () => call(h, accounts(division), sales)))).map((r) => r.status);
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));
    expect(h.clock.now()).toBeGreaterThan(before);
    const queue = [...h.gateway().proxy.queues.values()][0]!;
    // Exact's first headers told the queue only a few calls were left; at most the calls already
    // in flight can meet a 429, and those were sent again.
    expect(queue.throttled).toBeLessThanOrEqual(h.config().budget?.concurrency ?? 8);
    expect(h.exact.calls(division, 'crm/Accounts')).toBe(55 + 12);
  });

  it('creates a customer in Exact through the proxy and answers CORS preflights for allowed origins only', async () => {
    const { h, admin, division } = await connected();
    const created = await createCustomer(h, admin, { division, item: 1, body: { Name: 'Bakkerij De Korenbloem', Status: 'C', Country: 'NL' } });
    expect(created.status).toBe(201);
    expect(h.exact.records(division, 'Accounts').some((r) => r.Name === 'Bakkerij De Korenbloem')).toBe(true);
    const origin = new URL(h.url('/')).origin;
    const preflight = await fetch(h.url('/gateway/connection'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const foreign = await fetch(h.url('/gateway/connection'), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('retries a GET when the connection drops, and tells the caller a dropped write may have been applied', async () => {
    let dropped = false;
    const { h, admin, division } = await connected({
      exactIntercept: async (request, exact) => {
        if (isAccountPost(request) && !dropped) {
          dropped = true;
          throw new DropConnection('test: the create never reaches Exact');
        }
        return exact(request);
      },
    });
    h.exact.injectFault({ kind: 'drop', path: 'crm/Accounts', count: 1 });
    const [read] = await settle(h, [call(h, accounts(division), admin)]);
    expect(read!.status).toBe(200);
    const write = await createCustomer(h, admin, { division, item: 7, body: { Name: 'Eva de Vries Advies', Country: 'NL' } });
    expect(write.status).toBe(502);
    expect(((await write.json()) as { message: string }).message).toMatch(/may or may not have been applied.*same create again is safe/);
    expect(h.logger.lines.filter((l) => l.includes('"exact.no-answer"'))).toHaveLength(2);
  });
});
