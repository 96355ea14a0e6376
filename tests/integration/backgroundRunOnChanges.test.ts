/**
 * Issue 22's "done when", with nothing stubbed but the clock: an admin sets Companies to every 15
 * minutes and "run on changes" over the gateway's routes; the timer's scheduled run imports the
 * division as the connector's app (app-only SharePoint, Sites.Selected grant); someone edits an
 * account in the Exact stand-in, Exact calls the gateway back, and once the debounce window has
 * closed the queued run puts the change into the CRM list, with "changed in Exact" as the run's
 * trigger. No page is open: the engine runs in the gateway, started by its timer and queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedQueue } from '../../gateway/background/embeddedQueue';
import { poisonQueueName, pumpQueue, runQueueName, type MessageQueue } from '../../gateway/background/queue';
import { sandboxApp } from '../../sandbox/exact';
import { demoUsers } from '../../sandbox/idp';
import { startBackgroundHarness, type BackgroundHarness } from '../support/backgroundHarness';

describe('run on changes: an edit in Exact reaches the CRM without a page open', () => {
  let h: BackgroundHarness;
  let queue: MessageQueue;
  let poison: MessageQueue;
  const debounceMs = 20_000;

  beforeAll(async () => {
    h = await startBackgroundHarness({
      accounts: 15,
      background: (store, clock) => {
        queue = createEmbeddedQueue(store, runQueueName, clock);
        poison = createEmbeddedQueue(store, poisonQueueName, clock);
        return { queue, webhookSecret: sandboxApp.webhookSecret, budgetMs: 60_000, debounceMs };
      },
    });
  }, 120_000);
  afterAll(async () => h?.close());

  const drain = async (): Promise<void> => {
    const background = h.gateway.background!;
    while ((await pumpQueue({ queue, poison, visibilityMs: 120_000, handle: async (text) => void (await background.handleMessage(text)), onPoison: (text) => background.handlePoison(text) })) > 0);
  };

  it('schedules Companies every 15 minutes with run on changes, imports on the schedule, then follows an edit in Exact', async () => {
    await h.grant(['write']);
    const admin = await h.idp.issueAccessToken(demoUsers.admin);
    const saved = await fetch(`${h.sandbox.url}/gateway/background/schedules/companies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteUrl: h.siteUrl, profileName: 'Companies', topic: 'Accounts', division: h.division, spec: { cadence: { kind: 'minutes', minutes: 15 }, runOnChanges: true } }),
    });
    expect(saved.status).toBe(200);
    const { nextRunAt } = (await saved.json()) as { nextRunAt: number };
    await h.exact.settleWebhooks();
    expect(h.exact.webhookDeliveries()).toEqual([expect.objectContaining({ body: '', status: 200 })]);

    // The schedule's first run imports the division.
    h.clock.set(nextRunAt);
    expect(await h.gateway.background!.tick()).toBe(1);
    await drain();
    expect(h.sp.items('Companies')).toHaveLength(15);

    // An edit in Exact: the callback queues one run, which starts once the debounce window closed.
    const account = h.exact.records(h.division, 'Accounts')[3]!;
    h.exact.updateRecord(h.division, 'Accounts', String(account.ID), { City: 'Zwartsluis' });
    await h.exact.settleWebhooks();
    expect(h.exact.webhookDeliveries().filter((d) => d.body).map((d) => d.status)).toEqual([200]);
    const changedAt = h.clock.now();
    await drain();
    const item = () => h.sp.items('Companies').find((i) => String(i.values.ExactId).toLowerCase() === String(account.ID).toLowerCase());
    expect(item()?.values.City).not.toBe('Zwartsluis');
    h.clock.advance(debounceMs);
    await drain();
    expect(item()?.values.City).toBe('Zwartsluis');
    // Within a minute of the change (sandbox clock: the debounce window plus the run).
    expect(h.clock.now() - changedAt).toBeLessThan(60_000);
    const [latest, first] = await h.owner.engine.listRuns('companies');
    expect(latest).toMatchObject({ status: 'Completed', trigger: { kind: 'exactChange', topic: 'Accounts' } });
    expect(first).toMatchObject({ status: 'Completed', trigger: { kind: 'schedule' } });
    expect(h.sp.items('Companies')).toHaveLength(15);

    const listed = await fetch(`${h.sandbox.url}/gateway/background/schedules?siteUrl=${encodeURIComponent(h.siteUrl)}`, { headers: { authorization: `Bearer ${admin}` } });
    const body = (await listed.json()) as { schedules: Array<{ lastResult?: { outcome: string; trigger: { kind: string } } }> };
    expect(body.schedules[0]?.lastResult).toMatchObject({ outcome: 'finished', trigger: { kind: 'exactChange' } });
  }, 120_000);
});
