import type { z } from 'zod';

/**
 * How a sentence is made from a loc template, in the reader's language: `{0}` is a part, and
 * `{0|field|fields}` the word that agrees with the number in part 0 (one or more; English and
 * Dutch count alike), so no sentence reads "2 field(s)" or "2 probleem/problemen".
 */
export function fillTemplate(template: string, args: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g, (whole, index: string, one: string | undefined, other: string | undefined) => {
    const value = args[Number(index)];
    if (value === undefined) return whole;
    if (one === undefined) return String(value);
    return Math.abs(Number(value)) === 1 ? one : (other ?? one);
  });
}

/**
 * The words for zod's issues, one per kind, so a validation message reads in the user's language
 * ("mag hoogstens 255 tekens lang zijn") instead of zod's English ("String must contain at most
 * 255 character(s)"). The loc files (CommonStrings) carry the same keys.
 */
export interface ZodWords {
  ZodRequired: string;
  ZodInvalidType: string;
  ZodTypeText: string;
  ZodTypeNumber: string;
  ZodTypeWholeNumber: string;
  ZodTypeYesNo: string;
  ZodTypeDate: string;
  ZodTypeList: string;
  ZodTypeGroup: string;
  ZodTypeNothing: string;
  ZodTypeOther: string;
  ZodInvalidLiteral: string;
  ZodCustom: string;
  ZodInvalidUnion: string;
  ZodInvalidChoice: string;
  ZodInvalidKind: string;
  ZodUnrecognizedKeys: string;
  ZodInvalidArguments: string;
  ZodInvalidReturnType: string;
  ZodInvalidDate: string;
  ZodStringForm: string;
  ZodFormEmail: string;
  ZodFormUrl: string;
  ZodFormGuid: string;
  ZodFormDate: string;
  ZodFormTime: string;
  ZodFormAllowed: string;
  ZodStringIncludes: string;
  ZodStringStartsWith: string;
  ZodStringEndsWith: string;
  ZodTextMin: string;
  ZodTextMax: string;
  ZodTextExact: string;
  ZodNumberMin: string;
  ZodNumberAbove: string;
  ZodNumberMax: string;
  ZodNumberBelow: string;
  ZodNumberExact: string;
  ZodListMin: string;
  ZodListMax: string;
  ZodListExact: string;
  ZodDateMin: string;
  ZodDateMax: string;
  ZodInvalidIntersection: string;
  ZodNotMultipleOf: string;
  ZodNotFinite: string;
}

export const englishZodWords: ZodWords = {
  ZodRequired: 'is required',
  ZodInvalidType: 'must be {0}',
  ZodTypeText: 'text',
  ZodTypeNumber: 'a number',
  ZodTypeWholeNumber: 'a whole number',
  ZodTypeYesNo: 'yes or no (true or false)',
  ZodTypeDate: 'a date',
  ZodTypeList: 'a list',
  ZodTypeGroup: 'a group of fields',
  ZodTypeNothing: 'empty',
  ZodTypeOther: 'another kind of value',
  ZodInvalidLiteral: 'must be exactly {0}',
  ZodCustom: 'is not valid here',
  ZodInvalidUnion: 'does not fit any of the allowed forms',
  ZodInvalidChoice: '{0} is not one of the choices: {1}',
  ZodInvalidKind: 'must be one of: {0}',
  ZodUnrecognizedKeys: '{0|unknown field|unknown fields}: {1}',
  ZodInvalidArguments: 'the values passed in are not valid',
  ZodInvalidReturnType: 'the answer is not valid',
  ZodInvalidDate: 'is not a valid date',
  ZodStringForm: 'is not {0}',
  ZodFormEmail: 'a valid email address',
  ZodFormUrl: 'a valid web address',
  ZodFormGuid: 'a valid GUID (such as 1f0b0c3e-5c1a-4b53-9d6e-0a1b2c3d4e5f)',
  ZodFormDate: 'a valid date (such as 2026-01-31)',
  ZodFormTime: 'a valid time (such as 13:45)',
  ZodFormAllowed: 'in the form allowed here',
  ZodStringIncludes: 'must contain "{0}"',
  ZodStringStartsWith: 'must start with "{0}"',
  ZodStringEndsWith: 'must end with "{0}"',
  ZodTextMin: 'must be at least {0} {0|character|characters} long',
  ZodTextMax: 'may be at most {0} {0|character|characters} long',
  ZodTextExact: 'must be exactly {0} {0|character|characters} long',
  ZodNumberMin: 'must be {0} or more',
  ZodNumberAbove: 'must be more than {0}',
  ZodNumberMax: 'must be {0} or less',
  ZodNumberBelow: 'must be less than {0}',
  ZodNumberExact: 'must be {0}',
  ZodListMin: 'needs at least {0} {0|entry|entries}',
  ZodListMax: 'may have at most {0} {0|entry|entries}',
  ZodListExact: 'needs exactly {0} {0|entry|entries}',
  ZodDateMin: 'must be on or after {0}',
  ZodDateMax: 'must be on or before {0}',
  ZodInvalidIntersection: 'the values cannot be combined',
  ZodNotMultipleOf: 'must be a multiple of {0}',
  ZodNotFinite: 'must be a finite number',
};

/** A zod issue as plain data: what it needs to be worded again, without zod's own sentence or nested errors. */
export type ZodIssueData = { code: z.ZodIssueCode } & Record<string, unknown>;

export function zodIssueData(issue: z.ZodIssueOptionalMessage): ZodIssueData {
  const data: ZodIssueData = { code: issue.code };
  for (const [key, value] of Object.entries(issue)) {
    if (key === 'path' || key === 'message' || key === 'fatal' || key === 'unionErrors' || key === 'argumentsError' || key === 'returnTypeError' || key === 'params') continue;
    data[key] = typeof value === 'bigint' ? Number(value) : value;
  }
  return data;
}

const TYPE_WORD: Record<string, keyof ZodWords> = {
  string: 'ZodTypeText',
  number: 'ZodTypeNumber',
  integer: 'ZodTypeWholeNumber',
  bigint: 'ZodTypeWholeNumber',
  boolean: 'ZodTypeYesNo',
  date: 'ZodTypeDate',
  array: 'ZodTypeList',
  set: 'ZodTypeList',
  object: 'ZodTypeGroup',
  map: 'ZodTypeGroup',
  null: 'ZodTypeNothing',
  undefined: 'ZodTypeNothing',
  void: 'ZodTypeNothing',
};

const FORM_WORD: Record<string, keyof ZodWords> = {
  email: 'ZodFormEmail',
  url: 'ZodFormUrl',
  uuid: 'ZodFormGuid',
  date: 'ZodFormDate',
  datetime: 'ZodFormDate',
  time: 'ZodFormTime',
};

const shown = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : value === undefined ? '' : String(value));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));

function sizeWords(kind: unknown): { min: keyof ZodWords; max: keyof ZodWords; exact: keyof ZodWords } | undefined {
  if (kind === 'string') return { min: 'ZodTextMin', max: 'ZodTextMax', exact: 'ZodTextExact' };
  if (kind === 'array' || kind === 'set') return { min: 'ZodListMin', max: 'ZodListMax', exact: 'ZodListExact' };
  return undefined;
}

function sizeText(issue: ZodIssueData, words: ZodWords, side: 'min' | 'max'): string {
  const bound = side === 'min' ? issue.minimum : issue.maximum;
  const sized = sizeWords(issue.type);
  if (sized) {
    // An empty required text is "required", not "at least 1 character long".
    if (issue.type === 'string' && side === 'min' && num(bound) === 1 && !issue.exact) return words.ZodRequired;
    return fillTemplate(words[issue.exact ? sized.exact : sized[side]], [num(bound)]);
  }
  if (issue.type === 'date') return fillTemplate(words[side === 'min' ? 'ZodDateMin' : 'ZodDateMax'], [new Date(num(bound)).toISOString().slice(0, 10)]);
  if (issue.exact) return fillTemplate(words.ZodNumberExact, [num(bound)]);
  const inclusive = issue.inclusive !== false;
  const key: keyof ZodWords = side === 'min' ? (inclusive ? 'ZodNumberMin' : 'ZodNumberAbove') : inclusive ? 'ZodNumberMax' : 'ZodNumberBelow';
  return fillTemplate(words[key], [num(bound)]);
}

function stringText(issue: ZodIssueData, words: ZodWords): string {
  const v = issue.validation;
  if (typeof v === 'object' && v !== null) {
    const rule = v as { includes?: string; startsWith?: string; endsWith?: string };
    if (rule.includes !== undefined) return fillTemplate(words.ZodStringIncludes, [rule.includes]);
    if (rule.startsWith !== undefined) return fillTemplate(words.ZodStringStartsWith, [rule.startsWith]);
    if (rule.endsWith !== undefined) return fillTemplate(words.ZodStringEndsWith, [rule.endsWith]);
  }
  const form = typeof v === 'string' ? FORM_WORD[v] : undefined;
  return fillTemplate(words.ZodStringForm, [words[form ?? 'ZodFormAllowed']]);
}

/** A zod issue in the reader's words; the field it is about is said by the caller. */
export function renderZodIssue(issue: ZodIssueData | z.ZodIssueOptionalMessage, words: ZodWords = englishZodWords): string {
  const data = 'path' in issue ? zodIssueData(issue as z.ZodIssueOptionalMessage) : (issue as ZodIssueData);
  switch (data.code) {
    case 'invalid_type':
      if (data.received === 'undefined') return words.ZodRequired;
      return fillTemplate(words.ZodInvalidType, [words[TYPE_WORD[String(data.expected)] ?? 'ZodTypeOther']]);
    case 'invalid_literal':
      return fillTemplate(words.ZodInvalidLiteral, [shown(data.expected)]);
    case 'invalid_union':
      return words.ZodInvalidUnion;
    case 'invalid_union_discriminator':
      return fillTemplate(words.ZodInvalidKind, [(data.options as unknown[] | undefined)?.map(shown).join(', ') ?? '']);
    case 'invalid_enum_value':
      return fillTemplate(words.ZodInvalidChoice, [shown(data.received), (data.options as unknown[] | undefined)?.map(shown).join(', ') ?? '']);
    case 'unrecognized_keys': {
      const keys = (data.keys as string[] | undefined) ?? [];
      return fillTemplate(words.ZodUnrecognizedKeys, [keys.length, keys.join(', ')]);
    }
    case 'invalid_arguments':
      return words.ZodInvalidArguments;
    case 'invalid_return_type':
      return words.ZodInvalidReturnType;
    case 'invalid_date':
      return words.ZodInvalidDate;
    case 'invalid_string':
      return stringText(data, words);
    case 'too_small':
      return sizeText(data, words, 'min');
    case 'too_big':
      return sizeText(data, words, 'max');
    case 'invalid_intersection_types':
      return words.ZodInvalidIntersection;
    case 'not_multiple_of':
      return fillTemplate(words.ZodNotMultipleOf, [num(data.multipleOf)]);
    case 'not_finite':
      return words.ZodNotFinite;
    default:
      return words.ZodCustom;
  }
}

/** A zod error map that words every issue in the reader's language (`schema.safeParse(v, { errorMap })`). */
export function zodErrorMap(words: ZodWords): z.ZodErrorMap {
  return (issue) => ({ message: renderZodIssue(issue, words) });
}
