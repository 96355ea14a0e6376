import { afterEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import { routeByPrefix, startSandbox, type RunningSandbox } from '../../sandbox/server';

const text = (body: string) => async () => new Response(body);

describe('sandbox routing', () => {
  it('sends a request to the longest matching prefix and 404s the rest', async () => {
    const route = routeByPrefix([
      { prefix: '/exact', describe: () => [], handler: text('exact') },
      { prefix: '/exact/api/v1', describe: () => [], handler: text('v1') },
      { prefix: '/gateway', describe: () => [], handler: text('gateway') },
    ]);
    const get = async (path: string) => {
      const response = await route(new Request(`http://127.0.0.1${path}`));
      return `${response.status} ${await response.text()}`;
    };
    expect(await get('/exact/api/oauth2/token')).toBe('200 exact');
    expect(await get('/exact/api/v1/current/Me')).toBe('200 v1');
    expect(await get('/gateway')).toBe('200 gateway');
    expect(await get('/gatewayx')).toBe('404 Not found');
  });
});

describe('startSandbox', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => sandbox?.close());

  it('serves parts over HTTP on 127.0.0.1 and hands them the shared clock and base URL', async () => {
    const clock = new TestClock(Date.UTC(2026, 10, 21));
    sandbox = await startSandbox([
      (context) => ({
        prefix: '/echo',
        describe: (base) => [`echo ${base}`],
        handler: async (request) =>
          Response.json({ now: context.clock.now(), base: context.baseUrl(), method: request.method, body: await request.text() }),
      }),
    ], { clock });
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    clock.advance(1000);
    const response = await fetch(`${sandbox.url}/echo/x`, { method: 'POST', body: 'hello' });
    expect(await response.json()).toEqual({ now: Date.UTC(2026, 10, 21) + 1000, base: sandbox.url, method: 'POST', body: 'hello' });
    expect(sandbox.banner).toEqual([`echo ${sandbox.url}`]);
  });
});
