import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The layering rules of ARCHITECTURE.md as data, and a checker that reads the import statements
 * of source texts. It works on texts rather than on the tree so a test can prove that each rule
 * fails on a fabricated violating source; folders that do not exist yet (src/ui, src/webparts,
 * src/extensions, src/services) are covered by their path patterns.
 */

export interface SourceFile {
  /** Repository-relative, with forward slashes: `src/ui/Panel.tsx`. */
  path: string;
  text: string;
}

export interface ImportRef {
  specifier: string;
  /** `import type`, `export type`, or named imports that are all `type`: erased, so not in a bundle. */
  typeOnly: boolean;
  line: number;
}

/** A package (`@pnp/sp`) or a repository file (`src/exact/oauth.ts`; unresolved: the path without extension). */
export type ImportTarget = { kind: 'package'; name: string } | { kind: 'file'; path: string };

export interface Violation {
  rule: string;
  file: string;
  line: number;
  specifier: string;
  /** For reachability rules: the chain of files from the importer to the forbidden module. */
  via?: string[];
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const EXTENSIONS = ['.ts', '.tsx', '.js', '/index.ts', '/index.tsx', '/index.js'];

/** Blanks comments and replaces every string literal with a numbered placeholder. */
function tokenize(text: string): { code: string; strings: string[] } {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const comment = text.slice(i, end < 0 ? text.length : end + 2);
      code += comment.replace(/[^\n]/g, ' ');
      i += comment.length;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && !(c !== '`' && text[j] === '\n')) j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i + 1, j);
      code += `\u0000${strings.length}\u0000${literal.replace(/[^\n]/g, '')}`;
      strings.push(literal);
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

const S = '\\u0000(\\d+)\\u0000';
const STATEMENTS: Array<{ pattern: RegExp; typeOnly: (m: RegExpMatchArray) => boolean }> = [
  // import x from '…', import { a, type b } from '…', import type { T } from '…', export { a } from '…', export * from '…'
  {
    pattern: new RegExp(`\\b(import|export)(\\s+type)?\\s+([^;]*?)\\s*from\\s*${S}`, 'g'),
    typeOnly: (m) => m[2] !== undefined || allNamedAreTypes(m[3]),
  },
  // import '…' (side effects only)
  { pattern: new RegExp(`\\bimport\\s*${S}`, 'g'), typeOnly: () => false },
  // import('…'), require('…')
  { pattern: new RegExp(`(?:\\bimport|\\brequire)\\s*\\(\\s*${S}\\s*\\)`, 'g'), typeOnly: () => false },
];

function allNamedAreTypes(clause: string): boolean {
  const named = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!named) return false;
  const names = named[1].split(',').map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

export function importsOf(text: string): ImportRef[] {
  const { code, strings } = tokenize(text);
  const refs: ImportRef[] = [];
  for (const { pattern, typeOnly } of STATEMENTS) {
    for (const m of code.matchAll(pattern)) {
      const index = Number(m[m.length - 1]);
      const line = code.slice(0, m.index).split('\n').length;
      refs.push({ specifier: strings[index], typeOnly: typeOnly(m), line });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

export function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): ImportTarget {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
  }
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const found = files.has(base) ? base : EXTENSIONS.map((e) => base + e).find((p) => files.has(p));
  return { kind: 'file', path: found ?? base };
}

const under = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder}/`);
const isFile = (t: ImportTarget, test: (path: string) => boolean) => t.kind === 'file' && test(t.path);
const isPackage = (t: ImportTarget, names: string[]) => t.kind === 'package' && names.includes(t.name);

const BROWSER = ['src/ui', 'src/webparts', 'src/extensions'];
const inBrowser = (path: string) => BROWSER.some((f) => under(f)(path));
const UPPER = ['src/services', ...BROWSER];

/** Modules with the Exact client-secret flow or a direct Exact token: never in a web part bundle. */
export const SERVER_ONLY = ['src/exact/oauth.ts', 'src/exact/axiosTransport.ts'];

export interface ImportRule {
  name: string;
  applies: (path: string) => boolean;
  /** Type imports count too: they couple the layers even when a bundle drops them. */
  forbids: (target: ImportTarget) => boolean;
}

export const IMPORT_RULES: ImportRule[] = [
  { name: 'gateway/ imports nothing from sandbox/', applies: under('gateway'), forbids: (t) => isFile(t, under('sandbox')) },
  { name: 'src/ imports nothing from gateway/ or sandbox/', applies: under('src'), forbids: (t) => isFile(t, (p) => under('gateway')(p) || under('sandbox')(p)) },
  {
    name: 'src/sync imports only zod, date-fns and sync itself',
    applies: under('src/sync'),
    forbids: (t) => (t.kind === 'package' ? !['zod', 'date-fns'].includes(t.name) : !under('src/sync')(t.path)),
  },
  {
    name: 'src/sync, src/crm and src/exact import nothing from the layers above them',
    applies: (p) => ['src/sync', 'src/crm', 'src/exact'].some((f) => under(f)(p)),
    forbids: (t) => isFile(t, (p) => UPPER.some((f) => under(f)(p))),
  },
  { name: 'src/crm and src/exact do not import each other', applies: under('src/crm'), forbids: (t) => isFile(t, under('src/exact')) },
  { name: 'src/crm and src/exact do not import each other', applies: under('src/exact'), forbids: (t) => isFile(t, under('src/crm')) },
  {
    name: 'src/ui, src/webparts and src/extensions import neither PnPjs nor axios',
    applies: inBrowser,
    forbids: (t) => isPackage(t, ['@pnp/sp', '@pnp/queryable', 'axios']),
  },
  {
    name: '@azure/msal-browser only in src/exact/msalTokenProvider.ts and sandbox/',
    applies: (p) => p !== 'src/exact/msalTokenProvider.ts' && !under('sandbox')(p),
    forbids: (t) => isPackage(t, ['@azure/msal-browser']),
  },
];

export const REACHABILITY_RULE = 'server-only Exact code (client secret, direct token) is not reachable from src/ui, src/webparts or src/extensions';

/** Every rule over a set of sources; `files` are the paths imports resolve against (default: the sources). */
export function checkLayering(sources: SourceFile[], files: ReadonlySet<string> = new Set(sources.map((s) => s.path))): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, Array<{ ref: ImportRef; target: ImportTarget }>>();
  for (const source of sources) {
    const edges = importsOf(source.text).map((ref) => ({ ref, target: resolveImport(source.path, ref.specifier, files) }));
    graph.set(source.path, edges);
    for (const rule of IMPORT_RULES) {
      if (!rule.applies(source.path)) continue;
      for (const { ref, target } of edges) {
        if (rule.forbids(target)) {
          violations.push({ rule: rule.name, file: source.path, line: ref.line, specifier: ref.specifier });
        }
      }
    }
  }
  for (const source of sources) {
    if (!inBrowser(source.path)) continue;
    for (const { ref, target } of graph.get(source.path) ?? []) {
      if (ref.typeOnly || target.kind !== 'file') continue;
      const chain = pathToServerOnly(target.path, graph, new Set());
      if (chain) violations.push({ rule: REACHABILITY_RULE, file: source.path, line: ref.line, specifier: ref.specifier, via: chain });
    }
  }
  return violations;
}

/** Depth-first over value imports: the chain of files from `file` to a server-only module, if any. */
function pathToServerOnly(file: string, graph: Map<string, Array<{ ref: ImportRef; target: ImportTarget }>>, seen: Set<string>): string[] | undefined {
  if (SERVER_ONLY.includes(file)) return [file];
  if (seen.has(file)) return undefined;
  seen.add(file);
  for (const { ref, target } of graph.get(file) ?? []) {
    if (ref.typeOnly || target.kind !== 'file') continue;
    const rest = pathToServerOnly(target.path, graph, seen);
    if (rest) return [file, ...rest];
  }
  return undefined;
}

/** The repository's own sources under the given folders. */
export function readSources(root: string, folders: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push({ path, text: readFileSync(join(root, path), 'utf8') });
      }
    }
  };
  for (const folder of folders) walk(folder);
  return out;
}
