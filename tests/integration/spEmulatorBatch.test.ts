import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSp, type SpHarness } from '../support/spEmulatorHelpers';

let h: SpHarness;
beforeAll(async () => {
  h = await startSp({ inMemory: true });
});
afterAll(async () => h.sandbox.close());
beforeEach(async () => {
  await h.control.reset();
  h.control.clearThrottle();
  await h.sp.web.lists.add('Companies');
  await h.sp.web.lists.getByTitle('Companies').fields.addNumber('Employees');
  h.control.resetCounts();
});

describe('$batch', () => {
  it('runs reads and changesets in one request, commits the good parts and reports the failing one', async () => {
    const list = h.sp.web.lists.getByTitle('Companies');
    const seeded = await list.items.add({ Title: 'Seed', Employees: 1 });
    await list.items.getById(seeded.Id).update({ Employees: 2 }); // now at version 2
    h.control.resetCounts();

    const [batched, execute] = h.sp.batched();
    const blist = batched.web.lists.getByTitle('Companies');
    const settle = (p: Promise<unknown>) => p.then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, value: error }));
    const addA = settle(blist.items.add({ Title: 'A', Employees: 10 }));
    const stale = settle(blist.items.getById(seeded.Id).update({ Employees: 99 }, '"1"'));
    const read = settle(blist.items.select('Id', 'Title').orderBy('Id')());
    const addB = settle(blist.items.add({ Title: 'B', Employees: 20 }));
    const fresh = settle(blist.items.getById(seeded.Id).update({ Title: 'Seed 2' }, '"2"'));
    await execute();

    expect(await stale).toMatchObject({ ok: false, value: { status: 412 } });
    expect(String(((await stale).value as Error).message)).toContain('does not match the object');
    expect(await addA).toMatchObject({ ok: true, value: { Title: 'A', Id: 2 } });
    expect(await read).toMatchObject({ ok: true, value: [{ Id: 1, Title: 'Seed' }, { Id: 2, Title: 'A' }] });
    expect(await addB).toMatchObject({ ok: true, value: { Title: 'B', Id: 3 } });
    expect(await fresh).toEqual({ ok: true, value: { etag: '"3"' } });
    const counts = h.control.counts();
    expect(counts.batches).toBe(1);
    expect(counts.batchParts).toBe(5);
    expect(counts.byKind.batch).toBe(1);
    const titles = h.control.items('Companies').map((i) => `${String(i.values.Title)}:${String(i.values.Employees)}`);
    expect(titles).toEqual(['Seed 2:2', 'A:10', 'B:20']);
  });

  it('splits more than 20 requests into several $batch calls', async () => {
    const [batched, execute] = h.sp.batched();
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) {
      void batched.web.lists.getByTitle('Companies').items.add({ Title: `Row ${i}` }).then((r: { Id: number }) => ids.push(r.Id));
    }
    await execute();
    expect(ids).toHaveLength(45);
    expect(h.control.counts()).toMatchObject({ batches: 3, batchParts: 45 });
  });
});

describe('throttling', () => {
  it('answers 429 with Retry-After and PnPjs retries', async () => {
    h.control.throttle({ next: 2, retryAfterSeconds: 0 });
    const web = await h.sp.web.select('Title')();
    expect(web.Title).toBe('CRM');
    expect(h.control.counts()).toMatchObject({ total: 3, throttled: 2 });

    h.control.throttle({ next: 5, retryAfterSeconds: 0 });
    await expect(h.sp.web()).rejects.toMatchObject({ status: 429 });
  });

  it('can answer 503 (retried) or 500 (not retried) instead', async () => {
    h.control.throttle({ next: 1, status: 503, retryAfterSeconds: 0 });
    expect((await h.sp.web.select('Title')()).Title).toBe('CRM');
    h.control.throttle({ next: 1, status: 500 });
    await expect(h.sp.web.select('Title')()).rejects.toMatchObject({ status: 500 });
    expect((await h.sp.web.select('Title')()).Title).toBe('CRM');
    expect(h.control.counts()).toMatchObject({ total: 4, throttled: 2 });
  });

  it('can throttle every Nth request', async () => {
    h.control.throttle({ everyNth: 2, retryAfterSeconds: 0 });
    for (let i = 0; i < 3; i++) await h.sp.web.select('Title')();
    expect(h.control.counts()).toMatchObject({ total: 5, throttled: 2 });
  });
});
