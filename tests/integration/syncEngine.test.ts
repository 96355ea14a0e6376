import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../src/sync/clock';
import type { CrmList, CrmTarget, FieldValue } from '../../src/sync/ports';
import { ReviewService } from '../../src/sync/journal/review';
import { renderReason } from '../../src/sync/journal/reasons';
import { wireConnector, type ConnectorWiring } from '../support/connector';
import { changeProfile, storedProfile } from '../support/profiles';

/**
 * The engine end to end over real HTTP: src/exact's record source against the Exact emulator,
 * src/crm's list, stores and document library through PnPjs against the SharePoint emulator.
 */

const ACCOUNTS = 12;
const COMPANY_FIELDS = ['Title', 'ExactId', 'ExactCode', 'KvkNumber', 'VatNumber', 'Email', 'Phone', 'Website', 'City', 'Postcode', 'CustomerStatus', 'CreditLine', 'DeletedInExact'];
const CONTACT_FIELDS = ['Title', 'FirstName', 'LastName', 'Email', 'Company', 'ExactId', 'ExactAccountId'];

async function snapshot(list: CrmList, fields: string[], keyOf?: (values: Record<string, FieldValue>) => string) {
  const items = await list.readItems(fields);
  const out: Record<string, Record<string, FieldValue>> = {};
  for (const item of items) out[keyOf ? keyOf(item.values) : String(item.values.ExactId)] = item.values;
  return out;
}

type Wiring = ConnectorWiring;

async function wire(options: { wrapCrm?: (crm: CrmTarget) => CrmTarget } = {}): Promise<Wiring> {
  let n = 0;
  const w = await wireConnector({
    clock: new TestClock(Date.UTC(2026, 10, 23, 9, 0, 0)),
    accounts: ACCOUNTS,
    wrapCrm: options.wrapCrm,
    newRunId: () => `it-run-${++n}`,
  });
  expect(w.provisioning.problems).toEqual([]);
  return w;
}

describe('sync engine over the Exact and SharePoint emulators', () => {
  let w: Wiring;

  beforeAll(async () => {
    w = await wire();
  }, 120_000);

  afterAll(async () => {
    await w?.sandbox.close();
  });

  it('ships default profiles that check clean against the real catalog and lists', async () => {
    const added = await w.service.ensureDefaults(w.division);
    expect(added.map((p) => p.id)).toEqual(['companies', 'contacts']);
    for (const p of added) expect(await w.service.check(p)).toEqual([]);
    expect((await w.service.list()).map((p) => p.id)).toEqual(['companies', 'contacts']);
  });

  it('previews without writing, then imports companies and contacts with exact counts and values', async () => {
    const accounts = w.exactControl.records(w.division, 'Accounts');
    const contacts = w.exactControl.records(w.division, 'Contacts');
    expect(accounts).toHaveLength(ACCOUNTS);
    const companiesList = await w.crm.openList('Companies');
    const contactsList = await w.crm.openList('Contacts');

    const preview = await w.engine.preview('companies');
    expect(preview.counts).toMatchObject({ read: ACCOUNTS, created: ACCOUNTS, failed: 0 });
    expect(await companiesList.readItems(['Title'])).toHaveLength(0);
    expect(await w.runs.list()).toHaveLength(0);

    const run = await w.engine.run('companies', { user: 'jeroen@contoso.nl' });
    expect(run.counts).toEqual({ read: ACCOUNTS, created: ACCOUNTS, updated: 0, skipped: 0, conflicts: 0, failed: 0, deleted: 0, flagged: 0 });
    expect(run.status).toBe('Completed');
    const companies = await snapshot(companiesList, COMPANY_FIELDS);
    const first = accounts[0];
    const item = companies[String(first.ID).toLowerCase()] ?? companies[String(first.ID)];
    expect(item.Title).toBe(String(first.Name).trim());
    expect(item.ExactCode).toBe(String(first.Code).trim());
    expect(item.Website).toBe(`https://${String(first.Website)}`);
    expect(item.CustomerStatus).toBe({ C: 'Customer', P: 'Prospect', S: 'Suspect', A: 'None' }[String(first.Status)]);

    const people = await w.engine.run('contacts', { user: 'jeroen@contoso.nl' });
    expect(people.counts).toMatchObject({ read: contacts.length, created: contacts.length, failed: 0 });
    const companyItems = await companiesList.readItems(['ExactId']);
    const idByKey = new Map(companyItems.map((i) => [String(i.values.ExactId).toLowerCase(), i.id]));
    const contactItems = await snapshot(contactsList, CONTACT_FIELDS);
    for (const c of contacts) {
      const ci = contactItems[String(c.ID).toLowerCase()] ?? contactItems[String(c.ID)];
      expect(ci.Company, `contact ${String(c.FullName)}`).toBe(idByKey.get(String(c.Account).toLowerCase()));
    }

    // The run record and its log are in the Sync Runs list and the Run Logs library.
    const stored = await w.runs.get(run.id);
    expect(stored?.counts.created).toBe(ACCOUNTS);
    // The CSV export is made from the stored log (runs keep no CSV file of their own).
    const csv = await w.engine.exportCsv(run.id, { separator: ',' });
    expect(csv.replace(/^\ufeff/, '').startsWith('Action,Outcome,Exact key')).toBe(true);
    const created = new Set((csv ?? '').split('\r\n').filter((l) => l.startsWith('create,written,')).map((l) => l.split(',')[2]));
    expect(created.size).toBe(ACCOUNTS);
  });

  it('running again changes nothing', async () => {
    const companiesList = await w.crm.openList('Companies');
    const before = await snapshot(companiesList, COMPANY_FIELDS);
    const again = await w.engine.run('companies', { user: 'a', full: true });
    expect(again.counts).toMatchObject({ read: ACCOUNTS, created: 0, updated: 0, skipped: ACCOUNTS, failed: 0, deleted: 0 });
    const people = await w.engine.run('contacts', { user: 'a' });
    expect(people.counts).toMatchObject({ read: 0, created: 0, updated: 0 });
    expect(await snapshot(companiesList, COMPANY_FIELDS)).toEqual(before);
  });

  it('picks up changes and deletions incrementally, and undo restores the lists exactly', async () => {
    const companiesList = await w.crm.openList('Companies');
    const contactsList = await w.crm.openList('Contacts');
    const before = await snapshot(companiesList, COMPANY_FIELDS);
    const accounts = w.exactControl.records(w.division, 'Accounts');
    w.exactControl.updateRecord(w.division, 'Accounts', String(accounts[1].ID), { City: 'Zwolle' });
    w.exactControl.deleteRecord(w.division, 'Accounts', String(accounts[2].ID));
    const run = await w.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ read: 1, created: 0, updated: 1, flagged: 1, deleted: 0, failed: 0 });
    const after = await snapshot(companiesList, COMPANY_FIELDS);
    expect(after[String(accounts[1].ID).toLowerCase()]?.City ?? after[String(accounts[1].ID)]?.City).toBe('Zwolle');
    expect(Object.values(after).filter((v) => v.DeletedInExact === true)).toHaveLength(1);

    const undo = await w.engine.undo(run.id, { user: 'b' });
    expect(undo.counts).toMatchObject({ updated: 1, flagged: 1, failed: 0 });
    expect(await snapshot(companiesList, COMPANY_FIELDS)).toEqual(before);

    // Undo the imports, newest first: both lists are empty again.
    const history = (await w.engine.listRuns()).filter((r) => r.mode !== 'Undo' && r.counts.created > 0);
    for (const r of history) await w.engine.undo(r.id, { user: 'b' });
    expect(await contactsList.readItems(['Title'])).toHaveLength(0);
    expect(await companiesList.readItems(['Title'])).toHaveLength(0);
  });
});

describe('linking CRM companies that have no key yet, over the emulators', () => {
  let w: Wiring;

  beforeAll(async () => {
    w = await wire();
    await w.service.ensureDefaults(w.division);
  }, 120_000);

  afterAll(async () => {
    await w?.sandbox.close();
  });

  it('links by KvK, sends a name+postcode tie to review instead of creating, and links on confirm', async () => {
    const accounts = w.exactControl.records(w.division, 'Accounts');
    const withKvk = accounts.find((a) => typeof a.ChamberOfCommerce === 'string' && a.ChamberOfCommerce.length >= 8);
    const other = accounts.find((a) => a !== withKvk);
    if (!withKvk || !other) throw new Error('seed has no account with a KvK number');
    const kvk = String(withKvk.ChamberOfCommerce);
    const list = await w.crm.openList('Companies');
    const seeded = await list.write([
      { kind: 'create', ref: 'kvk', values: { Title: 'Oude naam', KvkNumber: `${kvk.slice(0, 4)} ${kvk.slice(4)}` } },
      { kind: 'create', ref: 'tie1', values: { Title: `${String(other.Name).toUpperCase()}`, Postcode: String(other.Postcode).replace(' ', '') } },
      { kind: 'create', ref: 'tie2', values: { Title: String(other.Name), Postcode: String(other.Postcode) } },
    ]);
    const ids = seeded.map((r) => (r.ok ? r.id : -1));
    expect(ids.every((id) => id > 0)).toBe(true);

    const run = await w.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ read: ACCOUNTS, created: ACCOUNTS - 2, updated: 1, conflicts: 1, failed: 0 });
    const items = await list.readItemsById(ids, ['Title', 'ExactId']);
    expect(items[0].values).toMatchObject({ ExactId: String(withKvk.ID), Title: String(withKvk.Name) });
    expect(items[1].values.ExactId ?? null).toBeNull();
    expect(items[2].values.ExactId ?? null).toBeNull();
    expect(await list.readItems(['Title'])).toHaveLength(ACCOUNTS + 1);

    const review = new ReviewService({ documents: w.documents, crm: w.crm, clock: new TestClock(0) });
    const [pending] = await review.list('companies', 'pending');
    expect(pending).toMatchObject({ exactKey: String(other.ID).toLowerCase() });
    expect(renderReason(pending.reason)).toBe('awaiting review: 2 CRM items match on nameAndPostcode');
    expect(pending.candidates.map((c) => c.itemId).sort()).toEqual([ids[1], ids[2]].sort());

    const profile = await storedProfile(w.profiles, 'companies');
    expect((await review.confirm(profile, String(other.ID), ids[2], { user: 'admin', linkNow: true })).linked).toBe(true);
    const next = await w.engine.run('companies', { user: 'a', full: true });
    expect(next.counts).toMatchObject({ created: 0, conflicts: 0, failed: 0 });
    expect((await list.readItemsById([ids[2]], ['ExactId']))[0].values.ExactId).toBe(String(other.ID));
    expect(await list.readItems(['Title'])).toHaveLength(ACCOUNTS + 1);
  });

  it('Import leaves matches alone; Update updates only matches', async () => {
    const accounts = w.exactControl.records(w.division, 'Accounts');
    w.exactControl.updateRecord(w.division, 'Accounts', String(accounts[3].ID), { Phone: '010-1234567' });
    await changeProfile(w.profiles, 'companies', { mode: 'Import' });
    const imp = await w.engine.preview('companies');
    expect(imp.counts).toMatchObject({ read: 1, created: 0, updated: 0, skipped: 1 });
    await changeProfile(w.profiles, 'companies', { mode: 'Update' });
    const run = await w.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ read: 1, created: 0, updated: 1, skipped: 0, failed: 0 });
    const log = await w.engine.readLog(run.id);
    expect(log[0].changes.map((c) => c.field)).toContain('Phone');
    expect((await w.engine.run('companies', { user: 'a' })).counts).toMatchObject({ read: 0, updated: 0 });
  });
});

/** A browser tab that closes during a `$batch`: before it is sent, or after SharePoint applied it but before the answer arrived. */
class ClosingTab implements CrmTarget {
  public writeCalls = 0;
  public closeAt: { call: number; when: 'before' | 'after' } | undefined;

  public constructor(private readonly inner: CrmTarget) {}

  public async openList(title: string): Promise<CrmList> {
    const list = await this.inner.openList(title);
    return {
      title: list.title,
      fields: list.fields,
      readItems: (fields) => list.readItems(fields),
      readItemsByKey: (keyField, keys, fields) => list.readItemsByKey(keyField, keys, fields),
      readItemsById: (ids, fields) => list.readItemsById(ids, fields),
      convert: (values) => list.convert(values),
      write: async (writes) => {
        this.writeCalls++;
        const close = this.closeAt && this.closeAt.call === this.writeCalls ? this.closeAt : undefined;
        if (close) this.closeAt = undefined;
        if (close?.when === 'before') throw new Error('tab closed');
        const results = await list.write(writes);
        if (close) throw new Error('tab closed');
        return results;
      },
    };
  }
}

describe('a run interrupted at a batch resumes over the emulators without duplicates or losses', () => {
  let w: Wiring;
  let tab: ClosingTab | undefined;

  beforeAll(async () => {
    w = await wire({ wrapCrm: (crm) => (tab = new ClosingTab(crm)) });
    await w.service.ensureDefaults(w.division);
    await changeProfile(w.profiles, 'companies', { batchSize: 5 });
  }, 120_000);

  afterAll(async () => {
    await w?.sandbox.close();
  });

  it('ends where an uninterrupted run ends, and its log undoes everything it wrote', async () => {
    const list = await w.crm.openList('Companies');
    const reference = await w.engine.run('companies', { user: 'a' });
    expect(reference.checkpoint.batchesCompleted).toBe(3);
    const expected = await snapshot(list, COMPANY_FIELDS);
    await w.engine.undo(reference.id, { user: 'a' });
    expect(await list.readItems(['Title'])).toHaveLength(0);

    for (const closeAt of [
      { call: 1, when: 'after' as const },
      { call: 2, when: 'before' as const },
      { call: 2, when: 'after' as const },
      { call: 3, when: 'after' as const },
    ]) {
      if (!tab) throw new Error('no tab');
      tab.writeCalls = 0;
      tab.closeAt = closeAt;
      await expect(w.engine.run('companies', { user: 'a' })).rejects.toThrow('tab closed');
      const unfinished = (await w.runs.list('companies')).find((r) => r.status === 'Running');
      expect(unfinished, `unfinished run after closing at ${JSON.stringify(closeAt)}`).toBeDefined();
      const resumed = await w.engine.resume(unfinished?.id ?? '');
      expect(resumed.counts, JSON.stringify(closeAt)).toEqual(reference.counts);
      expect(await snapshot(list, COMPANY_FIELDS)).toEqual(expected);
      expect(await list.readItems(['Title'])).toHaveLength(ACCOUNTS);
      const undo = await w.engine.undo(resumed.id, { user: 'a' });
      expect(undo.counts).toMatchObject({ deleted: ACCOUNTS, failed: 0 });
      expect(await list.readItems(['Title'])).toHaveLength(0);
    }
  });
});

describe('what a run costs in SharePoint requests over the emulators', () => {
  let w: Wiring;

  beforeAll(async () => {
    w = await wire();
    await w.service.ensureDefaults(w.division);
    await w.engine.run('companies', { user: 'a' });
  }, 120_000);

  afterAll(async () => {
    await w?.sandbox.close();
  });

  it('an incremental run that writes: reads, then the run record with its first write-ahead document, the batch, and the end in one request', async () => {
    const account = w.exactControl.records(w.division, 'Accounts')[0];
    w.exactControl.updateRecord(w.division, 'Accounts', String(account.ID), { City: 'Zwolle' });
    w.spControl.resetCounts();
    const run = await w.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ read: 1, updated: 1, failed: 0 });
    const counts = w.spControl.counts();
    // items: the profile, the unfinished runs; batch: state + review, the changed items by key,
    // begin (record, running runs, write-ahead document), the writes, finish (log, state, record).
    expect(counts.byKind).toEqual({ items: 2, fields: 1, batch: 5 });
    expect(counts.total).toBe(8);
    expect((await w.runs.get(run.id))?.status).toBe('Completed');
    expect((await w.engine.readLog(run.id)).filter((e) => e.outcome === 'written')).toHaveLength(1);
  });

  it('a run with nothing to write saves its record once, finished', async () => {
    w.spControl.resetCounts();
    const run = await w.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ read: 0, updated: 0 });
    // the profile, the unfinished runs, state + review, the columns, the finished record
    expect(w.spControl.counts()).toMatchObject({ total: 5, byKind: { items: 3, fields: 1, batch: 1 } });
  });
});
