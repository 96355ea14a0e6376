import type { Clock } from '../clock';
import { readReview } from './documents';
import { asText, DIVISION_FIELD, normalizeKey } from '../model';
import type { FieldValue } from '../model';
import type { CrmItem } from '../model';
import type { CrmTarget, DocumentStore } from '../ports';
import { paths } from './records';
import type { ReviewItem, RunEntry, RunRecord } from './records';

/**
 * The review list: ambiguous matches wait here for an admin instead of becoming duplicates.
 * Confirm links (now, or on the next run if writing fails); reject means "a different
 * company", and the rejected candidates stay excluded from matching for that record.
 */

/**
 * The review list as this run leaves it, or undefined when the run changes nothing on it. The
 * caller writes it with the run's other final documents (one request where the store batches).
 */
export async function updatedReview(input: { documents: DocumentStore; run: RunRecord; items: CrmItem[]; entries: RunEntry[] }): Promise<{ path: string; content: string } | undefined> {
  const { documents, run, entries } = input;
  // Only a link made or a new question can change the list; most runs have neither (no request then).
  if (!entries.some((e) => (e.match && e.outcome === 'written') || (e.action === 'conflict' && e.candidates))) return undefined;
  const review = await readReview(documents, run.profileId);
  const titles = new Map(input.items.map((i) => [i.id, asText(i.values.Title)] as const));
  const byKey = new Map(review.items.map((r) => [r.exactKey, r] as const));
  let changed = false;
  for (const e of entries) {
    const existing = byKey.get(e.exactKey);
    if (e.match && e.outcome === 'written') {
      // Linked now: a pending question is answered; decisions stay as history.
      if (existing && existing.status === 'pending') {
        byKey.delete(e.exactKey);
        changed = true;
      }
      continue;
    }
    if (e.action !== 'conflict' || !e.candidates) continue;
    const candidates = e.candidates.map((c) => ({ ...c, label: titles.get(c.itemId) ?? '' }));
    const about = { code: e.code, city: e.city, exactValues: e.exactValues };
    if (existing) {
      Object.assign(existing, JSON.parse(JSON.stringify(about)) as typeof about);
      existing.candidates = candidates;
      existing.reason = e.reason;
      existing.status = 'pending';
      delete existing.itemId;
    } else {
      byKey.set(e.exactKey, {
        exactKey: e.exactKey,
        exactValue: e.exactKey,
        label: e.label,
        ...(JSON.parse(JSON.stringify(about)) as typeof about),
        reason: e.reason,
        candidates,
        status: 'pending',
        rejectedItemIds: [],
        firstSeenRunId: run.id,
      });
    }
    changed = true;
  }
  if (!changed && review.items.length === byKey.size) return undefined;
  return { path: paths.review(run.profileId), content: JSON.stringify({ items: Array.from(byKey.values()) }) };
}

/** What the admin compares a review entry's candidates by: the asked columns the list has, and their values per item id. */
export interface ReviewCandidates {
  columns: string[];
  values: Map<number, Record<string, FieldValue>>;
}

export class ReviewService {
  public constructor(
    private readonly deps: { documents: DocumentStore; crm: CrmTarget; clock: Clock },
  ) {}

  public async list(profileId: string, status?: ReviewItem['status']): Promise<ReviewItem[]> {
    const review = await readReview(this.deps.documents, profileId);
    return status ? review.items.filter((i) => i.status === status) : review.items;
  }

  /**
   * The CRM items the entries name as candidates, read by id: a review of a few questions on a
   * list of 50,000 companies must not page through the list.
   */
  public async candidates(request: { targetList: string; entries: readonly ReviewItem[]; columns: readonly string[] }): Promise<ReviewCandidates> {
    const ids = Array.from(new Set(request.entries.flatMap((entry) => entry.candidates.map((c) => c.itemId))));
    const list = await this.deps.crm.openList(request.targetList);
    const columns = request.columns.filter((column) => list.fields.some((f) => f.internalName === column));
    const found = ids.length > 0 ? await list.readItemsById(ids, columns) : [];
    return { columns, values: new Map(found.map((item) => [item.id, item.values] as const)) };
  }

  /**
   * The admin says Exact record `exactKey` is CRM item `itemId`. With `linkNow` the key is
   * written to the item at once; otherwise (or if that fails) the next run links it.
   */
  public async confirm(
    profile: { id: string; targetList: string; division: number; key: { crmField: string } },
    exactKey: string,
    itemId: number,
    options: { user: string; linkNow?: boolean },
  ): Promise<{ linked: boolean; message: string }> {
    const item = await this.decide(profile.id, exactKey, options.user, (r) => {
      r.status = 'confirmed';
      r.itemId = itemId;
    });
    if (!options.linkNow) return { linked: false, message: `${item.label} will be linked to item ${itemId} on the next run` };
    const list = await this.deps.crm.openList(profile.targetList);
    const [current] = await list.readItemsById([itemId], [profile.key.crmField]);
    if (!current) return { linked: false, message: `item ${itemId} no longer exists in ${profile.targetList}` };
    const currentKey = normalizeKey(current.values[profile.key.crmField]);
    if (currentKey && currentKey !== normalizeKey(exactKey)) {
      return { linked: false, message: `item ${itemId} is already linked to ${String(current.values[profile.key.crmField])}` };
    }
    // A link is (division, Exact ID): the division goes with the key where the list records it.
    const division: Record<string, FieldValue> = list.fields.some((f) => f.internalName === DIVISION_FIELD) ? { [DIVISION_FIELD]: profile.division } : {};
    const [result] = await list.write([{ kind: 'update', ref: exactKey, id: itemId, etag: current.etag, values: { [profile.key.crmField]: item.exactValue, ...division } }]);
    if (result && result.ok) return { linked: true, message: `${item.label} linked to item ${itemId}` };
    return { linked: false, message: `linking failed (${result ? result.message : 'no result'}); the next run links it` };
  }

  /**
   * "Not this one", for one candidate: that item is never offered or matched for the record again;
   * the others stay on the list. The next run matches without it (the one left may then be the
   * match); with no candidate left, this is "create new".
   */
  public async dismiss(profileId: string, exactKey: string, itemId: number, options: { user: string }): Promise<ReviewItem> {
    return this.decide(profileId, exactKey, options.user, (r) => {
      r.rejectedItemIds = Array.from(new Set([...r.rejectedItemIds, itemId]));
      r.candidates = r.candidates.filter((c) => c.itemId !== itemId);
      if (r.candidates.length === 0) {
        r.status = 'rejected';
        delete r.itemId;
      }
    });
  }

  /** "These are different": the record is created (or kept) separately and not offered again. */
  public async reject(profileId: string, exactKey: string, options: { user: string }): Promise<void> {
    await this.decide(profileId, exactKey, options.user, (r) => {
      r.status = 'rejected';
      r.rejectedItemIds = Array.from(new Set([...r.rejectedItemIds, ...r.candidates.map((c) => c.itemId)]));
      delete r.itemId;
    });
  }

  private async decide(profileId: string, exactKey: string, user: string, apply: (r: ReviewItem) => void): Promise<ReviewItem> {
    const review = await readReview(this.deps.documents, profileId);
    const item = review.items.find((r) => r.exactKey === normalizeKey(exactKey));
    if (!item) throw new Error(`Exact record ${exactKey} is not on the review list of profile ${profileId}`);
    apply(item);
    item.decidedBy = user;
    item.decidedAt = new Date(this.deps.clock.now()).toISOString();
    await this.deps.documents.write(paths.review(profileId), JSON.stringify(review));
    return item;
  }
}
