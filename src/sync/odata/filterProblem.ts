/**
 * What is wrong with a `$filter`, as a code and the names and values a message needs, so the
 * profile editor can word it in the user's language and the Exact stand-in in Exact's own words.
 */

export type FilterProblemCode =
  /** A character or word that cannot stand there: `;`, `Name eq 'a' 'b'`. */
  | 'unexpected'
  /** An operator with nothing after it: `Name eq`, `Status eq 'C' and`. */
  | 'missingValue'
  | 'unclosedQuote'
  | 'unclosedParen'
  | 'extraParen'
  | 'unknownField'
  | 'navigation'
  | 'unknownFunction'
  | 'functionArgs'
  /** Arithmetic and lambda operators Exact's OData does not take (`add`, `any`). */
  | 'operator'
  /** `guid'x'`, `datetime'2024-13-45'`. */
  | 'badLiteral'
  /** A field compared with a value of another type: `Blocked eq 'yes'`. */
  | 'typeMismatch'
  /** Two expressions of types that do not compare: `Name eq ID`, `1 and true`. */
  | 'incompatible'
  /** gt/ge/lt/le on a type without an order: `Blocked gt false`. */
  | 'notOrderable'
  /** The whole filter (or an and/or side) is not a condition: `Name`, `length(Name)`. */
  | 'notCondition'
  | 'tooDeep'
  | 'tooLong';

/** The type words of a problem's arguments (`typeMismatch`, `badLiteral`). */
export type FilterTypeWord = 'guid' | 'string' | 'number' | 'boolean' | 'datetime' | 'null';

export class FilterProblem extends Error {
  public constructor(
    public readonly code: FilterProblemCode,
    /** The names and values the message shows, in the order of `englishText`'s placeholders. */
    public readonly args: string[],
    /** 0-based character position in the filter text. */
    public readonly position: number,
  ) {
    super(`${code} at position ${position}`);
    this.name = 'FilterProblem';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const typeWords: Record<FilterTypeWord, string> = {
  guid: 'a guid (guid\'…\')',
  string: 'a text in quotes',
  number: 'a number',
  boolean: 'true or false',
  datetime: "a date (datetime'2026-01-31T00:00:00')",
  null: 'null',
};

/** How a user reads a problem, in English (the profile check's words; the editor has its own per language). */
export function filterProblemText(problem: FilterProblem): string {
  const [a = '', b = '', c = ''] = problem.args;
  const at = problem.position + 1;
  switch (problem.code) {
    case 'unexpected': return `unexpected "${a}" at position ${at}`;
    case 'missingValue': return `"${a}" at position ${at} needs a value after it`;
    case 'unclosedQuote': return `quote at position ${at} is not closed`;
    case 'unclosedParen': return `the parenthesis at position ${at} is never closed`;
    case 'extraParen': return `closing parenthesis at position ${at} has no opening one`;
    case 'unknownField': return `unknown field "${a}" for entity ${b}`;
    case 'navigation': return `navigation path "${a}" cannot be filtered on`;
    case 'unknownFunction': return `function "${a}" is not one Exact supports (${b})`;
    case 'functionArgs': return `function "${a}" takes ${b}`;
    case 'operator': return `operator "${a}" is not allowed (allowed: ${b})`;
    case 'badLiteral': return `${a} is not ${typeWords[b as FilterTypeWord] ?? b}`;
    case 'typeMismatch': return `field "${a}" must be compared with ${typeWords[b as FilterTypeWord] ?? b}, not ${c}`;
    case 'incompatible': return `"${a}" cannot compare ${typeWords[b as FilterTypeWord] ?? b} with ${typeWords[c as FilterTypeWord] ?? c} (position ${at})`;
    case 'notOrderable': return `field "${b}" holds ${typeWords[c as FilterTypeWord] ?? c}, which "${a}" cannot order; use eq or ne`;
    case 'notCondition': return `"${a}" is not a condition (true or false) at position ${at}`;
    case 'tooDeep': return `the filter nests more than ${a} levels deep`;
    case 'tooLong': return `filter is ${a} characters long; at most ${b} are allowed`;
  }
}

const edm: Record<string, string> = { guid: 'Edm.Guid', string: 'Edm.String', number: 'Edm.Int64', boolean: 'Edm.Boolean', datetime: 'Edm.DateTime', null: 'null' };

/**
 * The message Exact's OData layer (WCF Data Services) answers a bad `$filter` with, in its 400
 * body. `typeName` is the entity's model type, e.g. `Exact.Web.Api.Models.Account`.
 */
export function exactFilterMessage(problem: FilterProblem, source: string, typeName: string): string {
  const [a = '', b = '', c = ''] = problem.args;
  const at = problem.position;
  switch (problem.code) {
    case 'unknownField':
    case 'navigation': return `Could not find a property named '${a}' on type '${typeName}'.`;
    case 'unclosedQuote': return `Unterminated string literal at position ${at} in '${source}'.`;
    case 'missingValue': return `Expression expected at position ${at + a.length} in '${source}'.`;
    case 'unclosedParen': return `')' or operator expected at position ${source.length} in '${source}'.`;
    case 'unknownFunction': return `Unknown function '${a}' at position ${at}.`;
    case 'functionArgs': return `No function signature for the function with name '${a}' matches the specified arguments at position ${at}.`;
    case 'badLiteral': return `Unrecognized '${edm[b] ?? b}' literal '${a}' at '${at}' in '${source}'.`;
    case 'typeMismatch': return `Operator '${problem.args[3] ?? 'eq'}' incompatible with operand types '${edm[b] ?? b}' and '${edm[problem.args[4] ?? 'string'] ?? 'Edm.String'}' at position ${at}.`;
    case 'incompatible': return `Operator '${a}' incompatible with operand types '${edm[b] ?? b}' and '${edm[c] ?? c}' at position ${at}.`;
    case 'notOrderable': return `Operator '${a}' incompatible with operand types '${edm[c] ?? c}' and '${edm[c] ?? c}' at position ${at}.`;
    case 'notCondition': return `Expression of type '${edm[b] ?? b}' expected to be of type 'Edm.Boolean'.`;
    case 'tooDeep': return `Recursion depth exceeded allowed limit. (more than ${a} levels at position ${at})`;
    default: return `Syntax error at position ${at} in '${source}'.`;
  }
}
