import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorText, NL, BE, results, startExact, type Harness } from '../support/exactEmulatorHarness';

/**
 * The stand-in's concept sales invoices (salesinvoice/SalesInvoices) and sales journals
 * (financial/Journals): Exact's header rules (Factuur voor, Besteld door, Dagboek), lines,
 * unknown item or VAT code refused in Exact's error shape and counted toward the block, lookup by
 * YourRef, DELETE while a concept and refused once processed.
 */
describe('Exact emulator: concept sales invoices', () => {
  let h: Harness;
  let token: string;
  let account: string;
  let item: { ID: string; StandardSalesPrice: number };

  beforeAll(async () => {
    h = await startExact({ env: { SANDBOX_ACCOUNTS: '30' } });
    token = h.control.issueTokens().access_token;
    account = String(h.control.records(NL, 'Accounts').find((a) => a.Status === 'C')!.ID);
    item = (await results(await h.get(`${NL}/bulk/Logistics/Items?$select=ID,StandardSalesPrice`, token))).results[0] as typeof item;
  });
  afterAll(async () => h?.sandbox.close());
  beforeEach(() => h.control.resetCounters());

  const post = (body: unknown, division = NL) => h.send('POST', `${division}/salesinvoice/SalesInvoices`, token, body, { Prefer: 'return=representation' });
  const valid = (ref: string): Record<string, unknown> => ({ OrderedBy: account, InvoiceTo: account, Journal: '70', YourRef: ref, SalesInvoiceLines: [{ Item: item.ID, Quantity: 2 }] });

  it('serves each division its journals, the sales journals by Type 20', async () => {
    const nl = await results(await h.get(`${NL}/financial/Journals?$filter=Type eq 20&$select=Code,Description,Type`, token));
    expect(nl.results.map((j) => [j.Code, j.Description]).sort()).toEqual([['70', 'Verkoopboek'], ['71', 'Verkoopboek abonnementen']]);
    const be = await results(await h.get(`${BE}/financial/Journals?$filter=Type eq 20&$select=Code,Description`, token));
    expect(be.results.map((j) => j.Description)).toContain('Verkoopdagboek');
  });

  it('refuses what Exact refuses, per field, and counts each refusal toward the block', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid('x'), InvoiceTo: undefined, OrderedBy: undefined }, 'Verplicht: Factuur voor\r\nVerplicht: Besteld door'],
      [{ ...valid('x'), Journal: undefined }, 'Verplicht: Dagboek'],
      [{ ...valid('x'), Journal: '99' }, 'Ongeldige referentie: Dagboek (99)'],
      // 60 is the purchase journal: it exists, but an invoice to a customer cannot go there.
      [{ ...valid('x'), Journal: '60' }, 'Ongeldige referentie: Dagboek (60)'],
      [{ ...valid('x'), SalesInvoiceLines: [] }, 'Verplicht: Factuurregels'],
      [{ ...valid('x'), SalesInvoiceLines: [{ Item: '00000000-0000-0000-0000-000000000001' }] }, 'Ongeldige referentie: Artikel (regel 1)'],
      [{ ...valid('x'), SalesInvoiceLines: [{ Item: item.ID, VATCode: 'ZZ' }] }, 'Ongeldige referentie: Btw-code (regel 1: ZZ)'],
    ];
    for (const [body, message] of cases) {
      const response = await post(body);
      expect(response.status, message).toBe(500);
      expect(await errorText(response)).toBe(message);
    }
    expect(h.control.errorCount(NL, 'salesinvoice/SalesInvoices')).toBe(cases.length);
    expect(h.control.postedSalesInvoices(NL)).toHaveLength(0);
  });

  it('blocks the endpoint after 10 refusals in an hour when blocking is on', async () => {
    h.control.setKnobs({ blockOnErrors: true });
    try {
      for (let i = 0; i < 10; i++) expect((await post({ ...valid('x'), Journal: undefined })).status).toBe(500);
      expect((await post(valid('blocked'))).status).toBe(429);
    } finally {
      h.control.setKnobs({ blockOnErrors: false });
      h.control.resetCounters();
    }
  });

  it('creates a concept, finds it by YourRef, deletes it while a concept and refuses once processed', async () => {
    const created = ((await (await post(valid('INV-D-1'))).json()) as { d: Record<string, unknown> }).d;
    expect(created).toMatchObject({ Status: 20, InvoiceNumber: null, Journal: '70', InvoiceTo: account, AmountFCExclVat: Math.round(2 * item.StandardSalesPrice * 100) / 100 });
    const kept = ((await (await post(valid('INV-D-2'))).json()) as { d: Record<string, unknown> }).d;

    const found = await results(await h.get(`${NL}/salesinvoice/SalesInvoices?$filter=YourRef eq 'INV-D-1' or YourRef eq 'INV-D-2'&$select=InvoiceID,YourRef,Status`, token));
    expect(found.results.map((r) => r.YourRef).sort()).toEqual(['INV-D-1', 'INV-D-2']);

    const processed = h.control.processSalesInvoice(NL, String(kept.InvoiceID));
    expect(processed).toMatchObject({ Status: 50, StatusDescription: 'Verwerkt' });
    expect(typeof processed.InvoiceNumber).toBe('number');
    const refused = await h.send('DELETE', `${NL}/salesinvoice/SalesInvoices(guid'${String(kept.InvoiceID)}')`, token);
    expect(refused.status).toBe(500);
    expect(await errorText(refused)).toBe(`Verwijderen is niet toegestaan: factuur ${String(processed.InvoiceNumber)} is al verwerkt.`);

    expect((await h.send('DELETE', `${NL}/salesinvoice/SalesInvoices(guid'${String(created.InvoiceID)}')`, token)).status).toBe(204);
    expect((await h.get(`${NL}/salesinvoice/SalesInvoices(guid'${String(created.InvoiceID)}')`, token)).status).toBe(404);
    expect(h.control.postedSalesInvoices(NL).map((i) => i.invoice.YourRef)).toEqual(['INV-D-2']);
    expect(h.control.postedSalesInvoices(NL)[0]!.lines).toHaveLength(1);
  });
});
