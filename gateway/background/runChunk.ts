/**
 * One bounded chunk of a profile's run, in the gateway (the queue handler on Azure Functions, or
 * the Node entry under `npm start`): the same engine as the browser (src/sync's SyncEngine) over
 * the same CRM stores (src/crm) with the app's own SharePoint identity (sharePointApp.ts), and
 * Exact through the gateway's proxy in process (exactInProcess.ts).
 *
 * A chunk starts a run, or resumes `runId`; when `budgetMs` is spent it stops the engine between
 * two batches (its `signal`) and answers `continue`: the run stays unfinished, its write-ahead
 * documents say what was written, and the next chunk (on any instance) resumes it exactly once.
 * One chunk per profile at a time across instances: a lease in the gateway's store, and behind it
 * the engine's own check of the profile's unfinished runs (runLock.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { SyncEngine, RunStoppedError } from '../../src/sync/run/engine';
import type { RunRecord, RunTriggerRecord } from '../../src/sync/journal/records';
import type { ProgressEvent } from '../../src/sync/progress';
import type { ApplyOptions } from '../../src/sync/write/apply';
import { createCrmTarget } from '../../src/crm/crmList';
import { createDocumentStore } from '../../src/crm/documentStore';
import { createSharePointProfileStore } from '../../src/crm/profileStore';
import { createSharePointRunJournal } from '../../src/crm/runStore';
import { ExactClient } from '../../src/exact/client';
import { createExactRecordSource } from '../../src/exact/recordSource';
import type { SharePointAppSettings } from '../config';
import type { Logger } from '../log';
import type { Proxy } from '../proxy/service';
import type { GatewayStore } from '../store/types';
import { appCaller, createInProcessExactTransport } from './exactInProcess';
import { createAppSp, createAppTokenSource, type AppTokenSource } from './sharePointApp';

export type RunTrigger = { kind: 'person'; name: string } | { kind: 'schedule' } | { kind: 'exactChange'; topic: string };

export interface ChunkRequest {
  siteUrl: string;
  profileId: string;
  /** A continuation: the run a previous chunk left unfinished. */
  runId?: string;
  trigger: RunTrigger;
  /**
   * When the chunk stops between batches. A chunk whose read alone took longer writes on for as
   * long as it read, up to another budget: keep it under half the host's functionTimeout.
   */
  budgetMs: number;
}

export type ChunkOutcome =
  | { kind: 'finished'; runId: string; status: string }
  /** Budget spent, run unfinished and resumable. */
  | { kind: 'continue'; runId: string }
  /** Another run of this profile is going (lease/run lock). */
  | { kind: 'busy'; runId: string }
  | { kind: 'failed'; runId?: string; reason: string };

export type RunChunk = (request: ChunkRequest) => Promise<ChunkOutcome>;

export const chunkRequestSchema = z.object({
  siteUrl: z.string().url(),
  profileId: z.string().min(1),
  runId: z.string().min(1).optional(),
  trigger: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('person'), name: z.string().min(1) }),
    z.object({ kind: z.literal('schedule') }),
    z.object({ kind: z.literal('exactChange'), topic: z.string().min(1) }),
  ]),
  budgetMs: z.number().int().positive(),
});

export interface RunChunkDeps {
  /** The gateway's proxy (Exact token vault, rate-limited queue, breaker): `GatewayApp.proxy`. */
  proxy: Pick<Proxy, 'handle'>;
  /** The app's identity in SharePoint (`GatewayConfig.sharePointApp`). */
  app: SharePointAppSettings;
  store: GatewayStore;
  clock: Clock;
  logger: Logger;
  /** This instance, for the lease's owner. */
  instanceId: string;
  /** Which of the tenant's Exact connections (default `default`). */
  connectionId?: string;
  /** Token source; built from `app` with msal-node when absent. */
  tokens?: AppTokenSource;
  /** fetch for SharePoint (tests count and break requests here). */
  fetch?: typeof fetch;
  /** The engine's write-ahead segment size (tests make segments small). */
  apply?: ApplyOptions;
  newRunId?: () => string;
  /** How often a chunk renews its lease (default a third of its time to live, at most a minute). */
  leaseRenewMs?: number;
}

/** Kept past the chunk's budget, for the read before the first write and the last batches in flight. */
export const LEASE_MARGIN_MS = 3 * 60_000;
/** A run closure the app could not write (no access to the site): kept this long for the next chunk. */
const CLOSURE_TTL_MS = 30 * 24 * 3600_000;

/** How the run record names who started it (`startedBy`, shown where no trigger is read). */
export function startedByOf(trigger: RunTrigger): string {
  if (trigger.kind === 'person') return trigger.name;
  return trigger.kind === 'schedule' ? 'Schedule' : `Change in Exact (${trigger.topic})`;
}

/** The lease a profile's chunks hold (exported for tests that take it from another instance). */
export const leaseNameOf = (siteUrl: string, profileId: string): string =>
  `run/${createHash('sha256').update(`${siteUrl.replace(/\/+$/, '').toLowerCase()}\n${profileId}`).digest('hex').slice(0, 40)}`;

function statusOf(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * SharePoint refused the app itself (grant revoked or never given, token not taken): not a fault
 * of the run. Only PnPjs's errors count; Exact's 401/403 (through the proxy) are Exact's.
 */
function accessLost(error: unknown): boolean {
  if (!(typeof error === 'object' && error !== null && (error as { isHttpRequestError?: unknown }).isHttpRequestError === true)) return false;
  const status = statusOf(error);
  return status === 401 || (status === 403 && /unauthorized|access denied/i.test(messageOf(error)));
}

function wiring(deps: RunChunkDeps, siteUrl: string, runId: string | undefined) {
  const tokens = deps.tokens ?? createAppTokenSource(deps.app);
  const sp = createAppSp(siteUrl, tokens, { fetch: deps.fetch });
  const transport = createInProcessExactTransport({ proxy: deps.proxy, caller: appCaller(deps.app), connectionId: deps.connectionId ?? 'default', logger: deps.logger });
  const documents = createDocumentStore(sp);
  const runs = createSharePointRunJournal(sp, { documents });
  const engine = new SyncEngine({
    exact: createExactRecordSource(new ExactClient(transport, { clock: deps.clock })),
    crm: createCrmTarget(sp), documents, runs, profiles: createSharePointProfileStore(sp), clock: deps.clock, apply: deps.apply,
    newRunId: () => runId ?? deps.newRunId?.() ?? `run-${randomUUID()}`,
  });
  return { engine, runs };
}

export function createRunChunk(deps: RunChunkDeps): RunChunk {
  const tokens = deps.tokens ?? createAppTokenSource(deps.app);
  const withTokens = { ...deps, tokens };
  return async (input) => {
    const parsed = chunkRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'failed', runId: input.runId, reason: `The chunk request is not valid: ${issue?.path.join('.')}: ${issue?.message}` };
    }
    const request = parsed.data;
    const owner = `${deps.instanceId}/${randomUUID()}`;
    const name = leaseNameOf(request.siteUrl, request.profileId);
    const ttl = request.budgetMs + LEASE_MARGIN_MS;
    const lease = await deps.store.acquireLease(name, owner, ttl);
    if (!lease) return { kind: 'busy', runId: request.runId ?? '' };
    // A chunk whose read runs long keeps its lease (the same owner extends it). When the lease
    // lapsed meanwhile (the instance stalled, clocks apart) and another instance took it, this
    // chunk stops between two batches: the other one is on the run now.
    const leaseLost = new AbortController();
    const renewEveryMs = deps.leaseRenewMs ?? Math.max(1000, Math.min(60_000, ttl / 3));
    // Renewals one after another, and all landed before the release: one still in flight would
    // take the lease again after it, and the profile would look busy for a whole time to live.
    let renewing: Promise<void> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = renewing.then(() => deps.store.acquireLease(name, owner, ttl)).then(
        (held) => {
          if (held) return;
          deps.logger.log('warn', 'background-lease-lost', { profileId: request.profileId, runId: request.runId });
          leaseLost.abort();
        },
        () => undefined,
      );
    }, renewEveryMs);
    renew.unref?.();
    try {
      return await chunk(withTokens, request, leaseLost.signal);
    } finally {
      clearInterval(renew);
      await renewing;
      await deps.store.releaseLease(lease).catch(() => undefined);
    }
  };
}

async function chunk(deps: RunChunkDeps, request: ChunkRequest, leaseLost: AbortSignal): Promise<ChunkOutcome> {
  const freshId = request.runId === undefined ? deps.newRunId?.() ?? `run-${randomUUID()}` : undefined;
  const { engine, runs } = wiring(deps, request.siteUrl, freshId);
  const writer = `${deps.app.displayName} (app)`;
  const trigger: RunTriggerRecord = request.trigger;
  // The budget stops the run between two batches. A resume re-reads Exact and the CRM before it
  // writes; when that read alone took the budget, the chunk still writes for as long as it read
  // (at most another budget), or the next chunk would start where this one did and repeat it.
  const stop = new AbortController();
  const startedAt = Date.now();
  let firstWriteAt: number | undefined;
  let spent = false;
  let later: ReturnType<typeof setTimeout> | undefined;
  const maybeStop = (): void => {
    if (!spent || firstWriteAt === undefined || stop.signal.aborted) return;
    const owed = Math.min(firstWriteAt - startedAt, request.budgetMs) - (Date.now() - firstWriteAt);
    if (owed <= 0 || firstWriteAt - startedAt < request.budgetMs) stop.abort();
    else later ??= setTimeout(() => stop.abort(), owed);
  };
  const budget = setTimeout(() => {
    spent = true;
    maybeStop();
  }, request.budgetMs);
  const onProgress = (event: ProgressEvent): void => {
    if (event.phase !== 'written' && event.phase !== 'failed') return;
    firstWriteAt ??= Date.now();
    maybeStop();
  };
  const onLeaseLost = (): void => stop.abort();
  leaseLost.addEventListener('abort', onLeaseLost, { once: true });
  const events = { signal: stop.signal, onProgress };
  let runId = request.runId;
  try {
    const closed = await closePending(deps, engine, request);
    if (closed) return closed;
    let record: RunRecord;
    if (runId !== undefined) {
      const run = await runs.get(runId);
      if (!run) return { kind: 'failed', runId, reason: `Run ${runId} does not exist in ${request.siteUrl}` };
      // The lease is the profile's: a run of another profile would go on beside that one's own chunks.
      if (run.profileId !== request.profileId) {
        return { kind: 'failed', runId, reason: `Run ${runId} belongs to profile ${run.profileId}, not ${request.profileId}` };
      }
      // The same continuation delivered twice: the first finished it.
      if (run.status !== 'Running') return { kind: 'finished', runId, status: run.status };
      record = await engine.resume(runId, events);
    } else {
      const unfinished = (await engine.unfinishedRuns(request.profileId))[0];
      if (unfinished && unfinished.writer === undefined) {
        // A person's run from the page: theirs to resume or abandon.
        return { kind: 'busy', runId: unfinished.id };
      }
      if (unfinished) {
        // A background run whose continuation was lost: this chunk holds the lease, so nobody else is on it.
        runId = unfinished.id;
        record = await engine.resume(runId, events);
      } else {
        runId = freshId;
        record = await engine.run(request.profileId, { user: startedByOf(request.trigger), trigger, writer, ...events });
      }
    }
    return { kind: 'finished', runId: record.id, status: record.status };
  } catch (error) {
    if (error instanceof RunStoppedError) return leaseLost.aborted ? { kind: 'busy', runId: error.runId } : { kind: 'continue', runId: error.runId };
    const message = messageOf(error);
    if (/started at the same time|did not finish; resume it first/.test(message)) return { kind: 'busy', runId: runId ?? '' };
    if (accessLost(error)) return lostAccess(deps, engine, request, runId, error);
    deps.logger.log('warn', 'background-chunk-failed', { profileId: request.profileId, runId, reason: message });
    const begun = runId !== undefined && (await runs.get(runId).catch(() => undefined)) !== undefined;
    return { kind: 'failed', ...(begun ? { runId } : {}), reason: message };
  } finally {
    clearTimeout(budget);
    clearTimeout(later);
    leaseLost.removeEventListener('abort', onLeaseLost);
  }
}

/**
 * SharePoint no longer takes the app (the site grant was removed or lowered): the run cannot go
 * on, and its record, in that site, cannot even be closed now. The reason is kept in the
 * gateway's store and the run is closed Failed with it by the next chunk that reaches the site.
 */
async function lostAccess(deps: RunChunkDeps, engine: SyncEngine, request: ChunkRequest, runId: string | undefined, error: unknown): Promise<ChunkOutcome> {
  const reason = `The connector's app lost its access to ${request.siteUrl} (SharePoint answered ${statusOf(error)}: ${messageOf(error).slice(0, 200)}); an admin must grant the site to the app again (Sites.Selected, gateway/README.md)`;
  deps.logger.log('warn', 'background-access-lost', { profileId: request.profileId, runId, status: statusOf(error) });
  if (runId === undefined) return { kind: 'failed', reason };
  const closed = await engine.abandon(runId, { user: `${deps.app.displayName} (app)`, reason }).catch(() => undefined);
  if (closed) return { kind: 'finished', runId, status: closed.status };
  await deps.store.putOneTime({ kind: 'run-closure', id: closureKey(request.siteUrl, runId), payload: { runId, profileId: request.profileId, reason }, expiresAt: deps.clock.now() + CLOSURE_TTL_MS });
  return { kind: 'failed', runId, reason };
}

const closureKey = (siteUrl: string, runId: string): string => `${leaseNameOf(siteUrl, '')}/${runId}`;

const closureSchema = z.object({ runId: z.string(), profileId: z.string(), reason: z.string() });

/** A run whose closure could not be written earlier (no access then) is closed Failed now, with its reason. */
async function closePending(deps: RunChunkDeps, engine: SyncEngine, request: ChunkRequest): Promise<ChunkOutcome | undefined> {
  const runIds = request.runId !== undefined ? [request.runId] : (await engine.unfinishedRuns(request.profileId)).map((r) => r.id);
  for (const runId of runIds) {
    const taken = await deps.store.takeOneTime('run-closure', closureKey(request.siteUrl, runId));
    const pending = closureSchema.safeParse(taken?.payload);
    if (!taken || !pending.success) continue;
    try {
      const closed = await engine.abandon(runId, { user: `${deps.app.displayName} (app)`, reason: pending.data.reason });
      if (runId === request.runId) return { kind: 'finished', runId, status: closed.status };
    } catch (error) {
      await deps.store.putOneTime(taken);
      throw error;
    }
  }
  return undefined;
}

/** The runChunk of a gateway instance, or undefined when it has no SharePoint app (no `sharePointApp` settings). */
export function gatewayRunChunk(
  gateway: { proxy: Pick<Proxy, 'handle'>; config: { sharePointApp?: SharePointAppSettings } },
  deps: Pick<RunChunkDeps, 'store' | 'clock' | 'logger' | 'instanceId'> & Partial<RunChunkDeps>,
): RunChunk | undefined {
  const app = gateway.config.sharePointApp;
  return app ? createRunChunk({ proxy: gateway.proxy, app, ...deps }) : undefined;
}

export interface CloseRequest {
  siteUrl: string;
  profileId: string;
  runId: string;
  /** Why, in words an admin reads in the history (e.g. what the poison queue's last attempt said). */
  reason: string;
}

/**
 * Closes an unfinished run as Failed with a reason (a message that kept failing and ended in the
 * poison queue): what it wrote stays in its log and can be undone. Under the profile's lease, so
 * it never closes a run a chunk is working on (`busy` then). Without access to the site the
 * closure is kept and done by the next chunk that reaches it.
 */
export function createRunCloser(deps: RunChunkDeps): (request: CloseRequest) => Promise<ChunkOutcome> {
  const tokens = deps.tokens ?? createAppTokenSource(deps.app);
  const withTokens = { ...deps, tokens };
  return async (request) => {
    const owner = `${deps.instanceId}/${randomUUID()}`;
    const lease = await deps.store.acquireLease(leaseNameOf(request.siteUrl, request.profileId), owner, LEASE_MARGIN_MS);
    if (!lease) return { kind: 'busy', runId: request.runId };
    const { engine, runs } = wiring(withTokens, request.siteUrl, request.runId);
    try {
      const run = await runs.get(request.runId);
      if (!run) return { kind: 'failed', runId: request.runId, reason: `Run ${request.runId} does not exist in ${request.siteUrl}` };
      if (run.status !== 'Running') return { kind: 'finished', runId: run.id, status: run.status };
      const closed = await engine.abandon(request.runId, { user: `${deps.app.displayName} (app)`, reason: request.reason });
      return { kind: 'finished', runId: closed.id, status: closed.status };
    } catch (error) {
      if (!accessLost(error)) return { kind: 'failed', runId: request.runId, reason: messageOf(error) };
      await deps.store.putOneTime({ kind: 'run-closure', id: closureKey(request.siteUrl, request.runId), payload: { runId: request.runId, profileId: request.profileId, reason: request.reason }, expiresAt: deps.clock.now() + CLOSURE_TTL_MS });
      return { kind: 'failed', runId: request.runId, reason: `${request.reason}; the run could not be closed yet: the connector's app has no access to ${request.siteUrl}` };
    } finally {
      await deps.store.releaseLease(lease).catch(() => undefined);
    }
  };
}
