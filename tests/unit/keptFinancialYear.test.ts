/**
 * The financial years an admin confirmed outlive a disconnect (issue 21 point 10), but only for
 * the same administrations: after a disconnect, a connect with another company's Exact login
 * must not show that company's books as "confirmed" with the previous company's year start.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../gateway/store/embedded';
import type { ConnectionRecord } from '../../gateway/store/types';
import { financialYearsFor, keepSettings, takeKeptSettings } from '../../gateway/routes/keptSettings';
import { TestClock } from '../../src/sync/clock';

const now = Date.UTC(2026, 11, 7);
const connection = (divisions: number[], years: Pick<ConnectionRecord, 'financialYearStart' | 'financialYearStarts'>): ConnectionRecord => ({
  tenantId: 'tenant-a',
  connectionId: 'default',
  status: 'connected',
  exactBaseUrl: 'https://start.exactonline.nl',
  region: 'nl',
  exactUser: { userId: 'u', userName: 'u', fullName: 'U' },
  divisions: divisions.map((code) => ({ code, description: `Division ${code}` })),
  division: divisions[0] ?? null,
  connectedAt: now,
  connectedBy: 'admin',
  recentErrors: [],
  ...years,
  updatedAt: now,
});

describe('financial years kept across a disconnect', () => {
  it('come back for the same administrations, once', async () => {
    const store = createEmbeddedStore({ clock: new TestClock(now) });
    await keepSettings(store, connection([101, 202], { financialYearStart: '04-01', financialYearStarts: { '202': '07-01' } }), now);
    expect(await takeKeptSettings(store, { tenantId: 'tenant-a', connectionId: 'default', codes: [101, 202] })).toEqual({ financialYearStart: '04-01', financialYearStarts: { '202': '07-01' } });
    expect(await takeKeptSettings(store, { tenantId: 'tenant-a', connectionId: 'default', codes: [101, 202] })).toBeUndefined();
  });

  it('do not carry over to another company’s administrations, nor to another tenant', async () => {
    const store = createEmbeddedStore({ clock: new TestClock(now) });
    await keepSettings(store, connection([101, 202], { financialYearStart: '04-01', financialYearStarts: { '202': '07-01' } }), now);
    expect(await takeKeptSettings(store, { tenantId: 'tenant-b', connectionId: 'default', codes: [101, 202] })).toBeUndefined();
    expect(await takeKeptSettings(store, { tenantId: 'tenant-a', connectionId: 'default', codes: [909] })).toEqual({});
  });

  it('keep only what still applies when a login reaches some of the administrations', () => {
    const saved = { financialYearStart: '04-01', financialYearStarts: { '101': '01-01', '202': '07-01' }, divisions: [101, 202] };
    expect(financialYearsFor(saved, [202, 303])).toEqual({ financialYearStart: '04-01', financialYearStarts: { '202': '07-01' } });
    expect(financialYearsFor(saved, [303])).toEqual({});
  });
});
