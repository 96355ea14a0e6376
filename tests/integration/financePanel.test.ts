import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import { ExactClient } from '../../src/exact/client';
import type { ExactRequest, Transport } from '../../src/exact/transport';
import { exactDay, localDay } from '../../src/finance';
import type { Company, CompanyService } from '../../src/finance/company';
import { createFinanceService } from '../../src/finance/financeService';
import { expectedFinance, mostOverdueAccount, openItems, receivables } from '../support/financeData';
import { BE, NL, startExact, type Harness } from '../support/exactEmulatorHarness';

function memoryCompanies(initial: Company[]): CompanyService & { items: Map<number, Company> } {
  const items = new Map(initial.map((c) => [c.id, c]));
  return {
    items,
    get: async (id) => ({ ...items.get(id)! }),
    list: async () => [...items.values()],
    search: async (text) => [...items.values()].filter((c) => c.name.toLowerCase().includes(text.trim().toLowerCase())),
    link: async (id, exact) => {
      items.set(id, { ...items.get(id)!, exactId: exact.id, exactCode: exact.code });
    },
  };
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
      status: async () => ({ connected: true, status: 'connected', division, financialYearStart: '01-01' }),
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
    const panel = await finance.panel({ id: 1, name: 'x', exactId: accountId });
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
    const panel = await service(memoryCompanies([]), BE).panel({ id: 2, name: 'y', exactId: accountId });
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
      const panel = await finance.panel({ id: 3, name: 'z', exactId: accountId });
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
    const dup = await finance.create(companies.items.get(5)!, { name: 'Planted Duplicaat B.V.', country: 'NL', kvk: String(existing.ChamberOfCommerce) }, []);
    expect(dup.kind).toBe('duplicates');
    expect(dup.kind === 'duplicates' && dup.matches[0]).toMatchObject({ id: String(existing.ID).toLowerCase(), signal: 'kvk' });

    const before = h.control.records(NL, 'Accounts').length;
    failNextPostAfterSending = true;
    const draft = { name: 'Nieuwe Klant Verwarming B.V.', country: 'NL', kvk: '61234567', postcode: '3511 AB', city: 'Utrecht' };
    const first = await finance.create(companies.items.get(6)!, draft, []);
    expect(first).toMatchObject({ kind: 'created', confirmedAfterTimeout: true });
    const again = await finance.create(companies.items.get(6)!, draft, []);
    expect(again.kind).toBe('duplicates');
    expect(h.control.records(NL, 'Accounts').length).toBe(before + 1);
    const created = h.control.records(NL, 'Accounts').find((row) => row.Name === draft.name)!;
    expect(companies.items.get(6)!.exactId).toBe(String(created.ID).toLowerCase());
  });
});
