import { SpCodes, badRequest } from './errors';

/** OData v3 `$filter` as SharePoint REST accepts it, compiled once and evaluated per item. */
export type FilterNode =
  /** A whole `a and b and c` chain in one node, so a chain of thousands is not thousands deep. */
  | { kind: 'and' | 'or'; operands: FilterNode[] }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: Operand; right: Operand }
  | { kind: 'call'; name: 'substringof' | 'startswith' | 'endswith'; args: Operand[] }
  | { kind: 'operand'; operand: Operand };

export type Operand =
  | { kind: 'field'; path: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'date'; value: number };

export interface Resolved {
  value: unknown;
  /** Column type (TypeAsString) when known; drives date and boolean comparison. */
  type?: string;
}
export type Resolver = (path: string) => Resolved;

type Token = { t: 'id' | 'str' | 'num' | 'date' | '(' | ')' | ','; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = () => badRequest(SpCodes.generic, `The expression "${text}" is not valid.`);
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '(' || ch === ')' || ch === ',') { tokens.push({ t: ch, v: ch }); i++; continue; }
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw fail();
        if (text[i] === "'") {
          if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ t: 'str', v: value });
      continue;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDlLfF]?/.exec(text.slice(i));
    if (num && (ch === '-' || /\d/.test(ch))) {
      tokens.push({ t: 'num', v: num[0].replace(/[mMdDlLfF]$/, '') });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_/]*/.exec(text.slice(i));
    if (!id) throw fail();
    i += id[0].length;
    if (id[0].toLowerCase() === 'datetime' && text[i] === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw fail();
      tokens.push({ t: 'date', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    tokens.push({ t: 'id', v: id[0] });
  }
  return tokens;
}

const comparators = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/**
 * Brackets and `not`s a filter may nest. The parser recurses once per level, so without a bound
 * a few thousand `(` overflow the stack (a 500 instead of SharePoint's 400); filters people write
 * nest a handful deep.
 */
export const MAX_FILTER_DEPTH = 100;

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const fail = (why: string) => badRequest(SpCodes.generic, `The expression "${text}" is not valid: ${why}.`);
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_FILTER_DEPTH) throw fail(`it is nested deeper than ${MAX_FILTER_DEPTH} levels`);
    const node = parse();
    depth--;
    return node;
  };
  const peekWord = () => (tokens[pos]?.t === 'id' ? tokens[pos].v.toLowerCase() : undefined);
  const expect = (t: Token['t']) => {
    if (tokens[pos]?.t !== t) throw fail(`expected '${t}' at token ${pos + 1}`);
    pos++;
  };

  const parseOr = (): FilterNode => {
    const operands = [parseAnd()];
    while (peekWord() === 'or') { pos++; operands.push(parseAnd()); }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };
  const parseAnd = (): FilterNode => {
    const operands = [parseUnary()];
    while (peekWord() === 'and') { pos++; operands.push(parseUnary()); }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const parseUnary = (): FilterNode => {
    if (peekWord() === 'not') { pos++; return { kind: 'not', operand: nested(parseUnary) }; }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    if (tokens[pos]?.t === '(') {
      pos++;
      const inner = nested(parseOr);
      expect(')');
      return inner;
    }
    const word = peekWord();
    if ((word === 'substringof' || word === 'startswith' || word === 'endswith') && tokens[pos + 1]?.t === '(') {
      pos += 2;
      const args = [parseOperand()];
      while (tokens[pos]?.t === ',') { pos++; args.push(parseOperand()); }
      expect(')');
      if (args.length !== 2) throw fail(`${word} takes two arguments`);
      const call: FilterNode = { kind: 'call', name: word, args };
      return maybeCompareToBool(call);
    }
    const left = parseOperand();
    const op = peekWord();
    if (op && comparators.has(op)) {
      pos++;
      return { kind: 'compare', op: op as 'eq', left, right: parseOperand() };
    }
    return { kind: 'operand', operand: left };
  };
  const maybeCompareToBool = (call: FilterNode): FilterNode => {
    const op = peekWord();
    if (op === 'eq' || op === 'ne') {
      pos++;
      const right = parseOperand();
      if (right.kind !== 'literal' || typeof right.value !== 'boolean') throw fail('functions compare to true or false only');
      return right.value === (op === 'eq') ? call : { kind: 'not', operand: call };
    }
    return call;
  };
  const parseOperand = (): Operand => {
    const token = tokens[pos++];
    if (!token) throw fail('unexpected end');
    switch (token.t) {
      case 'str': return { kind: 'literal', value: token.v };
      case 'num': return { kind: 'literal', value: Number(token.v) };
      case 'date': {
        const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(token.v) ? token.v : `${token.v}Z`);
        if (Number.isNaN(ms)) throw fail(`'${token.v}' is not a date`);
        return { kind: 'date', value: ms };
      }
      case 'id': {
        const lower = token.v.toLowerCase();
        if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower === 'true' };
        if (lower === 'null') return { kind: 'literal', value: null };
        return { kind: 'field', path: token.v };
      }
      default: throw fail(`unexpected '${token.v}'`);
    }
  };

  const node = parseOr();
  if (pos !== tokens.length) throw fail(`unexpected '${tokens[pos].v}'`);
  return node;
}

export function filterFields(node: FilterNode): string[] {
  const out: string[] = [];
  const visitOperand = (o: Operand) => { if (o.kind === 'field') out.push(o.path); };
  const visit = (n: FilterNode): void => {
    if (n.kind === 'and' || n.kind === 'or') n.operands.forEach(visit);
    else if (n.kind === 'not') visit(n.operand);
    else if (n.kind === 'compare') { visitOperand(n.left); visitOperand(n.right); }
    else if (n.kind === 'call') n.args.forEach(visitOperand);
    else if (n.kind === 'operand') visitOperand(n.operand);
  };
  visit(node);
  return out;
}

/** `Id eq 5` (or `ID eq 5`): lets the item store answer from its id index instead of scanning. */
export function idEquality(node: FilterNode): number | undefined {
  if (node.kind !== 'compare' || node.op !== 'eq') return undefined;
  const { left, right } = node;
  if (left.kind === 'field' && /^id$/i.test(left.path) && right.kind === 'literal' && typeof right.value === 'number') {
    return right.value;
  }
  return undefined;
}

type Scalar = string | number | null;

export function normalize(value: unknown, type: string | undefined): Scalar {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (type === 'DateTime') {
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? value.toLowerCase() : ms;
    }
    if (type === 'Number' || type === 'Currency' || type === 'Integer' || type === 'Counter' || type === 'Lookup' || type === 'User') {
      const n = Number(value);
      return Number.isNaN(n) ? value.toLowerCase() : n;
    }
    // SharePoint compares text case-insensitively (SQL collation).
    return value.toLowerCase();
  }
  if (typeof value === 'object' && 'Url' in (value as object)) return String((value as { Url: unknown }).Url).toLowerCase();
  return JSON.stringify(value).toLowerCase();
}

function operandValue(operand: Operand, resolve: Resolver, otherType?: string): { value: Scalar; type?: string } {
  if (operand.kind === 'field') {
    const r = resolve(operand.path);
    return { value: normalize(r.value, r.type), type: r.type };
  }
  if (operand.kind === 'date') return { value: operand.value, type: 'DateTime' };
  return { value: normalize(operand.value, otherType) };
}

function compare(op: string, a: Scalar, b: Scalar): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (a === null || b === null) return false;
  const cmp = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return op === 'gt' ? cmp > 0 : op === 'ge' ? cmp >= 0 : op === 'lt' ? cmp < 0 : cmp <= 0;
}

export function evaluate(node: FilterNode, resolve: Resolver): boolean {
  switch (node.kind) {
    case 'and': return node.operands.every((n) => evaluate(n, resolve));
    case 'or': return node.operands.some((n) => evaluate(n, resolve));
    case 'not': return !evaluate(node.operand, resolve);
    case 'operand': return Boolean(operandValue(node.operand, resolve).value);
    case 'compare': {
      const leftType = node.left.kind === 'field' ? resolve(node.left.path).type : undefined;
      const left = operandValue(node.left, resolve, undefined);
      const right = operandValue(node.right, resolve, leftType);
      const l = node.left.kind === 'literal' ? operandValue(node.left, resolve, right.type).value : left.value;
      return compare(node.op, l, right.value);
    }
    case 'call': {
      const [first, second] = node.args.map((a) => operandValue(a, resolve).value);
      if (first === null || second === null) return false;
      if (node.name === 'substringof') return String(second).includes(String(first));
      if (node.name === 'startswith') return String(first).startsWith(String(second));
      return String(first).endsWith(String(second));
    }
  }
}

/**
 * An `X eq literal` clause that every match must satisfy (alone or inside an `and` chain), so an
 * equality index on X can narrow the candidates before the full filter runs.
 */
export function requiredEquality(node: FilterNode): { path: string; literal: Operand } | undefined {
  if (node.kind === 'and') {
    for (const operand of node.operands) {
      const found = requiredEquality(operand);
      if (found) return found;
    }
    return undefined;
  }
  if (node.kind !== 'compare' || node.op !== 'eq') return undefined;
  if (node.left.kind === 'field' && !node.left.path.includes('/') && node.right.kind !== 'field') {
    return { path: node.left.path, literal: node.right };
  }
  return undefined;
}

export function literalKey(literal: Operand, type: string | undefined): string {
  const value = literal.kind === 'date' ? literal.value : literal.kind === 'literal' ? normalize(literal.value, type) : null;
  return `${typeof value}:${String(value)}`;
}

export const valueKey = (value: unknown, type: string | undefined): string => {
  const n = normalize(value, type);
  return `${typeof n}:${String(n)}`;
};

