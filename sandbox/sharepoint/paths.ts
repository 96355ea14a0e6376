import { SpCodes, badRequest } from './errors';

/** One segment of a REST path: `items`, `items(5)`, `getByTitle('It''s')`, `AddUsingPath(decodedurl='a.txt',Overwrite=true)`. */
export interface Segment {
  name: string;
  lower: string;
  args?: SegmentArgs;
}

export interface SegmentArgs {
  positional: string[];
  named: Map<string, string>;
}

/** Splits on `sep` outside single-quoted strings (a doubled quote stays inside the string). */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  const v = value.trim();
  const m = /^(?:guid)?'((?:[^']|'')*)'$/i.exec(v);
  return m ? m[1].replace(/''/g, "'") : v;
}

function parseArgs(text: string): SegmentArgs {
  const args: SegmentArgs = { positional: [], named: new Map() };
  if (text.trim() === '') return args;
  for (const part of splitOutsideQuotes(text, ',')) {
    const eq = /^\s*([A-Za-z_@][A-Za-z0-9_]*)\s*=(.*)$/s.exec(part);
    if (eq && !part.trim().startsWith("'")) {
      args.named.set(eq[1].toLowerCase(), unquote(eq[2]));
    } else {
      args.positional.push(unquote(part));
    }
  }
  return args;
}

/**
 * Parses the path after `/_api/`. Splitting happens on the raw (percent-encoded) path so that a
 * `/` inside an encoded argument such as `decodedUrl='%2Fsites%2Fcrm%2F…'` stays in its segment.
 */
export function parseApiPath(rawPath: string): Segment[] {
  return splitOutsideQuotes(rawPath, '/')
    .filter((s) => s.length > 0)
    .map((raw) => {
      let text: string;
      try {
        text = decodeURIComponent(raw);
      } catch {
        throw badRequest(SpCodes.generic, `The path segment '${raw}' is not valid.`);
      }
      const open = text.indexOf('(');
      if (open < 0 || !text.endsWith(')')) return { name: text, lower: text.toLowerCase() };
      const name = text.slice(0, open);
      return { name, lower: name.toLowerCase(), args: parseArgs(text.slice(open + 1, -1)) };
    });
}

export function firstArg(segment: Segment): string {
  const value = segment.args?.positional[0] ?? [...(segment.args?.named.values() ?? [])][0];
  if (value === undefined) throw badRequest(SpCodes.generic, `The segment '${segment.name}' needs an argument.`);
  return value;
}

export function namedArg(segment: Segment, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = segment.args?.named.get(n.toLowerCase());
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * A parameter alias such as `getUserEffectivePermissions(@user)?@user='i:0#.f|membership|…'`:
 * the value of the query parameter with its quotes removed; a non-alias argument as it is.
 */
export function aliasValue(url: URL, arg: string): string {
  if (!arg.startsWith('@')) return arg;
  const raw = url.searchParams.get(arg);
  if (raw === null) throw badRequest(SpCodes.generic, `The parameter alias '${arg}' has no value in the query string.`);
  return /^'.*'$/s.test(raw) ? raw.slice(1, -1).replace(/''/g, "'") : raw;
}
