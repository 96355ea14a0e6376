/**
 * What background runs keep in the gateway store (as `BackgroundRecord`s, validated here):
 * - `schedule`: one per site and profile of a connection: the admin's schedule, when it is next
 *   due and how the last background run ended;
 * - `background-settings`: one per connection: "all schedules paused" and the Teams channel;
 * - `run`: one per due run (its message key): which chunk is next, the run id, the last error;
 * - `change-window`: one per profile: the debounce window of Exact change notifications;
 * - `webhook`: one per connection, division and topic: Exact's subscription.
 */
import { z } from 'zod';
import type { BackgroundRecord, GatewayStore } from '../store/types';
import { scheduleSpecSchema } from './schedule';

export const runTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), name: z.string() }),
  z.object({ kind: z.literal('schedule') }),
  z.object({ kind: z.literal('exactChange'), topic: z.string() }),
]);

/** Exact webhook topics a profile's source can follow. */
export const topicSchema = z.enum(['Accounts', 'Contacts']);
export type Topic = z.infer<typeof topicSchema>;

export const lastResultSchema = z.object({
  at: z.number(),
  runId: z.string().optional(),
  /** `finished` (with the run's own status), `failed`, `busy` (another run was going). */
  outcome: z.enum(['finished', 'failed', 'busy']),
  status: z.string().optional(),
  /** Why it failed or was paused (Exact's limits), in words. */
  reason: z.string().optional(),
  trigger: runTriggerSchema,
});
export type LastResult = z.infer<typeof lastResultSchema>;

/** Where a profile lives: the connection whose Exact it reads and the site whose lists it writes. */
export const profileAddressSchema = z.object({
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  siteUrl: z.string().url(),
  profileId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});
export type ProfileAddress = z.infer<typeof profileAddressSchema>;

export const scheduleRecordSchema = profileAddressSchema.extend({
  profileName: z.string().max(255),
  /** The profile's source as a webhook topic, and its division; needed for "run on changes". */
  topic: topicSchema.optional(),
  division: z.number().int().positive().optional(),
  spec: scheduleSpecSchema,
  nextRunAt: z.number().optional(),
  lastResult: lastResultSchema.optional(),
  /** The run going now (its message key and, once known, run id): a manual run offers to watch it. */
  current: z.object({ key: z.string(), runId: z.string().optional(), since: z.number(), trigger: runTriggerSchema }).optional(),
  updatedBy: z.string(),
});
export type ScheduleRecord = z.infer<typeof scheduleRecordSchema>;

export const backgroundSettingsSchema = z.object({
  paused: z.boolean(),
  pausedBy: z.string().optional(),
  pausedAt: z.number().optional(),
  /** A Teams incoming-webhook URL: failed and paused background runs are posted there. */
  teamsWebhookUrl: z.string().url().optional(),
});
export type BackgroundSettings = z.infer<typeof backgroundSettingsSchema>;

export const runRecordSchema = profileAddressSchema.extend({
  state: z.enum(['running', 'finished', 'failed', 'skipped']),
  /** The chunk the next message must carry; a message with another step is a duplicate. */
  step: z.number().int().nonnegative(),
  runId: z.string().optional(),
  /** Whether the continuation for `step` is on the queue (false: a crash came between). */
  continuationSent: z.boolean(),
  trigger: runTriggerSchema,
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  createdAt: z.number(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const changeWindowSchema = z.object({ openedAt: z.number(), key: z.string() });
export type ChangeWindow = z.infer<typeof changeWindowSchema>;

export const webhookRecordSchema = z.object({
  tenantId: z.string(),
  connectionId: z.string(),
  division: z.number().int(),
  topic: topicSchema,
  /** Exact's `WebhookSubscriptions` ID. */
  exactId: z.string(),
  callbackUrl: z.string(),
  createdAt: z.number(),
});
export type WebhookRecord = z.infer<typeof webhookRecordSchema>;

export const scheduleId = (p: ProfileAddress): string => `${p.tenantId}/${p.connectionId}/${p.profileId}@${p.siteUrl}`;
export const connectionKey = (tenantId: string, connectionId: string): string => `${tenantId}/${connectionId}`;
export const webhookId = (w: Pick<WebhookRecord, 'tenantId' | 'connectionId' | 'division' | 'topic'>): string => `${w.tenantId}/${w.connectionId}/${w.division}/${w.topic}`;

/** A typed view of one kind of background record, with compare-and-swap updates. */
export interface RecordKind<T> {
  get(id: string): Promise<{ value: T; version: number } | undefined>;
  list(): Promise<Array<{ id: string; value: T; version: number }>>;
  /** Writes only over `version` (undefined: only a new record); false when someone wrote first. */
  put(id: string, value: T, version: number | undefined): Promise<boolean>;
  /** Reads, changes and writes until no one else wrote in between; `change` returning undefined writes nothing. */
  update(id: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined>;
  remove(id: string): Promise<void>;
}

export function recordKind<T>(store: GatewayStore, kind: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, now: () => number): RecordKind<T> {
  const parse = (record: BackgroundRecord): T => {
    const parsed = schema.safeParse(record.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Stored ${kind} ${record.id} is not valid: ${issue?.path.join('.')} ${issue?.message}`);
    }
    return parsed.data;
  };
  const put = (id: string, value: T, version: number | undefined): Promise<boolean> =>
    store.replaceBackground({ kind, id, version: (version ?? 0) + 1, payload: schema.parse(value), updatedAt: now() }, version);
  return {
    async get(id) {
      const record = await store.getBackground(kind, id);
      return record && { value: parse(record), version: record.version };
    },
    async list() {
      return (await store.listBackground(kind)).map((record) => ({ id: record.id, value: parse(record), version: record.version }));
    },
    put,
    async update(id, change) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const current = await store.getBackground(kind, id);
        const next = change(current && parse(current));
        if (next === undefined) {
          return current && parse(current);
        }
        if (await put(id, next, current?.version)) {
          return next;
        }
      }
      throw new Error(`Could not update ${kind} ${id}: it kept changing underneath`);
    },
    remove: (id) => store.deleteBackground(kind, id),
  };
}

export function backgroundRecords(store: GatewayStore, now: () => number) {
  return {
    schedules: recordKind(store, 'schedule', scheduleRecordSchema, now),
    settings: recordKind(store, 'background-settings', backgroundSettingsSchema, now),
    runs: recordKind(store, 'run', runRecordSchema, now),
    changeWindows: recordKind(store, 'change-window', changeWindowSchema, now),
    webhooks: recordKind(store, 'webhook', webhookRecordSchema, now),
  };
}
export type BackgroundRecords = ReturnType<typeof backgroundRecords>;
