/**
 * Every message a user can see, in English and in Dutch: each kind of zod issue (every
 * z.ZodIssueCode, each size kind), each engine reason code and each profile problem code is
 * worded in en-us and nl-nl with nothing left in English in the Dutch, no raw code, no
 * placeholder left open and no "(s)" or "probleem/problemen" plurals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_PROBLEM_CODES, fieldProblem, renderFieldProblem, type FieldProblemArgs, type FieldProblemCode, type FieldProblemWords } from '../../src/sync/journal/fieldProblems';
import { reasonParts, REASON_CODES, renderReason, type ReasonArgs, type ReasonCode, type ReasonWords } from '../../src/sync/journal/reasons';
import type { ProfileProblemCode } from '../../src/sync/profile/issues';
import { parseProfile, ProfileError } from '../../src/sync/profile/profile';
import { englishZodWords, fillTemplate, renderZodIssue, zodErrorMap, type ZodIssueData, type ZodWords } from '../../src/sync/words';
import { importableEntities } from '../../src/exact/catalog';
import { convertValues } from '../../src/crm/convert';
import { runEntrySchema } from '../../src/sync/journal/records';
import type { CrmFieldInfo } from '../../src/sync/ports';

/** The loc files are AMD modules, as SPFx loads them. */
function load(path: string): Record<string, string> {
  let out: Record<string, string> = {};
  new Function('define', readFileSync(join(__dirname, '../../src', path), 'utf8'))((_deps: string[], factory: () => Record<string, string>) => {
    out = factory();
  });
  return out;
}

const languages = {
  'en-us': { common: load('loc/en-us.js'), page: load('webparts/importProfiles/loc/en-us.js'), editor: load('webparts/importProfiles/loc/editor/en-us.js') },
  'nl-nl': { common: load('loc/nl-nl.js'), page: load('webparts/importProfiles/loc/nl-nl.js'), editor: load('webparts/importProfiles/loc/editor/nl-nl.js') },
};

/** Words that are English and never Dutch (Dutch shares "is", "in", "of", "item", "record", "run", "status"). */
const ENGLISH = /\b(the|and|has|have|must|may|not|field|fields|column|columns|changed|already|created|deleted|awaiting|review|match|matches|contain|character|characters|expected|received|invalid|required|string|number|list|entries|least|most|should|than|which|this|that|with|from|for|does|exist|unknown|only|linked|nothing|empty|untitled|allowed|position|quote|closing|opening|another|choose|named|valid|date|value|values|one|more|less|multiple|finite|combined|answer|passed|form|group|yes|no|text|needs|exactly|long)\b/i;
/** Plurals written as both forms, and anything a template left open. */
const UNFINISHED = /\(s\)|\(en\)|probleem\/problemen|veld\/velden|\{\d|\}/;

function expectWorded(text: string, language: keyof typeof languages, code: string): void {
  expect(text, code).not.toBe('');
  expect(text, code).not.toMatch(UNFINISHED);
  // A code that reads as a word ("unchanged", "filter") may be that word; a code like fieldsChanged or too_big may not show.
  if (/[A-Z_]/.test(code)) expect(text.includes(code), `${code} shows its raw code: ${text}`).toBe(false);
  expect(text, code).not.toMatch(/\b(P|F|Reason|Zod)_?[A-Z]\w+/);
  // Quoted parts are the user's values or filter syntax typed as is ("and", "or"), not sentences.
  if (language === 'nl-nl') expect(text.replace(/"[^"]*"/g, '""'), `${code} reads English in Dutch: ${text}`).not.toMatch(ENGLISH);
}

/** One issue of every kind zod has, and of every size kind (text, number, list, date). Typed so a new code without a sample does not compile. */
const zodSamples: { [K in z.ZodIssueCode]: ZodIssueData[] } = {
  invalid_type: [
    { code: 'invalid_type', expected: 'string', received: 'number' },
    { code: 'invalid_type', expected: 'number', received: 'undefined' },
    { code: 'invalid_type', expected: 'integer', received: 'float' },
    { code: 'invalid_type', expected: 'boolean', received: 'string' },
    { code: 'invalid_type', expected: 'array', received: 'object' },
    { code: 'invalid_type', expected: 'object', received: 'array' },
    { code: 'invalid_type', expected: 'date', received: 'string' },
    { code: 'invalid_type', expected: 'nan', received: 'string' },
  ],
  invalid_literal: [{ code: 'invalid_literal', expected: 'lookup', received: 'copy' }],
  custom: [{ code: 'custom' }],
  invalid_union: [{ code: 'invalid_union' }],
  invalid_union_discriminator: [{ code: 'invalid_union_discriminator', options: ['copy', 'trim'] }],
  invalid_enum_value: [{ code: 'invalid_enum_value', received: 'Delete', options: ['Import', 'Update'] }],
  unrecognized_keys: [
    { code: 'unrecognized_keys', keys: ['Nmae'] },
    { code: 'unrecognized_keys', keys: ['Nmae', 'Tpye'] },
  ],
  invalid_arguments: [{ code: 'invalid_arguments' }],
  invalid_return_type: [{ code: 'invalid_return_type' }],
  invalid_date: [{ code: 'invalid_date' }],
  invalid_string: [
    { code: 'invalid_string', validation: 'email' },
    { code: 'invalid_string', validation: 'url' },
    { code: 'invalid_string', validation: 'uuid' },
    { code: 'invalid_string', validation: 'datetime' },
    { code: 'invalid_string', validation: 'time' },
    { code: 'invalid_string', validation: 'regex' },
    { code: 'invalid_string', validation: 'cuid2' },
    { code: 'invalid_string', validation: { includes: '@' } },
    { code: 'invalid_string', validation: { startsWith: 'https://' } },
    { code: 'invalid_string', validation: { endsWith: '.nl' } },
  ],
  too_small: [
    { code: 'too_small', type: 'string', minimum: 1, inclusive: true, exact: false },
    { code: 'too_small', type: 'string', minimum: 3, inclusive: true, exact: false },
    { code: 'too_small', type: 'string', minimum: 8, inclusive: true, exact: true },
    { code: 'too_small', type: 'number', minimum: 0, inclusive: false, exact: false },
    { code: 'too_small', type: 'number', minimum: 1, inclusive: true, exact: false },
    { code: 'too_small', type: 'bigint', minimum: 1, inclusive: true, exact: true },
    { code: 'too_small', type: 'array', minimum: 1, inclusive: true, exact: false },
    { code: 'too_small', type: 'set', minimum: 2, inclusive: true, exact: true },
    { code: 'too_small', type: 'date', minimum: Date.UTC(2026, 0, 1), inclusive: true, exact: false },
  ],
  too_big: [
    { code: 'too_big', type: 'string', maximum: 255, inclusive: true, exact: false },
    { code: 'too_big', type: 'string', maximum: 1, inclusive: true, exact: false },
    { code: 'too_big', type: 'number', maximum: 10, inclusive: true, exact: false },
    { code: 'too_big', type: 'number', maximum: 1, inclusive: false, exact: false },
    { code: 'too_big', type: 'array', maximum: 2, inclusive: true, exact: false },
    { code: 'too_big', type: 'date', maximum: Date.UTC(2030, 0, 1), inclusive: true, exact: false },
  ],
  invalid_intersection_types: [{ code: 'invalid_intersection_types' }],
  not_multiple_of: [{ code: 'not_multiple_of', multipleOf: 5 }],
  not_finite: [{ code: 'not_finite' }],
};

/** Parts for every reason code; typed per code, so a new code without a sample does not compile. */
const reasonSamples: { [K in ReasonCode]: Array<ReasonArgs[K]> } = {
  newInExact: [[]],
  unchanged: [[]],
  unchangedKept: [['Email, Phone']],
  fieldsChanged: [[1], [3]],
  linkedFieldsChanged: [['kvk', 1], ['kvk', 3]],
  linkedImportOnly: [['kvk']],
  alreadyInCrm: [[]],
  divisionRecorded: [[1650]],
  divisionRecordedFieldsChanged: [[1650, 1], [1650, 2]],
  notLinked: [[]],
  deletedReported: [[]],
  deletedFlagged: [['DeletedInExact']],
  noKey: [['ID']],
  emptyKey: [[]],
  fieldProblems: [[1], [2]],
  duplicateKey: [[2, 'ExactId', '1f0b0c3e', '4, 7']],
  reviewMany: [[2, 'kvk']],
  reviewWeak: [['naam en postcode', 0.6]],
  reviewClaimed: [['4', 'kvk']],
  createdByRun: [['run-001']],
  changedByRun: [['run-001']],
  alreadyRemoved: [[]],
  alreadyRestored: [[]],
  itemGone: [[4, 'Bakkerij Jansen']],
  changedSince: [[4, '', 'run-001', 'Telefoon', '+31 20 555 1000', '']],
  asWritten: [['Bakkerij Jansen']],
};

/** Parts for every CRM write problem code (src/crm/convert.ts); typed per code, so a new code without a sample does not compile. */
const fieldProblemSamples: { [K in FieldProblemCode]: Array<FieldProblemArgs[K]> } = {
  required: [[]],
  unknownColumn: [[]],
  readOnlyColumn: [[]],
  notText: [['boolean', 'true']],
  textTooLong: [[300, 255], [1, 0]],
  urlTooLong: [[300, 255]],
  notDateText: [['number', '45000']],
  notIsoDate: [['"31-12-2025"']],
  dateOutOfRange: [['"1800-01-01"']],
  notUrlText: [['number', '12']],
  urlNotAbsolute: [['"www.bakkerij-jansen.nl"']],
  urlScheme: [['"ftp://bakkerij-jansen.nl"']],
  notUserId: [['string', '"Jan"']],
  notItemId: [['string', '"Bakkerij"']],
  lookupMissing: [[999, 'Bedrijven']],
  notNumber: [['string', '"twaalf"']],
  numberBelow: [[-5, 0]],
  numberAbove: [[120, 100]],
  notYesNo: [['string', '"ja"']],
  notChoiceText: [['number', '3']],
  unknownChoice: [['"Klnt"', 'Klant, Prospect']],
  unsupportedType: [['geolocatie']],
};

/** Parts for every problem code of the service's check, as `checkProfile` and `ProfileService` give them. */
const problemSamples: Record<ProfileProblemCode, string[]> = {
  unknownEntity: ['Acount'],
  listMissing: ['Bedrijven'],
  unknownField: ['Nmae', 'Relaties'],
  unknownColumn: ['Tel', 'Bedrijven'],
  readOnlyColumn: ['Modified'],
  keyColumnMapped: ['ExactId'],
  mappedTwice: ['Email'],
  keyNotText: ['ExactId'],
  notLookupColumn: ['', '', 'Company'],
  notYesNoColumn: ['Blocked', 'Bedrijven'],
  filter: ['Nmae'],
  titleTaken: ['Bedrijven uit Exact-relaties'],
  noJson: [],
  notJson: [],
};

describe.each(Object.keys(languages) as Array<keyof typeof languages>)('messages in %s', (language) => {
  const words = languages[language];

  it('words every kind of zod issue', () => {
    const codes = Object.values(z.ZodIssueCode);
    expect(Object.keys(zodSamples).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      for (const issue of zodSamples[code]) expectWorded(renderZodIssue(issue, words.common as unknown as ZodWords), language, code);
    }
  });

  it('words zod issues from a real parse through the error map and through the stored issue', () => {
    const schema = z.object({ title: z.string().max(255), division: z.number().int().positive(), mode: z.enum(['Import', 'Update']) }).strict();
    const bad = { title: 'x'.repeat(300), division: -1.5, mode: 'Delete', extra: true };
    const mapped = schema.safeParse(bad, { errorMap: zodErrorMap(words.common as unknown as ZodWords) });
    expect(mapped.success).toBe(false);
    for (const issue of mapped.error!.issues) expectWorded(issue.message, language, issue.code);
    try {
      parseProfile({ id: 'x', title: 'y'.repeat(256), division: 1, source: { entity: 'Account' }, targetList: 'Companies', key: { crmField: 'ExactId', exactField: 'ID' }, mappings: [], mode: 'Import' });
      throw new Error('parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileError);
      const problems = (error as ProfileError).problems;
      expect(problems.length).toBeGreaterThanOrEqual(2);
      for (const p of problems) expectWorded(renderZodIssue(p.zod!, words.common as unknown as ZodWords), language, p.zod!.code);
    }
  });

  it('says "255 characters" in English and "255 tekens" in Dutch, not zod’s sentence', () => {
    const text = renderZodIssue({ code: 'too_big', type: 'string', maximum: 255, inclusive: true, exact: false }, words.common as unknown as ZodWords);
    expect(text).toBe(language === 'nl-nl' ? 'mag hoogstens 255 tekens lang zijn' : 'may be at most 255 characters long');
  });

  it('words every engine reason code', () => {
    for (const code of REASON_CODES) {
      for (const args of reasonSamples[code]) expectWorded(renderReason({ code, args: args as Array<string | number> }, words.page as unknown as ReasonWords), language, code);
    }
  });

  it('words every CRM write problem code, in the run log’s reason parts too', () => {
    expect(Object.keys(fieldProblemSamples).sort()).toEqual([...FIELD_PROBLEM_CODES].sort());
    const pageWords = words.page as unknown as ReasonWords & FieldProblemWords;
    for (const code of FIELD_PROBLEM_CODES) {
      for (const args of fieldProblemSamples[code] as Array<Array<string | number>>) {
        const problem = { field: 'Title', code, args, reason: 'english as stored' };
        expectWorded(renderFieldProblem(problem, pageWords), language, code);
        const parts = reasonParts({ reason: { code: 'fieldProblems', args: [1] }, problems: [problem] }, pageWords);
        expect(parts[1]).toBe(`Title: ${renderFieldProblem(problem, pageWords)}`);
      }
    }
  });

  it('words the problems convert.ts really gives, and shows an older log’s English problem as written', () => {
    const fields: CrmFieldInfo[] = [
      { internalName: 'Title', title: 'Naam', type: 'text', required: true, maxLength: 255 },
      { internalName: 'Status', title: 'Status', type: 'choice', choices: ['Klant', 'Prospect'] },
      { internalName: 'Omzet', title: 'Omzet', type: 'currency' },
      { internalName: 'Sinds', title: 'Sinds', type: 'datetime' },
      { internalName: 'Bedrijf', title: 'Bedrijf', type: 'lookup', lookupList: 'Bedrijven' },
    ] as CrmFieldInfo[];
    const { problems } = convertValues(fields, { Title: 'x'.repeat(300), Status: 'Klnt', Omzet: 'twaalf', Sinds: '31-12-2025', Bedrijf: 999, Nmae: 'x' }, { lookupTargets: new Map([['Bedrijven', new Set([1])]]) });
    expect(problems.map((p) => p.code)).toEqual(['textTooLong', 'unknownChoice', 'notNumber', 'notIsoDate', 'lookupMissing', 'unknownColumn']);
    const pageWords = words.page as unknown as ReasonWords & FieldProblemWords;
    for (const p of problems) expectWorded(renderFieldProblem(p, pageWords), language, p.code!);
    expect(renderFieldProblem(problems[0]!, pageWords)).toBe(language === 'nl-nl' ? 'tekst te lang: 300 tekens, de kolom staat er 255 toe' : 'text too long: 300 characters, the column allows 255');
    const sharePoint = { field: 'Title', reason: 'The value is too long for this column.' };
    expect(reasonParts({ reason: { code: 'fieldProblems', args: [1] }, problems: [sharePoint] }, pageWords)[1]).toBe(`Title: ${sharePoint.reason}`);
  });

  it('loads an older run log’s entry (English sentence, problems without codes) and a coded one, and says each', () => {
    const pageWords = words.page as unknown as ReasonWords & FieldProblemWords;
    const base = { exactKey: 'k1', label: 'Bakkerij Jansen', action: 'error', itemId: null, changes: [], kept: [], outcome: 'none' };
    const older = runEntrySchema.parse({ ...base, reason: 'Title: text too long: 300 characters, the column allows 255', problems: [{ field: 'Title', reason: 'text too long: 300 characters, the column allows 255' }] });
    expect(older.reason).toEqual({ code: 'fieldProblems', args: [1] });
    // Its English problem reads as the code it names, so a Dutch reader gets Dutch; SharePoint's own answer stays as written.
    expect(reasonParts(older, pageWords)[1]).toBe(language === 'nl-nl' ? 'Title: tekst te lang: 300 tekens, de kolom staat er 255 toe' : 'Title: text too long: 300 characters, the column allows 255');
    const sharePoint = { field: 'Title', reason: 'The value is too long for this column.' };
    expect(renderFieldProblem(sharePoint, pageWords)).toBe(sharePoint.reason);
    for (const code of FIELD_PROBLEM_CODES) {
      for (const args of fieldProblemSamples[code] as Array<Array<string | number>>) {
        const english = renderFieldProblem({ field: 'x', reason: '', code, args });
        expect(renderFieldProblem({ field: 'x', reason: english }, pageWords), code).toBe(renderFieldProblem({ field: 'x', reason: english, code, args }, pageWords));
      }
    }
    const coded = runEntrySchema.parse(JSON.parse(JSON.stringify({ ...base, reason: { code: 'fieldProblems', args: [1] }, problems: [fieldProblem('Title', 'textTooLong', 300, 255)] })));
    const parts = reasonParts(coded, pageWords);
    expectWorded(parts.join(' · '), language, 'textTooLong');
    expect(parts[1]).toBe(language === 'nl-nl' ? 'Title: tekst te lang: 300 tekens, de kolom staat er 255 toe' : 'Title: text too long: 300 characters, the column allows 255');
  });

  it('words every problem code of the profile check, and the editor’s own checks', () => {
    for (const [code, args] of Object.entries(problemSamples)) {
      const template = words.editor[`P_${code}`];
      expect(template, code).toBeDefined();
      expectWorded(fillTemplate(template!, args), language, code);
    }
    for (const key of Object.keys(words.editor).filter((k) => k.startsWith('P_') || k.startsWith('F_'))) {
      expectWorded(fillTemplate(words.editor[key]!, ['Nmae', '2', 'Email', '255']), language, key);
    }
  });

  it('counts in whole words: one problem, two problems', () => {
    const one = fillTemplate(words.editor.SaveBlocked!, [1]);
    const two = fillTemplate(words.editor.SaveBlocked!, [2]);
    expect(language === 'nl-nl' ? [one, two] : [one, two]).toEqual(
      language === 'nl-nl'
        ? ['Opslaan kan niet zolang er 1 probleem is.', 'Opslaan kan niet zolang er 2 problemen zijn.']
        : ['Saving is not possible while 1 problem remains.', 'Saving is not possible while 2 problems remain.'],
    );
  });

  it('names every Exact entity a profile can read in words of its own', () => {
    for (const name of importableEntities) {
      const label = words.editor[`Entity${name}`];
      expect(label, name).toBeDefined();
      expect(label, name).not.toBe(name);
    }
  });
});

describe('the English words in code', () => {
  it('are the en-us loc file’s words', () => {
    const en = languages['en-us'].common;
    for (const [key, text] of Object.entries(englishZodWords)) expect(en[key], key).toBe(text);
  });

  it('are the en-us loc file’s words for CRM write problems, and the English stored beside each code', () => {
    const en = languages['en-us'].page;
    const english = FIELD_PROBLEM_CODES.map((code) => renderFieldProblem({ field: 'x', reason: '', code, args: fieldProblemSamples[code][0] as Array<string | number> }));
    for (const code of FIELD_PROBLEM_CODES) {
      const args = fieldProblemSamples[code][0] as Array<string | number>;
      const made = (fieldProblem as (field: string, c: FieldProblemCode, ...a: Array<string | number>) => { reason: string })('x', code, ...args);
      expect(made.reason, code).toBe(english[FIELD_PROBLEM_CODES.indexOf(code)]);
      expect(renderFieldProblem({ field: 'x', reason: '', code, args }, en as unknown as FieldProblemWords), code).toBe(made.reason);
    }
  });
});
