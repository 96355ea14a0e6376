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
