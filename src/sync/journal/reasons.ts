import { z } from 'zod';
import { fillTemplate } from '../words';
import { renderFieldProblem, type CodedProblem, type FieldProblemWords } from './fieldProblems';

/**
 * Why a run-log entry is what it is: a code and its parts, never a sentence. The sentence is made
 * when someone reads it, in their language: `renderReason` with the English words below (the
 * CSV's default, tests) or with the web part's loc strings, which carry the same keys.
 */

/** The parts each code carries, in the order its sentence uses them. */
export interface ReasonArgs {
  newInExact: [];
  unchanged: [];
  unchangedKept: [fields: string];
  fieldsChanged: [count: number];
  linkedFieldsChanged: [signal: string, count: number];
  linkedImportOnly: [signal: string];
  alreadyInCrm: [];
  /** An item linked before divisions were recorded, whose key this division's Exact read has: the run writes the division on it. */
  divisionRecorded: [division: number];
  divisionRecordedFieldsChanged: [division: number, count: number];
  notLinked: [];
  deletedReported: [];
  deletedFlagged: [flagField: string];
  noKey: [keyField: string];
  emptyKey: [];
  /** The values of `count` fields do not fit their CRM columns; the entry's problems say which and why. */
  fieldProblems: [count: number];
  duplicateKey: [count: number, keyField: string, keyValue: string, itemIds: string];
  reviewMany: [count: number, signal: string];
  reviewWeak: [signal: string, confidence: number];
  reviewClaimed: [itemIds: string, signal: string];
  createdByRun: [runId: string];
  changedByRun: [runId: string];
  alreadyRemoved: [];
  alreadyRestored: [];
  itemGone: [itemId: number, label: string];
  /** Then three per field: its name, its value now and the value the run wrote ('' is empty). A title '' is untitled. */
  changedSince: [itemId: number, title: string, runId: string, ...fieldNowWrote: string[]];
  /** A sentence of a log written before reasons had codes, in a form no pattern knows: shown as written. */
  asWritten: [text: string];
}
export type ReasonCode = keyof ReasonArgs;

/** How many parts a code needs at least (changedSince has more, three per field). */
const ARG_COUNT: Record<ReasonCode, number> = {
  newInExact: 0, unchanged: 0, unchangedKept: 1, fieldsChanged: 1, linkedFieldsChanged: 2, linkedImportOnly: 1,
  alreadyInCrm: 0, divisionRecorded: 1, divisionRecordedFieldsChanged: 2, notLinked: 0, deletedReported: 0, deletedFlagged: 1, noKey: 1, emptyKey: 0, fieldProblems: 1,
  duplicateKey: 4, reviewMany: 2, reviewWeak: 2, reviewClaimed: 2, createdByRun: 1, changedByRun: 1,
  alreadyRemoved: 0, alreadyRestored: 0, itemGone: 2, changedSince: 3, asWritten: 1,
};
export const REASON_CODES = Object.keys(ARG_COUNT) as ReasonCode[];

export interface Reason {
  code: ReasonCode;
  args: Array<string | number>;
}

const isArg = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** What makes `v` no reason, or undefined. A check, not a zod object: a run's log holds tens of thousands of them. */
function notAReason(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'Expected a reason: { code, args }';
  const { code, args } = v as { code?: unknown; args?: unknown };
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(ARG_COUNT, code)) return `Unknown reason code ${JSON.stringify(code)}`;
  if (!Array.isArray(args) || !args.every(isArg)) return `Reason ${code}: args must be strings and numbers`;
  const needed = ARG_COUNT[code as ReasonCode];
  return args.length < needed ? `Reason ${code} needs ${needed} argument(s)` : undefined;
}

/** A reason as the engine stores it. A run entry reads an older log's sentence before this (records.ts). */
export const reasonSchema = z.custom<Reason>((v) => notAReason(v) === undefined, (v) => ({ message: notAReason(v) ?? '' }));

/** A stored reason, or the English sentence older documents hold (read as the code it names). */
export const reasonOrSentenceSchema = z.preprocess((v) => (typeof v === 'string' ? legacyReason(v) : v), reasonSchema);

export function because<C extends ReasonCode>(code: C, ...args: ReasonArgs[C]): Reason {
  return { code, args };
}

/** The problem the planner names for a record without a key. Other field problems carry a code (src/crm/convert.ts) or are SharePoint's own words. */
export const EMPTY_KEY = 'empty key';

type Worded = Exclude<ReasonCode, 'asWritten'>;

/** The sentences, one per code (`Reason` + the code, capitalised), and the words changedSince puts together. */
export type ReasonWords = { [K in Worded as `Reason${Capitalize<K>}`]: string } & {
  /** One field of changedSince: the field, its value now, the run, the value the run wrote. */
  ReasonChangedSinceField: string;
  ReasonEmptyValue: string;
  ReasonUntitled: string;
};

export const englishReasons: ReasonWords = {
  ReasonNewInExact: 'new in Exact',
  ReasonUnchanged: 'unchanged',
  ReasonUnchangedKept: 'unchanged; CRM edits kept: {0}',
  ReasonFieldsChanged: '{0} {0|field|fields} changed in Exact',
  ReasonLinkedFieldsChanged: 'linked by {0}; {1} {1|field|fields} changed in Exact',
  ReasonLinkedImportOnly: 'linked by {0}; Import leaves other fields alone',
  ReasonAlreadyInCrm: 'already in the CRM (Import leaves matches alone)',
  ReasonDivisionRecorded: 'division {0} recorded (linked before divisions were recorded; this division has its Exact record)',
  ReasonDivisionRecordedFieldsChanged: 'division {0} recorded (linked before divisions were recorded; this division has its Exact record); {1} {1|field|fields} changed in Exact',
  ReasonNotLinked: 'not linked: no CRM item has this key',
  ReasonDeletedReported: 'deleted in Exact (reported, not propagated)',
  ReasonDeletedFlagged: 'deleted in Exact; flagged in {0}',
  ReasonNoKey: 'record has no {0}',
  ReasonEmptyKey: 'empty key',
  ReasonFieldProblems: '{0} {0|field|fields} cannot be written to the CRM',
  ReasonDuplicateKey: '{0} CRM items have {1} {2}: {3}',
  ReasonReviewMany: 'awaiting review: {0} CRM items match on {1}',
  ReasonReviewWeak: 'awaiting review: only a weak match on {0} (confidence {1})',
  ReasonReviewClaimed: 'awaiting review: matches CRM item {0} on {1}, which another Exact record in this run links to',
  ReasonCreatedByRun: 'created by run {0}',
  ReasonChangedByRun: 'changed by run {0}',
  ReasonAlreadyRemoved: 'already removed',
  ReasonAlreadyRestored: 'already restored',
  ReasonItemGone: 'item {0} ({1}) no longer exists; nothing to restore',
  ReasonChangedSince: 'item {0} ({1}) was changed since: {2}',
  ReasonChangedSinceField: '{0} is now {1}, run {2} wrote {3}',
  ReasonEmptyValue: '(empty)',
  ReasonUntitled: 'untitled',
};

export const reasonWordKey = (code: Worded): keyof ReasonWords => `Reason${code.charAt(0).toUpperCase()}${code.slice(1)}` as keyof ReasonWords;

const fill = fillTemplate;

export function renderReason(reason: Reason, words: ReasonWords = englishReasons): string {
  const { code, args } = reason;
  if (code === 'asWritten') return String(args[0]);
  if (code !== 'changedSince') return fill(words[reasonWordKey(code)], args);
  const shown = (v: string | number | undefined): string => (v === undefined || v === '' ? words.ReasonEmptyValue : `"${String(v)}"`);
  const [itemId, title, runId] = args;
  const fields: string[] = [];
  for (let i = 3; i < args.length; i += 3) fields.push(fill(words.ReasonChangedSinceField, [args[i], shown(args[i + 1]), runId, shown(args[i + 2])]));
  return fill(words.ReasonChangedSince, [itemId, title === '' ? words.ReasonUntitled : title, fields.join('; ')]);
}

/**
 * What the log says about an entry, part by part: the reason, then each field problem that the
 * entry's message (a failed write's answer, shown by the caller) does not already say.
 */
export function reasonParts(entry: { reason: Reason; problems: readonly CodedProblem[]; message?: string }, words: ReasonWords & Partial<FieldProblemWords> = englishReasons): string[] {
  const problems = entry.problems.filter((p) => p.reason !== entry.message);
  return [renderReason(entry.reason, words), ...problems.map((p) => `${p.field}: ${p.reason === EMPTY_KEY ? words.ReasonEmptyKey : renderFieldProblem(p, words)}`)];
}

const problemsText = (problems: ReadonlyArray<{ field: string; reason: string }>): string => problems.map((p) => `${p.field}: ${p.reason}`).join('; ');

/** The parts of changedSince's English details ("Phone is now "x", run r wrote (empty); …"). */
function changedSinceFields(details: string): { runId: string; parts: string[] } {
  const field = /(.+?) is now ("[\s\S]*?"|\(empty\)), run (.+?) wrote ("[\s\S]*?"|\(empty\))(; |$)/y;
  const value = (shown: string): string => (shown === '(empty)' ? '' : shown.slice(1, -1));
  const parts: string[] = [];
  let runId = '';
  for (let f = field.exec(details); f; f = f[5] === '' ? null : field.exec(details)) {
    parts.push(f[1], value(f[2]), value(f[4]));
    runId = f[3];
  }
  return { runId, parts };
}

/** The English of logs written before counts had their words ("3 field(s) changed"). */
const OLDER_ENGLISH: ReasonWords = {
  ...englishReasons,
  ReasonFieldsChanged: '{0} field(s) changed in Exact',
  ReasonLinkedFieldsChanged: 'linked by {0}; {1} field(s) changed in Exact',
};

/** The sentences the engine wrote before reasons had codes, and the code each one is. */
const LEGACY: Array<[RegExp, (m: RegExpExecArray) => Reason]> = [
  [/^new in Exact$/, () => because('newInExact')],
  [/^unchanged$/, () => because('unchanged')],
  [/^unchanged; CRM edits kept: (.+)$/, (m) => because('unchangedKept', m[1])],
  [/^(\d+) field(?:\(s\)|s)? changed in Exact$/, (m) => because('fieldsChanged', Number(m[1]))],
  [/^linked by (.+?); (\d+) field(?:\(s\)|s)? changed in Exact$/, (m) => because('linkedFieldsChanged', m[1], Number(m[2]))],
  [/^linked by (.+?); Import leaves other fields alone$/, (m) => because('linkedImportOnly', m[1])],
  [/^already in the CRM \(Import leaves matches alone\)$/, () => because('alreadyInCrm')],
  [/^not linked: no CRM item has this key$/, () => because('notLinked')],
  [/^deleted in Exact \(reported, not propagated\)$/, () => because('deletedReported')],
  [/^deleted in Exact; flagged in (.+)$/, (m) => because('deletedFlagged', m[1])],
  [/^record has no (.+)$/, (m) => because('noKey', m[1])],
  [/^empty key$/, () => because('emptyKey')],
  [/^(\d+) CRM items have (\S+) (.*?): ([\d, ]+)$/, (m) => because('duplicateKey', Number(m[1]), m[2], m[3], m[4])],
  [/^awaiting review: (\d+) CRM items match on (.+)$/, (m) => because('reviewMany', Number(m[1]), m[2])],
  [/^awaiting review: only a weak match on (.+) \(confidence ([\d.]+)\)$/, (m) => because('reviewWeak', m[1], Number(m[2]))],
  [/^awaiting review: matches CRM item ([\d, ]+) on (.+), which another Exact record in this run links to$/, (m) => because('reviewClaimed', m[1], m[2])],
  [/^created by run (.+)$/, (m) => because('createdByRun', m[1])],
  [/^changed by run (.+)$/, (m) => because('changedByRun', m[1])],
  [/^already removed$/, () => because('alreadyRemoved')],
  [/^already restored$/, () => because('alreadyRestored')],
  [/^item (\d+) \((.*)\) no longer exists; nothing to restore$/, (m) => because('itemGone', Number(m[1]), m[2])],
  [
    /^item (\d+) \((.*?)\) was changed since: (.+)$/,
    (m) => {
      const { runId, parts } = changedSinceFields(m[3]);
      return because('changedSince', Number(m[1]), m[2] === englishReasons.ReasonUntitled ? '' : m[2], runId, ...parts);
    },
  ],
];

/**
 * The code an English sentence of an older log names. `problems`: the entry's field problems, as
 * stored (an error's sentence was the list of them). A sentence is only taken for a code whose
 * English reads exactly as it; any other is kept as written, so no reason is lost or changed.
 */
export function legacyReason(sentence: string, problems: readonly unknown[] = []): Reason {
  const named = problems.filter((p): p is { field: string; reason: string } => typeof p === 'object' && p !== null && typeof (p as { field?: unknown }).field === 'string' && typeof (p as { reason?: unknown }).reason === 'string');
  if (named.length > 0 && named.length === problems.length && sentence === problemsText(named)) return because('fieldProblems', named.length);
  for (const [pattern, make] of LEGACY) {
    const match = pattern.exec(sentence);
    const reason = match ? make(match) : undefined;
    if (reason && (renderReason(reason) === sentence || renderReason(reason, OLDER_ENGLISH) === sentence)) return reason;
  }
  return because('asWritten', sentence);
}
