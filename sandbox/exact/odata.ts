/**
 * The slice of OData v2 that Exact Online speaks: `$filter` expressions (parsed once, checked
 * against the entity's fields, then evaluated per record), `$orderby`, `$select` and the literal
 * syntax shared by filters and `$skiptoken` (`guid'…'`, `datetime'…'`, `123L`, `'it''s'`).
 *
 * Exact runs on SQL Server with a case-insensitive collation, so string comparisons here ignore
 * case (an inference; the reference does not say). Padding is NOT ignored: `Code eq '25'` does not
 * match `'                25'`, which is the trap the reference warns about.
 */
import { ODataError } from './errors';
import { edmName, syntaxError, tokenize, type Kind, type Token, type Value } from './odataLexer';

export type { Value } from './odataLexer';
export { parseDateTimeLiteral } from './odataLexer';
export type FieldType = 'guid' | 'string' | 'byte' | 'int' | 'int64' | 'double' | 'boolean' | 'datetime';

/** Each emulated property type under the Edm name Exact's reference and `$metadata` use. */
export const edmTypeName: Record<FieldType, string> = {
  guid: 'Edm.Guid', string: 'Edm.String', byte: 'Edm.Byte', int: 'Edm.Int32', int64: 'Edm.Int64', double: 'Edm.Double', boolean: 'Edm.Boolean', datetime: 'Edm.DateTime',
};

export type Expr =
  | { kind: 'literal'; type: Kind; value: Value }
  | { kind: 'field'; type: Kind; name: string }
  | { kind: 'call'; type: Kind; name: string; args: Expr[] }
  | { kind: 'not'; type: Kind; operand: Expr }
  | { kind: 'binary'; type: Kind; op: BinaryOp; left: Expr; right: Expr };

type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type BinaryOp = CompareOp | 'and' | 'or';

const compareOps = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function kindOf(type: FieldType): Kind {
  if (type === 'byte' || type === 'int' || type === 'int64' || type === 'double') {
    return 'number';
  }
  return type;
}

type FunctionSpec = { args: Kind[]; returns: Kind };
const functions: Record<string, FunctionSpec> = {
  substringof: { args: ['string', 'string'], returns: 'boolean' },
  startswith: { args: ['string', 'string'], returns: 'boolean' },
  endswith: { args: ['string', 'string'], returns: 'boolean' },
  tolower: { args: ['string'], returns: 'string' },
  toupper: { args: ['string'], returns: 'string' },
  trim: { args: ['string'], returns: 'string' },
  length: { args: ['string'], returns: 'number' },
};

/** Resolves a property name to its type, or undefined when the entity has no such property. */
export type FieldLookup = (name: string) => FieldType | undefined;

export interface ParseContext {
  fields: FieldLookup;
  /** e.g. `Exact.Web.Api.Models.Account`, for error texts. */
  typeName: string;
}

export function unknownPropertyError(name: string, typeName: string): ODataError {
  return new ODataError(400, `Could not find a property named '${name}' on type '${typeName}'.`);
}

/**
 * Brackets, `not`s and function calls a filter may nest. The parser recurses per level, so a few
 * thousand `(` would overflow the stack (a 500); WCF Data Services refuses deep expressions with a
 * 400 "Recursion depth exceeded allowed limit." (its limit is not documented; 100 is ours).
 */
export const MAX_FILTER_DEPTH = 100;

/** Parses a `$filter` value. Throws ODataError(400) with a WCF-style message on any problem. */
export function parseFilter(source: string, context: ParseContext): Expr {
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  const nested = <T>(position: number, parse: () => T): T => {
    if (++depth > MAX_FILTER_DEPTH) {
      throw new ODataError(400, `Recursion depth exceeded allowed limit. (more than ${MAX_FILTER_DEPTH} levels at position ${position})`);
    }
    const result = parse();
    depth--;
    return result;
  };
  const peek = (): Token => tokens[at];
  const next = (): Token => tokens[at++];
  const isWord = (word: string): boolean => peek().kind === 'ident' && peek().text.toLowerCase() === word;
  const expect = (kind: Token['kind']): Token => {
    const token = next();
    if (token.kind !== kind) {
      throw syntaxError(token.position, source);
    }
    return token;
  };

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isWord('or')) {
      const op = next();
      const right = parseAnd();
      left = logical('or', left, right, op.position);
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseNot();
    while (isWord('and')) {
      const op = next();
      const right = parseNot();
      left = logical('and', left, right, op.position);
    }
    return left;
  };
  const logical = (op: 'and' | 'or', left: Expr, right: Expr, position: number): Expr => {
    if (left.type !== 'boolean' || right.type !== 'boolean') {
      throw new ODataError(400, `Operator '${op}' incompatible with operand types '${edmName[left.type]}' and '${edmName[right.type]}' at position ${position}.`);
    }
    return { kind: 'binary', type: 'boolean', op, left, right };
  };
  const parseNot = (): Expr => {
    if (isWord('not')) {
      const op = next();
      const operand = nested(op.position, parseNot);
      if (operand.type !== 'boolean') {
        throw new ODataError(400, `Operator 'not' incompatible with operand type '${edmName[operand.type]}' at position ${op.position}.`);
      }
      return { kind: 'not', type: 'boolean', operand };
    }
    return parseComparison();
  };
  const parseComparison = (): Expr => {
    const left = parsePrimary();
    const token = peek();
    if (token.kind === 'ident' && compareOps.has(token.text.toLowerCase())) {
      next();
      const op = token.text.toLowerCase() as CompareOp;
      const right = parsePrimary();
      const compatible = left.type === right.type || left.type === 'null' || right.type === 'null';
      const ordered = op === 'eq' || op === 'ne' || (left.type !== 'boolean' && left.type !== 'guid');
      if (!compatible || !ordered) {
        throw new ODataError(400, `Operator '${op}' incompatible with operand types '${edmName[left.type]}' and '${edmName[right.type]}' at position ${token.position}.`);
      }
      return { kind: 'binary', type: 'boolean', op, left, right };
    }
    return left;
  };
  const parsePrimary = (): Expr => {
    const token = next();
    if (token.kind === 'lparen') {
      const inner = nested(token.position, parseOr);
      expect('rparen');
      return inner;
    }
    if (token.kind === 'literal' && token.literal) {
      return { kind: 'literal', type: token.literal.type, value: token.literal.value };
    }
    if (token.kind === 'ident') {
      if (peek().kind === 'lparen') {
        const name = token.text.toLowerCase();
        const spec = functions[name];
        if (!spec) {
          throw new ODataError(400, `Unknown function '${token.text}' at position ${token.position}.`);
        }
        next();
        const args: Expr[] = [];
        if (peek().kind !== 'rparen') {
          args.push(nested(token.position, parseOr));
          while (peek().kind === 'comma') {
            next();
            args.push(nested(token.position, parseOr));
          }
        }
        expect('rparen');
        if (args.length !== spec.args.length || args.some((arg, i) => arg.type !== spec.args[i] && arg.type !== 'null')) {
          throw new ODataError(400, `No function signature for the function with name '${name}' matches the specified arguments at position ${token.position}.`);
        }
        return { kind: 'call', type: spec.returns, name, args };
      }
      const type = context.fields(token.text);
      if (!type) {
        throw unknownPropertyError(token.text, context.typeName);
      }
      return { kind: 'field', type: kindOf(type), name: token.text };
    }
    throw syntaxError(token.position, source);
  };

  const expr = parseOr();
  if (peek().kind !== 'end') {
    throw syntaxError(peek().position, source);
  }
  if (expr.type !== 'boolean') {
    throw new ODataError(400, `Expression of type '${edmName[expr.type]}' expected to be of type 'Edm.Boolean'.`);
  }
  return expr;
}

/** Names of all properties a filter mentions (for Exact's mandatory-filter rule). */
export function fieldsIn(expr: Expr): string[] {
  switch (expr.kind) {
    case 'field':
      return [expr.name];
    case 'call':
      return expr.args.flatMap(fieldsIn);
    case 'not':
      return fieldsIn(expr.operand);
    case 'binary':
      return [...fieldsIn(expr.left), ...fieldsIn(expr.right)];
    default:
      return [];
  }
}

/**
 * Compares two non-null values of one kind; strings and guids ignore case. Trailing spaces do not
 * count (SQL Server pads the shorter string before comparing), so `Country eq 'NL'` matches
 * `'NL '`; leading spaces do count, so an unpadded account Code still matches nothing.
 */
export function compareValues(a: Value, b: Value): number {
  if (a === null || b === null) {
    return a === b ? 0 : a === null ? -1 : 1;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.replace(/ +$/, '').toLowerCase();
    const y = b.replace(/ +$/, '').toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return Number(a) - Number(b);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export function evaluate(expr: Expr, record: Record<string, Value>): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'field':
      return record[expr.name] ?? null;
    case 'not':
      return !evaluate(expr.operand, record);
    case 'call': {
      const args = expr.args.map((arg) => evaluate(arg, record));
      if (args.some((arg) => arg === null)) {
        return expr.type === 'boolean' ? false : null;
      }
      const [a, b] = args.map((arg) => String(arg));
      switch (expr.name) {
        case 'substringof':
          return b.toLowerCase().includes(a.toLowerCase());
        case 'startswith':
          return a.toLowerCase().startsWith(b.toLowerCase());
        case 'endswith':
          return a.toLowerCase().endsWith(b.toLowerCase());
        case 'tolower':
          return a.toLowerCase();
        case 'toupper':
          return a.toUpperCase();
        case 'trim':
          return a.trim();
        default:
          return a.length;
      }
    }
    case 'binary': {
      if (expr.op === 'and') {
        return Boolean(evaluate(expr.left, record)) && Boolean(evaluate(expr.right, record));
      }
      if (expr.op === 'or') {
        return Boolean(evaluate(expr.left, record)) || Boolean(evaluate(expr.right, record));
      }
      const left = evaluate(expr.left, record);
      const right = evaluate(expr.right, record);
      if (expr.op === 'eq') {
        return compareValues(left, right) === 0;
      }
      if (expr.op === 'ne') {
        return compareValues(left, right) !== 0;
      }
      if (left === null || right === null) {
        return false;
      }
      const order = compareValues(left, right);
      return expr.op === 'gt' ? order > 0 : expr.op === 'ge' ? order >= 0 : expr.op === 'lt' ? order < 0 : order <= 0;
    }
  }
}

export interface OrderKey {
  field: string;
  descending: boolean;
}

export function parseOrderBy(source: string, context: ParseContext): OrderKey[] {
  return source.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const [field, direction = 'asc'] = words;
    if (!field || words.length > 2 || !/^(asc|desc)$/i.test(direction)) {
      throw new ODataError(400, `Syntax error in '$orderby=${source}'.`);
    }
    if (!context.fields(field)) {
      throw unknownPropertyError(field, context.typeName);
    }
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
}

/** Writes a value as an OData literal, typed by its field (`guid'…'`, `42L`, `'O''Neil'`). */
export function formatLiteral(value: Value, type: FieldType): string {
  if (value === null) {
    return 'null';
  }
  switch (type) {
    case 'guid':
      return `guid'${String(value)}'`;
    case 'int64':
      return `${String(value)}L`;
    case 'datetime':
      return `datetime'${new Date(value as number).toISOString().replace(/Z$/, '')}'`;
    case 'string':
      return `'${String(value).replace(/'/g, "''")}'`;
    default:
      return String(value);
  }
}

/** Reads a `$skiptoken`: comma-separated literals, one per sort key (the entity key last). */
export function parseSkipToken(source: string): Value[] {
  const tokens = tokenize(source);
  const values: Value[] = [];
  let at = 0;
  for (;;) {
    const token = tokens[at++];
    if (token.kind !== 'literal' || !token.literal) {
      throw new ODataError(400, `The $skiptoken '${source}' is not valid.`);
    }
    values.push(token.literal.value);
    const separator = tokens[at++];
    if (separator.kind === 'end') {
      return values;
    }
    if (separator.kind !== 'comma') {
      throw new ODataError(400, `The $skiptoken '${source}' is not valid.`);
    }
  }
}
