import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxApp } from '../../sandbox/exact';
import { NL } from '../support/exactEmulatorHarness';
import { startStandIn, type StandInProcess } from '../support/standInProcess';

/**
 * The Exact stand-in keeps what it answered: killed with SIGKILL right after its last answer and
 * started again on the same data folder, it has every account write, and the refresh token it
 * handed out last still works (the gateway stores only that one; losing it disconnects Exact).
 */

const dataDir = mkdtempSync(join(tmpdir(), 'exact-durable-'));
const config = { dataDir, parts: ['exact' as const], accounts: 20 };
let running: StandInProcess | undefined;

afterAll(async () => {
  await running?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (standIn: StandInProcess): string => `${standIn.baseUrl}/exact/api/v1/${NL}`;
const send = (url: string, token: string, method = 'GET', body?: unknown): Promise<Response> =>
  fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json', prefer: 'return=representation' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const refresh = (standIn: StandInProcess, refreshToken: string): Promise<Response> =>
  fetch(`${standIn.baseUrl}/exact/api/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: sandboxApp.clientId, client_secret: sandboxApp.clientSecret }).toString(),
  });

describe('Exact stand-in killed with SIGKILL', () => {
  it('has every answered account write and honours the last refresh token it handed out', async () => {
    running = await startStandIn(config);
    const token = running.tokens!.access_token;
    const expected = new Map<string, string>();
    for (let i = 0; i < 15; i++) {
      const created = await send(`${api(running)}/crm/Accounts`, token, 'POST', { Name: `Durable ${i} B.V.`, City: 'Delft' });
      expect(created.status).toBe(201);
      expected.set(String(((await created.json()) as { d: { ID: string } }).d.ID), 'Delft');
    }
    const ids = [...expected.keys()];
    for (const id of ids.slice(0, 5)) {
      expect((await send(`${api(running)}/crm/Accounts(guid'${id}')`, token, 'PUT', { City: 'Zwolle' })).status).toBe(204);
      expected.set(id, 'Zwolle');
    }
    for (const id of ids.slice(5, 8)) {
      expect((await send(`${api(running)}/crm/Accounts(guid'${id}')`, token, 'DELETE')).status).toBe(204);
      expected.delete(id);
    }
    const refreshed = await refresh(running, running.tokens!.refresh_token);
    expect(refreshed.status).toBe(200);
    const pair = (await refreshed.json()) as { access_token: string; refresh_token: string };
    // Killed the moment the refresh was answered: nothing gets a later chance to reach the disk.
    await running.kill();

    running = await startStandIn(config);
    const accounts = await send(`${api(running)}/crm/Accounts?$filter=substringof('Durable', Name) eq true&$select=ID,City`, pair.access_token);
    expect(accounts.status).toBe(200);
    const rows = ((await accounts.json()) as { d: { results: { ID: string; City: string }[] } }).d.results;
    expect(new Map(rows.map((r) => [r.ID, r.City]))).toEqual(expected);
    const deleted = await send(`${api(running)}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 2&$select=EntityKey`, pair.access_token);
    const keys = ((await deleted.json()) as { d: { results: { EntityKey: string }[] } }).d.results.map((r) => r.EntityKey);
    expect(keys).toEqual(expect.arrayContaining(ids.slice(5, 8)));
    expect((await refresh(running, pair.refresh_token)).status).toBe(200);
  }, 60_000);
});
