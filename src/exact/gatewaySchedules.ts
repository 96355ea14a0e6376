/**
 * The gateway's background-run API for the admin pages (gateway/background/routes.ts): a profile's
 * schedule with "next run at", the last background result and the run going now; "pause all"
 * and the Teams channel. Admins only (the gateway's `manage-schedules`).
 */
import { z } from 'zod';
import { parseBody, rawInstance } from './axiosBase';
import { GatewayError, type GatewayTransportOptions } from './gatewayTransport';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const scheduleSpecSchema = z.object({
  cadence: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('off') }),
    z.object({ kind: z.literal('minutes'), minutes: z.number().int() }),
    z.object({ kind: z.literal('hourly') }),
    z.object({ kind: z.literal('daily'), at: clockTime }),
  ]),
  window: z.object({ from: clockTime, to: clockTime }).optional(),
  /** ISO weekdays, 1 Monday … 7 Sunday; absent: every day. */
  days: z.array(z.number().int().min(1).max(7)).optional(),
  timeZone: z.string(),
  runOnChanges: z.boolean(),
});
export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;

const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('person'), name: z.string() }),
  z.object({ kind: z.literal('schedule') }),
  z.object({ kind: z.literal('exactChange'), topic: z.string() }),
]);

export const scheduleViewSchema = z.object({
  profileId: z.string(),
  profileName: z.string(),
  siteUrl: z.string(),
  spec: scheduleSpecSchema,
  nextRunAt: z.number().optional(),
  lastResult: z
    .object({ at: z.number(), runId: z.string().optional(), outcome: z.enum(['finished', 'failed', 'busy']), status: z.string().optional(), reason: z.string().optional(), trigger: triggerSchema })
    .optional(),
  current: z.object({ key: z.string(), runId: z.string().optional(), since: z.number(), trigger: triggerSchema }).optional(),
  /** Failed, or stopped by Exact's limits: a badge on the admin pages. */
  attention: z.boolean(),
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

const listSchema = z.object({ schedules: z.array(scheduleViewSchema), paused: z.boolean(), pausedAt: z.number().optional(), teamsWebhookSet: z.boolean() });
export type ScheduleList = z.infer<typeof listSchema>;
const settingsSchema = listSchema.omit({ schedules: true });
export type BackgroundSettings = z.infer<typeof settingsSchema>;

export interface ScheduleSave {
  siteUrl: string;
  profileName: string;
  topic?: 'Accounts' | 'Contacts';
  division?: number;
  spec: ScheduleSpec;
}

const errorBodySchema = z.object({ error: z.string(), message: z.string() });

export function createGatewayScheduleApi(options: GatewayTransportOptions) {
  const instance = rawInstance(options.timeoutMs !== undefined ? options.timeoutMs : 30000);
  const root = options.gatewayUrl.replace(/\/+$/, '');
  const connection = options.connectionId ? `connection=${encodeURIComponent(options.connectionId)}` : '';
  const withQuery = (path: string, query: string): string => `${path}${[query, connection].filter(Boolean).length ? `?${[query, connection].filter(Boolean).join('&')}` : ''}`;

  async function request<T>(method: 'GET' | 'PUT' | 'DELETE', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const token = await options.getAccessToken();
    const response = await instance.request<string>({
      method,
      url: `${root}${path}`,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      data: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = parseBody(typeof response.data === 'string' ? response.data : '');
    if (response.status >= 400) {
      const parsed = errorBodySchema.safeParse(data);
      throw parsed.success ? new GatewayError(response.status, parsed.data.error, parsed.data.message) : new GatewayError(response.status, 'http-error', `The gateway answered ${method} ${path} with HTTP ${response.status}`);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GatewayError(502, 'bad-response', `The gateway's schedule answer is not as expected: ${issue ? issue.path.join('.') : ''} ${issue ? issue.message : ''}`);
    }
    return parsed.data;
  }

  return {
    list: (siteUrl?: string): Promise<ScheduleList> => request('GET', withQuery('/background/schedules', siteUrl ? `siteUrl=${encodeURIComponent(siteUrl)}` : ''), listSchema),
    save: (profileId: string, save: ScheduleSave): Promise<ScheduleView> => request('PUT', withQuery(`/background/schedules/${encodeURIComponent(profileId)}`, ''), scheduleViewSchema, save),
    remove: (profileId: string, siteUrl: string): Promise<unknown> =>
      request('DELETE', withQuery(`/background/schedules/${encodeURIComponent(profileId)}`, `siteUrl=${encodeURIComponent(siteUrl)}`), z.unknown()),
    settings: (change: { paused?: boolean; teamsWebhookUrl?: string | null }): Promise<BackgroundSettings> => request('PUT', withQuery('/background/settings', ''), settingsSchema, change),
  };
}
export type GatewayScheduleApi = ReturnType<typeof createGatewayScheduleApi>;
