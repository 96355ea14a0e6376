/**
 * Background runs through the real gateway (HTTP on 127.0.0.1, the Exact emulator, the embedded
 * store and its queue table): admin-only schedule routes, the timer's dispatch, chunks with
 * continuations, exactly once for duplicate messages and across two instances, poison → the run
 * closed as failed with its reason (and posted to Teams).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runQueueName, poisonQueueName, type RunMessage } from '../../gateway/background/queue';
import { scheduleId } from '../../gateway/background/records';
import { contosoTenantId } from '../../sandbox/idp/users';
import { call } from '../support/gatewayHarness';
import { chunkBudgetMs, siteUrl, startScheduleHarness, type ScheduleHarness } from '../support/scheduleHarness';

let harness: ScheduleHarness | undefined;
afterEach(async () => {
  await harness?.closeAll();
  harness = undefined;
});

const minutes = (n: number) => n * 60_000;
const officeHours = { cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' } };

async function putSchedule(b: ScheduleHarness, token: string, spec: unknown, extra: Record<string, unknown> = {}): Promise<Response> {
  return call(b.h, '/gateway/background/schedules/companies', token, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteUrl, profileName: 'Companies', topic: 'Accounts', division: b.division, spec, ...extra }),
  });
}

interface ScheduleView {
  profileId: string;
  nextRunAt?: number;
  lastResult?: { outcome: string; status?: string; reason?: string; runId?: string; trigger: { kind: string } };
  attention: boolean;
}

async function schedules(b: ScheduleHarness): Promise<{ schedules: ScheduleView[]; paused: boolean }> {
  const response = await call(b.h, `/gateway/background/schedules?siteUrl=${encodeURIComponent(siteUrl)}`, b.admin);
  expect(response.status).toBe(200);
  return (await response.json()) as { schedules: ScheduleView[]; paused: boolean };
}

const message = (b: ScheduleHarness, patch: Partial<RunMessage> = {}): string =>
  JSON.stringify({ tenantId: contosoTenantId, connectionId: 'default', siteUrl, profileId: 'companies', key: 'schedule:test:1', step: 0, trigger: { kind: 'schedule' }, ...patch } satisfies RunMessage);

describe('background runs in the gateway', () => {
  it('schedules are for admins only, checked field by field, and say when they next run', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    expect((await call(b.h, '/gateway/background/schedules', b.sales)).status).toBe(403);
    expect((await putSchedule(b, b.sales, officeHours)).status).toBe(403);
    const tooOften = await putSchedule(b, b.admin, { cadence: { kind: 'minutes', minutes: 5 } });
    expect(tooOften.status).toBe(400);
    expect(((await tooOften.json()) as { message: string }).message).toBe('Field spec.cadence.minutes: at least every 15 minutes');
    const saved = await putSchedule(b, b.admin, officeHours);
    expect(saved.status).toBe(200);
    // The harness starts on Monday 23 November 2026, 10:00 in Amsterdam.
    const [listed] = (await schedules(b)).schedules;
    expect(listed).toMatchObject({ profileId: 'companies', nextRunAt: b.h.clock.now() + minutes(15), attention: false });
    const teams = await call(b.h, '/gateway/background/settings', b.admin, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ teamsWebhookUrl: 'http://teams.example.com/hook' }) });
    expect(teams.status).toBe(400);
  });

  it('the timer queues one message per due run; chunks continue the same run until it finishes', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await putSchedule(b, b.admin, officeHours);
    const background = b.h.gateway().background!;
    expect(await background.tick()).toBe(0);
    b.h.clock.advance(minutes(15));
    b.script.next = async (request, index) => (index < 2 ? { kind: 'continue', runId: request.runId ?? 'run-a' } : { kind: 'finished', runId: request.runId!, status: 'Completed' });
    expect(await background.tick()).toBe(1);
    expect(await background.tick()).toBe(0);
    await b.drain();
    expect(b.chunks.map((c) => c.runId)).toEqual([undefined, 'run-a', 'run-a']);
    expect(b.chunks.every((c) => c.budgetMs === chunkBudgetMs && c.trigger.kind === 'schedule' && c.profileId === 'companies' && c.siteUrl === siteUrl)).toBe(true);
    const [after] = (await schedules(b)).schedules;
    expect(after?.lastResult).toMatchObject({ outcome: 'finished', status: 'Completed', runId: 'run-a', trigger: { kind: 'schedule' } });
    expect(after?.nextRunAt).toBe(b.h.clock.now() + minutes(15));
    expect(await b.peek(runQueueName)).toEqual([]);
  });

  it('the same queue message twice runs its chunk once; a redelivery whose continuation was lost sends it', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await putSchedule(b, b.admin, officeHours);
    const background = b.h.gateway().background!;
    expect(await background.handleMessage(message(b))).toBe('ran');
    expect(await background.handleMessage(message(b))).toBe('duplicate');
    expect(b.chunks).toHaveLength(1);

    // A continuation whose send failed (the instance died after recording the step).
    b.script.next = async (request) => ({ kind: 'continue', runId: request.runId ?? 'run-b' });
    const first = message(b, { key: 'schedule:test:2' });
    const send = b.queue.send;
    b.queue.send = () => Promise.reject(new Error('queue unavailable'));
    await expect(background.handleMessage(first)).rejects.toThrow('queue unavailable');
    b.queue.send = send;
    expect(await background.handleMessage(first)).toBe('continued');
    expect(b.chunks).toHaveLength(2);
    expect(await background.handleMessage(first)).toBe('duplicate');
    const queued = await b.peek(runQueueName);
    expect(queued).toEqual([expect.objectContaining({ key: 'schedule:test:2', step: 1, runId: 'run-b' })]);
  });

  it('two instances pulling the same profile: one runs, the other sees the lease and looks again later', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    const other = await b.h.anotherGateway({ store: b.store, instanceId: 'instance-2', background: b.options });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    b.script.next = async (request) => {
      await gate;
      return { kind: 'finished', runId: request.runId ?? 'run-c', status: 'Completed' };
    };
    const text = message(b, { key: 'schedule:test:3' });
    const first = b.h.gateway().background!.handleMessage(text);
    while (b.chunks.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await other.background!.handleMessage(text)).toBe('deferred');
    // Another due run of the same profile waits for the lease too.
    expect(await other.background!.handleMessage(message(b, { key: 'schedule:test:4' }))).toBe('deferred');
    release();
    expect(await first).toBe('ran');
    b.h.clock.advance(chunkBudgetMs + minutes(2));
    await b.drain(other);
    // The copy of the run that ran is a duplicate; the other due run ran after it.
    expect(b.chunks.map((c) => c.runId)).toEqual([undefined, undefined]);
    expect(b.chunks).toHaveLength(2);
  });

  it('a message that keeps failing ends in the poison queue and its run is closed as failed with the reason, also in Teams', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await putSchedule(b, b.admin, officeHours);
    const teams = await call(b.h, '/gateway/background/settings', b.admin, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ teamsWebhookUrl: `${b.teams.url}/hook` }) });
    expect(teams.status).toBe(200);
    b.script.next = async (request, index) => {
      if (index === 0) return { kind: 'continue', runId: 'run-d' };
      throw new Error(`SharePoint answered 503 for run ${request.runId}`);
    };
    b.h.clock.advance(minutes(15));
    await b.h.gateway().background!.tick();
    for (let round = 0; round < 8; round++) {
      await b.drain();
      b.h.clock.advance(2000);
    }
    expect(b.chunks).toHaveLength(6); // the first chunk, then five failed attempts of the second
    expect(await b.peek(poisonQueueName)).toEqual([expect.objectContaining({ step: 1, runId: 'run-d' })]);
    expect(b.closed).toEqual([{ siteUrl, profileId: 'companies', runId: 'run-d', reason: 'The background run stopped after 5 failed attempts: SharePoint answered 503 for run run-d' }]);
    const [after] = (await schedules(b)).schedules;
    expect(after).toMatchObject({ attention: true, lastResult: { outcome: 'failed', runId: 'run-d', reason: expect.stringContaining('SharePoint answered 503') } });
    expect(JSON.stringify(b.teams.received)).toContain('Import profile Companies: background run failed');
    // Poisoned twice (a host retrying its poison function) closes it once.
    await b.h.gateway().background!.handlePoison((await b.peek(poisonQueueName)).map((m) => JSON.stringify(m))[0]!);
    expect(b.closed).toHaveLength(1);
  });

  it('pause all: the timer queues nothing and "next run at" is empty until the admin resumes', async () => {
    harness = await startScheduleHarness();
    const b = harness;
    await putSchedule(b, b.admin, officeHours);
    const pause = (paused: boolean) => call(b.h, '/gateway/background/settings', b.admin, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paused }) });
    expect((await pause(true)).status).toBe(200);
    b.h.clock.advance(minutes(30));
    expect(await b.h.gateway().background!.tick()).toBe(0);
    expect((await schedules(b)).schedules[0]?.nextRunAt).toBeUndefined();
    expect((await schedules(b)).paused).toBe(true);
    await pause(false);
    await b.h.gateway().background!.tick();
    expect((await schedules(b)).schedules[0]?.nextRunAt).toBe(b.h.clock.now() + minutes(15));
    expect(scheduleId({ tenantId: 't', connectionId: 'c', siteUrl, profileId: 'p' })).toBe(`t/c/p@${siteUrl}`);
  });
});
