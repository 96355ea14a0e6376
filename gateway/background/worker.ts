/**
 * The queue handler: runs one chunk of a due run (runChunk, bounded by `budgetMs`) and puts a
 * continuation on the queue when the run is not finished. Exactly once per due run and chunk:
 * - the run record (`records.runs`, keyed by the message's `key`) says which chunk is next; a
 *   message for any other chunk, or for a run that ended, is a duplicate and does nothing;
 * - one run per profile at a time across instances: the store's lease on the profile. A message
 *   that finds it held while its run is going is put back with a delay (its holder may have
 *   crashed; the lease lapses), also a new run's: it starts when the other run lets go, and
 *   runChunk answers `busy` if a run started from the page is still going (then it is skipped);
 * - the next step is recorded before its continuation is sent, and a redelivered message whose
 *   continuation never went out sends it, so a crash between the two loses nothing.
 * A message that keeps failing ends in the poison queue; `closePoisoned` then closes its run as
 * failed with the last error, so no run is left Running.
 */
import type { Clock } from '../../src/sync/clock';
import type { Logger } from '../log';
import type { GatewayStore, Lease } from '../store/types';
import { type MessageQueue, parseRunMessage, type RunMessage } from './queue';
import { scheduleId, type BackgroundRecords, type LastResult, type RunRecord } from './records';
import type { ChunkOutcome, RunChunk } from './runChunk';

/** Closes a run the gateway gave up on (its SharePoint journal says Failed with the reason). */
export type CloseRun = (request: { siteUrl: string; profileId: string; runId: string; reason: string }) => Promise<void>;

export interface WorkerDeps {
  store: GatewayStore;
  records: BackgroundRecords;
  queue: MessageQueue;
  runChunk: RunChunk;
  closeRun?: CloseRun;
  /** A chunk's budget: 4 minutes on Azure Consumption (a chunk takes at most twice it; 10-minute limit), small in tests. */
  budgetMs: number;
  clock: Clock;
  instanceId: string;
  logger: Logger;
  /** Tells people about a background run that failed or stopped (Teams, the admin pages' badge). */
  notify(message: RunMessage, result: LastResult): Promise<void>;
}

export type Handled = 'ran' | 'continued' | 'duplicate' | 'deferred' | 'skipped';

/** Extra time on the lease beyond the chunk's budget: the outcome's writes and a slow SharePoint. */
const leaseMarginMs = 60_000;

export const profileLeaseName = (m: Pick<RunMessage, 'tenantId' | 'connectionId' | 'siteUrl' | 'profileId'>): string => `background-run:${scheduleId(m)}`;

export async function handleRunMessage(deps: WorkerDeps, text: string): Promise<Handled> {
  const message = parseRunMessage(text);
  const { records } = deps;
  const existing = (await records.runs.get(message.key))?.value;
  if (existing && (existing.state !== 'running' || message.step < existing.step - 1 || message.step > existing.step)) {
    return 'duplicate';
  }
  if (existing && message.step === existing.step - 1) {
    // This chunk ran; was its continuation sent before a crash?
    if (!existing.continuationSent) {
      await sendContinuation(deps, message, existing);
      return 'continued';
    }
    return 'duplicate';
  }
  const lease = await deps.store.acquireLease(profileLeaseName(message), deps.instanceId, deps.budgetMs + leaseMarginMs);
  if (!lease) {
    // Another instance runs this profile (this run's duplicate, or another run), or it died
    // holding the lease: look again once the lease has lapsed. Copies of a chunk that ran by
    // then are duplicates.
    await deps.queue.send(text, { delayMs: deps.budgetMs + leaseMarginMs });
    return 'deferred';
  }
  try {
    return await runHeld(deps, message, lease);
  } finally {
    await deps.store.releaseLease(lease).catch(() => undefined);
  }
}

async function runHeld(deps: WorkerDeps, message: RunMessage, lease: Lease): Promise<Handled> {
  const { records, clock } = deps;
  void lease; // held by the caller for the whole chunk
  // Read again under the lease: a duplicate may have run this chunk meanwhile.
  const current = (await records.runs.get(message.key))?.value;
  if (current && (current.state !== 'running' || current.step !== message.step)) {
    return 'duplicate';
  }
  const record: RunRecord = current ?? {
    ...address(message),
    state: 'running',
    step: 0,
    continuationSent: true,
    trigger: message.trigger,
    attempts: 0,
    createdAt: clock.now(),
  };
  if (!current) {
    if (!(await records.runs.put(message.key, record, undefined))) {
      return 'duplicate';
    }
    await markCurrent(deps, message, undefined);
  }
  let outcome: ChunkOutcome;
  try {
    outcome = await deps.runChunk({ siteUrl: message.siteUrl, profileId: message.profileId, runId: record.runId, trigger: message.trigger, budgetMs: deps.budgetMs });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await records.runs.update(message.key, (r) => r && { ...r, attempts: r.attempts + 1, lastError: reason });
    deps.logger.log('warn', 'background.chunk-error', { key: message.key, step: message.step, reason });
    throw error;
  }
  deps.logger.log('info', 'background.chunk', { key: message.key, step: message.step, outcome: outcome.kind, runId: outcome.runId });
  switch (outcome.kind) {
    case 'continue': {
      const next = { ...record, step: record.step + 1, runId: outcome.runId, continuationSent: false };
      await records.runs.update(message.key, () => next);
      await markCurrent(deps, message, outcome.runId);
      await sendContinuation(deps, message, next);
      return 'continued';
    }
    case 'finished':
      await finish(deps, message, { state: 'finished', runId: outcome.runId }, { outcome: 'finished', runId: outcome.runId, status: outcome.status });
      return 'ran';
    case 'busy':
      await finish(deps, message, { state: 'skipped', runId: outcome.runId }, { outcome: 'busy', runId: outcome.runId, reason: 'Another run of this profile was going.' });
      return 'skipped';
    case 'failed':
      await finish(deps, message, { state: 'failed', runId: outcome.runId ?? record.runId, lastError: outcome.reason }, { outcome: 'failed', runId: outcome.runId ?? record.runId, reason: outcome.reason });
      return 'ran';
  }
}

const address = (m: RunMessage) => ({ tenantId: m.tenantId, connectionId: m.connectionId, siteUrl: m.siteUrl, profileId: m.profileId });

async function sendContinuation(deps: WorkerDeps, message: RunMessage, record: RunRecord): Promise<void> {
  const continuation: RunMessage = { ...message, step: record.step, runId: record.runId };
  await deps.queue.send(JSON.stringify(continuation));
  await deps.records.runs.update(message.key, (r) => (r?.step === record.step ? { ...r, continuationSent: true } : undefined));
}

async function markCurrent(deps: WorkerDeps, message: RunMessage, runId: string | undefined): Promise<void> {
  const since = deps.clock.now();
  await deps.records.schedules.update(scheduleId(message), (s) => s && { ...s, current: { key: message.key, runId, since: s.current?.key === message.key ? s.current.since : since, trigger: message.trigger } });
}

/** Ends the due run: its record, the schedule's last result, and a word to people when it went wrong. */
async function finish(deps: WorkerDeps, message: RunMessage, change: Partial<RunRecord> & Pick<RunRecord, 'state'>, result: Omit<LastResult, 'at' | 'trigger'>): Promise<void> {
  const { records, clock } = deps;
  const now = clock.now();
  await records.runs.update(message.key, (r) =>
    r ? { ...r, ...change } : { ...address(message), step: message.step, continuationSent: true, trigger: message.trigger, attempts: 0, createdAt: now, ...change },
  );
  const last: LastResult = { ...result, at: now, trigger: message.trigger };
  await records.schedules.update(scheduleId(message), (s) => s && { ...s, lastResult: last, current: s.current?.key === message.key ? undefined : s.current });
  if (needsAttention(last)) {
    await deps.notify(message, last).catch((error: unknown) => deps.logger.log('warn', 'background.notify-failed', { reason: error instanceof Error ? error.message : String(error) }));
  }
}

/** Failed, or ended in a state other than done (Exact's limits paused it): worth a badge and a post. */
export const needsAttention = (result: LastResult): boolean =>
  result.outcome === 'failed' || (result.outcome === 'finished' && result.status !== 'Completed' && result.status !== 'CompletedWithErrors');

/** For the poison queue: the message failed every attempt; close its run as failed with the reason. */
export async function closePoisoned(deps: WorkerDeps, text: string): Promise<void> {
  const message = parseRunMessage(text);
  const record = (await deps.records.runs.get(message.key))?.value;
  if (record && record.state !== 'running') {
    return;
  }
  const reason = `The background run stopped after ${record?.attempts ?? 'repeated'} failed attempts: ${record?.lastError ?? 'no reason was recorded'}`;
  const runId = record?.runId ?? message.runId;
  if (runId && deps.closeRun) {
    await deps.closeRun({ siteUrl: message.siteUrl, profileId: message.profileId, runId, reason });
  }
  await finish(deps, message, { state: 'failed', runId, lastError: reason }, { outcome: 'failed', runId, reason });
}
