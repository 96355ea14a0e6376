import { describe, expect, it } from 'vitest';
import { documentOrderProfiles, documentOrderRuns } from '../../src/orders/stores';
import type { OrderRun } from '../../src/orders/ports';
import { MemoryDocuments } from '../support/memoryStores';

const run = (id: string, profileId: string, startedAt: string): OrderRun => ({ id, profileId, division: 1, user: 'anna', startedAt, finishedAt: null, status: 'running', entries: [], undo: [] });

describe('order profiles and runs in the Run Logs library', () => {
  it('one run holds a profile at a time; a released or stale claim no longer blocks', async () => {
    const documents = new MemoryDocuments();
    let now = 1_000_000;
    const runs = documentOrderRuns(documents, { now: () => now });
    expect(await runs.acquire('p', 'r1')).toBe(true);
    expect(await runs.acquire('p', 'r2')).toBe(false);
    expect(await runs.acquire('other', 'r3')).toBe(true);
    await runs.release('p', 'r1');
    expect(await runs.acquire('p', 'r2')).toBe(true);
    // r2 crashed without releasing: a look sees it live, a look half an hour later (unrenewed) takes it over.
    now += 31 * 60_000;
    expect(await runs.acquire('p', 'r4')).toBe(false);
    now += 31 * 60_000;
    expect(await runs.acquire('p', 'r5')).toBe(true);
  });

  it('two people who claim at once never both go, and one of them can go right after', async () => {
    for (let round = 0; round < 20; round++) {
      const documents = new MemoryDocuments();
      const runs = documentOrderRuns(documents, { now: () => 5 });
      const both = await Promise.all([runs.acquire('p', 'b-run'), runs.acquire('p', 'a-run')]);
      expect(both.filter(Boolean).length).toBeLessThanOrEqual(1);
      if (!both.some(Boolean)) expect(await runs.acquire('p', 'a-run')).toBe(true);
    }
    // One after the other: the first goes, the second is refused while the first holds it.
    const documents = new MemoryDocuments();
    const runs = documentOrderRuns(documents, { now: () => 5 });
    expect(await runs.acquire('p', 'first')).toBe(true);
    expect(await runs.acquire('p', 'second')).toBe(false);
  });

  it('saves and lists runs per profile, newest first, and reads back profiles with broken ones named', async () => {
    const documents = new MemoryDocuments();
    const runs = documentOrderRuns(documents, { now: () => 0 });
    await runs.save(run('a', 'p', '2026-12-01T09:00:00Z'));
    await runs.save(run('b', 'p', '2026-12-02T09:00:00Z'));
    await runs.save(run('c', 'q', '2026-12-03T09:00:00Z'));
    expect((await runs.list('p')).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await runs.get('a'))?.startedAt).toBe('2026-12-01T09:00:00Z');

    const profiles = documentOrderProfiles(documents);
    await profiles.save({ id: 'im', title: 'IM', division: 1, source: { kind: 'billingReport' }, target: { kind: 'exactGlobe' }, grouping: 'perCustomerPerPeriod', referencePrefix: 'IM', defaults: { vatCode: null, paymentCondition: null }, mapping: { customers: {}, products: {} } });
    await documents.write('orders/profiles/broken.json', '{"id":"broken","title":""}');
    const listed = await profiles.list();
    expect(listed.find((p) => p.id === 'im')).toMatchObject({ valid: true, profile: { title: 'IM' } });
    expect(listed.find((p) => p.id === 'broken')).toMatchObject({ valid: false, message: expect.stringContaining('title') });
  });
});
