/**
 * Issue 20.2: "Create in Exact" creates exactly one account per CRM company, however often and
 * however concurrently it is sent, and also when Exact's answer was lost on the way back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExactClient } from '../../src/exact/client';
import { createGatewayTransport } from '../../src/exact/gatewayTransport';
import type { Company, CompanyService } from '../../src/finance/company';
import { createFinanceService } from '../../src/finance/financeService';
import { DropConnection } from '../../sandbox/http/node';
import { createCustomer, settle, startConnectedHarness, type ConnectedHarness, type HarnessOptions } from '../support/gatewayHarness';

interface Created {
  d: { ID: string; Code: string; Name: string };
}

const isAccountPost = (request: Request): boolean => request.method === 'POST' && /\/crm\/Accounts$/.test(new URL(request.url).pathname);

describe('gateway: one Exact account per CRM company (issue 20.2)', () => {
  let c: ConnectedHarness | undefined;
  afterEach(async () => c?.h.close());

  async function connected(options: HarnessOptions = {}): Promise<ConnectedHarness> {
    c = await startConnectedHarness(options);
    return c;
  }
  const named = (name: string) => c!.h.exact.records(c!.division, 'Accounts').filter((row) => row.Name === name);

  it('three simultaneous creates for one company make exactly one Exact account, and all three answers name it', async () => {
    const { h, sales, division } = await connected();
    const body = { Name: 'Zonnedak Oost B.V.', Country: 'NL', ChamberOfCommerce: '64512378', Postcode: '7411 AB', Email: 'info@zonnedak-oost.nl' };
    const answers = await settle(h, [1, 2, 3].map(() => createCustomer(h, sales, { division, item: 41, body })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as Created).d.ID.toLowerCase()));
    expect(new Set(ids).size).toBe(1);
    expect(answers.map((a) => a.headers.get('x-gateway-create')).sort()).toEqual(['created', 'replayed', 'replayed']);
    expect(named(body.Name)).toHaveLength(1);
    expect(String(named(body.Name)[0]!.ID).toLowerCase()).toBe(ids[0]);
    expect(named(body.Name)[0]!.Remarks).toContain('crm-company:/sites/crm/41');
  });

  it('a create whose answer was lost, sent again, gives one account: found by the key in Remarks, not a look-alike', async () => {
    let lose = true;
    const { h, sales, division } = await connected({
      // Exact creates the account; the answer never reaches the gateway.
      exactIntercept: async (request, exact) => {
        const answer = await exact(request);
        if (isAccountPost(request) && lose) {
          lose = false;
          throw new DropConnection('test: the answer to the create is lost');
        }
        return answer;
      },
    });
    const body = { Name: 'Installatiebedrijf Van Dam', Country: 'NL' };
    const first = await createCustomer(h, sales, { division, item: 42, body });
    expect(first.status).toBe(502);
    expect(((await first.json()) as { message: string }).message).toMatch(/same create again is safe/);
    expect(named(body.Name)).toHaveLength(1);
    // Meanwhile someone creates a look-alike by hand in Exact: the retry must not take it for ours.
    h.exact.createRecord(division, 'Accounts', { Name: body.Name, Country: 'NL', Status: 'C' });
    const again = await createCustomer(h, sales, { division, item: 42, body });
    expect(again.status).toBe(201);
    expect(again.headers.get('x-gateway-create')).toBe('recovered');
    const recovered = ((await again.json()) as Created).d.ID.toLowerCase();
    const ours = named(body.Name).find((row) => String(row.Remarks ?? '').includes('crm-company:/sites/crm/42'))!;
    expect(recovered).toBe(String(ours.ID).toLowerCase());
    expect(named(body.Name)).toHaveLength(2);
    // And from now on it is replayed.
    expect((await createCustomer(h, sales, { division, item: 42, body })).headers.get('x-gateway-create')).toBe('replayed');
    expect(named(body.Name)).toHaveLength(2);
  });

  it('a company with only a name and a country, created twice, is replayed the second time: still one account', async () => {
    const { h, sales, division } = await connected();
    const body = { Name: 'Bakkerij Het Wapen', Country: 'NL' };
    const first = await createCustomer(h, sales, { division, item: 43, body });
    const second = await createCustomer(h, sales, { division, item: 43, body });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('x-gateway-create')).toBe('replayed');
    expect(((await second.json()) as Created).d.ID).toBe(((await first.json()) as Created).d.ID.toLowerCase());
    expect(named(body.Name)).toHaveLength(1);
  });

  it('another company with the same name in the same country is a duplicate candidate until the person declines it', async () => {
    const { h, sales, division } = await connected();
    const first = await createCustomer(h, sales, { division, item: 44, body: { Name: 'Bakkerij Het Wapen', Country: 'NL' } });
    const firstId = ((await first.json()) as Created).d.ID.toLowerCase();
    const lookalike = await createCustomer(h, sales, { division, item: 45, body: { Name: '  bakkerij het  WAPEN b.v.', Country: 'nl' } });
    expect(lookalike.status).toBe(409);
    const refused = (await lookalike.json()) as { error: string; candidates: Array<{ id: string; name: string }> };
    expect(refused).toMatchObject({ error: 'duplicate-candidate', candidates: [{ id: firstId, name: 'Bakkerij Het Wapen' }] });
    expect(named('bakkerij het  WAPEN b.v.')).toHaveLength(0);
    // In Belgium it is another company.
    expect((await createCustomer(h, sales, { division, item: 46, body: { Name: 'Bakkerij Het Wapen', Country: 'BE' } })).status).toBe(201);
    const declined = await createCustomer(h, sales, { division, item: 45, body: { Name: 'Bakkerij Het Wapen B.V.', Country: 'NL' }, headers: { 'x-declined-duplicates': firstId } });
    expect(declined.status).toBe(201);
    expect(h.exact.records(division, 'Accounts').filter((row) => /^bakkerij het wapen/i.test(String(row.Name)))).toHaveLength(3);
  });

  it('a company that is already linked to Exact is not created again', async () => {
    const { h, sales, division } = await connected();
    const linked = String(h.exact.records(division, 'Accounts')[0]!.ID);
    const answer = await createCustomer(h, sales, { division, item: 47, body: { Name: 'Gelinkt B.V.', Country: 'NL' }, headers: { 'x-crm-linked-account': linked } });
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: 'already-linked' });
    expect(h.exact.calls(division)).toBe(0);
  });

  it('an account deleted in Exact since is not replayed: the company can be created again', async () => {
    const { h, sales, division } = await connected();
    const body = { Name: 'Drukkerij Opnieuw', Country: 'NL' };
    const first = ((await (await createCustomer(h, sales, { division, item: 48, body })).json()) as Created).d.ID;
    h.exact.deleteRecord(division, 'Accounts', first);
    const again = await createCustomer(h, sales, { division, item: 48, body });
    expect(again.headers.get('x-gateway-create')).toBe('created');
    expect(named(body.Name)).toHaveLength(1);
  });

  it('the finance service sends the company\'s key, and offers the gateway\'s same-name candidate to link', async () => {
    const { h, sales, division } = await connected();
    const companies = new Map<number, Company>([
      [51, { id: 51, name: 'Schildersbedrijf De Kwast', country: 'NL' }],
      [52, { id: 52, name: 'Schildersbedrijf de Kwast BV', country: 'NL' }],
    ]);
    const service: CompanyService = {
      get: async (id) => companies.get(id)!,
      list: async () => [...companies.values()],
      search: async () => [],
      link: async (id, exact) => void companies.set(id, { ...companies.get(id)!, exactId: exact.id, division: exact.division }),
      sameRegistration: async () => [],
      linkedTo: async (exactId) => [...companies.values()].find((c) => c.exactId === exactId),
    };
    const finance = createFinanceService({
      client: new ExactClient(createGatewayTransport({ gatewayUrl: h.url('/gateway'), getAccessToken: async () => sales }), { clock: h.clock }),
      companies: service,
      status: async () => ({ connected: true, status: 'connected', division, divisions: [{ code: division, description: 'Van Houten Installatietechniek B.V.' }], financialYearStart: '01-01' }),
      downloadPdf: () => Promise.reject(new Error('not used')),
      clock: h.clock,
      crmSite: '/sites/crm',
    });
    const created = await finance.create({ company: companies.get(51)!, draft: { name: 'Schildersbedrijf De Kwast', country: 'NL' }, seen: [], division });
    expect(created.kind).toBe('created');
    expect(named('Schildersbedrijf De Kwast')[0]!.Remarks).toContain('crm-company:/sites/crm/51');
    const other = await finance.create({ company: companies.get(52)!, draft: { name: 'Schildersbedrijf de Kwast BV', country: 'NL' }, seen: [], division });
    expect(other.kind).toBe('duplicates');
    expect(other.kind === 'duplicates' && other.matches.map((m) => m.id)).toEqual([companies.get(51)!.exactId]);
  });
});
