import { guardedFields, remembers, writtenAfter } from '../journal/agreedValues';
import { mapRecord } from './mapping';
import type { LookupIndex } from './mapping';
import { Matcher, type MatchCandidate } from './matching';
import { asText, hasDivision, labelOf, normalizeKey, sameValue } from '../model';
import type { FieldMapping, Profile } from '../profile/profile';
import type { CrmItem, CrmList, ExactRecord, FieldProblem, FieldValue } from '../ports';
import type { FieldChange, ProfileState, ReviewDocument, RunEntry } from '../journal/records';
import type { DivisionScope } from '../read/prepare';
import { because, EMPTY_KEY } from '../journal/reasons';

/**
 * Turns what Exact has and what the CRM has into one entry per record: create, update (only
 * the changed fields), skip (with the reason), conflict (awaiting review) or error. Pure: the
 * preview is this plan, and apply writes exactly the entries that carry changes.
 */

export interface PlanInput {
  profile: Profile;
  /** The list's division column and this run's division (absent: a list without one). */
  division?: DivisionScope;
  /** Mappings that passed the profile check. */
  mappings: FieldMapping[];
  records: ExactRecord[];
  /** Exact keys reported deleted by sync/Deleted. */
  deletedKeys: string[];
  /** Absent records count as deleted only after a full, unfiltered read. */
  detectAbsence: boolean;
  items: CrmItem[];
  list: Pick<CrmList, 'convert'>;
  lookups: Map<string, LookupIndex>;
  state: ProfileState;
  review: ReviewDocument;
}

type PlanContext = Omit<PlanInput, 'records' | 'deletedKeys' | 'detectAbsence'> & {
  /** Fields whose CRM edits are kept (worked out once per plan, not per record). */
  keepEdits: Set<string>;
};

function entry(partial: Partial<RunEntry> & Pick<RunEntry, 'exactKey' | 'label' | 'action' | 'reason'>): RunEntry {
  return { itemId: null, changes: [], problems: [], kept: [], outcome: 'none', ...partial };
}

export function planRun(input: PlanInput): RunEntry[] {
  const planner = new Planner(input);
  const entries = planner.plan(input.records).entries;
  entries.push(...planner.deletions(input.deletedKeys, input.detectAbsence));
  return entries;
}

/**
 * The plan, record by record, for a read that comes in pages: the key index, the matcher and the
 * items this run already claimed carry over from page to page, so planning page by page gives
 * the entries one plan over the whole read gives. `planRun` is one `plan` and `deletions`.
 */
export class Planner {
  private readonly keyField: string;
  private readonly byKey = new Map<string, CrmItem[]>();
  private readonly itemsById = new Map<number, CrmItem>();
  private readonly matcher: Matcher;
  private readonly reviewByKey: Map<string, ReviewDocument['items'][number]>;
  private readonly claimed = new Set<number>();
  /** The item each record linked to, so a record planned again does not clash with its own link. */
  private readonly claimedBy = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly input: PlanContext;
  /**
   * What this run wrote to records planned again (`learn`), over the state's memory: the
   * state itself stays as read; the run's end works out the state it leaves.
   */
  private readonly learnedWritten = new Map<string, Record<string, FieldValue> | undefined>();

  public constructor(input: Omit<PlanInput, 'records' | 'deletedKeys' | 'detectAbsence'>) {
    this.input = { ...input, keepEdits: guardedFields(input.mappings) };
    this.keyField = input.profile.key.crmField;
    const unlinked: CrmItem[] = [];
    for (const item of input.items) {
      this.itemsById.set(item.id, item);
      const key = normalizeKey(item.values[this.keyField]);
      if (!key) {
        unlinked.push(item);
        continue;
      }
      const list = this.byKey.get(key);
      if (list) list.push(item);
      else this.byKey.set(key, [item]);
    }
    this.matcher = new Matcher(input.profile.matching, unlinked, input.profile.autoLinkConfidence);
    this.reviewByKey = new Map(input.review.items.map((r) => [r.exactKey, r] as const));
  }

  /**
   * Entries for `records`. Within the call a record read twice is planned once, as its last
   * (newest) version. A record whose key an earlier call planned is not planned: it is returned
   * in `repeats`, to be planned with `again` once the first version's write is `learn`ed.
   */
  public plan(records: ExactRecord[], again = false): { entries: RunEntry[]; repeats: ExactRecord[] } {
    const { profile } = this.input;
    const entries: RunEntry[] = [];
    const repeats: ExactRecord[] = [];
    // Sync reads can return a record twice when it changed during paging; the last one is newest.
    const latest = new Map<string, ExactRecord>();
    for (const record of records) {
      const key = normalizeKey(record[profile.key.exactField]);
      if (!key) {
        entries.push(entry({
          exactKey: '', label: labelOf(record, '?'), action: 'error', reason: because('noKey', profile.key.exactField),
          problems: [{ field: profile.key.exactField, reason: EMPTY_KEY }],
        }));
      } else if (this.seen.has(key) && !again) {
        repeats.push(record);
      } else {
        latest.delete(key);
        latest.set(key, record);
      }
    }
    for (const [key, record] of latest) entries.push(this.planRecord(key, record));
    return { entries, repeats };
  }

  /**
   * What a written entry left in the CRM, so a record planned again (a repeat) is compared with
   * the item as this run left it: its key, values and the values this run wrote.
   */
  public learn(entries: RunEntry[]): void {
    for (const e of entries) {
      if (e.outcome !== 'written' || e.itemId === null || e.action === 'deleted') continue;
      // A copy: the context's items stay as they were read (the run's other steps compare with them).
      const known = this.itemsById.get(e.itemId);
      const item: CrmItem = { id: e.itemId, values: { ...(known?.values ?? {}) } };
      this.itemsById.set(item.id, item);
      const knownKey = known ? normalizeKey(known.values[this.keyField]) : '';
      const knownList = knownKey ? this.byKey.get(knownKey) : undefined;
      if (known && knownList) {
        const rest = knownList.filter((i) => i !== known);
        if (rest.length > 0) this.byKey.set(knownKey, rest);
        else this.byKey.delete(knownKey);
      }
      for (const c of e.changes) item.values[c.field] = c.after;
      this.learnedWritten.set(e.exactKey, writtenAfter(this.writtenFor(e.exactKey), e, this.input.keepEdits));
      // The ETag moved with the write; an update planned again goes without one.
      const key = normalizeKey(item.values[this.keyField]);
      if (key) this.byKey.set(key, [...(this.byKey.get(key) ?? []), item]);
    }
  }

  /** Deletions reported by Exact, and (after a full, unfiltered read) CRM keys no record had. */
  public deletions(deletedKeys: string[], detectAbsence: boolean): RunEntry[] {
    return planDeletions(this.input, { deletedKeys, detectAbsence, byKey: this.byKey, seen: this.seen });
  }

  /** The values this run or an earlier one last wrote to the record's guarded fields. */
  private writtenFor(key: string): Record<string, FieldValue> | undefined {
    return this.learnedWritten.has(key) ? this.learnedWritten.get(key) : this.input.state.written[key];
  }

  private planRecord(key: string, record: ExactRecord): RunEntry {
    const { input, claimed } = this;
    const { profile } = input;
    const keyField = this.keyField;
    this.seen.add(key);
    const own = this.claimedBy.get(key);
    if (own !== undefined) claimed.delete(own);
    const claim = (id: number) => {
      claimed.add(id);
      this.claimedBy.set(key, id);
    };
    const label = labelOf(record, key);
    const timestamp = record.Timestamp === undefined || record.Timestamp === null ? undefined : String(record.Timestamp);
    const base = { exactKey: key, label, timestamp };
    const keyValue = asText(record[profile.key.exactField]).trim();
    const matches = this.byKey.get(key) ?? [];
    if (matches.length > 1) {
      return entry({ ...base, action: 'conflict', reason: because('duplicateKey', matches.length, keyField, keyValue, matches.map((m) => m.id).join(', ')) });
    }
    if (matches.length === 1) {
      claim(matches[0].id);
      return planExisting(input, { record, base, item: matches[0], link: undefined, written: this.writtenFor(key) });
    }
    // No key in the CRM yet: a confirmed review decision, else the match cascade.
    const decision = this.reviewByKey.get(key);
    const rejected = decision ? decision.rejectedItemIds : [];
    const excluded = { has: (id: number) => claimed.has(id) || rejected.indexOf(id) >= 0 };
    let target: { item: CrmItem; match: RunEntry['match'] } | undefined;
    if (decision && decision.status === 'confirmed' && decision.itemId !== undefined) {
      const item = this.itemsById.get(decision.itemId);
      if (item && !normalizeKey(item.values[keyField]) && !claimed.has(item.id)) {
        target = { item, match: { itemId: item.id, signal: 'review', confidence: 1 } };
      }
    }
    if (!target) {
      const result = this.matcher.match(record, excluded);
      if (result.kind === 'ambiguous') {
        return entry({ ...base, action: 'conflict', reason: result.reason, candidates: result.candidates });
      }
      if (result.kind === 'certain') {
        const item = this.itemsById.get(result.candidate.itemId);
        if (item) target = { item, match: result.candidate };
      }
    }
    if (target) {
      claim(target.item.id);
      return planExisting(input, { record, base, item: target.item, link: { keyValue, match: target.match }, written: this.writtenFor(key) });
    }
    // Two Exact records for one CRM company (a branch, a duplicate debtor): the first took the
    // item, and creating a second one for this record would be a guess. A person decides.
    const clash = this.matchesTakenInThisRun(record, decision ? decision.rejectedItemIds : []);
    if (clash.length > 0) {
      const ids = clash.map((c) => c.itemId).join(', ');
      return entry({ ...base, action: 'conflict', reason: because('reviewClaimed', ids, clash[0].signal), candidates: clash });
    }
    if (profile.mode === 'Update') {
      return entry({ ...base, action: 'skip', reason: because('notLinked') });
    }
    return planCreate(input, { record, base, keyValue });
  }

  /** Candidates of the record that another Exact record of this run already linked to. */
  private matchesTakenInThisRun(record: ExactRecord, rejected: number[]): MatchCandidate[] {
    const result = this.matcher.match(record, new Set(rejected));
    const candidates = result.kind === 'certain' ? [result.candidate] : result.kind === 'ambiguous' ? result.candidates : [];
    return candidates.filter((c) => this.claimed.has(c.itemId));
  }
}

type Base = Pick<RunEntry, 'exactKey' | 'label' | 'timestamp'>;


function mapAndConvert(input: PlanContext, record: ExactRecord, extra: Record<string, FieldValue>): { values: Record<string, FieldValue>; problems: FieldProblem[] } {
  const mapped = mapRecord(record, input.mappings, input.lookups);
  const converted = input.list.convert({ ...mapped.values, ...extra });
  return { values: converted.values, problems: [...mapped.problems, ...converted.problems] };
}

function planCreate(input: PlanContext, { record, base, keyValue }: { record: ExactRecord; base: Base; keyValue: string }): RunEntry {
  const division = input.division?.field ? { [input.division.field]: input.division.value } : {};
  const { values, problems } = mapAndConvert(input, record, { [input.profile.key.crmField]: keyValue, ...division });
  if (problems.length > 0) {
    return entry({ ...base, action: 'error', reason: because('fieldProblems', problems.length), problems });
  }
  const changes: FieldChange[] = [];
  for (const field of Object.keys(values)) {
    const after = values[field];
    if (after === null || after === '') continue;
    changes.push({ field, before: null, after });
  }
  return entry({ ...base, action: 'create', reason: because('newInExact'), changes });
}

/** A record with a CRM item: what to change; `written`: what runs last wrote to its guarded fields. */
function planExisting(
  input: PlanContext,
  { record, base, item, link, written }: {
    record: ExactRecord;
    base: Base;
    item: CrmItem;
    link: { keyValue: string; match: RunEntry['match'] } | undefined;
    written: Record<string, FieldValue> | undefined;
  },
): RunEntry {
  const { profile } = input;
  // The link itself: the key (a match), and the division when the item does not record it yet.
  const keyChange: FieldChange[] = link ? [{ field: profile.key.crmField, before: item.values[profile.key.crmField] ?? null, after: link.keyValue }] : [];
  const division = input.division;
  const recordsDivision = division?.field !== undefined && item.values[division.field] !== division.value;
  if (division?.field && recordsDivision) keyChange.push({ field: division.field, before: item.values[division.field] ?? null, after: division.value });
  const adopted = !link && recordsDivision;
  const common = { ...base, itemId: item.id, etag: item.etag, match: link?.match };
  const linkedBy = link?.match ? link.match.signal : '';
  if (profile.mode === 'Import') {
    if (link) return entry({ ...common, action: 'update', reason: because('linkedImportOnly', linkedBy), changes: keyChange });
    if (adopted && division) return entry({ ...common, action: 'update', reason: because('divisionRecorded', division.value), changes: keyChange });
    return entry({ ...common, action: 'skip', reason: because('alreadyInCrm') });
  }
  const { values, problems } = mapAndConvert(input, record, {});
  if (problems.length > 0) {
    return entry({ ...common, action: 'error', reason: because('fieldProblems', problems.length), problems });
  }
  const { keepEdits } = input;
  const changes: FieldChange[] = [...keyChange];
  const kept: string[] = [];
  for (const field of Object.keys(values)) {
    const before = item.values[field] ?? null;
    const after = values[field];
    if (sameValue(before, after)) continue;
    if (keepEdits.has(field)) {
      const last = written?.[field];
      const editedInCrm = last === undefined ? remembers(input.state, field) && !sameValue(before, null) : !sameValue(before, last);
      if (editedInCrm) {
        kept.push(field);
        continue;
      }
    }
    changes.push({ field, before, after });
  }
  const flag = profile.deletedFlagField;
  if (flag && item.values[flag] === true && !(flag in values)) {
    changes.push({ field: flag, before: true, after: false });
  }
  if (changes.length > 0) {
    const changedInExact = changes.length - keyChange.length;
    const reason = linkedBy
      ? because('linkedFieldsChanged', linkedBy, changedInExact)
      : adopted && division
        ? changedInExact > 0 ? because('divisionRecordedFieldsChanged', division.value, changedInExact) : because('divisionRecorded', division.value)
        : because('fieldsChanged', changedInExact);
    return entry({ ...common, action: 'update', reason, changes, kept });
  }
  if (kept.length > 0) {
    // Kept edits are the profile's decision, not a question: a skip that says why.
    return entry({ ...common, action: 'skip', reason: because('unchangedKept', kept.join(', ')), kept });
  }
  return entry({ ...common, action: 'skip', reason: because('unchanged') });
}

function planDeletions(
  input: Pick<PlanContext, 'profile' | 'division'>,
  { deletedKeys, detectAbsence, byKey, seen }: { deletedKeys: string[]; detectAbsence: boolean; byKey: Map<string, CrmItem[]>; seen: Set<string> },
): RunEntry[] {
  const reported = new Set(deletedKeys.map(normalizeKey).filter((k) => !seen.has(k)));
  const keys = new Set(reported);
  // A read of everything that returns nothing (a division without rights, a source Exact left
  // empty by mistake) is no proof that every record went: it would flag or delete the whole list.
  if (detectAbsence && seen.size > 0) for (const key of byKey.keys()) if (!seen.has(key)) keys.add(key);
  const flag = input.profile.deletedFlagField;
  const field = input.division?.field;
  const entries: RunEntry[] = [];
  for (const key of keys) {
    for (const item of byKey.get(key) ?? []) {
      const claim: FieldChange[] = field !== undefined && !hasDivision(item, field) && input.division ? [{ field, before: item.values[field] ?? null, after: input.division.value }] : [];
      const unassigned = claim.length > 0;
      // An item without a division is this division's only when its own Exact reports it deleted;
      // absent from this division's read, it may well be another division's.
      if (unassigned && !reported.has(key)) continue;
      const label = asText(item.values.Title) || key;
      if (!flag) {
        entries.push(entry({ exactKey: key, label, itemId: item.id, action: 'deleted', reason: because('deletedReported') }));
      } else if (item.values[flag] !== true) {
        entries.push(entry({
          exactKey: key, label, itemId: item.id, etag: item.etag, action: 'deleted',
          reason: because('deletedFlagged', flag), changes: [{ field: flag, before: item.values[flag] ?? null, after: true }, ...claim],
        }));
      }
    }
  }
  return entries;
}
