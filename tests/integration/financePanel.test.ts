import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import { createGatewayConnectionApi, createGatewayTransport } from '../../src/exact/gatewayTransport';
import type { ExactRequest, Transport } from '../../src/exact/transport';
import { exactDay, localDay, totalsByCurrency } from '../../src/finance';
import type { Company, CompanyService } from '../../src/finance/company';
import { AlreadyLinkedError, createFinanceService, type DivisionLink, type FinanceService } from '../../src/finance/financeService';
import { expectedFinance, mostOverdueAccount, openItems, receivables } from '../support/financeData';
import { hasRegistration, registrationDigits } from '../../src/crm/registration';
import { BE, NL, startExact, type Harness } from '../support/exactEmulatorHarness';
import { settle, startConnectedHarness, type ConnectedHarness } from '../support/gatewayHarness';

function memoryCompanies(initial: Company[]): CompanyService & { items: Map<number, Company> } {
  const items = new Map(initial.map((c) => [c.id, c]));
  return {
    items,
    get: async (id) => ({ ...items.get(id)! }),
    list: async () => [...items.values()],
    search: async (text) => [...items.values()].filter((c) => c.name.toLowerCase().includes(text.trim().toLowerCase())),
    sameRegistration: async (company) => [...items.values()].filter((c) => c.id !== company.id && c.exactId && hasRegistration(c, registrationDigits(company))),
    linkedTo: async (exactId) => [...items.values()].find((c) => c.exactId === exactId.toLowerCase()),
    link: async (id, exact) => {
      const values = exact.values ?? {};
      const text = (field: string, fallback?: string) => (typeof values[field] === 'string' ? String(values[field]) : fallback);
      const before = items.get(id)!;
      items.set(id, { ...before, exactId: exact.id, exactCode: exact.code, division: exact.division, vat: text('VatNumber', before.vat), kvk: text('KvkNumber', before.kvk), city: text('City', before.city) });
    },
  };
}

const divisions = [
  { code: NL, description: 'Van Houten Installatietechniek B.V.', currency: 'EUR' },
  { code: BE, description: 'Peeters & Zonen BV', currency: 'EUR' },
];

/** The company's own link, as the panel resolves it before reading Exact. */
async function ownLink(finance: FinanceService, company: Company): Promise<DivisionLink> {
  return (await finance.customer(company)).links[0]!;
}

describe('customer panel over the Exact emulator', () => {
  let h: Harness;
  let token: string;
  const requests: ExactRequest[] = [];
  let failNextPostAfterSending = false;

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '60' } });
    token = h.control.issueTokens().access_token;
  });
  afterAll(async () => h?.sandbox.close());

  function service(companies: CompanyService, division = NL) {
    const inner = createAxiosTransport({ baseUrl: h.api, getAccessToken: async () => token, timeoutMs: 20_000 });
    const transport: Transport = {
      send: async (request) => {
        requests.push(request);
        const response = await inner.send(request);
        if (request.method === 'POST' && failNextPostAfterSending) {
          failNextPostAfterSending = false;
          throw new Error('timeout of 20000ms exceeded');
        }
        return response;
      },
    };
    return createFinanceService({
      client: new ExactClient(transport, { clock: h.clock }),
      companies,
      status: async () => ({ connected: true, status: 'connected', division, divisions, financialYearStart: '01-01' }),
      downloadPdf: async () => new Blob([]),
      clock: h.clock,
    });
  }

  it('shows the numbers Exact has, in three calls', async () => {
    const today = localDay(new Date(h.clock.now()));
    const open = await openItems(h.api, NL, token);
    const accountId = mostOverdueAccount(open, today);
    const expected = expectedFinance(open, await receivables(h.api, NL, token, accountId), accountId, today);
    const finance = service(memoryCompanies([]));
    requests.length = 0;
    const panel = await finance.panel(await ownLink(finance, { id: 1, name: 'x', exactId: accountId }));
    expect(requests.length).toBe(3);
    expect(panel.finance.openBalance).toBeCloseTo(expected.openBalance, 2);
    expect(panel.finance.overdueAmount).toBeCloseTo(expected.overdueAmount, 2);
    expect(panel.finance.overdueCount).toBe(expected.overdueCount);
    expect(Object.values(panel.finance.aging).map((v) => Math.round(v * 100))).toEqual(expected.buckets.map((v) => Math.round(v * 100)));
    expect(panel.finance.invoices.filter((row) => row.openFC !== 0).map((row) => row.invoiceNumber).sort((a, b) => a - b)).toEqual(expected.openInvoiceNumbers);
    expect(panel.finance.invoices.length).toBeGreaterThan(expected.openInvoiceNumbers.length - 1);
    for (const row of panel.finance.invoices) expect(exactDay(row.invoiceDate)).toBeLessThanOrEqual(today);
  });

  it('a Belgian customer billed in dollars: euro totals at each invoice\'s rate, dollars on the rows', async () => {
    const today = localDay(new Date(h.clock.now()));
    const open = await openItems(h.api, BE, token);
    const dollarRow = open.find((row) => String(row.CurrencyCode).trim() === 'USD');
    expect(dollarRow, 'the seed has Belgian customers with open dollar invoices').toBeDefined();
    const accountId = String(dollarRow!.AccountId);
    const expected = expectedFinance(open, await receivables(h.api, BE, token, accountId), accountId, today);
    const finance = service(memoryCompanies([]));
    const panel = await finance.panel(await ownLink(finance, { id: 2, name: 'y', exactId: accountId, division: BE }));
    expect(panel.division).toMatchObject({ code: BE, name: 'Peeters & Zonen BV', currency: 'EUR' });
    expect(panel.finance.unconverted).toEqual([]);
    expect(panel.finance.openBalance).toBeCloseTo(expected.openBalance, 2);
    expect(panel.finance.overdueAmount).toBeCloseTo(expected.overdueAmount, 2);
    const row = panel.finance.invoices.find((r) => r.openFC !== 0)!;
    expect(row.currency).toBe('USD');
    expect(row.openDC).not.toBe(row.openFC);
  });

  it('a partly paid invoice shows its open part from ReceivablesList, however many terms', async () => {
    const open = await openItems(h.api, NL, token);
    const finance = service(memoryCompanies([]));
    const partlyPaid = [];
    for (const accountId of [...new Set(open.map((row) => String(row.AccountId)))].slice(0, 15)) {
      const panel = await finance.panel(await ownLink(finance, { id: 3, name: 'z', exactId: accountId }));
      partlyPaid.push(...panel.finance.invoices.filter((r) => r.status.kind === 'partly-paid' || (r.status.kind === 'overdue' && r.status.partlyPaid)));
    }
    h.control.resetCounters(); // 45 calls: give the next test a fresh minute
    expect(partlyPaid.length).toBeGreaterThan(0);
    for (const row of partlyPaid) {
      expect(row.openFC).toBeLessThan(row.amountFC);
      expect(row.openFC).toBeGreaterThan(0);
      const rows = open.filter((o) => o.InvoiceNumber === row.invoiceNumber);
      expect(row.openFC).toBeCloseTo(rows.reduce((sum, o) => sum + Number(o.Amount), 0), 2);
    }
  });

  it('finds the duplicate before creating, creates once across a lost answer, and writes the ID back', async () => {
    const existing = h.control.records(NL, 'Accounts').find((row) => row.Status === 'C' && row.ChamberOfCommerce)!;
    const companies = memoryCompanies([
      { id: 5, name: 'Planted Duplicaat B.V.', kvk: String(existing.ChamberOfCommerce), country: 'NL' },
      { id: 6, name: 'Nieuwe Klant Verwarming B.V.', kvk: '61234567', postcode: '3511 AB', country: 'NL' },
    ]);
    const finance = service(companies);
    const dup = await finance.create({ company: companies.items.get(5)!, draft: { name: 'Planted Duplicaat B.V.', country: 'NL', kvk: String(existing.ChamberOfCommerce) }, seen: [], division: NL });
    expect(dup.kind).toBe('duplicates');
    expect(dup.kind === 'duplicates' && dup.matches[0]).toMatchObject({ id: String(existing.ID).toLowerCase(), signal: 'kvk' });

    const before = h.control.records(NL, 'Accounts').length;
    failNextPostAfterSending = true;
    const draft = { name: 'Nieuwe Klant Verwarming B.V.', country: 'NL', kvk: '61234567', postcode: '3511 AB', city: 'Utrecht' };
    const first = await finance.create({ company: companies.items.get(6)!, draft, seen: [], division: NL });
    expect(first).toMatchObject({ kind: 'created', confirmedAfterTimeout: true });
    const again = await finance.create({ company: { ...companies.items.get(6)!, exactId: undefined }, draft, seen: [], division: NL });
    expect(again.kind).toBe('duplicates');
    expect(h.control.records(NL, 'Accounts').length).toBe(before + 1);
    const created = h.control.records(NL, 'Accounts').find((row) => row.Name === draft.name)!;
    expect(companies.items.get(6)!).toMatchObject({ exactId: String(created.ID).toLowerCase(), division: NL });
  });

  it('link writes the account\'s mapped fields to the CRM at once, in one update; an account another company holds is refused with that company named', async () => {
    const account = h.control.records(NL, 'Accounts').find((row) => row.Status === 'C' && row.ChamberOfCommerce && row.VATNumber && row.City)!;
    const accountId = String(account.ID).toLowerCase();
    const companies = memoryCompanies([
      { id: 21, name: 'Zelfde Klant', kvk: String(account.ChamberOfCommerce), country: 'NL' },
      { id: 22, name: 'Tweede Invoer', kvk: String(account.ChamberOfCommerce), country: 'NL' },
    ]);
    const writes: Array<{ id: number; values: Record<string, unknown> }> = [];
    const link = companies.link;
    companies.link = async (id, exact) => {
      writes.push({ id, values: { ...exact.values } });
      return link(id, exact);
    };
    const finance = service(companies);
    const linked = await finance.link({ company: companies.items.get(21)!, account: { id: accountId, code: String(account.Code) }, division: NL });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.values).toMatchObject({ ExactCode: String(account.Code).trim(), VatNumber: String(account.VATNumber).trim().toUpperCase(), City: String(account.City).trim(), KvkNumber: String(account.ChamberOfCommerce).trim() });
    expect(linked).toMatchObject({ exactId: accountId, exactCode: String(account.Code).trim(), vat: String(account.VATNumber).trim().toUpperCase(), city: String(account.City).trim(), division: NL });
    expect(companies.items.get(21)!).toMatchObject({ exactId: accountId, vat: String(account.VATNumber).trim().toUpperCase() });

    // The same account for a second CRM company: named as already linked, nothing written.
    const refused = await finance.link({ company: companies.items.get(22)!, account: { id: accountId, code: String(account.Code), name: String(account.Name) }, division: NL }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AlreadyLinkedError);
    expect((refused as AlreadyLinkedError).holder).toMatchObject({ id: 21, name: 'Zelfde Klant' });
    expect((refused as Error).message).toContain('already linked to Zelfde Klant');
    expect(writes).toHaveLength(1);
    expect(companies.items.get(22)!.exactId).toBeUndefined();
    // Linking the holder again is no conflict: the same company, the same account.
    await finance.link({ company: companies.items.get(21)!, account: { id: accountId }, division: NL });
    expect(writes).toHaveLength(2);
  });

  it('link never clears what the CRM has with what Exact leaves empty (address, website, e-mail)', async () => {
    const account = h.control.createRecord(NL, 'Accounts', { Name: 'Kale Relatie B.V.', Code: '      9901', Status: 'C', ChamberOfCommerce: '70009901', Country: 'NL' });
    const accountId = String(account.ID).toLowerCase();
    const companies = memoryCompanies([{ id: 31, name: 'Kale Relatie B.V.', kvk: '70009901', country: 'NL', addressLine1: 'Kerkstraat 1', website: 'https://kale.nl', email: 'info@kale.nl' }]);
    const writes: Array<Record<string, unknown>> = [];
    const link = companies.link;
    companies.link = async (id, exact) => {
      writes.push({ ...exact.values });
      return link(id, exact);
    };
    const linked = await service(companies).link({ company: companies.items.get(31)!, account: { id: accountId, code: '9901' }, division: NL });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ ExactCode: '9901', KvkNumber: '70009901' });
    for (const field of ['AddressLine1', 'Website', 'Email', 'Phone', 'VatNumber', 'City']) expect(writes[0]![field], field).toBeUndefined();
    expect(linked).toMatchObject({ addressLine1: 'Kerkstraat 1', website: 'https://kale.nl', email: 'info@kale.nl' });
  });

  it('a Belgian company\'s panel reads the Belgian division and names it; one without a division reads the default', async () => {
    const today = localDay(new Date(h.clock.now()));
    const open = await openItems(h.api, BE, token);
    const accountId = mostOverdueAccount(open, today);
    const expected = expectedFinance(open, await receivables(h.api, BE, token, accountId), accountId, today);
    const finance = service(memoryCompanies([]));
    requests.length = 0;
    const panel = await finance.panel(await ownLink(finance, { id: 7, name: 'Belgian', exactId: accountId, division: BE }));
    expect(requests.map((r) => r.path.split('/')[0])).toEqual([String(BE), String(BE), String(BE)]);
    expect(panel.division).toMatchObject({ code: BE, name: 'Peeters & Zonen BV' });
    expect(panel.finance.openBalance).toBeCloseTo(expected.openBalance, 2);
    // The same account ID under the default division is not there: a clear sentence, not Exact's 404.
    const wrong = await finance.customer({ id: 8, name: 'Linked before divisions', exactId: accountId });
    expect(wrong.links[0]!.division.code).toBe(NL);
    await expect(finance.panel(wrong.links[0]!)).rejects.toThrow(/Van Houten Installatietechniek B\.V\. \(2950001\) has no Exact account/);
    // Linked in a division this connection was not given (an earlier consent): said, and Exact is not asked.
    const elsewhere = await finance.customer({ id: 10, name: 'Elders', exactId: accountId, division: 2950009 });
    expect(elsewhere.links[0]!.division).toMatchObject({ code: 2950009, name: '2950009', reachable: false });
    requests.length = 0;
    await expect(finance.panel(elsewhere.links[0]!)).rejects.toThrow(/linked in Exact division 2950009, which this Exact connection does not reach/);
    expect(requests).toEqual([]);
  });

  it('creates in the chosen division and links (division, ID); a linked company is not created again, nor in a division the connection lacks', async () => {
    const companies = memoryCompanies([{ id: 9, name: 'Brouwerij Het Anker BV', kvk: '0456.789.133', country: 'BE' }]);
    const finance = service(companies);
    const draft = { name: 'Brouwerij Het Anker BV', country: 'BE', kvk: '0456.789.133', postcode: '9000', city: 'Gent' };
    await expect(finance.create({ company: companies.items.get(9)!, draft, seen: [], division: 1234567 })).rejects.toThrow(/not one of this Exact connection's divisions/);
    const beBefore = h.control.records(BE, 'Accounts').length;
    const nlBefore = h.control.records(NL, 'Accounts').length;
    const result = await finance.create({ company: companies.items.get(9)!, draft, seen: [], division: BE });
    expect(result.kind).toBe('created');
    expect(h.control.records(BE, 'Accounts').length).toBe(beBefore + 1);
    expect(h.control.records(NL, 'Accounts').length).toBe(nlBefore);
    const created = h.control.records(BE, 'Accounts').find((row) => row.Name === draft.name)!;
    expect(companies.items.get(9)!).toMatchObject({ exactId: String(created.ID).toLowerCase(), division: BE });
    await expect(finance.create({ company: companies.items.get(9)!, draft, seen: [], division: NL })).rejects.toThrow(/already linked/);
    expect(h.control.records(NL, 'Accounts').length).toBe(nlBefore);
  });
});

describe('one customer in two divisions, through the gateway', () => {
  let c: ConnectedHarness;
  beforeAll(async () => {
    c = await startConnectedHarness();
    // The first connect opens only the default division to the CRM: the admin adds the Belgian one.
    await createGatewayConnectionApi({ gatewayUrl: c.h.url('/gateway'), getAccessToken: async () => c.admin }).chooseEnabledDivisions([NL, BE]);
  });
  afterAll(async () => c?.h.close());

  it('finds the customer in the other division by its KvK number, reads each division in three Exact calls cold and none warm, and totals per currency', async () => {
    const { h, sales } = c;
    const gateway = { gatewayUrl: h.url('/gateway'), getAccessToken: async () => sales };
    const status = createGatewayConnectionApi(gateway).status;
    const token = h.exact.issueTokens().access_token;
    const api = h.url('/exact/api/v1/');
    const today = localDay(new Date(h.clock.now()));
    const nlOpen = await openItems(api, NL, token);
    const beOpen = await openItems(api, BE, token);
    const nlAccount = mostOverdueAccount(nlOpen, today);
    const beAccount = mostOverdueAccount(beOpen, today);
    const expectedNl = expectedFinance(nlOpen, await receivables(api, NL, token, nlAccount), nlAccount, today);
    const expectedBe = expectedFinance(beOpen, await receivables(api, BE, token, beAccount), beAccount, today);
    const companies = memoryCompanies([
      // Linked before divisions were recorded: the connection's default division (NL).
      { id: 1, name: 'Van Dijk Koeltechniek B.V.', exactId: nlAccount, kvk: '30187456' },
      { id: 2, name: 'Van Dijk Koeltechniek (België)', exactId: beAccount, division: BE, kvk: '3018 7456' },
      { id: 3, name: 'Van Dijk Koeltechniek, tweede vestiging', exactId: 'ffffffff-0000-4000-8000-000000000003', division: NL, kvk: '30187456' },
    ]);
    const finance = createFinanceService({ client: new ExactClient(createGatewayTransport(gateway), { clock: h.clock }), companies, status, downloadPdf: async () => new Blob([]), clock: h.clock });
    h.exact.resetCounters();

    const customer = await finance.customer(companies.items.get(1)!);
    expect(customer.links.map((l) => [l.company.id, l.division.code, l.division.name])).toEqual([
      [1, NL, 'Van Houten Installatietechniek B.V.'],
      [2, BE, 'Peeters & Zonen BV'],
    ]);
    expect(h.exact.calls(NL) + h.exact.calls(BE)).toBe(0);

    const cold = await settle(h, customer.links.map((link) => finance.panel(link)));
    expect({ nl: h.exact.calls(NL), be: h.exact.calls(BE) }).toEqual({ nl: 3, be: 3 });
    h.exact.resetCounters();
    const warm = await settle(h, customer.links.map((link) => finance.panel(link)));
    expect({ nl: h.exact.calls(NL), be: h.exact.calls(BE) }).toEqual({ nl: 0, be: 0 });
    expect(warm.map((p) => p.finance.openBalance)).toEqual(cold.map((p) => p.finance.openBalance));

    expect(cold[1]!.finance.openBalance).toBeCloseTo(expectedBe.openBalance, 2);
    const [total, ...more] = totalsByCurrency(cold.map((p) => ({ division: p.division.code, figures: p.finance })));
    expect(more).toEqual([]);
    expect(total).toMatchObject({ currency: 'EUR', divisions: [NL, BE], overdueCount: expectedNl.overdueCount + expectedBe.overdueCount });
    expect(total!.openBalance).toBeCloseTo(expectedNl.openBalance + expectedBe.openBalance, 2);
    expect(total!.overdueAmount).toBeCloseTo(expectedNl.overdueAmount + expectedBe.overdueAmount, 2);
  });
});
