/**
 * The OData literal and token syntax Exact uses in `$filter`, keys and `$skiptoken`:
 * `'it''s'`, `guid'…'`, `datetime'…'`, `123L`, `1.5`, `true`/`false`/`null`, names and brackets.
 * Shared by the profile's filter check and the Exact stand-in, so both accept the same text.
 */
import { FilterProblem } from './filterProblem';

export type Value = string | number | boolean | null;

/** The type families that may meet in a comparison. */
export type Kind = 'guid' | 'string' | 'number' | 'boolean' | 'datetime' | 'null';

export interface Token {
  kind: 'lparen' | 'rparen' | 'comma' | 'ident' | 'literal' | 'end';
  text: string;
  position: number;
  literal?: { type: Kind; value: Value };
}

export const edmName: Record<Kind, string> = {
  guid: 'Edm.Guid',
  string: 'Edm.String',
  number: 'Edm.Int64',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTime',
  null: 'null',
};

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Parses `2026-01-31`, `2026-01-31T12:00` or `2026-01-31T12:00:00.000` as UTC. A date that is not
 * on the calendar (month 13, 30 February, hour 24) is undefined: Exact refuses it, where
 * `Date.UTC` would roll it over into a real date.
 */
export function parseDateTimeLiteral(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? '0'));
  const ms = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const value = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Day 31 of a 30-day month (or 29 February of a common year) lands in the next month.
  return new Date(value).getUTCDate() === day ? value : undefined;
}

function typedLiteral(prefix: string, text: string, raw: string, position: number): { type: Kind; value: Value } {
  if (prefix === 'guid') {
    if (!GUID.test(text)) throw new FilterProblem('badLiteral', [raw, 'guid'], position);
    return { type: 'guid', value: text.toLowerCase() };
  }
  if (prefix === 'datetime' || prefix === 'datetimeoffset') {
    const ms = parseDateTimeLiteral(text);
    if (ms === undefined) throw new FilterProblem('badLiteral', [raw, 'datetime'], position);
    return { type: 'datetime', value: ms };
  }
  throw new FilterProblem('unexpected', [raw], position);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (start: number): { text: string; end: number } => {
    let text = '';
    let j = start + 1;
    for (;;) {
      if (j >= source.length) throw new FilterProblem('unclosedQuote', [], start);
      if (source[j] === "'") {
        if (source[j + 1] === "'") {
          text += "'";
          j += 2;
          continue;
        }
        return { text, end: j + 1 };
      }
      text += source[j];
      j += 1;
    }
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, position: i });
      i += 1;
    } else if (c === "'") {
      const { text, end } = readQuoted(i);
      tokens.push({ kind: 'literal', text: source.slice(i, end), position: i, literal: { type: 'string', value: text } });
      i = end;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?\d+(\.\d+)?([LlMmDdFf])?/.exec(source.slice(i));
      if (!match) throw new FilterProblem('unexpected', [c], i);
      tokens.push({ kind: 'literal', text: match[0], position: i, literal: { type: 'number', value: Number(match[0].replace(/[LlMmDdFf]$/, '')) } });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = (/^[A-Za-z_][A-Za-z0-9_/]*/.exec(source.slice(i)) as RegExpExecArray)[0];
      const after = i + word.length;
      if (source[after] === "'") {
        const { text, end } = readQuoted(after);
        tokens.push({ kind: 'literal', text: source.slice(i, end), position: i, literal: typedLiteral(word.toLowerCase(), text, source.slice(i, end), i) });
        i = end;
      } else {
        const lower = word.toLowerCase();
        if (lower === 'true' || lower === 'false') {
          tokens.push({ kind: 'literal', text: word, position: i, literal: { type: 'boolean', value: lower === 'true' } });
        } else if (lower === 'null') {
          tokens.push({ kind: 'literal', text: word, position: i, literal: { type: 'null', value: null } });
        } else {
          tokens.push({ kind: 'ident', text: word, position: i });
        }
        i = after;
      }
    } else {
      throw new FilterProblem('unexpected', [c], i);
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}
