import { describe, expect, it } from 'vitest';
import { accountId, DIVISION } from '../support/memoryExact';
import { memoryHarness } from '../support/memoryHarness';
import { changeProfile, storedProfile } from '../support/profiles';

/**
 * Keep CRM edits after a write whose answer was lost: SharePoint applied it, the run logged it
 * as failed. The next run finds the CRM holding Exact's value; a later change in Exact must
 * then be written, not kept as if it were a CRM edit (found by the chaos suite).
 */
function itemOf(snapshot: Record<number, Record<string, unknown>>, key: string): number {
  return Number(Object.entries(snapshot).find(([, v]) => String(v.ExactId).toLowerCase() === key.toLowerCase())?.[0]);
}

describe('keep CRM edits after a lost write answer', () => {
  it('a later Exact change reaches an item whose earlier value arrived without a recorded write', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const key = accountId(2);
    const list = h.crm.list('Companies');
    const itemId = itemOf(list.snapshot(), key);

    h.exact.upsert(DIVISION, 'Account', { ID: key, Email: 'first@example.nl' });
    // The write lands in SharePoint, but the run only hears that it failed.
    h.crm.reject = (_list, write) => {
      if (write.ref.toLowerCase() !== key.toLowerCase()) return undefined;
      list.edit(itemId, { Email: 'first@example.nl' });
      return 'the connection dropped after SharePoint applied the write';
    };
    expect((await h.engine.run('companies', { user: 'admin' })).counts.failed).toBe(1);
    h.crm.reject = undefined;
    expect((await h.engine.run('companies', { user: 'admin' })).counts).toMatchObject({ failed: 0, updated: 0 });

    h.exact.upsert(DIVISION, 'Account', { ID: key, Email: 'second@example.nl' });
    const run = await h.engine.run('companies', { user: 'admin' });
    expect(run.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(list.snapshot()[itemId].Email).toBe('second@example.nl');
  });

  it('a real CRM edit is still kept', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const key = accountId(3);
    const list = h.crm.list('Companies');
    const itemId = itemOf(list.snapshot(), key);
    list.edit(itemId, { Email: 'sales-typed-this@example.nl' });
    h.exact.upsert(DIVISION, 'Account', { ID: key, Email: 'exact@example.nl' });
    const run = await h.engine.run('companies', { user: 'admin' });
    expect((await h.engine.readLog(run.id)).find((e) => e.itemId === itemId)?.kept).toEqual(['Email']);
    expect(list.snapshot()[itemId].Email).toBe('sales-typed-this@example.nl');
  });

  it('the state remembers only fields that keep CRM edits; one that starts keeping them is written until a full read, then protected', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const state = () => JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}') as { tracked?: string[]; written: Record<string, Record<string, unknown>> };
    // The default companies profile keeps CRM edits of Email and Phone.
    expect(new Set(Object.values(state().written).flatMap((v) => Object.keys(v)))).toEqual(new Set(['Email', 'Phone']));
    expect(state().tracked).toEqual(['Email', 'Phone']);

    const profile = await storedProfile(h.profiles, 'companies');
    await changeProfile(h.profiles, 'companies', { mappings: profile.mappings.map((m) => (m.target === 'City' ? { ...m, keepCrmEdits: true } : m)) });
    const key = accountId(2);
    const list = h.crm.list('Companies');
    const itemId = itemOf(list.snapshot(), key);
    // No run remembered what it wrote to City: the CRM value is not taken for an edit.
    h.exact.upsert(DIVISION, 'Account', { ID: key, City: 'Amersfoort' });
    expect((await h.engine.run('companies', { user: 'admin' })).counts).toMatchObject({ updated: 1, failed: 0 });
    expect(list.snapshot()[itemId].City).toBe('Amersfoort');
    expect(state().tracked).toEqual(['Email', 'Phone']);

    // A full read compares every record and covers City from then on: a CRM edit is kept.
    await h.engine.run('companies', { user: 'admin', full: true });
    expect(state().tracked).toEqual(['City', 'Email', 'Phone']);
    list.edit(itemId, { City: 'Typed in the CRM' });
    h.exact.upsert(DIVISION, 'Account', { ID: key, City: 'Utrecht' });
    const run = await h.engine.run('companies', { user: 'admin' });
    expect((await h.engine.readLog(run.id)).find((e) => e.itemId === itemId)?.kept).toEqual(['City']);
    expect(list.snapshot()[itemId].City).toBe('Typed in the CRM');
  });

  it('a full read whose write to one item fails still covers the field: that item gets the CRM value as remembered, and Exact reaches it next time', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const state = () => JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}') as { tracked?: string[]; written: Record<string, Record<string, unknown>> };
    const profile = await storedProfile(h.profiles, 'companies');
    await changeProfile(h.profiles, 'companies', { mappings: profile.mappings.map((m) => (m.target === 'City' ? { ...m, keepCrmEdits: true } : m)) });
    const key = accountId(2);
    const list = h.crm.list('Companies');
    const itemId = itemOf(list.snapshot(), key);
    const cityBefore = list.snapshot()[itemId].City;
    h.exact.upsert(DIVISION, 'Account', { ID: key, City: 'Amersfoort' });
    h.crm.reject = (_list, write) => (write.kind === 'update' && write.id === itemId ? 'throttled' : undefined);
    expect((await h.engine.run('companies', { user: 'admin', full: true })).counts).toMatchObject({ failed: 1 });
    h.crm.reject = undefined;
    expect(state().tracked).toEqual(['City', 'Email', 'Phone']);
    expect(state().written[key]?.City).toBe(cityBefore);
    await h.engine.run('companies', { user: 'admin', full: true });
    expect(list.snapshot()[itemId].City).toBe('Amersfoort');
  });

  it('a filtered profile covers a newly protected field too, for items its filter leaves out', async () => {
    const h = memoryHarness();
    await h.engine.run('companies', { user: 'admin' });
    const state = () => JSON.parse(h.documents.files.get('profiles/companies/state.json') ?? '{}') as { tracked?: string[]; written: Record<string, Record<string, unknown>> };
    const profile = await storedProfile(h.profiles, 'companies');
    const keyOut = accountId(2);
    const list = h.crm.list('Companies');
    const outside = itemOf(list.snapshot(), keyOut);
    await changeProfile(h.profiles, 'companies', {
      source: { ...profile.source, filter: `ID ne guid'${keyOut}'` },
      mappings: profile.mappings.map((m) => (m.target === 'City' ? { ...m, keepCrmEdits: true } : m)),
    });
    await h.engine.run('companies', { user: 'admin', full: true });
    expect(state().tracked).toEqual(['City', 'Email', 'Phone']);
    expect(state().written[keyOut]?.City).toBe(list.snapshot()[outside].City);
  });
});
