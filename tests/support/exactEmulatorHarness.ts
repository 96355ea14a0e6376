import { TestClock } from '../../src/sync/clock';
import { createExactEmulator, type ExactEmulatorControl, type ExactEmulatorOptions } from '../../sandbox/exact';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';

export const NL = 2950001;
export const BE = 2950002;
/** 2026-11-21 10:00:20 UTC: mid-minute, so minute-window tests see a partial window. */
export const start = Date.UTC(2026, 10, 21, 10, 0, 20);

export interface Harness {
  sandbox: RunningSandbox;
  control: ExactEmulatorControl;
  clock: TestClock;
  api: string;
  get(path: string, token: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  token(form: Record<string, string>): Promise<Response>;
}

export async function startExact(options: ExactEmulatorOptions & { dataDir?: string; env?: Record<string, string>; clock?: TestClock } = {}): Promise<Harness> {
  const clock = options.clock ?? new TestClock(start);
  let control: ExactEmulatorControl | undefined;
  const sandbox = await startSandbox(
    [(context) => {
      const emulator = createExactEmulator(context, options);
      control = emulator.control;
      return emulator.part;
    }],
    { clock, dataDir: options.dataDir, env: options.env },
  );
  const api = `${sandbox.url}/exact/api/v1/`;
  const send = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    sandbox,
    control: control as ExactEmulatorControl,
    clock,
    api,
    get: (path, token, headers) => send('GET', path, token, undefined, headers),
    send,
    token: (form) =>
      fetch(`${sandbox.url}/exact/api/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

export interface ODataCollection {
  d: { results: Array<Record<string, unknown>>; __next?: string; __count?: string };
}

export async function results(response: Response): Promise<ODataCollection['d']> {
  const body = (await response.json()) as ODataCollection;
  return body.d;
}

export async function errorText(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string; message: { lang: string; value: string } } };
  return body.error.message.value;
}
