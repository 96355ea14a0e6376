import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import { connectRetryHttp } from '../../gateway/connectRetry';
import type { HttpFunction, HttpRequest, HttpResponse } from '../../src/exact/oauth';

const noWait = { sleep: async () => undefined, until: async () => undefined, waiting: 0 };
const exchange: HttpRequest = { method: 'POST', url: 'https://exact.test/api/oauth2/token', headers: {}, body: 'grant_type=authorization_code&code=c' };
const me: HttpRequest = { method: 'GET', url: 'https://exact.test/api/v1/current/Me', headers: {} };
const ok: HttpResponse = { status: 200, headers: {}, text: '{}' };

/** Fails with each of `failures` in turn, then answers 200; counts the calls. */
function flaky(failures: Array<Error | number>) {
  let calls = 0;
  const http: HttpFunction = async () => {
    const failure = failures[calls++];
    if (failure === undefined) return ok;
    if (typeof failure === 'number') return { status: failure, headers: {}, text: '<html>busy</html>' };
    throw failure;
  };
  return { http, calls: () => calls };
}

describe('connect flow retries', () => {
  it('repeats the code exchange only when Exact cannot have used the code', async () => {
    const refused = flaky([new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED')]);
    expect(await connectRetryHttp(refused.http, noWait)(exchange)).toEqual(ok);
    expect(refused.calls()).toBe(2);
    const unavailable = flaky([503, 500]);
    expect((await connectRetryHttp(unavailable.http, noWait)(exchange)).status).toBe(200);
    expect(unavailable.calls()).toBe(3);
    // Sent, no answer: Exact may still be redeeming the code; never sent twice.
    const timedOut = flaky([new AxiosError('timeout of 30000ms exceeded', 'ECONNABORTED')]);
    await expect(connectRetryHttp(timedOut.http, noWait)(exchange)).rejects.toThrow(/timeout/);
    expect(timedOut.calls()).toBe(1);
    // A 400 (a used or expired code) is Exact's final word.
    const used = flaky([400]);
    expect((await connectRetryHttp(used.http, noWait)(exchange)).status).toBe(400);
    expect(used.calls()).toBe(1);
  });

  it('repeats the account reads on no answer and on 5xx, up to three attempts', async () => {
    const dropped = flaky([new AxiosError('socket hang up', 'ECONNRESET'), 502]);
    expect(await connectRetryHttp(dropped.http, noWait)(me)).toEqual(ok);
    expect(dropped.calls()).toBe(3);
    const down = flaky([503, 503, 503, 503]);
    expect((await connectRetryHttp(down.http, noWait)(me)).status).toBe(503);
    expect(down.calls()).toBe(3);
  });
});
