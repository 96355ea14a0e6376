/**
 * "Run on changes": the gateway subscribes the division at the Exact emulator, answers its
 * validation POST, checks every callback's HashCode, debounces a burst into one run, survives
 * callbacks twice and out of order, gets a callback it refused once again (the stand-in retries
 * like Exact), and removes its subscriptions on disconnect and re-creates them after a reconnect.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runQueueName } from '../../gateway/background/queue';
import type { EmbeddedStore } from '../../gateway/store/embedded';
import { contosoTenantId } from '../../sandbox/idp/users';
import { call, connectExact } from '../support/gatewayHarness';
import { siteUrl, startScheduleHarness, type ScheduleHarness } from '../support/scheduleHarness';

let harness: ScheduleHarness | undefined;
afterEach(async () => {
  await harness?.closeAll();
  harness = undefined;
});

const onChanges = { cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' }, runOnChanges: true };

async function followChanges(b: ScheduleHarness): Promise<void> {
  const saved = await call(b.h, '/gateway/background/schedules/companies', b.admin, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteUrl, profileName: 'Companies', topic: 'Accounts', division: b.division, spec: onChanges }),
  });
  expect(saved.status).toBe(200);
  await b.h.exact.settleWebhooks();
}

async function subscriptionsAtExact(b: ScheduleHarness): Promise<Array<{ ID: string; Topic: string; CallbackURL: string }>> {
  const { access_token } = b.h.exact.issueTokens();
  const response = await fetch(b.h.url(`/exact/api/v1/${b.division}/webhooks/WebhookSubscriptions`), { headers: { authorization: `Bearer ${access_token}`, accept: 'application/json' } });
  const body = (await response.json()) as { d: { results: Array<{ ID: string; Topic: string; CallbackURL: string }> } };
  return body.d.results;
}

const callbackPath = `/gateway/webhooks/exact/${contosoTenantId}/default`;

function signed(content: Record<string, unknown>, secret: string): string {
  const text = JSON.stringify(content);
  return `{"Content":${text},"HashCode":"${createHmac('sha256', secret).update(text).digest('hex').toUpperCase()}"}`;
}

const post = (b: ScheduleHarness, body: string) => fetch(b.h.url(callbackPath), { method: 'POST', headers: body ? { 'content-type': 'application/json' } : {}, body });

describe('Exact webhooks: run on changes', () => {
  it('subscribes the division, answers the validation POST, and turns a burst of changes into one run after the debounce window', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await followChanges(b);
    const [subscription] = await subscriptionsAtExact(b);
    expect(subscription).toMatchObject({ Topic: 'Accounts', CallbackURL: b.h.url(callbackPath) });
    expect(b.h.exact.webhookDeliveries()).toEqual([expect.objectContaining({ body: '', status: 200 })]);

    const accounts = b.h.exact.records(b.division, 'Accounts');
    for (const account of accounts.slice(0, 10)) b.h.exact.updateRecord(b.division, 'Accounts', String(account.ID), { City: 'Zwolle' });
    await b.h.exact.settleWebhooks();
    const changes = b.h.exact.webhookDeliveries().filter((d) => d.body);
    expect(changes).toHaveLength(10);
    expect(changes.every((d) => d.status === 200)).toBe(true);
    expect(await b.peek(runQueueName)).toEqual([expect.objectContaining({ profileId: 'companies', step: 0, trigger: { kind: 'exactChange', topic: 'Accounts' } })]);
    // Nothing visible before the window closes; then one run, started by the change.
    expect(await b.drain()).toBe(0);
    b.h.clock.advance(20_000);
    await b.drain();
    expect(b.chunks).toEqual([expect.objectContaining({ profileId: 'companies', trigger: { kind: 'exactChange', topic: 'Accounts' } })]);
    // A change after the window opens the next one.
    b.h.exact.updateRecord(b.division, 'Accounts', String(accounts[0]!.ID), { City: 'Kampen' });
    await b.h.exact.settleWebhooks();
    expect(await b.peek(runQueueName)).toHaveLength(1);
  });

  it('refuses a wrong or missing HashCode with 401 and queues nothing; callbacks twice and out of order give one run', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await followChanges(b);
    const content = { Topic: 'Accounts', ClientId: b.h.exact.app.clientId, Division: b.division, Action: 'Update', Key: 'a', ExactOnlineEndpoint: 'x', EventCreatedOn: '2026-11-23T09:00:01.000' };
    expect((await post(b, signed(content, 'another-secret'))).status).toBe(401);
    expect((await post(b, JSON.stringify({ Content: content }))).status).toBe(401);
    expect((await post(b, signed(content, b.h.exact.app.webhookSecret).replace('"Key":"a"', '"Key":"b"'))).status).toBe(401);
    expect(await b.peek(runQueueName)).toEqual([]);
    expect((await post(b, '')).status).toBe(200);
    const later = signed({ ...content, Key: 'b', EventCreatedOn: '2026-11-23T09:00:05.000' }, b.h.exact.app.webhookSecret);
    const earlier = signed(content, b.h.exact.app.webhookSecret);
    for (const body of [later, later, earlier, earlier]) expect((await post(b, body)).status).toBe(200);
    expect(await b.peek(runQueueName)).toHaveLength(1);
    // Another division's or topic's change is no profile's business.
    expect((await post(b, signed({ ...content, Division: 1 }, b.h.exact.app.webhookSecret))).status).toBe(200);
    expect((await post(b, signed({ ...content, Topic: 'Contacts' }, b.h.exact.app.webhookSecret))).status).toBe(200);
    expect(await b.peek(runQueueName)).toHaveLength(1);
  });

  it('a burst of 500 notifications (15 s of a bulk edit) gives one run', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await followChanges(b);
    const secret = b.h.exact.app.webhookSecret;
    const bodies = Array.from({ length: 500 }, (_, i) => signed({ Topic: 'Accounts', ClientId: b.h.exact.app.clientId, Division: b.division, Action: 'Update', Key: `k-${i}`, ExactOnlineEndpoint: 'x', EventCreatedOn: '2026-11-23T09:00:00.000' }, secret));
    for (let i = 0; i < bodies.length; i += 50) {
      const statuses = await Promise.all(bodies.slice(i, i + 50).map(async (body) => (await post(b, body)).status));
      expect(statuses.every((s) => s === 200)).toBe(true);
      b.h.clock.advance(1500);
    }
    expect(await b.peek(runQueueName)).toHaveLength(1);
    // Past the 20 s window, the next notification opens the next one.
    b.h.clock.advance(6000);
    expect((await post(b, bodies[0]!)).status).toBe(200);
    expect(await b.peek(runQueueName)).toHaveLength(2);
  });

  it('a callback the gateway refused once (its store failed) arrives again: Exact retries with a growing delay', async () => {
    let failLists = 0;
    harness = await startScheduleHarness({
      knobs: { webhookRetryMs: 20 },
      wrapStore: (store): EmbeddedStore => ({
        ...store,
        listBackground: (kind) => (kind === 'schedule' && failLists-- > 0 ? Promise.reject(new Error('store unavailable')) : store.listBackground(kind)),
      }),
    });
    const b = harness;
    await followChanges(b);
    failLists = 1;
    b.h.exact.updateRecord(b.division, 'Accounts', String(b.h.exact.records(b.division, 'Accounts')[0]!.ID), { City: 'Zwolle' });
    await b.h.exact.settleWebhooks();
    const attempts = b.h.exact.webhookDeliveries().filter((d) => d.body);
    expect(attempts.map((d) => d.status)).toEqual([500, 200]);
    expect(await b.peek(runQueueName)).toHaveLength(1);
  });

  it('disconnect removes the subscriptions at Exact; after a reconnect the timer subscribes again', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await followChanges(b);
    expect(await subscriptionsAtExact(b)).toHaveLength(1);
    expect((await call(b.h, '/gateway/connection', b.admin, { method: 'DELETE' })).status).toBe(200);
    expect(await subscriptionsAtExact(b)).toEqual([]);
    await b.h.gateway().background!.tick();
    expect(await subscriptionsAtExact(b)).toEqual([]);
    await connectExact(b.h, b.admin);
    await b.h.gateway().background!.tick();
    await b.h.exact.settleWebhooks();
    expect(await subscriptionsAtExact(b)).toEqual([expect.objectContaining({ Topic: 'Accounts' })]);
    // Switching "run on changes" off removes it.
    await call(b.h, '/gateway/background/schedules/companies', b.admin, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteUrl, profileName: 'Companies', topic: 'Accounts', division: b.division, spec: { ...onChanges, runOnChanges: false } }),
    });
    expect(await subscriptionsAtExact(b)).toEqual([]);
  });
});
