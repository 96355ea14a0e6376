import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactClient } from '../../src/exact/client';
import { createGatewayConnectionApi, createGatewayTransport, customerCreateHeaders, GatewayError } from '../../src/exact/gatewayTransport';
import { aadTokenProvider } from '../../src/exact/aadTokenProvider';
import { connectExact, startHarness, users, type Harness } from '../support/gatewayHarness';

describe('browser side: the Exact client over the gateway transport', () => {
  let h: Harness;
  let admin: string;
  let sales: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.tokenFor(users.admin);
    sales = await h.tokenFor(users.sales);
  });
  afterAll(async () => h.close());

  it('connects through the connection API and reads status without any Exact token in it', async () => {
    const api = createGatewayConnectionApi({ gatewayUrl: h.url('/gateway'), getAccessToken: async () => admin });
    expect((await api.status()).status).toBe('not-connected');
    const url = await api.connectUrl(h.url('/'));
    expect(url.startsWith(h.url('/gateway/connect?ticket='))).toBe(true);
    const popup = await fetch(url, { redirect: 'manual' });
    expect(popup.status).toBe(302);
    expect(popup.headers.get('location')).toContain('/exact/api/oauth2/auth?');
    await connectExact(h, admin);
    const status = await api.status();
    expect(status).toMatchObject({ connected: true, status: 'connected', division: h.exact.divisions[0]!.code });
    expect(JSON.stringify(status)).not.toMatch(/AAEAA|Gcp7!|token"/i);
    const second = h.exact.divisions[1]!.code;
    expect((await api.chooseDivision(second)).division).toBe(second);
  });

  it('the sales user gets a GatewayError naming the role', async () => {
    const api = createGatewayConnectionApi({ gatewayUrl: h.url('/gateway/'), getAccessToken: async () => sales });
    const error = await api.disconnect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden' });
    expect((error as Error).message).toContain('Connector.Admin');
  });

  it('runs the typed Exact client (me, divisions, accounts, bulk) through the proxy with an SPFx-style token provider', async () => {
    const requested: string[] = [];
    // Divisions and bulk reads are an admin's (imports); a sales user's client reads me and one customer at a time.
    const provider = aadTokenProvider(Promise.resolve({ getToken: async (resource: string) => (requested.push(resource), admin) }), 'api://exact-crm-gateway');
    const exact = new ExactClient(createGatewayTransport({ gatewayUrl: h.url('/gateway'), getAccessToken: provider }));
    const me = await exact.me();
    expect(me.FullName).toBe('Jeroen van Houten');
    const division = h.exact.divisions[0]!.code;
    const divisions = await exact.divisions(division);
    expect(divisions.map((d) => d.Code)).toEqual(h.exact.divisions.map((d) => d.code));
    const rows: unknown[] = [];
    for await (const page of exact.bulk(division, 'Account', { select: ['ID', 'Name'] })) {
      rows.push(...page);
    }
    expect(rows).toHaveLength(h.exact.records(division, 'Accounts').length);
    expect(requested.every((r) => r === 'api://exact-crm-gateway')).toBe(true);
    expect(exact.connection.rateLimit(division).minutely?.limit).toBe(60);
  });

  it('creates a customer through the proxy and gets the whole record back (Prefer reaches Exact)', async () => {
    const exact = new ExactClient(createGatewayTransport({ gatewayUrl: h.url('/gateway'), getAccessToken: async () => sales }));
    const division = h.exact.divisions[0]!.code;
    const created = await exact.accounts(division).create({ Name: 'Bloemenhandel Gateway B.V.', City: 'Haarlem', Status: 'C', Country: 'NL' }, { headers: customerCreateHeaders({ site: '/sites/crm', itemId: 12 }) });
    expect(created).toMatchObject({ Name: 'Bloemenhandel Gateway B.V.', City: 'Haarlem', Status: 'C' });
    expect(typeof created.Code).toBe('string');
  });

  it('a division outside the tenant fails with the gateway\'s reason', async () => {
    const exact = new ExactClient(createGatewayTransport({ gatewayUrl: h.url('/gateway'), getAccessToken: async () => sales }));
    const error = await exact.divisions(1234567).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
  });
});
