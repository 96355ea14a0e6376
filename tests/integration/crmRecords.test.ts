import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmWrite } from '../../src/sync/ports';
import { createCrmTarget, type SharePointCrmList } from '../../src/crm/crmList';
import { provisionCrm } from '../../src/crm/provision';
import { CRM_LISTS } from '../../src/crm/schema';
import { startCrmSandbox, type CrmSandbox } from '../support/crmSupport';

const ITEMS = 10_000;
const exactId = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;

describe('record store through PnPjs against the SharePoint emulator', () => {
  let sandbox: CrmSandbox;
  let companies: SharePointCrmList;

  beforeAll(async () => {
    sandbox = await startCrmSandbox();
    const report = await provisionCrm(sandbox.sp);
    expect(report.problems).toEqual([]);
    companies = await createCrmTarget(sandbox.sp).openList(CRM_LISTS.companies);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('describes the list from the declared schema merged with the site', () => {
    expect(companies.missingFields).toEqual([]);
    const byName = new Map(companies.fields.map((f) => [f.internalName, f]));
    expect(byName.get('ExactId')).toMatchObject({ type: 'text', maxLength: 255 });
    expect(byName.get('CustomerStatus')?.choices).toEqual(['Customer', 'Prospect', 'Suspect', 'None']);
    expect(byName.get('Title')).toMatchObject({ required: true, type: 'text' });
    expect(byName.has('Created')).toBe(false);
  });

  it(`creates ${ITEMS} items in at most 110 HTTP requests`, async () => {
    const writes: CrmWrite[] = Array.from({ length: ITEMS }, (_, i) => ({
      kind: 'create',
      ref: `acc-${i}`,
      values: {
        Title: `Bedrijf ${i} B.V.`,
        ExactId: exactId(i),
        CustomerStatus: i % 2 === 0 ? 'Customer' : 'Prospect',
        CreditLine: i + 0.005,
        Website: 'https://example.nl',
        CustomerSince: '2025-03-01T00:00:00.000Z',
        Blocked: false,
      },
    }));
    sandbox.control.resetCounts();
    const results = await companies.write(writes);
    const counts = sandbox.control.counts();

    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.ref)).toEqual(writes.map((w) => w.ref));
    expect(new Set(results.map((r) => (r.ok ? r.id : 0))).size).toBe(ITEMS);
    expect(counts.total).toBeLessThanOrEqual(110);
    expect(counts.batches).toBe(ITEMS / 100);
    // Nothing but the $batch POSTs, plus at most one form digest request.
    expect(counts.total - counts.batches - (counts.byKind.contextinfo ?? 0)).toBe(0);
    expect(counts.byKind.contextinfo ?? 0).toBeLessThanOrEqual(1);
    expect(counts.batchParts).toBe(ITEMS);
    expect(sandbox.control.items(CRM_LISTS.companies)).toHaveLength(ITEMS);
  });

  it(`reads the key index of a ${ITEMS}-item list in at most 3 requests`, async () => {
    sandbox.control.resetCounts();
    const index = await companies.readItems(['ExactId', 'CreditLine', 'Website']);
    const counts = sandbox.control.counts();
    expect(index).toHaveLength(ITEMS);
    expect(counts.total).toBeLessThanOrEqual(3);
    expect(counts.byMethod).toEqual({ GET: counts.total });
    const first = index.find((item) => item.values.ExactId === exactId(0));
    expect(first?.values).toEqual({ ExactId: exactId(0), CreditLine: 0.01, Website: 'https://example.nl' });
    expect(first?.etag).toBeTruthy();
  });

  it('reads only the items of the given keys plus the unlinked ones, in one request on a big list', async () => {
    const [braced, unlinked] = sandbox.control.addItems(CRM_LISTS.companies, [
      { Title: 'Hand-made import', ExactId: `{${exactId(ITEMS + 1)}}` },
      { Title: 'No key yet' },
    ]);
    sandbox.control.resetCounts();
    const keys = [exactId(3), exactId(4).toUpperCase(), exactId(ITEMS + 1), exactId(ITEMS + 2)];
    const items = await companies.readItemsByKey('ExactId', keys, ['Title']);
    expect(sandbox.control.counts().total).toBe(1);
    const found = (items ?? []).map((i) => i.values.ExactId ?? `id ${i.id}`);
    expect(found).toEqual([exactId(3), exactId(4), `{${exactId(ITEMS + 1)}}`, `id ${unlinked}`]);
    expect((items ?? []).find((i) => i.id === braced)?.values.Title).toBe('Hand-made import');
    await companies.write([{ kind: 'delete', ref: 'b', id: braced }, { kind: 'delete', ref: 'u', id: unlinked }]);
  });

  it('detects an ETag conflict and reports it as a 412', async () => {
    const [item] = await companies.readItemsById([5], ['Title', 'City']);
    expect(item?.etag).toBeTruthy();
    const staleEtag = item.etag;
    const [first] = await companies.write([{ kind: 'update', ref: 'u1', id: 5, etag: staleEtag, values: { City: 'Utrecht' } }]);
    expect(first).toMatchObject({ ok: true, id: 5 });
    // Someone else's edit happened in between: the old ETag is no longer current.
    const [second] = await companies.write([{ kind: 'update', ref: 'u2', id: 5, etag: staleEtag, values: { City: 'Zwolle' } }]);
    expect(second).toMatchObject({ ref: 'u2', ok: false, status: 412 });
    expect(second.ok ? '' : second.message).toContain('Conflict: item 5 in "Companies" was changed by someone else');
    const [fresh] = await companies.readItemsById([5], ['City']);
    expect(fresh.values.City).toBe('Utrecht');
    expect(fresh.etag).not.toBe(staleEtag);
    if (first.ok) expect(first.etag).toBe(fresh.etag);
  });

  it('reports a failing $batch part on its own and commits the others', async () => {
    sandbox.control.resetCounts();
    const results = await companies.write([
      { kind: 'create', ref: 'new-a', values: { Title: 'Nieuw A', ExactId: exactId(ITEMS + 1) } },
      // Same key as the part before it: the unique index refuses this one only.
      { kind: 'create', ref: 'dup', values: { Title: 'Dubbel', ExactId: exactId(ITEMS + 1) } },
      { kind: 'update', ref: 'gone', id: 999_999, values: { City: 'Gouda' } },
      { kind: 'create', ref: 'new-b', values: { Title: 'Nieuw B', ExactId: exactId(ITEMS + 2) } },
    ]);
    expect(sandbox.control.counts().batches).toBe(1);
    expect(results.map((r) => [r.ref, r.ok])).toEqual([
      ['new-a', true],
      ['dup', false],
      ['gone', false],
      ['new-b', true],
    ]);
    const dup = results[1];
    if (dup.ok) throw new Error('expected failure');
    // SharePoint answers a unique-index violation with an error status (500, SPDuplicateValuesFoundException).
    expect(dup.status).toBeGreaterThanOrEqual(400);
    expect(dup.message).toContain('duplicate values');
    expect(dup.problems?.map((p) => p.field)).toEqual(['ExactId']);
    expect(results[2]).toMatchObject({ ok: false, status: 404 });
    const titles = sandbox.control.items(CRM_LISTS.companies).map((i) => i.values.Title);
    expect(titles).toEqual(expect.arrayContaining(['Nieuw A', 'Nieuw B']));
    expect(titles).not.toContain('Dubbel');
  });

  it('refuses values that do not fit before sending anything, naming the field', async () => {
    sandbox.control.resetCounts();
    const [result] = await companies.write([
      { kind: 'create', ref: 'bad', values: { Title: 'X', ExactId: exactId(ITEMS + 3), Blocked: 'ja', CustomerStatus: 'Klant' } },
    ]);
    expect(result).toMatchObject({ ref: 'bad', ok: false });
    if (result.ok) return;
    expect(result.problems?.map((p) => p.field)).toEqual(['Blocked', 'CustomerStatus']);
    // SharePoint's REST API would accept a create without the required Title; the layer does not.
    const [untitled] = await companies.write([{ kind: 'create', ref: 'untitled', values: { ExactId: exactId(ITEMS + 4) } }]);
    expect(untitled).toMatchObject({ ok: false, problems: [{ field: 'Title', reason: 'required: the column needs a value' }] });
    expect(sandbox.control.counts().batchParts).toBe(0);
  });

  it('rides out a throttled $batch (PnPjs retries the 429) and writes every part once', async () => {
    sandbox.control.resetCounts();
    sandbox.control.throttle({ next: 1, retryAfterSeconds: 0 });
    const writes: CrmWrite[] = Array.from({ length: 150 }, (_, i) => ({
      kind: 'update',
      ref: `t-${i}`,
      id: i + 1,
      values: { Phone: `030-${i}` },
    }));
    const results = await companies.write(writes);
    sandbox.control.clearThrottle();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const counts = sandbox.control.counts();
    expect(counts.throttled).toBe(1);
    expect(counts.batches).toBe(2);
    expect(counts.batchParts).toBe(150);
  });

  it('reports every part as failed, with the reason, when the $batch request itself fails', async () => {
    sandbox.control.throttle({ everyNth: 1, retryAfterSeconds: 0 });
    try {
      const results = await companies.write([
        { kind: 'update', ref: 'x1', id: 1, values: { Phone: '1' } },
        { kind: 'update', ref: 'x2', id: 2, values: { Phone: '2' } },
      ]);
      expect(results.map((r) => [r.ok, r.ok ? 0 : r.status])).toEqual([
        [false, 429],
        [false, 429],
      ]);
      expect(results[0].ok ? '' : results[0].message).toContain('the $batch request failed');
      expect(results[0].ok ? '' : results[0].message).toContain('throttled');
    } finally {
      sandbox.control.clearThrottle();
    }
    expect(sandbox.control.counts().batchParts).toBe(150);
  });

  it('reads items by id in batches of 100, leaving out ids that do not exist', async () => {
    const ids = [...Array.from({ length: 250 }, (_, i) => i + 1), 999_999];
    sandbox.control.resetCounts();
    const items = await companies.readItemsById(ids, ['ExactId']);
    expect(items.map((i) => i.id)).toEqual(ids.slice(0, 250));
    expect(sandbox.control.counts().batches).toBe(3);
  });

  it('deletes with an ETag and writes lookups as the target item id', async () => {
    const contacts = await createCrmTarget(sandbox.sp).openList(CRM_LISTS.contacts);
    expect(contacts.convert({ Company: 999_998 }).problems).toEqual([
      { field: 'Company', reason: 'lookup target missing: item 999998 does not exist in "Companies"', code: 'lookupMissing', args: [999_998, 'Companies'] },
    ]);
    const [created] = await contacts.write([
      { kind: 'create', ref: 'c1', values: { Title: 'Jan Jansen', ExactId: exactId(1), Company: 7 } },
    ]);
    if (!created.ok) throw new Error(created.message);
    const [read] = await contacts.readItemsById([created.id], ['Company', 'Title']);
    expect(read.values).toEqual({ Company: 7, Title: 'Jan Jansen' });
    const [deleted] = await contacts.write([{ kind: 'delete', ref: 'd1', id: created.id, etag: read.etag }]);
    expect(deleted).toMatchObject({ ok: true, id: created.id });
    expect(await contacts.readItemsById([created.id], ['Title'])).toEqual([]);
  });

  it('recycles items in a $batch (what undo uses, so a person can restore them) and reports a missing one', async () => {
    const contacts = await createCrmTarget(sandbox.sp).openList(CRM_LISTS.contacts);
    const [a, b] = await contacts.write([
      { kind: 'create', ref: 'r1', values: { Title: 'Piet Recycle', ExactId: exactId(9001) } },
      { kind: 'create', ref: 'r2', values: { Title: 'Kees Recycle', ExactId: exactId(9002) } },
    ]);
    if (!a.ok || !b.ok) throw new Error('setup failed');
    const results = await contacts.write([
      { kind: 'recycle', ref: 'r1', id: a.id },
      { kind: 'recycle', ref: 'gone', id: 999_997 },
      { kind: 'recycle', ref: 'r2', id: b.id },
    ]);
    expect(results.map((r) => [r.ref, r.ok])).toEqual([['r1', true], ['gone', false], ['r2', true]]);
    expect(results[1]).toMatchObject({ status: 404 });
    expect(await contacts.readItemsById([a.id, b.id], ['Title'])).toEqual([]);
  });
});
