/**
 * Exact's change notifications (reference §3/§8): `POST /webhooks/exact/{tenant}/{connection}`.
 * - An empty POST is Exact validating a new subscription: 200.
 * - Otherwise `{"Content":{…},"HashCode":"…"}`: HashCode must be the upper-case hex HMAC-SHA256
 *   of the raw Content text under the app's webhook secret (hashed as received, never
 *   re-serialised); wrong or missing: 401 and nothing queued, and Exact retries.
 * - A valid one queues one incremental run per profile following that division and topic,
 *   debounced: the first notification opens a window of `debounceMs` and queues the run to start
 *   when it closes; notifications inside the window (a burst of 500) add nothing. Order and
 *   repeats do not matter: the run reads what changed since the last run, not the notification.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { HttpError, jsonResponse, readBoundedText } from '../http';
import type { Logger } from '../log';
import type { MessageQueue, RunMessage } from './queue';
import { scheduleId, type BackgroundRecords } from './records';

export interface ChangeDeps {
  records: BackgroundRecords;
  queue: MessageQueue;
  now: () => number;
  logger: Logger;
  /** The App Center's webhook secret. */
  webhookSecret: string;
  debounceMs: number;
}

const contentSchema = z.object({ Topic: z.string(), Division: z.number().int(), Action: z.string().optional(), Key: z.string().optional() }).passthrough();
// picqer's Authenticatable takes the Content text with this expression; the object is compact JSON.
const envelope = /^\{"Content":(.*),"HashCode":"([^"]*)"\}$/s;
const maxCallbackBytes = 16_384;

/** The Content text when the HashCode is right, otherwise undefined. */
export function verifiedContent(raw: string, secret: string): string | undefined {
  const match = envelope.exec(raw.trim());
  if (!match) return undefined;
  const [, content, hashCode] = match;
  const expected = Buffer.from(createHmac('sha256', secret).update(content!, 'utf8').digest('hex').toUpperCase());
  const given = Buffer.from(hashCode!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? content : undefined;
}

export async function receiveChange(deps: ChangeDeps, request: Request, target: { tenantId: string; connectionId: string }): Promise<Response> {
  const raw = await readBoundedText(request, maxCallbackBytes);
  if (raw.trim() === '') {
    deps.logger.log('info', 'background.webhook-validation', { tenant: target.tenantId });
    return jsonResponse(200, { ok: true });
  }
  const content = verifiedContent(raw, deps.webhookSecret);
  if (content === undefined) {
    deps.logger.log('warn', 'background.webhook-refused', { tenant: target.tenantId, reason: 'HashCode missing or wrong' });
    throw new HttpError(401, 'bad-signature', 'The notification is not signed with this app\'s webhook secret.');
  }
  const parsed = contentSchema.safeParse(JSON.parse(content));
  if (!parsed.success) {
    throw new HttpError(400, 'bad-request', `Notification field ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  }
  const queued = await queueChangeRuns(deps, { ...target, division: parsed.data.Division, topic: parsed.data.Topic });
  return jsonResponse(200, { ok: true, queued });
}

/** Opens a debounce window per following profile; returns how many runs it queued. */
export async function queueChangeRuns(deps: ChangeDeps, change: { tenantId: string; connectionId: string; division: number; topic: string }): Promise<number> {
  const now = deps.now();
  const paused = (await deps.records.settings.get(`${change.tenantId}/${change.connectionId}`))?.value.paused ?? false;
  if (paused) return 0;
  let queued = 0;
  for (const { value: schedule } of await deps.records.schedules.list()) {
    const follows =
      schedule.tenantId === change.tenantId && schedule.connectionId === change.connectionId && schedule.spec.runOnChanges && schedule.topic === change.topic && schedule.division === change.division;
    if (!follows) continue;
    const id = scheduleId(schedule);
    // Unique per notification: the one whose key the window keeps is the one that queues the run.
    const key = `change:${id}:${now}:${randomUUID()}`;
    const window = await deps.records.changeWindows.update(id, (open) => (open && now - open.openedAt < deps.debounceMs ? undefined : { openedAt: now, key }));
    if (window?.key !== key) continue;
    const message: RunMessage = {
      tenantId: schedule.tenantId,
      connectionId: schedule.connectionId,
      siteUrl: schedule.siteUrl,
      profileId: schedule.profileId,
      key,
      step: 0,
      trigger: { kind: 'exactChange', topic: change.topic },
    };
    await deps.queue.send(JSON.stringify(message), { delayMs: deps.debounceMs });
    queued++;
  }
  return queued;
}
