/**
 * The OData literal and token syntax Exact uses in `$filter`, keys and `$skiptoken`:
 * `'it''s'`, `guid'…'`, `datetime'…'`, `123L`, `1.5`, `true`/`false`/`null`, names and brackets.
 */
import { ODataError } from './errors';

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

export function syntaxError(position: number, source: string): ODataError {
  return new ODataError(400, `Syntax error at position ${position} in '${source}'.`);
}

/** Parses `2026-01-31`, `2026-01-31T12:00` or `2026-01-31T12:00:00.000` as UTC. */
export function parseDateTimeLiteral(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?Z?$/.exec(text);
  if (!match) {
    return undefined;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = match;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const value = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isNaN(value) ? undefined : value;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (start: number): { text: string; end: number } => {
    let text = '';
    let j = start + 1;
    for (;;) {
      if (j >= source.length) {
        throw new ODataError(400, `Unterminated string literal at position ${start} in '${source}'.`);
      }
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
      if (!match) {
        throw syntaxError(i, source);
      }
      tokens.push({ kind: 'literal', text: match[0], position: i, literal: { type: 'number', value: Number(match[0].replace(/[LlMmDdFf]$/, '')) } });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(source.slice(i)) as RegExpExecArray;
      const word = match[0];
      const after = i + word.length;
      if (source[after] === "'") {
        const { text, end } = readQuoted(after);
        const prefix = word.toLowerCase();
        let literal: { type: Kind; value: Value };
        if (prefix === 'guid') {
          if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text)) {
            throw new ODataError(400, `Unrecognized 'Edm.Guid' literal '${source.slice(i, end)}' at '${i}' in '${source}'.`);
          }
          literal = { type: 'guid', value: text.toLowerCase() };
        } else if (prefix === 'datetime' || prefix === 'datetimeoffset') {
          const ms = parseDateTimeLiteral(text);
          if (ms === undefined) {
            throw new ODataError(400, `Unrecognized 'Edm.DateTime' literal '${source.slice(i, end)}' at '${i}' in '${source}'.`);
          }
          literal = { type: 'datetime', value: ms };
        } else {
          throw syntaxError(i, source);
        }
        tokens.push({ kind: 'literal', text: source.slice(i, end), position: i, literal });
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
      throw syntaxError(i, source);
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

