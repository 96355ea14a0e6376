import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SPFI } from '../../src/crm/pnp';
import { ExactApiError } from '../../src/exact/errors';
import { GatewayError } from '../../src/exact/gatewayTransport';
import { createConnectorServices } from '../../src/services/createConnectorServices';
import { explainAndLog, requestIdOf, type ProblemLogEntry } from '../../src/services/explain';
import type { Problem } from '../../src/services/types';

/** What PnPjs throws for a failed SharePoint request: its message, the status, and the fetch Response. */
function sharePointError(status: number, headers: Record<string, string>): Error {
  return Object.assign(new Error(`Error making HttpClient request in queryable [${status}] {"odata.error":{"message":{"value":"The list is busy."}}}`), {
    status,
    response: new Response(null, { status, headers }),
  });
}

function recording(): { entries: ProblemLogEntry[]; explain: (error: unknown) => Problem } {
  const entries: ProblemLogEntry[] = [];
  return { entries, explain: explainAndLog((entry) => entries.push(entry)) };
}

describe('explained failures are logged', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs each failure once, with what the person is told and what the server said', () => {
    const { entries, explain } = recording();
    const denied = new GatewayError(403, 'forbidden', 'Only connector admins may do this.');

    expect(explain(denied)).toEqual({ kind: 'access-denied', message: 'Only connector admins may do this.' });
    explain(denied);

    expect(entries).toEqual([{ level: 'error', line: 'Exact CRM Connector: access-denied: Only connector admins may do this.', requestId: undefined, error: denied }]);
  });

  it('names the request id SharePoint answered with', () => {
    const { entries, explain } = recording();
    const busy = sharePointError(503, { 'request-id': '5f2c0ea1-8090-4000-b000-000000000001', sprequestguid: '5f2c0ea1-8090-4000-b000-000000000001' });

    expect(explain(busy)).toMatchObject({ kind: 'unavailable', source: 'sharepoint', message: 'The list is busy.' });

    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'error',
      requestId: '5f2c0ea1-8090-4000-b000-000000000001',
      line: 'Exact CRM Connector: unavailable (sharepoint), request id 5f2c0ea1-8090-4000-b000-000000000001: The list is busy.',
    });
  });

  it('reads the id an error carries itself, or from a gateway correlation header', () => {
    expect(requestIdOf(Object.assign(new Error('x'), { requestId: 'own-id' }))).toBe('own-id');
    expect(requestIdOf(Object.assign(new Error('x'), { headers: { 'x-correlation-id': 'spfx-abc' } }))).toBe('spfx-abc');
    expect(requestIdOf(sharePointError(500, {}))).toBeUndefined();
    expect(requestIdOf('a string')).toBeUndefined();
  });

  it('logs what waits on the Exact budget as a warning', () => {
    const { entries, explain } = recording();
    const spent = new ExactApiError({ status: 429, method: 'GET', path: '1/crm/Accounts', messages: ['Too many requests'], rateLimit: {} });

    expect(explain(spent).kind).toBe('budget');

    expect(entries.map((e) => e.level)).toEqual(['warning']);
  });

  it('gives the person the message when the log itself fails', () => {
    const explain = explainAndLog(() => {
      throw new Error('log full');
    });

    expect(explain(new Error('Failed to fetch'))).toEqual({ kind: 'network', message: 'Failed to fetch' });
  });

  it('goes to the console unless the composition root is given a log', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const options = { sp: {} as SPFI, gateway: { gatewayUrl: 'http://127.0.0.1:9/gateway', getAccessToken: async () => 'token' }, connect: () => async () => ({ kind: 'closed' as const }) };
    const failure = new Error('boom');

    createConnectorServices(options).explain(failure);
    expect(consoleError).toHaveBeenCalledWith('Exact CRM Connector: unknown: boom', failure);

    const entries: ProblemLogEntry[] = [];
    createConnectorServices({ ...options, log: (entry) => entries.push(entry) }).explain(failure);
    expect(entries.map((e) => e.line)).toEqual(['Exact CRM Connector: unknown: boom']);
    expect(consoleError).toHaveBeenCalledTimes(1);
  });
});
