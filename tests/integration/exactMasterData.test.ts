import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BE, NL, errorText, results, startExact, type Harness } from '../support/exactEmulatorHarness';

/**
 * The Exact stand-in's master data: items (CRUD read with mandatory filtering, bulk, sync),
 * VAT codes, payment conditions, cost centres, projects, employees (role-gated fields),
 * currencies and bank accounts, per division, with Exact's paging and wire types.
 */
describe('Exact stand-in master data', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startExact({ master: { items: 130 } });
    token = h.control.issueTokens().access_token;
  });
  afterAll(async () => {
    await h.sandbox.close();
  });

  it('logistics/Items refuses an unfiltered GET (mandatory filtering) and pages 60 at a time when filtered', async () => {
    const bare = await h.get(`${NL}/logistics/Items?$select=ID,Code`, token);
    expect(bare.status).toBe(400);
    expect(await errorText(bare)).toMatch(/mandatory filtering.*Code/);
    const page = await results(await h.get(`${NL}/logistics/Items?$filter=IsSalesItem eq true&$select=ID,Code,Description,StandardSalesPrice,SalesVatCode,Unit,IsTime`, token));
    expect(page.results).toHaveLength(60);
    expect(page.__next).toContain('$skiptoken=guid');
    const laptop = page.results.find((r) => String(r.Description).includes('ThinkPad'));
    expect(laptop).toBeDefined();
    expect(String(laptop?.Unit)).toHaveLength(8);
    expect(laptop?.SalesVatCode).toBe('2  ');
    expect(laptop?.IsTime).toBe(0);
    expect(typeof laptop?.StandardSalesPrice).toBe('number');
    const hours = await results(await h.get(`${NL}/logistics/Items?$filter=Code eq 'SUP-00024'&$select=Code,Description,IsTime,Unit`, token));
    expect(hours.results[0]).toMatchObject({ IsTime: 1, Unit: 'uur     ' });
  });

  it('bulk/Logistics/Items needs $select and reads 1,000 a page; sync/Logistics/Items reads by Timestamp', async () => {
    expect((await h.get(`${NL}/bulk/Logistics/Items`, token)).status).toBe(400);
    const bulk = await results(await h.get(`${NL}/bulk/Logistics/Items?$select=ID,Code`, token));
    expect(bulk.results).toHaveLength(130);
    expect(bulk.__next).toBeUndefined();
    const sync = await results(await h.get(`${NL}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=Timestamp,ID,Code`, token));
    expect(sync.results).toHaveLength(130);
    expect(typeof sync.results[0].Timestamp).toBe('string');
    const last = sync.results[sync.results.length - 1].Timestamp as string;
    const item = h.control.masterRecords(NL, 'items')[3];
    h.control.putMasterRecord(NL, 'items', { ID: item.ID, StandardSalesPrice: 999 });
    const changed = await results(await h.get(`${NL}/sync/Logistics/Items?$filter=Timestamp gt ${last}L&$select=Timestamp,ID,StandardSalesPrice`, token));
    expect(changed.results).toEqual([expect.objectContaining({ ID: item.ID, StandardSalesPrice: 999 })]);
  });

  it('deleting an item or a project shows in sync/Deleted (9, 21); a VAT code leaves no trace', async () => {
    const item = h.control.masterRecords(NL, 'items')[5];
    const project = h.control.masterRecords(NL, 'projects')[2];
    const vat = h.control.masterRecords(NL, 'vatCodes').find((r) => r.IsBlocked === true);
    h.control.deleteMasterRecord(NL, 'items', String(item.ID));
    h.control.deleteMasterRecord(NL, 'projects', String(project.ID));
    h.control.deleteMasterRecord(NL, 'vatCodes', String(vat?.ID));
    const deleted = await results(await h.get(`${NL}/sync/Deleted?$filter=Timestamp gt 1L and (EntityType eq 9 or EntityType eq 21)&$select=EntityKey,EntityType`, token));
    expect(deleted.results).toEqual(expect.arrayContaining([{ __metadata: expect.anything(), EntityKey: item.ID, EntityType: 9 }, { __metadata: expect.anything(), EntityKey: project.ID, EntityType: 21 }]));
    const all = await results(await h.get(`${NL}/sync/Deleted?$filter=Timestamp gt 1L&$select=EntityKey`, token));
    expect(all.results.map((r) => r.EntityKey)).not.toContain(vat?.ID);
  });

  it('VAT codes: NL 21/9/0 and BE 21/12/6/0, codes padded to 3, percentages as fractions', async () => {
    const nl = await results(await h.get(`${NL}/vat/VATCodes?$filter=IsBlocked eq false&$select=Code,Description,Percentage,Type,VATPercentages`, token));
    const be = await results(await h.get(`${BE}/vat/VATCodes?$select=Code,Percentage,VATTransactionType`, token));
    expect(new Set(nl.results.map((r) => r.Percentage))).toEqual(new Set([0, 0.09, 0.21]));
    expect(new Set(be.results.filter((r) => r.VATTransactionType === 'S').map((r) => r.Percentage))).toEqual(new Set([0, 0.06, 0.12, 0.21]));
    expect(nl.results.every((r) => String(r.Code).length === 3)).toBe(true);
    expect(nl.results[0].VATPercentages).toHaveProperty('__deferred.uri');
  });

  it('payment conditions, cost centres and currencies read whole (no sync, no bulk), currencies keyed by code', async () => {
    const conditions = await results(await h.get(`${NL}/cashflow/PaymentConditions?$select=Code,Description,PaymentDays,PaymentMethod`, token));
    expect(conditions.results.map((r) => r.Code)).toEqual(expect.arrayContaining(['14', '21', '30', 'IN']));
    expect((await h.get(`${NL}/sync/Cashflow/PaymentConditions?$filter=Timestamp gt 1L`, token)).status).toBe(404);
    const centres = await results(await h.get(`${BE}/hrm/Costcenters?$select=Code,Description,Active,EndDate`, token));
    expect(centres.results.some((r) => r.Active === false && typeof r.EndDate === 'string')).toBe(true);
    const currencies = await results(await h.get(`${NL}/general/Currencies?$select=Code,Description&$top=3`, token));
    expect(currencies.results.map((r) => r.Code)).toEqual(['CHF', 'CZK', 'DKK']);
    const byKey = (await (await h.get(`${NL}/general/Currencies('EUR')`, token)).json()) as { d: Record<string, unknown> };
    expect(byKey.d.Description).toBe('Euro');
  });

  it('projects name their customer account; internal ones have none', async () => {
    const projects = await results(await h.get(`${NL}/project/Projects?$filter=Type ne 0&$select=Code,Description,Account,AccountName,Type,ManagerFullname`, token));
    const accounts = new Set(h.control.records(NL, 'Accounts').map((a) => a.ID));
    const linked = projects.results.filter((p) => p.Account !== null);
    expect(linked.length).toBeGreaterThan(20);
    expect(linked.every((p) => accounts.has(p.Account as string))).toBe(true);
    expect(projects.results.some((p) => p.Account === null && p.Type === 4)).toBe(true);
    expect((await h.get(`${NL}/project/Projects?$select=Code`, token)).status).toBe(400);
  });

  it('employees: personal fields are absent without HR rights, present with them', async () => {
    const select = '$filter=IsActive eq true&$select=ID,FullName,BirthDate,SocialSecurityNumber';
    const without = await results(await h.get(`${NL}/payroll/Employees?${select}`, token));
    expect(without.results[0].FullName).toEqual(expect.any(String));
    expect(without.results[0]).not.toHaveProperty('BirthDate');
    expect(without.results[0]).not.toHaveProperty('SocialSecurityNumber');
    h.control.setKnobs({ hrRights: true });
    const withRights = await results(await h.get(`${NL}/payroll/Employees?${select}`, token));
    h.control.setKnobs({ hrRights: false });
    expect(withRights.results[0].BirthDate).toMatch(/^\/Date\(-?\d+\)\/$/);
  });

  it('bank accounts of suppliers carry valid IBANs', async () => {
    const suppliers = new Set(h.control.records(NL, 'Accounts').filter((a) => a.IsSupplier === true).map((a) => a.ID));
    const banks = await results(await h.get(`${NL}/crm/BankAccounts?$select=Account,IBAN,BICCode,Main`, token));
    expect(banks.results.some((b) => suppliers.has(b.Account as string))).toBe(true);
    for (const b of banks.results) {
      const iban = String(b.IBAN);
      const moved = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
      expect(BigInt(moved) % 97n, iban).toBe(1n);
    }
  });

  it('$metadata of the logistics service names the Item type with Exact’s Edm types', async () => {
    const xml = await (await h.get(`${NL}/logistics/$metadata`, token)).text();
    expect(xml).toContain('<EntityType Name="Item">');
    expect(xml).toContain('<Property Name="IsTime" Type="Edm.Byte"');
    expect(xml).toContain('<Property Name="IsSalesItem" Type="Edm.Boolean"');
  });
});

describe('Exact stand-in master data across a restart', () => {
  it('keeps a changed and a deleted item (and its sync/Deleted row) in its data folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'exact-master-'));
    try {
      const first = await startExact({ dataDir, master: { items: 30 } });
      const [changed, deleted] = first.control.masterRecords(NL, 'items');
      first.control.putMasterRecord(NL, 'items', { ID: changed.ID, Description: 'Gewijzigd artikel' });
      first.control.deleteMasterRecord(NL, 'items', String(deleted.ID));
      first.control.flush();
      await first.sandbox.close();
      const second = await startExact({ dataDir, master: { items: 30 } });
      try {
        const rows = second.control.masterRecords(NL, 'items');
        expect(rows).toHaveLength(29);
        expect(rows.find((r) => r.ID === changed.ID)?.Description).toBe('Gewijzigd artikel');
        const token = second.control.issueTokens().access_token;
        const gone = await results(await second.get(`${NL}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 9&$select=EntityKey`, token));
        expect(gone.results.map((r) => r.EntityKey)).toEqual([deleted.ID]);
      } finally {
        await second.sandbox.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
