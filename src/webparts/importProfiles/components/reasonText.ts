import { format } from '../../../ui/format';

/** The words reasonText needs (ImportProfilesWebPartStrings; a parameter, so tests can give them). */
export type ReasonStrings = Record<
  | 'ReasonNewInExact' | 'ReasonUnchanged' | 'ReasonUnchangedKept' | 'ReasonFieldsChanged' | 'ReasonLinkedFieldsChanged' | 'ReasonLinkedImportOnly'
  | 'ReasonAlreadyInCrm' | 'ReasonNotLinked' | 'ReasonDeletedReported' | 'ReasonDeletedFlagged' | 'ReasonNoKey' | 'ReasonEmptyKey' | 'ReasonDuplicateKey'
  | 'ReasonReviewMany' | 'ReasonReviewWeak' | 'ReasonReviewClaimed' | 'ReasonCreatedByRun' | 'ReasonChangedByRun' | 'ReasonAlreadyRemoved'
  | 'ReasonAlreadyRestored' | 'ReasonItemGone' | 'ReasonChangedSince',
  string
>;

/**
 * The engine writes a record's reason in English into the run log (the CSV and the stored log stay
 * as they are, whatever the reader's language); the screens show it in the reader's language.
 * Each rule is one sentence src/sync writes (planner.ts, matching.ts, undo.ts); a reason no rule
 * knows is shown as written, never dropped.
 */
const rules: Array<[RegExp, (m: RegExpExecArray, strings: ReasonStrings) => string]> = [
  [/^new in Exact$/, (_, strings) => strings.ReasonNewInExact],
  [/^unchanged$/, (_, strings) => strings.ReasonUnchanged],
  [/^unchanged; CRM edits kept: (.+)$/, (m, strings) => format(strings.ReasonUnchangedKept, m[1]!)],
  [/^(\d+) field\(s\) changed in Exact$/, (m, strings) => format(strings.ReasonFieldsChanged, m[1]!)],
  [/^linked by (.+?); (\d+) field\(s\) changed in Exact$/, (m, strings) => format(strings.ReasonLinkedFieldsChanged, m[1]!, m[2]!)],
  [/^linked by (.+?); Import leaves other fields alone$/, (m, strings) => format(strings.ReasonLinkedImportOnly, m[1]!)],
  [/^already in the CRM \(Import leaves matches alone\)$/, (_, strings) => strings.ReasonAlreadyInCrm],
  [/^not linked: no CRM item has this key$/, (_, strings) => strings.ReasonNotLinked],
  [/^deleted in Exact \(reported, not propagated\)$/, (_, strings) => strings.ReasonDeletedReported],
  [/^deleted in Exact; flagged in (.+)$/, (m, strings) => format(strings.ReasonDeletedFlagged, m[1]!)],
  [/^record has no (.+)$/, (m, strings) => format(strings.ReasonNoKey, m[1]!)],
  [/^empty key$/, (_, strings) => strings.ReasonEmptyKey],
  [/^(\d+) CRM items have (\S+) (.*?): ([\d, ]+)$/, (m, strings) => format(strings.ReasonDuplicateKey, m[1]!, m[2]!, m[3]!, m[4]!)],
  [/^awaiting review: (\d+) CRM items match on (.+)$/, (m, strings) => format(strings.ReasonReviewMany, m[1]!, m[2]!)],
  [/^awaiting review: only a weak match on (.+) \(confidence ([\d.]+)\)$/, (m, strings) => format(strings.ReasonReviewWeak, m[1]!, m[2]!)],
  [/^awaiting review: matches CRM item ([\d, ]+) on (.+), which another Exact record in this run links to$/, (m, strings) => format(strings.ReasonReviewClaimed, m[1]!, m[2]!)],
  [/^created by run (.+)$/, (m, strings) => format(strings.ReasonCreatedByRun, m[1]!)],
  [/^changed by run (.+)$/, (m, strings) => format(strings.ReasonChangedByRun, m[1]!)],
  [/^already removed$/, (_, strings) => strings.ReasonAlreadyRemoved],
  [/^already restored$/, (_, strings) => strings.ReasonAlreadyRestored],
  [/^item (\d+) \((.*)\) no longer exists; nothing to restore$/, (m, strings) => format(strings.ReasonItemGone, m[1]!, m[2]!)],
  [/^item (\d+) \((.*?)\) was changed since: (.+)$/, (m, strings) => format(strings.ReasonChangedSince, m[1]!, m[2]!, m[3]!)],
];

export function reasonText(reason: string, strings: ReasonStrings): string {
  for (const [pattern, text] of rules) {
    const match = pattern.exec(reason);
    if (match) return text(match, strings);
  }
  return reason;
}
