/**
 * Order profiles and order runs as JSON documents in the Run Logs library (the DocumentStore the
 * import engine writes its logs to), each checked with zod when read. The run lock is "write,
 * then look": a run writes its claim, then reads every claim of the profile, and goes only when
 * its own is the only live one. Two people who start at the same moment may both be told to try
 * again, but never both go; no clock is compared, so skewed PC clocks cannot let two through.
 */
import { z } from 'zod';
import type { DocumentStore } from '../sync/ports';
import type { OrderRun, OrderRunStore } from './ports';
import { orderProfileSchema, type OrderProfile } from './profile';
import { orderReasonSchema } from './reasons';

const folder = 'orders';
/** A claim older than this is a crashed run's: it no longer blocks (a run saves after every order). */
const staleAfterMs = 30 * 60_000;

const claimSchema = z.object({ runId: z.string(), at: z.number(), released: z.boolean() });

const logEntrySchema = z.object({
  reference: z.string(), customerName: z.string(), accountCode: z.string(),
  outcome: z.enum(['created', 'linked', 'failed', 'blocked']),
  orderId: z.string().nullable(), orderNumber: z.number().nullable(), lines: z.number(), net: z.number(), gross: z.number(), reasons: z.array(orderReasonSchema),
});
const undoSchema = z.object({ reference: z.string(), orderId: z.string(), orderNumber: z.number().nullable(), outcome: z.enum(['deleted', 'gone', 'refused', 'failed']), reason: orderReasonSchema.nullable() });
export const orderRunSchema = z.object({
  id: z.string(), profileId: z.string(), division: z.number(), user: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(),
  status: z.enum(['running', 'finished', 'undone']), entries: z.array(logEntrySchema), undo: z.array(undoSchema),
  document: z.enum(['salesOrder', 'salesInvoice']).optional(),
});

const safeName = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, '_');

export function documentOrderRuns(documents: DocumentStore, clock: { now(): number }): OrderRunStore & { list(profileId: string): Promise<OrderRun[]> } {
  const claimPath = (profileId: string, runId: string): string => `${folder}/locks/${safeName(profileId)}/${safeName(runId)}.json`;
  const runPath = (runId: string): string => `${folder}/runs/${safeName(runId)}.json`;
  return {
    async acquire(profileId, runId) {
      const at = clock.now();
      await documents.write(claimPath(profileId, runId), JSON.stringify({ runId, at, released: false }));
      // `list` answers whole paths (folder included).
      const paths = await documents.list(`${folder}/locks/${safeName(profileId)}`);
      const texts = await documents.readMany(paths);
      const others = texts
        .map((text) => (text === undefined ? undefined : claimSchema.safeParse(JSON.parse(text))))
        .flatMap((parsed) => (parsed?.success ? [parsed.data] : []))
        .filter((claim) => claim.runId !== runId && !claim.released && clock.now() - claim.at < staleAfterMs);
      if (others.length === 0) return true;
      await documents.write(claimPath(profileId, runId), JSON.stringify({ runId, at, released: true }));
      return false;
    },
    async release(profileId, runId) {
      await documents.write(claimPath(profileId, runId), JSON.stringify({ runId, at: clock.now(), released: true }));
    },
    async save(run) {
      await documents.write(runPath(run.id), JSON.stringify(run));
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
