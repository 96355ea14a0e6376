/**
 * Which of the connection's divisions the CRM may use: only the working division after a first
 * connect; others when an admin enables them (`PUT /connection/divisions`); everything else is
 * refused with 403 and an audit line, the invoice PDF route included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, connectExact, invoicesPath, startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';

interface Status {
  division: number | null;
  divisions: Array<{ code: number }>;
  enabledDivisions: number[];
}

describe('gateway: the divisions an admin enabled', () => {
  let c: ConnectedHarness | undefined;
  afterEach(async () => c?.h.close());

  const enable = (codes: number[], token: string): Promise<Response> =>
    call(c!.h, '/gateway/connection/divisions', token, { method: 'PUT', body: JSON.stringify({ enabledDivisions: codes }) });
  const status = async (token: string): Promise<Status> => (await (await call(c!.h, '/gateway/connection', token)).json()) as Status;
  const accountOf = (division: number): string => String(c!.h.exact.records(division, 'Accounts')[0]!.ID);

  it('after a first connect only the working division is open; another division of the connection is refused and audited', async () => {
    c = await startConnectedHarness();
    const { h, admin, sales, division } = c;
    const second = h.exact.divisions[1]!.code;
    expect((await status(admin)).enabledDivisions).toEqual([division]);
    const bulk = await call(h, `/gateway/exact/${second}/bulk/CRM/Accounts?$select=ID`, admin);
    expect(bulk.status).toBe(403);
    expect(await bulk.json()).toMatchObject({ error: 'division-not-enabled' });
    expect((await call(h, invoicesPath(second, accountOf(second)), sales)).status).toBe(403);
    const pdf = await call(h, `/gateway/documents/${second}/invoices/${accountOf(second)}/pdf`, sales);
    expect(pdf.status).toBe(403);
    expect(h.exact.calls(second)).toBe(0);
    const audits = h.logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'audit' && l.outcome === 'refused' && l.division === second);
    expect(audits.map((l) => l.operation)).toEqual(['read-import-source', 'read-customer-finance', 'invoice-pdf']);
    expect((await call(h, invoicesPath(division, accountOf(division)), sales)).status).toBe(200);
  });

  it('an admin enables and disables divisions; sales users see and use only the enabled ones', async () => {
    c = await startConnectedHarness();
    const { h, admin, sales, division } = c;
    const second = h.exact.divisions[1]!.code;
    expect((await enable([division, second], sales)).status).toBe(403);
    expect((await enable([division, 1234567], admin)).status).toBe(400);
    const keepWorking = await enable([second], admin);
    expect(keepWorking.status).toBe(400);
    expect(((await keepWorking.json()) as { message: string }).message).toContain('working division');

    const opened = await enable([second, division], admin);
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as Status).enabledDivisions).toEqual([division, second].sort((a, b) => a - b));
    expect((await status(sales)).divisions.map((d) => d.code).sort()).toEqual([division, second].sort());
    expect((await call(h, invoicesPath(second, accountOf(second)), sales)).status).toBe(200);
    expect((await call(h, `/gateway/exact/${second}/bulk/CRM/Accounts?$select=ID`, admin)).status).toBe(200);

    expect((await enable([division], admin)).status).toBe(200);
    expect((await status(sales)).divisions.map((d) => d.code)).toEqual([division]);
    expect((await call(h, invoicesPath(second, accountOf(second)), sales)).status).toBe(403);
    const changes = h.logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'audit' && l.outcome === 'changed');
    expect(changes.map((l) => l.enabledDivisions)).toEqual([[division, second].sort((a, b) => a - b), [division]]);
  });

  it('choosing another working division enables it, and a reconnect keeps the admin\'s choice', async () => {
    c = await startConnectedHarness();
    const { h, admin, division } = c;
    const second = h.exact.divisions[1]!.code;
    expect((await call(h, '/gateway/connection/division', admin, { method: 'PUT', body: JSON.stringify({ division: second }) })).status).toBe(200);
    expect((await status(admin)).enabledDivisions).toEqual([division, second].sort((a, b) => a - b));
    await connectExact(h, admin);
    expect(await status(admin)).toMatchObject({ division: second, enabledDivisions: [division, second].sort((a, b) => a - b) });
  });
});
