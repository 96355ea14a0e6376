import { fillTemplate } from '../words';

/**
 * Why a value does not fit its CRM column, as a code and its parts (src/crm/convert.ts), so the
 * run log, preview and review say it in the reader's language. The English `reason` beside it
 * stays for logs and the CSV; a problem stored before codes existed has only that and is shown
 * as written.
 */
export interface FieldProblemArgs {
  required: [];
  unknownColumn: [];
  readOnlyColumn: [];
  /** `kind`: JavaScript's type name (English, only the English says it); `got`: the value as shown ("abc" quoted). */
  notText: [kind: string, got: string];
  textTooLong: [length: number, limit: number];
  urlTooLong: [length: number, limit: number];
  notDateText: [kind: string, got: string];
  notIsoDate: [value: string];
  dateOutOfRange: [value: string];
  notUrlText: [kind: string, got: string];
  urlNotAbsolute: [value: string];
  urlScheme: [value: string];
  notUserId: [kind: string, got: string];
  notItemId: [kind: string, got: string];
  lookupMissing: [itemId: number, list: string];
  notNumber: [kind: string, got: string];
  numberBelow: [value: number, min: number];
  numberAbove: [value: number, max: number];
  notYesNo: [kind: string, got: string];
  notChoiceText: [kind: string, got: string];
  unknownChoice: [value: string, allowed: string];
  unsupportedType: [type: string];
}
export type FieldProblemCode = keyof FieldProblemArgs;

const ARG_COUNT: Record<FieldProblemCode, number> = {
  required: 0, unknownColumn: 0, readOnlyColumn: 0, notText: 2, textTooLong: 2, urlTooLong: 2, notDateText: 2, notIsoDate: 1,
  dateOutOfRange: 1, notUrlText: 2, urlNotAbsolute: 1, urlScheme: 1, notUserId: 2, notItemId: 2, lookupMissing: 2, notNumber: 2,
  numberBelow: 2, numberAbove: 2, notYesNo: 2, notChoiceText: 2, unknownChoice: 2, unsupportedType: 1,
};
export const FIELD_PROBLEM_CODES = Object.keys(ARG_COUNT) as FieldProblemCode[];

/** The sentences, one per code (`Problem` + the code, capitalised); the loc files carry the same keys. */
export type FieldProblemWords = { [K in FieldProblemCode as `Problem${Capitalize<K>}`]: string } & ValueKindWords;

/**
 * What came instead of the expected value, named by JavaScript's `typeof` in the stored English;
 * a reader of another language gets the kind in their words ("getal", not "number").
 */
export interface ValueKindWords {
  ProblemKindString: string;
  ProblemKindNumber: string;
  ProblemKindBoolean: string;
  ProblemKindObject: string;
}
const KIND_WORD: Record<string, keyof ValueKindWords> = { string: 'ProblemKindString', number: 'ProblemKindNumber', boolean: 'ProblemKindBoolean', object: 'ProblemKindObject' };
/** The codes whose first part is such a kind. */
const KIND_FIRST: ReadonlySet<FieldProblemCode> = new Set<FieldProblemCode>(['notText', 'notDateText', 'notUrlText', 'notUserId', 'notItemId', 'notNumber', 'notYesNo', 'notChoiceText']);

export const englishFieldProblems: FieldProblemWords = {
  ProblemRequired: 'required: the column needs a value',
  ProblemUnknownColumn: 'unknown column: the list has no column with this internal name',
  ProblemReadOnlyColumn: 'read-only column: SharePoint does not accept values for it',
  ProblemNotText: 'expects text, got {0} {1}',
  ProblemTextTooLong: 'text too long: {0} characters, the column allows {1}',
  ProblemUrlTooLong: 'text too long: URL has {0} characters, the column allows {1}',
  ProblemNotDateText: 'invalid date: expects an ISO 8601 string, got {0} {1}',
  ProblemNotIsoDate: 'invalid date: {0} is not an ISO 8601 date',
  ProblemDateOutOfRange: 'invalid date: {0} is outside 1900-01-01..8900-12-31',
  ProblemNotUrlText: 'expects a URL string, got {0} {1}',
  ProblemUrlNotAbsolute: 'invalid URL {0}: must be an absolute http or https address',
  ProblemUrlScheme: 'invalid URL {0}: only http and https are allowed',
  ProblemNotUserId: 'expects a user id (a positive whole number), got {0} {1}',
  ProblemNotItemId: 'expects the target item id (a positive whole number), got {0} {1}',
  ProblemLookupMissing: 'lookup target missing: item {0} does not exist in "{1}"',
  ProblemNotNumber: 'expects a number, got {0} {1}',
  ProblemNumberBelow: 'number out of range: {0} is below the minimum {1}',
  ProblemNumberAbove: 'number out of range: {0} is above the maximum {1}',
  ProblemNotYesNo: 'expects true or false, got {0} {1} (text is not guessed)',
  ProblemNotChoiceText: 'expects one of the choices, got {0} {1}',
  ProblemUnknownChoice: 'unknown choice {0}: allowed are {1}',
  ProblemUnsupportedType: 'unsupported column type {0}',
  ProblemKindString: 'string',
  ProblemKindNumber: 'number',
  ProblemKindBoolean: 'boolean',
  ProblemKindObject: 'object',
};

export interface CodedProblem {
  field: string;
  /** The English sentence (logs, CSV, and what older logs hold). */
  reason: string;
  code?: string;
  args?: Array<string | number>;
}

const wordKey = (code: FieldProblemCode): keyof FieldProblemWords => `Problem${code.charAt(0).toUpperCase()}${code.slice(1)}` as keyof FieldProblemWords;

function isCode(code: unknown): code is FieldProblemCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ARG_COUNT, code);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each code's English as a pattern (`{0}` a part), the most literal words first: "URL has 300" is no length of textTooLong. */
const LEGACY = FIELD_PROBLEM_CODES.map((code) => {
  const pieces = englishFieldProblems[wordKey(code)].split(/\{\d\}/);
  return { code, literal: pieces.join('').length, pattern: new RegExp(`^${pieces.map(escape).join('([\\s\\S]+?)')}$`) };
}).sort((a, b) => b.literal - a.literal);

/**
 * The code an older log's English problem names (stored before problems had codes). Taken only
 * when the code's English reads exactly as the sentence, so nothing is changed; else undefined.
 */
function legacyProblem(reason: string): { code: FieldProblemCode; args: Array<string | number> } | undefined {
  for (const { code, pattern } of LEGACY) {
    const match = pattern.exec(reason);
    if (!match) continue;
    const args = match.slice(1).map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : part));
    if (fillTemplate(englishFieldProblems[wordKey(code)], args) === reason) return { code, args };
  }
  return undefined;
}

/** A problem's reason in the reader's words; one without a known code (SharePoint's own answer) as written. */
export function renderFieldProblem(problem: CodedProblem, words: Partial<FieldProblemWords> = englishFieldProblems): string {
  const { code, args = [] } = problem.code === undefined ? (legacyProblem(problem.reason) ?? {}) : problem;
  if (!isCode(code) || args.length < ARG_COUNT[code]) return problem.reason;
  const template = words[wordKey(code)];
  if (template === undefined) return problem.reason;
  const kindKey = KIND_FIRST.has(code) ? KIND_WORD[String(args[0])] : undefined;
  const kind = kindKey === undefined ? undefined : words[kindKey];
  return fillTemplate(template, kind === undefined ? args : [kind, ...args.slice(1)]);
}

/** A problem with its code, its parts and its English sentence (made from the same words). */
export function fieldProblem<C extends FieldProblemCode>(field: string, code: C, ...args: FieldProblemArgs[C]): CodedProblem & { code: C } {
  return { field, code, args, reason: fillTemplate(englishFieldProblems[wordKey(code)], args) };
}
