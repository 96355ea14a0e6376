import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MARGIN_MS, leaseNameOf, type ChunkOutcome, type ChunkRequest, type RunChunk } from '../../gateway/background/runChunk';
import { changeProfile } from '../support/profiles';
import { startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

/**
 * The profile's lease around a background chunk, where it can fail: it lapses while a chunk still
 * writes (the instance stalled, clocks apart) and another instance takes it; a continuation that
 * names a run of another profile than the lease it takes.
 */

const ACCOUNTS = 30;
const request = (h: BackgroundHarness, patch: Partial<ChunkRequest> = {}): ChunkRequest => ({
  siteUrl: h.siteUrl, profileId: 'companies', trigger: { kind: 'schedule' }, budgetMs: 60_000, ...patch,
});

async function runToEnd(runChunk: RunChunk, first: ChunkRequest, limit = 200): Promise<ChunkOutcome> {
  let next = first;
  for (let i = 0; i < limit; i++) {
    const outcome = await runChunk(next);
    if (outcome.kind !== 'continue') return outcome;
    next = { ...first, runId: outcome.runId };
  }
  throw new Error(`no end after ${limit} chunks`);
}

function companies(h: BackgroundHarness) {
  const keys = h.sp.list('Companies').items.map((i) => String(i.values.ExactId));
  return { count: keys.length, unique: new Set(keys).size };
}

async function freshSite(h: BackgroundHarness, batchSize: number): Promise<void> {
  await h.sp.reset();
  const { provisionCrm } = await import('../../src/crm/provision');
  const { createCrmSp, siteContext } = await import('../../src/crm/pnp');
  await provisionCrm(createCrmSp(siteContext(h.siteUrl), h.siteUrl));
  await h.owner.importProfiles.profiles.ensureDefaults(h.division);
  await changeProfile(h.owner.profileStore, 'companies', { batchSize });
  await h.grant(['write']);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('runChunk: the profile lease', () => {
  let h: BackgroundHarness;
  beforeAll(async () => {
    h = await startBackgroundHarness({ accounts: ACCOUNTS, unlimitedExact: true });
  }, 120_000);
  afterAll(async () => h?.close());

  it('a chunk whose lease lapsed and was taken by another instance stops writing (busy), and the run still ends once, complete', async () => {
    await freshSite(h, 3);
    h.sp.setLatency(40);
    const slow = h.runChunk({ leaseRenewMs: 50, apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const going = slow(request(h));
    await until(() => companies(h).count >= 3, 'the first writes');
    // The instance stalled past its lease; another takes it (a renewal between the two pushes it on, so try again).
    const name = leaseNameOf(h.siteUrl, 'companies');
    let thief: Awaited<ReturnType<typeof h.store.acquireLease>>;
    for (let i = 0; i < 5 && !thief; i++) {
      h.clock.advance(60_000 + LEASE_MARGIN_MS + 1000);
      thief = await h.store.acquireLease(name, 'instance-2/other', 10 * 60_000);
    }
    expect(thief).toBeDefined();
    const outcome = await going;
    const writtenWhenStopped = companies(h).count;
    h.sp.setLatency(0);
    await h.store.releaseLease(thief!);
    expect(outcome.kind).toBe('busy');
    expect(writtenWhenStopped).toBeLessThan(ACCOUNTS);
    const last = await runToEnd(h.runChunk({ instanceId: 'instance-2' }), request(h, { runId: outcome.runId }));
    expect(last).toMatchObject({ kind: 'finished', runId: outcome.runId, status: 'Completed' });
    expect(companies(h)).toEqual({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 120_000);

  it('a continuation naming another profile\'s run is refused: it would run beside that profile\'s own lease', async () => {
    await freshSite(h, 3);
    h.sp.setLatency(30);
    const runChunk = h.runChunk({ apply: { writeAheadBatches: 1, writeConcurrency: 1 } });
    const first = await runChunk(request(h, { budgetMs: 200 }));
    h.sp.setLatency(0);
    expect(first.kind).toBe('continue');
    const runId = (first as { runId: string }).runId;
    const before = companies(h).count;
    const wrong = await runChunk(request(h, { profileId: 'contacts', runId }));
    expect(wrong).toMatchObject({ kind: 'failed', runId });
    expect((wrong as { reason: string }).reason).toMatch(/belongs to profile companies, not contacts/);
    expect(companies(h).count).toBe(before);
    expect(await runToEnd(runChunk, request(h, { runId }))).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(companies(h)).toEqual({ count: ACCOUNTS, unique: ACCOUNTS });
  }, 120_000);
  it('a lease renewal still in flight when the chunk ends does not take the lease again after its release', async () => {
    await freshSite(h, 10);
    expect(await runToEnd(h.runChunk(), request(h))).toMatchObject({ kind: 'finished', status: 'Completed' });
    // A store whose renewals are slow to land (a storage round trip): the chunk's own first acquire is prompt.
    let calls = 0;
    const slowRenewals: typeof h.store = Object.create(h.store) as typeof h.store;
    slowRenewals.acquireLease = async (name, owner, ttlMs) => {
      if (calls++ > 0) await new Promise((r) => setTimeout(r, 300));
      return h.store.acquireLease(name, owner, ttlMs);
    };
    h.sp.setLatency(30);
    const outcome = await h.runChunk({ store: slowRenewals, leaseRenewMs: 20 })(request(h));
    h.sp.setLatency(0);
    expect(outcome).toMatchObject({ kind: 'finished', status: 'Completed' });
    expect(calls).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 400));
    const next = await h.store.acquireLease(leaseNameOf(h.siteUrl, 'companies'), 'instance-2/next', 60_000);
    expect(next).toBeDefined();
    await h.store.releaseLease(next!);
  }, 120_000);
});
