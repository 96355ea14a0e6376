/**
 * The `$filter` grammar of Exact Online's OData v2, ONE parser for the profile's filter check
 * (src/sync/profile/filter.ts) and the Exact stand-in (sandbox/exact/odata.ts): what one accepts
 * the other accepts. It checks syntax, that each field exists, that each value has its field's
 * type (a real calendar date for `datetime'…'`), and the functions Exact supports.
 */
import { FilterProblem } from './filterProblem';
import { edmName, tokenize, type Kind, type Token, type Value } from './filterLexer';

export { parseDateTimeLiteral, tokenize, edmName, type Kind, type Token, type Value } from './filterLexer';

/** Exact's field types (`byte` only in the stand-in's model of Edm.Byte). */
export type FilterFieldType = 'guid' | 'string' | 'byte' | 'int' | 'int64' | 'double' | 'boolean' | 'datetime';

export type Expr =
  | { kind: 'literal'; type: Kind; value: Value; text: string }
  | { kind: 'field'; type: Kind; name: string }
  | { kind: 'call'; type: Kind; name: string; args: Expr[] }
  | { kind: 'not'; type: Kind; operand: Expr }
  | { kind: 'binary'; type: Kind; op: BinaryOp; left: Expr; right: Expr };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type BinaryOp = CompareOp | 'and' | 'or';

const COMPARE_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
export const FILTER_OPERATORS = [...COMPARE_OPS, 'and', 'or', 'not'];
/** OData operators Exact's filters do not take. */
const REFUSED_OPERATORS = ['add', 'sub', 'mul', 'div', 'mod', 'any', 'all', 'has', 'in'];

export function kindOf(type: FilterFieldType): Kind {
  return type === 'byte' || type === 'int' || type === 'int64' || type === 'double' ? 'number' : type;
}

interface FunctionSpec { args: Kind[]; returns: Kind }
/** The OData v2 functions Exact's filters are known to take, with their signatures. */
export const FILTER_FUNCTIONS: Record<string, FunctionSpec> = {
  substringof: { args: ['string', 'string'], returns: 'boolean' },
  startswith: { args: ['string', 'string'], returns: 'boolean' },
  endswith: { args: ['string', 'string'], returns: 'boolean' },
  tolower: { args: ['string'], returns: 'string' },
  toupper: { args: ['string'], returns: 'string' },
  trim: { args: ['string'], returns: 'string' },
  length: { args: ['string'], returns: 'number' },
  year: { args: ['datetime'], returns: 'number' },
  month: { args: ['datetime'], returns: 'number' },
  day: { args: ['datetime'], returns: 'number' },
};

/** Resolves a property name to its type, or undefined when the entity has no such property. */
export type FieldLookup = (name: string) => FilterFieldType | undefined;

export interface FilterContext {
  fields: FieldLookup;
  /** The entity's name as the user knows it (`Account`), for messages. */
  entity: string;
}

/**
 * Brackets, `not`s and function calls a filter may nest. The parser recurses per level, so a few
 * thousand `(` would overflow the stack; WCF Data Services refuses deep expressions with a 400
 * "Recursion depth exceeded allowed limit." (its limit is not documented; 100 is ours).
 */
export const MAX_FILTER_DEPTH = 100;

const signature = (spec: FunctionSpec): string => `(${spec.args.join(', ')})`;

/** Parses a `$filter` value into an expression of type boolean; throws `FilterProblem` on the first problem. */
export function parseFilterExpression(source: string, context: FilterContext): Expr {
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  const nested = <T>(position: number, parse: () => T): T => {
    if (++depth > MAX_FILTER_DEPTH) throw new FilterProblem('tooDeep', [String(MAX_FILTER_DEPTH)], position);
    const result = parse();
    depth--;
    return result;
  };
  const peek = (): Token => tokens[at];
  const next = (): Token => tokens[at++];
  const isWord = (word: string): boolean => peek().kind === 'ident' && peek().text.toLowerCase() === word;
  /** A token where an operand must start: a missing one is a dangling operator, not a stray character. */
  const operandExpected = (token: Token, after: Token | undefined): FilterProblem => {
    if (token.kind === 'end' && after) return new FilterProblem('missingValue', [after.text], after.position);
    if (token.kind === 'rparen' && after) return new FilterProblem('missingValue', [after.text], after.position);
    return unexpected(token);
  };
  const unexpected = (token: Token): FilterProblem => {
    if (token.kind === 'rparen') return new FilterProblem('extraParen', [], token.position);
    if (token.kind === 'ident' && REFUSED_OPERATORS.indexOf(token.text.toLowerCase()) >= 0) {
      return new FilterProblem('operator', [token.text, FILTER_OPERATORS.join(', ')], token.position);
    }
    return new FilterProblem('unexpected', [token.kind === 'end' ? source.slice(-1) : token.text], token.position);
  };
  const condition = (expr: Expr, position: number, text: string): Expr => {
    if (expr.type !== 'boolean') throw new FilterProblem('notCondition', [text, expr.type], position);
    return expr;
  };

  const parseOr = (after?: Token): Expr => {
    let start = peek();
    let left = parseAnd(after);
    while (isWord('or')) {
      const op = next();
      const right = parseAnd(op);
      left = { kind: 'binary', type: 'boolean', op: 'or', left: condition(left, start.position, start.text), right: condition(right, op.position, 'or') };
      start = op;
    }
    return left;
  };
  const parseAnd = (after?: Token): Expr => {
    const start = peek();
    let left = parseNot(after);
    while (isWord('and')) {
      const op = next();
      const right = parseNot(op);
      left = { kind: 'binary', type: 'boolean', op: 'and', left: condition(left, start.position, start.text), right: condition(right, op.position, 'and') };
    }
    return left;
  };
  const parseNot = (after?: Token): Expr => {
    if (isWord('not')) {
      const op = next();
      const operand = nested(op.position, () => parseNot(op));
      return { kind: 'not', type: 'boolean', operand: condition(operand, op.position, 'not') };
    }
    return parseComparison(after);
  };
  const parseComparison = (after?: Token): Expr => {
    const left = parsePrimary(after);
    const token = peek();
    if (token.kind !== 'ident' || COMPARE_OPS.indexOf(token.text.toLowerCase()) < 0) return left;
    next();
    const op = token.text.toLowerCase() as CompareOp;
    const right = parsePrimary(token);
    checkComparison(op, left, right, token.position);
    return { kind: 'binary', type: 'boolean', op, left, right };
  };
  const parsePrimary = (after?: Token): Expr => {
    const token = next();
    if (token.kind === 'lparen') {
      const inner = nested(token.position, () => parseOr(token));
      if (peek().kind !== 'rparen') {
        if (peek().kind === 'end') throw new FilterProblem('unclosedParen', [], token.position);
        throw unexpected(peek());
      }
      next();
      return inner;
    }
    if (token.kind === 'literal' && token.literal) return { kind: 'literal', type: token.literal.type, value: token.literal.value, text: token.text };
    if (token.kind === 'ident' && FILTER_OPERATORS.indexOf(token.text.toLowerCase()) < 0 && REFUSED_OPERATORS.indexOf(token.text.toLowerCase()) < 0) {
      if (peek().kind === 'lparen') return parseCall(token);
      if (token.text.indexOf('/') >= 0) throw new FilterProblem('navigation', [token.text], token.position);
      const type = context.fields(token.text);
      if (!type) throw new FilterProblem('unknownField', [token.text, context.entity], token.position);
      return { kind: 'field', type: kindOf(type), name: token.text };
    }
    throw operandExpected(token, after);
  };
  const parseCall = (token: Token): Expr => {
    const name = token.text.toLowerCase();
    const spec = FILTER_FUNCTIONS[name];
    if (!spec) throw new FilterProblem('unknownFunction', [token.text, Object.keys(FILTER_FUNCTIONS).join(', ')], token.position);
    const open = next();
    const args: Expr[] = [];
    if (peek().kind !== 'rparen') {
      args.push(nested(token.position, () => parseOr(open)));
      while (peek().kind === 'comma') {
        const comma = next();
        args.push(nested(token.position, () => parseOr(comma)));
      }
    }
    if (peek().kind === 'end') throw new FilterProblem('unclosedParen', [], open.position);
    if (peek().kind !== 'rparen') throw unexpected(peek());
    next();
    if (args.length !== spec.args.length || args.some((arg, i) => arg.type !== spec.args[i] && arg.type !== 'null')) {
      throw new FilterProblem('functionArgs', [name, signature(spec)], token.position);
    }
    return { kind: 'call', type: spec.returns, name, args };
  };

  const expr = parseOr();
  if (peek().kind !== 'end') throw unexpected(peek());
  return condition(expr, 0, source.trim());
}

/** A comparison's two sides must have one type (or one be null); only ordered types take gt/ge/lt/le. */
function checkComparison(op: CompareOp, left: Expr, right: Expr, position: number): void {
  const compatible = left.type === right.type || left.type === 'null' || right.type === 'null';
  if (!compatible) {
    const [field, value] = left.kind === 'field' ? [left, right] : right.kind === 'field' ? [right, left] : [undefined, undefined];
    if (field && field.kind === 'field' && value && value.kind === 'literal') {
      throw new FilterProblem('typeMismatch', [field.name, field.type, value.text, op, value.type], position);
    }
    throw new FilterProblem('incompatible', [op, left.type, right.type], position);
  }
  const type = left.type === 'null' ? right.type : left.type;
  if (op !== 'eq' && op !== 'ne' && (type === 'boolean' || type === 'guid')) {
    const field = left.kind === 'field' ? left.name : right.kind === 'field' ? right.name : edmName[type];
    throw new FilterProblem('notOrderable', [op, field, type], position);
  }
}

/** Names of all properties a filter mentions (for Exact's mandatory-filter rule). */
export function fieldsIn(expr: Expr): string[] {
  switch (expr.kind) {
    case 'field': return [expr.name];
    case 'call': return expr.args.flatMap(fieldsIn);
    case 'not': return fieldsIn(expr.operand);
    case 'binary': return [...fieldsIn(expr.left), ...fieldsIn(expr.right)];
    default: return [];
  }
}
