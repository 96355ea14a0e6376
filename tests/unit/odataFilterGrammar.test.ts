import { describe, expect, it } from 'vitest';
import { ODataError } from '../../sandbox/exact/errors';
import { errorBody } from '../../sandbox/exact/errors';
import { parseFilter as emulatorParse, evaluate } from '../../sandbox/exact/odata';
import { parseContext } from '../../sandbox/exact/query';
import { endpoints } from '../../sandbox/exact/entities';
import { checkFilter, validateFilter } from '../../src/sync/profile/filter';
import { FilterProblem, parseDateTimeLiteral, parseFilterExpression, MAX_FILTER_DEPTH } from '../../src/sync/odata';
import { entityInfo } from '../../src/exact/catalog';

/**
 * One grammar, two users: the profile's filter check (catalog types) and the Exact stand-in
 * (its endpoint's types) must accept and refuse the same filters, for the same reason.
 */
const account = entityInfo('Account')!;
const accounts = endpoints.find((e) => e.path === 'crm/Accounts')!;
const emulatorContext = parseContext(accounts);

const emulatorAnswer = (filter: string): { status: number; body?: unknown } => {
  try {
    emulatorParse(filter, emulatorContext);
    return { status: 200 };
  } catch (error) {
    if (!(error instanceof ODataError)) throw error;
    return { status: error.status, body: errorBody(error.message) };
  }
};
const codeOf = (filter: string): string | undefined => checkFilter(filter, account)[0]?.code;

describe('the shared $filter grammar', () => {
  it.each([
    // the four filters that "No problems found" let through
    ['Name eq', 'missingValue'],
    ["Status eq 'C' and", 'missingValue'],
    ["Blocked eq 'yes'", 'typeMismatch'],
    ["Modified gt datetime'2024-13-45'", 'badLiteral'],
    // syntax
    ["Status eq 'C' or", 'missingValue'],
    ['not', 'missingValue'],
    ["(Status eq 'C'", 'unclosedParen'],
    ["Status eq 'C')", 'extraParen'],
    ["Status eq 'C", 'unclosedQuote'],
    ["Status eq 'C' ; drop", 'unexpected'],
    ["Name eq 'a' 'b'", 'unexpected'],
    ["startswith(Name, 'B'", 'unclosedParen'],
    ['CreditLineSales add 5 gt 10', 'operator'],
    ['Name', 'notCondition'],
    ['length(Name)', 'notCondition'],
    ["Name eq 'a' and Name", 'notCondition'],
    // fields
    ["Statu eq 'C'", 'unknownField'],
    ["name eq 'C'", 'unknownField'],
    ['Lines/Amount eq 1', 'navigation'],
    // each type
    ["ID eq 'abc'", 'typeMismatch'],
    ["ID eq guid'nope'", 'badLiteral'],
    ["ID gt guid'a0000000-0000-4000-8000-000000000001'", 'notOrderable'],
    ['Blocked eq 1', 'typeMismatch'],
    ['Blocked gt false', 'notOrderable'],
    ["CreditLineSales gt '1000'", 'typeMismatch'],
    ['Name eq 5', 'typeMismatch'],
    ["Modified gt '2024-01-01'", 'typeMismatch'],
    ["Modified gt datetime'2024-02-30'", 'badLiteral'],
    ["Modified gt datetime'2023-02-29T00:00:00'", 'badLiteral'],
    ["Modified gt datetime'2024-04-31'", 'badLiteral'],
    ["Modified gt datetime'2024-01-01T24:00:00'", 'badLiteral'],
    ["Modified gt datetime'2024-01-01T12:60'", 'badLiteral'],
    ["Modified gt datetime'yesterday'", 'badLiteral'],
    ['Name eq ID', 'incompatible'],
    // functions
    ["substring(Name, 1) eq 'a'", 'unknownFunction'],
    ['startswith(Name) eq true', 'functionArgs'],
    ["startswith(Blocked, 'B') eq true", 'functionArgs'],
    ['year(Name) eq 2024', 'functionArgs'],
  ])('%s is refused (%s) by the check and with a 400 by the stand-in', (filter, code) => {
    expect(codeOf(filter)).toBe(code);
    const answer = emulatorAnswer(filter);
    expect(answer.status).toBe(400);
    // Exact's error body: empty code and lang, the words in message.value.
    expect(answer.body).toEqual({ error: { code: '', message: { lang: '', value: expect.any(String) } } });
  });

  it.each([
    "Status eq 'C' and Blocked eq false",
    "(Country eq 'NL' or Country eq 'BE') and startswith(Name, 'Bakkerij O''Neill') eq true",
    "Modified ge datetime'2026-01-01T00:00:00' and ID ne guid'a0000000-0000-4000-8000-000000000001'",
    "Modified gt datetime'2024-02-29'",
    "Modified gt datetime'2024-12-31T23:59:59.9999999'",
    'CreditLineSales gt 1000.5',
    'CreditLineSales gt -5',
    'not (Blocked eq true)',
    'not not Blocked',
    "((((Status eq 'C'))))",
    "(Status eq 'C' or (City eq 'Delft' and not (Blocked eq true))) and Modified ge datetime'2026-01-01'",
    "substringof('hoek', Name) and endswith(tolower(trim(Name)), 'bv')",
    'year(Modified) ge 2024 and month(Modified) eq 2 and day(Modified) lt 30',
    "length(toupper(Name)) gt 3",
    'City eq null',
    "STATUS EQ 'C'".replace('STATUS', 'Status'),
  ])('%s is accepted by both', (filter) => {
    expect(validateFilter(filter, account)).toEqual([]);
    expect(emulatorAnswer(filter).status).toBe(200);
  });

  it('names the field and the reason, and where', () => {
    const [problem] = checkFilter("Status eq 'C' and Blocked eq 'yes'", account);
    expect(problem).toBeInstanceOf(FilterProblem);
    expect(problem.args.slice(0, 3)).toEqual(['Blocked', 'boolean', "'yes'"]);
    expect(problem.position).toBe(26);
    expect(validateFilter('Name eq', account)).toEqual(['"eq" at position 6 needs a value after it']);
    expect(validateFilter("Modified gt datetime'2024-13-45'", account)[0]).toContain("datetime'2024-13-45'");
  });

  it('answers in Exact\'s words in the stand-in', () => {
    expect((emulatorAnswer("Modified gt datetime'2024-13-45'").body as ReturnType<typeof errorBody>).error.message.value).toBe(
      "Unrecognized 'Edm.DateTime' literal 'datetime'2024-13-45'' at '12' in 'Modified gt datetime'2024-13-45''.",
    );
    expect((emulatorAnswer('Statu eq 1').body as ReturnType<typeof errorBody>).error.message.value).toBe("Could not find a property named 'Statu' on type 'Exact.Web.Api.Models.Account'.");
    expect((emulatorAnswer("Blocked eq 'yes'").body as ReturnType<typeof errorBody>).error.message.value).toMatch(/Operator 'eq' incompatible with operand types 'Edm.Boolean' and 'Edm.String'/);
  });

  it('refuses nesting deeper than its limit instead of overflowing the stack', () => {
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}Blocked eq true${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expect(codeOf(deep)).toBe('tooDeep');
    expect(emulatorAnswer(deep).status).toBe(400);
    expect(codeOf(`${'('.repeat(50)}Blocked eq true${')'.repeat(50)}`)).toBeUndefined();
  });

  it('counts only calendar dates, without rolling month 13 or day 45 over', () => {
    expect(parseDateTimeLiteral('2024-13-45')).toBeUndefined();
    expect(parseDateTimeLiteral('2024-00-10')).toBeUndefined();
    expect(parseDateTimeLiteral('2024-01-00')).toBeUndefined();
    expect(parseDateTimeLiteral('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDateTimeLiteral('2026-01-31T08:30:15.25')).toBe(Date.UTC(2026, 0, 31, 8, 30, 15, 250));
  });

  it('evaluates what it parses in the stand-in (functions on dates)', () => {
    const expr = emulatorParse('year(Modified) eq 2026 and month(Modified) eq 1 and day(Modified) eq 15', emulatorContext);
    expect(evaluate(expr, { Modified: Date.UTC(2026, 0, 15, 12) })).toBe(true);
    expect(evaluate(expr, { Modified: Date.UTC(2026, 1, 15, 12) })).toBe(false);
  });

  it('is the one grammar: the stand-in takes a parse of the shared module', () => {
    const shared = parseFilterExpression("Blocked eq false", { fields: emulatorContext.fields, entity: 'Account' });
    expect(emulatorParse('Blocked eq false', emulatorContext)).toEqual(shared);
  });
});
