import type { ExactEntityInfo } from '../model';

/**
 * Checks a profile's OData `$filter` before it reaches Exact: every rejected request counts
 * towards Exact's 10-errors-per-hour block, so a typo must be caught here, with a clear reason.
 */

export const MAX_FILTER_LENGTH = 255;

const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not'];
const FUNCTIONS = ['substringof', 'startswith', 'endswith', 'trim', 'tolower', 'toupper', 'length', 'year', 'month', 'day'];
const LITERAL_WORDS = ['true', 'false', 'null'];
const TYPED_LITERAL_PREFIXES = ['guid', 'datetime', 'datetimeoffset', 'time'];

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'literal'; at: number }
  | { kind: 'open' | 'close' | 'comma'; at: number };

/** Returns the problems found; an empty list means the filter may be sent. */
export function validateFilter(filter: string, entity: ExactEntityInfo): string[] {
  const problems: string[] = [];
  if (filter.length > MAX_FILTER_LENGTH) {
    problems.push(`filter is ${filter.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed`);
  }
  const tokens = tokenize(filter, problems);
  if (!tokens) return problems;
  let depth = 0;
  const fields = new Set(entity.fields.map((f) => f.name));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'open') depth++;
    if (token.kind === 'close') {
      depth--;
      if (depth < 0) {
        problems.push(`closing parenthesis at position ${token.at + 1} has no opening one`);
        depth = 0;
      }
    }
    if (token.kind !== 'word') continue;
    const lower = token.text.toLowerCase();
    const next = tokens[i + 1];
    if (FUNCTIONS.indexOf(lower) >= 0 && next && next.kind === 'open') continue;
    if (OPERATORS.indexOf(lower) >= 0 || LITERAL_WORDS.indexOf(lower) >= 0) continue;
    if (fields.has(token.text)) continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(token.text) && next && next.kind === 'open') {
      problems.push(`function or operator "${token.text}" is not allowed`);
    } else if (['add', 'sub', 'mul', 'div', 'mod', 'any', 'all', 'has', 'in'].indexOf(lower) >= 0) {
      problems.push(`operator "${token.text}" is not allowed (allowed: ${OPERATORS.join(', ')})`);
    } else {
      problems.push(`unknown field "${token.text}" for entity ${entity.name}`);
    }
  }
  if (depth > 0) problems.push('parentheses are not balanced: a closing parenthesis is missing');
  return problems;
}

function tokenize(filter: string, problems: string[]): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', at: i });
      i++;
    } else if (ch === "'") {
      const end = endOfString(filter, i);
      if (end < 0) {
        problems.push(`quote at position ${i + 1} is not closed`);
        return undefined;
      }
      tokens.push({ kind: 'literal', at: i });
      i = end + 1;
    } else if (/[0-9-]/.test(ch)) {
      const match = /^-?\d+(\.\d+)?[LlMmDdFf]?/.exec(filter.slice(i));
      if (!match) {
        problems.push(`unexpected "${ch}" at position ${i + 1}`);
        return undefined;
      }
      tokens.push({ kind: 'literal', at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(filter.slice(i));
      const word = match ? match[0] : ch;
      const after = i + word.length;
      if (TYPED_LITERAL_PREFIXES.indexOf(word.toLowerCase()) >= 0 && filter[after] === "'") {
        const end = endOfString(filter, after);
        if (end < 0) {
          problems.push(`quote at position ${after + 1} is not closed`);
          return undefined;
        }
        tokens.push({ kind: 'literal', at: i });
        i = end + 1;
      } else {
        if (word.indexOf('/') >= 0) problems.push(`navigation path "${word}" cannot be filtered on`);
        tokens.push({ kind: 'word', text: word, at: i });
        i = after;
      }
    } else {
      problems.push(`unexpected "${ch}" at position ${i + 1}`);
      return undefined;
    }
  }
  return tokens;
}

/** Index of the closing quote of the string starting at `start`; `''` is an escaped quote. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  return -1;
}
