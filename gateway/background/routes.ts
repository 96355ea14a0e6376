/**
 * The background runs' routes (admins only, `manage-schedules`):
 * - `GET /background/schedules[?siteUrl=]`: the connection's schedules (of one site), each with
 *   "next run at", the last result and the run going now, plus the connection's settings;
 * - `PUT /background/schedules/{profileId}` `{siteUrl, profileName, topic?, division?, spec}`;
 * - `DELETE /background/schedules/{profileId}?siteUrl=`;
 * - `PUT /background/settings` `{paused?, teamsWebhookUrl?}` ("pause all schedules", Teams channel).
 * And Exact's: `POST /webhooks/exact/{tenant}/{connection}` (./changes.ts; no bearer token, the
 * HashCode is the proof).
 */
import { z } from 'zod';
import { audit, authorize } from '../access/authorize';
import type { Caller } from '../auth';
import { HttpError, jsonResponse, readJsonBody } from '../http';
import type { Route, RouteRequest } from '../routes/route';
import { receiveChange, type ChangeDeps } from './changes';
import { teamsWebhookUrlSchema } from './notify';
import { connectionKey, profileAddressSchema, scheduleId, topicSchema, type BackgroundRecords, type ScheduleRecord } from './records';
import { nextRunAt, scheduleSpecSchema } from './schedule';
import { needsAttention } from './worker';

export interface BackgroundRouteDeps {
  records: BackgroundRecords;
  now: () => number;
  changes: ChangeDeps;
  /** Brings Exact's webhook subscriptions in line after a change (errors are logged, not thrown). */
  reconcile(tenantId: string, connectionId: string): Promise<void>;
  maxBodyBytes: number;
}

const putBodySchema = z
  .object({
    siteUrl: profileAddressSchema.shape.siteUrl,
    profileName: z.string().min(1).max(255),
    topic: topicSchema.optional(),
    division: z.number().int().positive().optional(),
    spec: scheduleSpecSchema,
  })
  .strict()
  .refine((b) => !b.spec.runOnChanges || (b.topic && b.division), { message: 'run on changes needs the profile\'s Exact topic (Accounts or Contacts) and division', path: ['spec', 'runOnChanges'] });

const settingsBodySchema = z.object({ paused: z.boolean().optional(), teamsWebhookUrl: teamsWebhookUrlSchema.nullable().optional() }).strict();
const profileIdSchema = profileAddressSchema.shape.profileId;
const tenantPart = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

/** readJson's, for schemas with defaults (their input and output types differ). */
async function body<S extends z.ZodTypeAny>(r: RouteRequest, schema: S, limit: number): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJsonBody(r.request, limit));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'bad-request', `Field ${issue?.path.join('.') || '(body)'}: ${issue?.message}`);
  }
  return parsed.data as z.output<S>;
}

async function admin(r: RouteRequest): Promise<Caller> {
  const caller = await r.authenticate();
  authorize({ caller, operation: 'manage-schedules', logger: r.logger });
  return caller;
}

function siteOf(r: RouteRequest, required: boolean): string | undefined {
  const value = r.url.searchParams.get('siteUrl') ?? undefined;
  if (value === undefined && !required) return undefined;
  const parsed = profileAddressSchema.shape.siteUrl.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'bad-request', 'Query parameter siteUrl must be the CRM site\'s address.');
  return parsed.data;
}

function profileOf(r: RouteRequest): string {
  const parsed = profileIdSchema.safeParse(decodeURIComponent(r.rest));
  if (!parsed.success) throw new HttpError(400, 'bad-request', 'The profile id in the path must be letters, digits, - or _.');
  return parsed.data;
}

/** While all schedules are paused, nothing is planned: "next run at" is empty. */
const view = (s: ScheduleRecord, paused = false) => ({
  profileId: s.profileId,
  profileName: s.profileName,
  siteUrl: s.siteUrl,
  topic: s.topic,
  division: s.division,
  spec: s.spec,
  nextRunAt: paused ? undefined : s.nextRunAt,
  lastResult: s.lastResult,
  current: s.current,
  attention: s.lastResult ? needsAttention(s.lastResult) : false,
});

async function list(deps: BackgroundRouteDeps, r: RouteRequest): Promise<Response> {
  const caller = await admin(r);
  const connectionId = r.connectionId();
  const site = siteOf(r, false);
  const schedules = (await deps.records.schedules.list())
    .map((s) => s.value)
    .filter((s) => s.tenantId === caller.tenantId && s.connectionId === connectionId && (site === undefined || s.siteUrl === site));
  const settings = (await deps.records.settings.get(connectionKey(caller.tenantId, connectionId)))?.value;
  return jsonResponse(200, { schedules: schedules.map((s) => view(s, settings?.paused)), paused: settings?.paused ?? false, pausedAt: settings?.pausedAt, teamsWebhookSet: Boolean(settings?.teamsWebhookUrl) });
}

async function put(deps: BackgroundRouteDeps, r: RouteRequest): Promise<Response> {
  const caller = await admin(r);
  const profileId = profileOf(r);
  const input = await body(r, putBodySchema, deps.maxBodyBytes);
  const address = { tenantId: caller.tenantId, connectionId: r.connectionId(), siteUrl: input.siteUrl, profileId };
  const id = scheduleId(address);
  const now = deps.now();
  const saved = await deps.records.schedules.update(id, (current) => ({
    ...address,
    profileName: input.profileName,
    topic: input.topic,
    division: input.division,
    spec: input.spec,
    nextRunAt: nextRunAt(input.spec, now),
    lastResult: current?.lastResult,
    current: current?.current,
    updatedBy: caller.userId,
  }));
  audit(r.logger, { caller, operation: 'manage-schedules', outcome: 'changed', division: input.division, reason: 'schedule saved', details: { profileId, cadence: input.spec.cadence.kind, runOnChanges: input.spec.runOnChanges } });
  await deps.reconcile(address.tenantId, address.connectionId);
  return jsonResponse(200, view(saved!));
}

async function remove(deps: BackgroundRouteDeps, r: RouteRequest): Promise<Response> {
  const caller = await admin(r);
  const address = { tenantId: caller.tenantId, connectionId: r.connectionId(), siteUrl: siteOf(r, true)!, profileId: profileOf(r) };
  await deps.records.schedules.remove(scheduleId(address));
  audit(r.logger, { caller, operation: 'manage-schedules', outcome: 'changed', reason: 'schedule removed', details: { profileId: address.profileId } });
  await deps.reconcile(address.tenantId, address.connectionId);
  return jsonResponse(200, { removed: true });
}

async function changeSettings(deps: BackgroundRouteDeps, r: RouteRequest): Promise<Response> {
  const caller = await admin(r);
  const connectionId = r.connectionId();
  const change = await body(r, settingsBodySchema, deps.maxBodyBytes);
  const now = deps.now();
  const saved = await deps.records.settings.update(connectionKey(caller.tenantId, connectionId), (current) => {
    const paused = change.paused ?? current?.paused ?? false;
    const teamsWebhookUrl = change.teamsWebhookUrl === undefined ? current?.teamsWebhookUrl : (change.teamsWebhookUrl ?? undefined);
    return paused === current?.paused
      ? { ...current, teamsWebhookUrl }
      : { paused, teamsWebhookUrl, pausedBy: paused ? caller.userId : undefined, pausedAt: paused ? now : undefined };
  });
  audit(r.logger, { caller, operation: 'manage-schedules', outcome: 'changed', reason: change.paused === undefined ? 'Teams channel' : change.paused ? 'all schedules paused' : 'schedules resumed' });
  await deps.reconcile(caller.tenantId, connectionId);
  return jsonResponse(200, { paused: saved?.paused ?? false, pausedAt: saved?.pausedAt, teamsWebhookSet: Boolean(saved?.teamsWebhookUrl) });
}

async function exactCallback(deps: BackgroundRouteDeps, r: RouteRequest): Promise<Response> {
  const [tenantId, connectionId, ...extra] = r.rest.split('/');
  if (!tenantPart.safeParse(tenantId).success || !/^[A-Za-z0-9_-]{1,40}$/.test(connectionId ?? '') || extra.length) {
    throw new HttpError(404, 'not-found', 'No such webhook address.');
  }
  return receiveChange(deps.changes, r.request, { tenantId: tenantId!, connectionId: connectionId! });
}

export function createBackgroundRoutes(deps: BackgroundRouteDeps): Route[] {
  return [
    { method: 'GET', path: '/background/schedules', handle: (r) => list(deps, r) },
    { method: 'PUT', path: '/background/schedules/', prefix: true, handle: (r) => put(deps, r) },
    { method: 'DELETE', path: '/background/schedules/', prefix: true, handle: (r) => remove(deps, r) },
    { method: 'PUT', path: '/background/settings', handle: (r) => changeSettings(deps, r) },
    { method: 'POST', path: '/webhooks/exact/', prefix: true, handle: (r) => exactCallback(deps, r) },
  ];
}
