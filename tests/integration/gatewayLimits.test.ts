import { afterEach, describe, expect, it } from 'vitest';
import { call, createCustomer, invoicesPath, lookupPath, settle, startConnectedHarness, users, type ConnectedHarness, type Harness, type HarnessOptions } from '../support/gatewayHarness';
import { streamBody } from '../support/rawHttp';

const mb = 1024 * 1024;

describe('gateway limits: bodies, dead callers, coalesced misses, Exact\'s failures', () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  async function connected(options: HarnessOptions = {}): Promise<ConnectedHarness> {
    const started = await startConnectedHarness(options);
    h = started.h;
    return started;
  }

  it('answers a 200 MB POST without a token with 401 before reading it', async () => {
    const { h, division } = await connected();
    const answer = await streamBody(h.url(`/gateway/exact/${division}/crm/Accounts`), { totalBytes: 200 * mb });
    expect(answer.status).toBe(401);
    // Socket buffers take a few MB; a server that read the body first would have taken all 200.
    expect(answer.sentBytes).toBeLessThan(50 * mb);
  });

  it('refuses a 30 MB body with 413, by its declared length or while it streams, and forwards nothing', async () => {
    const { h, sales, division } = await connected();
    const url = h.url(`/gateway/exact/${division}/crm/Accounts`);
    const declared = await streamBody(url, { totalBytes: 30 * mb, declareLength: true, headers: { authorization: `Bearer ${sales}` } });
    expect(declared.status).toBe(413);
    expect(declared.sentBytes).toBe(0);
    expect(JSON.parse(declared.body)).toMatchObject({ error: 'body-too-large' });
    const chunked = await streamBody(url, { totalBytes: 30 * mb, headers: { authorization: `Bearer ${sales}` } });
    expect(chunked.status).toBe(413);
    expect(chunked.sentBytes).toBeLessThan(20 * mb);
    expect(h.exact.calls(division)).toBe(0);
    // A normal write still goes through.
    const write = await createCustomer(h, sales, { division, item: 1, body: { Name: 'Klein BV', Status: 'C', Country: 'NL' } });
    expect(write.status).toBe(201);
    // The gateway's own routes take a few KiB at most.
    const admin = await h.tokenFor(users.admin);
    const big = await call(h, '/gateway/connection/division', admin, { method: 'PUT', body: JSON.stringify({ division, padding: 'x'.repeat(64 * 1024) }) });
    expect(big.status).toBe(413);
  });

  it('drops queued calls whose caller went away, unsent, and the caller is not blocked by them', async () => {
    const { h, sales, division } = await connected({ configure: (config) => ({ ...config, budget: { minuteLimit: 5, concurrency: 5 } }) });
    const controllers = Array.from({ length: 300 }, () => new AbortController());
    const path = lookupPath(division);
    const gone = controllers.map((controller) => call(h, path, sales, { signal: controller.signal }).then((r) => String(r.status), (error: Error) => error.name));
    const queue = () => [...h.gateway().proxy.queues.values()][0];
    while ((queue()?.queued ?? 0) + (queue()?.dispatched ?? 0) < 300) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    controllers.forEach((controller) => controller.abort());
    const outcomes = await Promise.all(gone);
    expect(outcomes.filter((o) => o !== 'AbortError' && o !== '200')).toEqual([]);
    expect(outcomes.filter((o) => o === 'AbortError').length).toBeGreaterThanOrEqual(295);
    while ((queue()?.queued ?? 0) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [after] = await settle(h, [call(h, path, sales)]);
    expect(after!.status).toBe(200);
    // The first minute's five were sent before the callers left; only the live call after them.
    expect(queue()!.dispatched).toBe(6);
    expect(h.exact.calls(division, 'crm/Accounts')).toBe(6);
  });

  it('coalesces 50 identical concurrent cold reads into one Exact call, never across Accept or tenants', async () => {
    const { h, sales, admin, division } = await connected();
    const path = invoicesPath(division, String(h.exact.records(division, 'Accounts')[0]!.ID));
    const answers = await Promise.all(Array.from({ length: 50 }, () => call(h, path, sales, { headers: { accept: 'application/json' } })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
    const bodies = new Set(await Promise.all(answers.map((a) => a.text())));
    expect(bodies.size).toBe(1);
    expect(h.exact.calls(division, 'salesinvoice/SalesInvoices')).toBe(1);
    expect(answers.filter((a) => a.headers.get('x-gateway-cache') === 'miss')).toHaveLength(1);
    // Another Accept is another answer.
    await Promise.all([call(h, path, admin, { headers: { accept: 'application/atom+xml' } }), call(h, path, admin, { headers: { accept: 'application/atom+xml' } })]);
    expect(h.exact.calls(division, 'salesinvoice/SalesInvoices')).toBe(2);
    expect(h.gateway().proxy.flights.size).toBe(0);
  });

  it('answers Exact\'s HTML 5xx pages with the gateway\'s JSON error', async () => {
    const { h, sales, division } = await connected();
    h.exact.injectFault({ kind: 'error503', path: 'crm/Accounts', count: 3 });
    const [answer] = await settle(h, [call(h, lookupPath(division), sales)]);
    expect(answer!.status).toBe(503);
    expect(answer!.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await answer!.json()) as { error: string; message: string };
    expect(body.error).toBe('exact-error');
    expect(body.message).toContain('HTTP 503');
    expect(JSON.stringify(body)).not.toContain('<html');
  });

  it('reports a body it cannot serialise as not sent', async () => {
    const { h, admin, division } = await connected();
    const deep = `{"Name":${'['.repeat(20_000)}${']'.repeat(20_000)},"Status":"C"}`;
    const answer = await call(h, `/gateway/exact/${division}/crm/Accounts`, admin, { method: 'POST', body: deep });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { message: string };
    expect(body.message).toMatch(/nothing was sent/);
    expect(body.message).not.toMatch(/may or may not/);
    expect(h.exact.calls(division)).toBe(0);
  });
});
