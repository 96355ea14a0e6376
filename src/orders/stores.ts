/**
 * Order profiles and order runs as JSON documents in the Run Logs library (the DocumentStore the
 * import engine writes its logs to), each checked with zod when read. The run lock is "write,
 * then look": a run writes its claim, then reads every claim of the profile, and goes only when
 * its own is the only live one. Two people who start at the same moment may both be told to try
 * again, but never both go.
 *
 * A run renews its claim with every save (after every order), so a live claim keeps changing. A
 * claim that stopped changing is a crashed run's; the one clock that judges it is the looker's
 * own: a claim is taken over when the same looker saw it unrenewed 30 minutes ago by its clock
 * (sightings are kept per user in `locks/<profile>/seen-<user>.json`). The holder's clock is only
 * trusted when its last renewal is half a day old, a gap no clock drift explains; so a run longer
 * than 30 minutes, or a PC whose clock is ahead, never lets a second run in.
 */
import { z } from 'zod';
import type { DocumentStore } from '../sync/ports';
import type { OrderRun, OrderRunStore } from './ports';
import { orderProfileSchema, type OrderProfile } from './profile';

const folder = 'orders';
/** A claim unrenewed this long (by the looker's own clock) is a crashed run's; a live run renews after every order. */
const staleAfterMs = 30 * 60_000;
/** A claim whose holder last renewed it this long ago by its own clock is stale at first sight: no clock drifts that far. */
const abandonedAfterMs = 12 * 60 * 60_000;

const claimSchema = z.object({ runId: z.string(), at: z.number(), released: z.boolean(), beat: z.number().int().default(0) });
const sightingsSchema = z.record(z.string(), z.object({ beat: z.number().int(), since: z.number() }));

const logEntrySchema = z.object({
  reference: z.string(), customerName: z.string(), accountCode: z.string(),
  outcome: z.enum(['created', 'linked', 'failed', 'blocked']),
  orderId: z.string().nullable(), orderNumber: z.number().nullable(), lines: z.number(), net: z.number(), gross: z.number(), reasons: z.array(z.string()),
});
const undoSchema = z.object({ reference: z.string(), orderId: z.string(), orderNumber: z.number().nullable(), outcome: z.enum(['deleted', 'gone', 'refused', 'failed']), reason: z.string().nullable() });
export const orderRunSchema = z.object({
  id: z.string(), profileId: z.string(), division: z.number(), user: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(),
  status: z.enum(['running', 'finished', 'undone']), entries: z.array(logEntrySchema), undo: z.array(undoSchema),
  document: z.enum(['salesOrder', 'salesInvoice']).optional(),
});

const safeName = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, '_');

export function documentOrderRuns(documents: DocumentStore, clock: { now(): number }): OrderRunStore & { list(profileId: string): Promise<OrderRun[]> } {
  const lockFolder = (profileId: string): string => `${folder}/locks/${safeName(profileId)}`;
  const claimPath = (profileId: string, runId: string): string => `${lockFolder(profileId)}/${safeName(runId)}.json`;
  const sightingsPath = (profileId: string, looker: string): string => `${lockFolder(profileId)}/seen-${safeName(looker)}.json`;
  const runPath = (runId: string): string => `${folder}/runs/${safeName(runId)}.json`;
  // The claims this store holds, with how often each was renewed; only the holder writes its claim.
  const held = new Map<string, { profileId: string; at: number; beat: number }>();
  const claimText = (runId: string, at: number, beat: number, released: boolean): string => JSON.stringify({ runId, at, released, beat });
  return {
    async acquire(profileId, runId, looker = '') {
      const at = clock.now();
      await documents.write(claimPath(profileId, runId), claimText(runId, at, 0, false));
      // `list` answers whole paths (folder included).
      const paths = await documents.list(lockFolder(profileId));
      const texts = await documents.readMany([...paths, sightingsPath(profileId, looker)]);
      const sightingsText = texts.pop();
      const seen = sightingsText === undefined ? {} : (sightingsSchema.safeParse(JSON.parse(sightingsText)).data ?? {});
      const now = clock.now();
      const live = texts
        .map((text) => (text === undefined ? undefined : claimSchema.safeParse(JSON.parse(text))))
        .flatMap((parsed) => (parsed?.success ? [parsed.data] : []))
        .filter((claim) => claim.runId !== runId && !claim.released)
        .filter((claim) => {
          const sighting = seen[claim.runId];
          const silentSince = sighting?.beat === claim.beat ? sighting.since : now;
          return now - silentSince < staleAfterMs && now - claim.at < abandonedAfterMs;
        });
      if (live.length === 0) {
        held.set(runId, { profileId, at, beat: 0 });
        return true;
      }
      // Remember when this looker first saw each live claim at its present beat; the next look compares.
      const sightings = Object.fromEntries(live.map((claim) => [claim.runId, seen[claim.runId]?.beat === claim.beat ? seen[claim.runId] : { beat: claim.beat, since: now }]));
      await documents.writeMany([
        { path: sightingsPath(profileId, looker), content: JSON.stringify(sightings) },
        { path: claimPath(profileId, runId), content: claimText(runId, at, 0, true) },
      ]);
      return false;
    },
    async release(profileId, runId) {
      held.delete(runId);
      await documents.write(claimPath(profileId, runId), claimText(runId, clock.now(), 0, true));
    },
    async save(run, claim) {
      const holding = claim === undefined ? undefined : held.get(claim);
      if (claim === undefined || holding === undefined) {
        await documents.write(runPath(run.id), JSON.stringify(run));
        return;
      }
      holding.beat += 1;
      holding.at = clock.now();
      await documents.writeMany([
        { path: runPath(run.id), content: JSON.stringify(run) },
        { path: claimPath(holding.profileId, claim), content: claimText(claim, holding.at, holding.beat, false) },
      ]);
    },
    async get(runId) {
      const text = await documents.read(runPath(runId));
      return text === undefined ? undefined : orderRunSchema.parse(JSON.parse(text));
    },
    async list(profileId) {
      const texts = await documents.readMany(await documents.list(`${folder}/runs`));
      return texts
        .flatMap((text) => (text === undefined ? [] : [orderRunSchema.safeParse(JSON.parse(text))]))
        .flatMap((parsed) => (parsed.success && parsed.data.profileId === profileId ? [parsed.data] : []))
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
  };
}

export interface StoredOrderProfile { id: string; valid: true; profile: OrderProfile }
export interface BrokenOrderProfile { id: string; valid: false; message: string }

export function documentOrderProfiles(documents: DocumentStore) {
  const path = (id: string): string => `${folder}/profiles/${safeName(id)}.json`;
  return {
    async list(): Promise<Array<StoredOrderProfile | BrokenOrderProfile>> {
      const paths = await documents.list(`${folder}/profiles`);
      const texts = await documents.readMany(paths);
      return paths.map((path, i) => {
        const id = (path.split('/').pop() ?? path).replace(/\.json$/, '');
        try {
          const parsed = orderProfileSchema.safeParse(JSON.parse(texts[i] ?? ''));
          return parsed.success ? { id, valid: true as const, profile: parsed.data } : { id, valid: false as const, message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
        } catch (error) {
          return { id, valid: false as const, message: error instanceof Error ? error.message : String(error) };
        }
      });
    },
    async get(id: string): Promise<OrderProfile | undefined> {
      const text = await documents.read(path(id));
      return text === undefined ? undefined : orderProfileSchema.parse(JSON.parse(text));
    },
    async save(profile: OrderProfile): Promise<OrderProfile> {
      const checked = orderProfileSchema.parse(profile);
      await documents.write(path(checked.id), JSON.stringify(checked));
      return checked;
    },
  };
}
export type OrderProfileStore = ReturnType<typeof documentOrderProfiles>;
