import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { sharePointCompanies } from '../../src/crm/companySearch';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

/**
 * The customer search of My customers and a Teams tab's settings, on a Companies list over
 * SharePoint's list view threshold (the stand-in's is set to 20 here): SharePoint refuses
 * substringof and a sort by name there, and the search still finds every word, by name, city,
 * postcode, Exact code or KvK number.
 */
describe('company search on a list over the list view threshold', () => {
  let sandbox: CrmSandbox;
  beforeAll(async () => {
    sandbox = await startCrmSandbox({ listViewThreshold: 20 });
    expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
    const rows = Array.from({ length: 45 }, (_, i) => ({
      Title: i === 7 ? "Bakkerij 't Hoekje" : i === 30 ? 'Bakker Utrecht B.V.' : `Company ${String(i).padStart(2, '0')}`,
      City: i === 30 ? 'Utrecht' : 'Zwolle',
      Postcode: i === 30 ? '3511 AB' : '8011 CD',
      ExactCode: String(1000 + i),
    }));
    sandbox.control.addItems(CRM_LISTS.companies, rows);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('finds by every word, sorted by name, reading the list once for the rest of the page', async () => {
    const companies = sharePointCompanies(sandbox.sp);
    sandbox.control.resetCounts();
    expect((await companies.search('bakker')).map((c) => c.name)).toEqual(["Bakkerij 't Hoekje", 'Bakker Utrecht B.V.'].sort((a, b) => a.localeCompare(b)));
    expect((await companies.search('bakker utrecht')).map((c) => c.name)).toEqual(['Bakker Utrecht B.V.']);
    expect((await companies.search('3511 ab')).map((c) => c.name)).toEqual(['Bakker Utrecht B.V.']);
    expect((await companies.search('1030')).map((c) => c.name)).toEqual(['Bakker Utrecht B.V.']);
    expect(await companies.search('')).toHaveLength(45);
    expect((await companies.search('', 10)).map((c) => c.name)[0]).toBe('Bakker Utrecht B.V.');
    // The refused search, then one page of the whole list; later searches cost nothing.
    expect(sandbox.control.counts().total).toBe(2);
  });
});

/**
 * The same customer in another division: CRM companies with this company's KvK or VAT number,
 * however each is written, found by SharePoint on a list under the threshold and read in full over it.
 */
describe('companies with the same KvK or VAT number', () => {
  const rows = [
    { Title: 'Van Dijk Koeltechniek B.V.', KvkNumber: '30187456', ExactId: 'a0000000-0000-4000-8000-000000000001' },
    { Title: 'Van Dijk Koeltechniek (België)', KvkNumber: 'KvK 3018 7456', ExactId: 'a0000000-0000-4000-8000-000000000002', ExactDivision: 2950002 },
    { Title: 'Peeters Bouw NV', VatNumber: 'BE 0478.123.659', ExactId: 'a0000000-0000-4000-8000-000000000003', ExactDivision: 2950002 },
    { Title: 'Peeters Bouw Nederland', VatNumber: 'BE0478123659', ExactId: 'a0000000-0000-4000-8000-000000000004' },
    // The same number, not linked: nothing to show in a panel.
    { Title: 'Van Dijk lead', KvkNumber: '30187456' },
    // The same last digits, another number.
    { Title: 'Koeltechniek Oost', KvkNumber: '11117456', ExactId: 'a0000000-0000-4000-8000-000000000005' },
  ];

  for (const threshold of [5000, 3]) {
    it(`finds them by the normalised number (list view threshold ${threshold})`, async () => {
      const sandbox = await startCrmSandbox({ listViewThreshold: threshold });
      try {
        expect((await provisionCrm(sandbox.sp)).problems).toEqual([]);
        const ids = sandbox.control.addItems(CRM_LISTS.companies, rows);
        const companies = sharePointCompanies(sandbox.sp);
        const first = await companies.get(ids[0]!);
        expect(first.division).toBeUndefined();
        const same = await companies.sameRegistration(first);
        expect(same.map((c) => [c.name, c.division])).toEqual([['Van Dijk Koeltechniek (België)', 2950002]]);
        expect((await companies.sameRegistration({ id: 0, vat: 'BE 0478 123 659' })).map((c) => c.name).sort()).toEqual(['Peeters Bouw NV', 'Peeters Bouw Nederland']);
        expect(await companies.sameRegistration({ id: 0, kvk: '12' })).toEqual([]);
        await companies.link(ids[4]!, { id: 'a0000000-0000-4000-8000-000000000006', code: ' 20001', division: 2950002 });
        expect(await companies.get(ids[4]!)).toMatchObject({ exactId: 'a0000000-0000-4000-8000-000000000006', exactCode: '20001', division: 2950002 });
      } finally {
        await sandbox.close();
      }
    });
  }
});
