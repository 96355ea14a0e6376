import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import type { MasterSourceId } from '../../src/sync/profile/masterDefaults';
import type { MasterDataset } from '../../sandbox/exact/endpoint';
import { wireConnector, type ConnectorWiring } from '../support/connector';

/**
 * Every master-data source end to end over both stand-ins: the default profile added in one step
 * (its list provisioned on demand), a first run that imports the division's records, an
 * incremental run after one change in Exact that reads only the change where Exact has sync/
 * (and everything where it has not), and a deletion reported per source: from sync/Deleted for
 * items, projects and employees, from a full compare for the others.
 */

interface Case {
  source: MasterSourceId;
  dataset: MasterDataset;
  change: Record<string, string | number>;
  /** Read by sync/: an incremental run reads only the change. */
  sync: boolean;
}

const cases: Case[] = [
  { source: 'vatCodes', dataset: 'vatCodes', change: { Description: 'Verkopen hoog tarief (21%)' }, sync: false },
  { source: 'items', dataset: 'items', change: { Description: 'Lenovo ThinkPad T14 Gen 6' }, sync: true },
  { source: 'paymentConditions', dataset: 'paymentConditions', change: { Description: '30 dagen netto' }, sync: false },
  { source: 'costCentres', dataset: 'costCenters', change: { Description: 'Servicedesk en support' }, sync: false },
  { source: 'projects', dataset: 'projects', change: { Description: 'Migratie naar Microsoft 365 fase 2' }, sync: true },
  { source: 'employees', dataset: 'employees', change: { BusinessPhone: '030-1234567' }, sync: true },
  { source: 'currencies', dataset: 'currencies', change: { Description: 'Amerikaanse dollar (USD)' }, sync: false },
  { source: 'bankAccounts', dataset: 'bankAccounts', change: { BankAccountHolderName: 'Nieuwe tenaamstelling' }, sync: false },
];

describe('master-data sources over the Exact and SharePoint stand-ins', () => {
  let w: ConnectorWiring;
  const clock = new TestClock(Date.UTC(2026, 11, 1, 9, 0, 0));

  beforeAll(async () => {
    w = await wireConnector({ clock, accounts: 40, master: { items: 70, projects: 12, employees: 8 } });
    // Projects link to companies, bank accounts to suppliers: those come first.
    await w.service.ensureDefaults(w.division);
    await w.engine.run('companies', { user: 'admin' });
    await w.service.addSourceDefault('suppliers', w.division);
    const suppliers = await w.engine.run('suppliers', { user: 'admin' });
    expect(suppliers.status).toBe('Completed');
    expect(suppliers.counts.created).toBe(w.exactControl.records(w.division, 'Accounts').filter((a) => a.IsSupplier === true).length);
  }, 120_000);
  afterAll(async () => {
    await w.sandbox.close();
  });

  it('a master-data list (Employees) does not exist until a profile targets it', async () => {
    await expect(w.crm.openList('Employees')).rejects.toThrow(/does not exist/);
  });

  for (const c of cases) {
    it(`${c.source}: added in one step, imported, changed, deleted`, async () => {
      const added = await w.service.addSourceDefault(c.source, w.division);
      expect(added).toHaveLength(1);
      const profile = added[0];
      const list = await w.crm.openList(profile.targetList);
      expect(list.fields.some((f) => f.internalName === 'ExactId')).toBe(true);
      const rows = w.exactControl.masterRecords(w.division, c.dataset);

      const preview = await w.engine.preview(profile.id);
      expect(preview.counts.created, JSON.stringify(preview.entries.filter((e) => e.action === 'error').slice(0, 2))).toBe(rows.length);

      const first = await w.engine.run(profile.id, { user: 'admin' });
      expect(first.status, first.message).toBe('Completed');
      expect(first.counts.created).toBe(rows.length);

      const key = c.dataset === 'currencies' ? 'Code' : 'ID';
      const target = rows.find((r) => r.Description !== 'Euro') ?? rows[0];
      clock.advance(60_000);
      w.exactControl.putMasterRecord(w.division, c.dataset, { [key]: target[key], ...c.change });
      const second = await w.engine.run(profile.id, { user: 'admin' });
      expect(second.counts.updated).toBe(1);
      expect(second.counts.read).toBe(c.sync ? 1 : rows.length);

      const gone = rows.find((r) => r[key] !== target[key]) ?? rows[1];
      w.exactControl.deleteMasterRecord(w.division, c.dataset, String(gone[key]));
      const third = await w.engine.run(profile.id, { user: 'admin' });
      expect(third.counts.flagged + third.counts.deleted, `${c.source}: the deletion is reported`).toBe(1);
      expect(third.counts.read).toBe(c.sync ? 0 : rows.length - 1);
    }, 120_000);
  }

  it('a read of everything that comes back empty flags nothing: an empty answer is no proof that every record went', async () => {
    // After the cases above the cost-centre profile exists and its list holds the division's cost centres.
    const list = await w.crm.openList('Cost Centres');
    const before = await list.readItems(['ExactId', 'DeletedInExact']);
    expect(before.length).toBeGreaterThan(0);
    for (const row of w.exactControl.masterRecords(w.division, 'costCenters')) w.exactControl.deleteMasterRecord(w.division, 'costCenters', String(row.ID));
    const profile = (await w.service.list()).find((p) => p.valid && p.profile.targetList === 'Cost Centres');
    if (!profile) throw new Error('the cost-centre profile is missing');
    const run = await w.engine.run(profile.id, { user: 'admin' });
    expect(run.counts.read).toBe(0);
    expect(run.counts.flagged + run.counts.deleted).toBe(0);
    const after = await list.readItems(['ExactId', 'DeletedInExact']);
    expect(after.map((i) => i.values.DeletedInExact === true)).toEqual(before.map((i) => i.values.DeletedInExact === true));
  }, 120_000);

  it('suppliers: bank accounts link to their supplier; a deleted supplier account is flagged by sync/Deleted', async () => {
    const suppliers = await (await w.crm.openList('Suppliers')).readItems(['ExactId']);
    const banks = await (await w.crm.openList('Bank Accounts')).readItems(['Supplier', 'ExactAccountId']);
    const supplierIds = new Set(suppliers.map((s) => s.id));
    const linked = banks.filter((b) => typeof b.values.Supplier === 'number');
    expect(linked.length).toBeGreaterThan(0);
    expect(linked.every((b) => supplierIds.has(b.values.Supplier as number))).toBe(true);
    // A customer's bank account is not left unlinked: it belongs to its company.
    const companies = await (await w.crm.openList('Companies')).readItems(['ExactId']);
    const companyByExactId = new Map(companies.map((c) => [String(c.values.ExactId).toLowerCase(), c.id]));
    const customerBanks = banks.filter((b) => b.values.Supplier === null);
    expect(customerBanks.length, 'the seed has customers with bank accounts').toBeGreaterThan(0);
    const withCompany = await (await w.crm.openList('Bank Accounts')).readItems(['Company', 'ExactAccountId']);
    for (const bank of withCompany.filter((b) => customerBanks.some((c) => c.id === b.id))) {
      expect(bank.values.Company, `bank account of ${String(bank.values.ExactAccountId)}`).toBe(companyByExactId.get(String(bank.values.ExactAccountId)));
    }
    const gone = w.exactControl.records(w.division, 'Accounts').find((a) => a.IsSupplier === true);
    w.exactControl.deleteRecord(w.division, 'Accounts', String(gone?.ID));
    const run = await w.engine.run('suppliers', { user: 'admin' });
    expect(run.counts.flagged).toBe(1);
    expect(run.counts.read).toBe(0);
  });

  it('adding a source twice, or by two admins at once, stores one profile and one list', async () => {
    expect(await w.service.addSourceDefault('items', w.division)).toEqual([]);
    const BE = w.exactControl.divisions[1].code;
    const [a, b] = await Promise.all([
      w.service.addSourceDefault('costCentres', BE, { divisionName: 'Peeters & Zonen BV' }),
      w.service.addSourceDefault('costCentres', BE, { divisionName: 'Peeters & Zonen BV' }),
    ]);
    expect([...a, ...b].map((p) => p.id)).toEqual([`cost-centres-${BE}`]);
    const stored = (await w.service.list()).filter((e) => e.valid && e.profile.targetList === 'Cost Centres' && e.profile.division === BE);
    expect(stored).toHaveLength(1);
  });

  it('items link to the VAT code of their own division; projects to their company, internal ones to none', async () => {
    const items = await (await w.crm.openList('Items')).readItems(['ExactCode', 'VatCode']);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => typeof i.values.VatCode === 'number')).toBe(true);
    const projects = await (await w.crm.openList('Projects')).readItems(['ExactCode', 'Company']);
    expect(projects.filter((p) => typeof p.values.Company === 'number').length).toBeGreaterThan(5);
    expect(projects.some((p) => p.values.Company === null)).toBe(true);
  });

  it('employees: birth dates Exact does not let the user read are a note, not an error, and stay as they are', async () => {
    const runs = await w.engine.listRuns('employees');
    const first = runs[runs.length - 1];
    expect(first.counts.failed).toBe(0);
    expect(first.profileProblems.map((p) => p.message).join(' ')).toMatch(/BirthDate is readable only for users with the right role/);
    const employees = await (await w.crm.openList('Employees')).readItems(['BirthDate']);
    expect(employees.every((e) => e.values.BirthDate === null)).toBe(true);
  });
});
