import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAxiosHttp, createAxiosTransport } from '../../src/exact/axiosTransport';
import { serveWebHandler, type RunningServer } from '../../sandbox/http/node';

/** What the axios transport puts on the wire and how it reads answers, against a recording server. */
describe('createAxiosTransport', () => {
  let server: RunningServer;
  const seen: Array<{ method: string; url: string; headers: Record<string, string>; body: string }> = [];

  beforeAll(async () => {
    server = await serveWebHandler(async (request) => {
      const url = new URL(request.url);
      seen.push({ method: request.method, url: url.pathname + url.search, headers: Object.fromEntries(request.headers), body: await request.text() });
      if (url.pathname.endsWith('/html')) {
        return new Response('<html>oops</html>', { status: 502, headers: { 'content-type': 'text/html', 'X-RateLimit-Limit': '5000' } });
      }
      if (url.pathname.endsWith('/empty')) {
        return new Response(null, { status: 204 });
      }
      if (url.pathname.endsWith('/redirect')) {
        return new Response(null, { status: 302, headers: { location: 'https://crm.example/cb?code=a!b' } });
      }
      return Response.json({ d: { ok: true } }, { status: 201 });
    }, { port: 0 });
  });
  afterAll(async () => server.close());

  it('sends JSON with Accept: application/json and the token only in the Authorization header', async () => {
    const transport = createAxiosTransport({ baseUrl: `${server.url}/exact/api/v1`, getAccessToken: async () => 'tok-123', timeoutMs: 5000 });
    const response = await transport.send({
      method: 'POST',
      path: "/2950001/crm/Accounts?$filter=Name%20eq%20'A'",
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: { Name: 'A' },
    });
    expect(response).toMatchObject({ status: 201, data: { d: { ok: true } } });
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const request = seen[seen.length - 1];
    // The URL parser on the receiving side may percent-encode quotes; the meaning is what counts.
    expect(decodeURIComponent(request.url)).toBe("/exact/api/v1/2950001/crm/Accounts?$filter=Name eq 'A'");
    expect(request.url).not.toContain('tok-123');
    expect(request.headers).toMatchObject({ accept: 'application/json', authorization: 'Bearer tok-123', prefer: 'return=representation', 'content-type': 'application/json' });
    expect(JSON.parse(request.body)).toEqual({ Name: 'A' });
  });

  it('resolves every status, with non-JSON bodies as text, empty bodies as undefined and lower-case header names', async () => {
    const transport = createAxiosTransport({ baseUrl: `${server.url}/exact/api/v1/`, getAccessToken: async () => 't' });
    expect(await transport.send({ method: 'GET', path: '1/html' })).toMatchObject({ status: 502, data: '<html>oops</html>', headers: { 'x-ratelimit-limit': '5000' } });
    expect((await transport.send({ method: 'PUT', path: '1/empty', body: {} })).data).toBeUndefined();
  });

  it('rejects when no response arrives', async () => {
    const closed = await serveWebHandler(async () => new Response('x'), { port: 0 });
    await closed.close();
    const transport = createAxiosTransport({ baseUrl: `${closed.url}/api/v1/`, getAccessToken: async () => 't', timeoutMs: 2000 });
    await expect(transport.send({ method: 'GET', path: 'current/Me' })).rejects.toThrow();
  });

  it('createAxiosHttp hands back redirects instead of following them', async () => {
    const http = createAxiosHttp();
    const response = await http({ method: 'GET', url: `${server.url}/redirect`, headers: {} });
    expect(response).toMatchObject({ status: 302, headers: { location: 'https://crm.example/cb?code=a!b' }, text: '' });
  });
});
