import * as strings from 'ProfileEditorStrings';
import * as common from 'CommonStrings';
import type { ProfileProblem } from '../../../../sync';
import { renderZodIssue } from '../../../../sync/words';
import { format } from '../../../../ui/format';
import { entityLabel } from '../entityNames';
import type { MatchSignal, ProfileDraft, TransformKind } from './draft';
import type { LocalProblem } from './localChecks';

/** A problem as the editor shows it: where (the profile path) and what, in the person's words. */
export interface EditorProblem {
  path: string;
  text: string;
}

const clip = (value: string): string => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

const words = strings as unknown as Record<string, string>;

/**
 * The filter check's sentences (src/sync/profile/filter.ts words them in English for logs), each
 * read back into its parts and worded in the reader's language; one it does not know stays as written.
 */
const FILTER: Array<[RegExp, string, (m: RegExpExecArray) => string[]]> = [
  [/^filter is (\d+) characters long; at most (\d+) are allowed$/, 'F_tooLong', (m) => [m[1], m[2]]],
  [/^closing parenthesis at position (\d+) has no opening one$/, 'F_closeParen', (m) => [m[1]]],
  [/^function or operator "(.*)" is not allowed$/, 'F_function', (m) => [m[1]]],
  [/^operator "(.*)" is not allowed \(allowed: (.*)\)$/, 'F_operator', (m) => [m[1], m[2]]],
  [/^unknown field "(.*)" for entity (\w+)$/, 'F_unknownField', (m) => [m[1], entityLabel(m[2])]],
  [/^parentheses are not balanced: a closing parenthesis is missing$/, 'F_unbalanced', () => []],
  [/^quote at position (\d+) is not closed$/, 'F_quote', (m) => [m[1]]],
  [/^unexpected "(.*)" at position (\d+)$/, 'F_unexpected', (m) => [m[1], m[2]]],
  [/^navigation path "(.*)" cannot be filtered on$/, 'F_navigation', (m) => [m[1]]],
];

export function filterProblemText(message: string): string {
  for (const [pattern, key, parts] of FILTER) {
    const m = pattern.exec(message);
    if (m) return format(words[key] ?? message, ...parts(m));
  }
  return message;
}

/** A problem code and its parts in the reader's words (`P_unknownField`); the filter's own sentence is worded too. */
function codeText(code: string, args: readonly string[]): string {
  const template = words[`P_${code}`];
  if (template === undefined) return code;
  const parts = code === 'filter' ? args.map(filterProblemText) : code === 'unknownField' ? [clip(args[0] ?? ''), entityLabel(args[1] ?? '')] : args.map(clip);
  return format(template, ...parts);
}

const FILTER_TYPES = ['guid', 'string', 'number', 'boolean', 'datetime', 'null'];

/**
 * A problem of the shared filter grammar (`filter_<code>`, src/sync/odata) in full (never
 * clipped: a cut sentence says nothing), its type words and entity in the reader's language.
 */
function filterGrammarText(problem: LocalProblem): string {
  const template = words[`P_${problem.code}`] ?? problem.code;
  const args = problem.args.map((arg) => (FILTER_TYPES.indexOf(arg) >= 0 ? words[`FilterType_${arg}`] ?? arg : arg));
  if (problem.code === 'filter_unknownField') args[1] = entityLabel(args[1] ?? '');
  return format(template, ...args);
}

export function localProblemText(problem: LocalProblem): string {
  if (problem.code.indexOf('filter_') === 0) return filterGrammarText(problem);
  return codeText(problem.code, problem.args);
}

/** A problem the service found: by its code, or zod's issue, in the reader's language; its English message only when it has neither. */
export function checkedProblemText(problem: ProfileProblem): string {
  if (problem.code) return codeText(problem.code, problem.args ?? []);
  if (problem.zod) return renderZodIssue(problem.zod, common);
  return problem.message;
}

export function signalLabel(signal: MatchSignal): string {
  return (strings as unknown as Record<string, string>)[`Signal${signal.charAt(0).toUpperCase()}${signal.slice(1)}`] ?? signal;
}

export function transformLabel(kind: TransformKind): string {
  return (strings as unknown as Record<string, string>)[`Transform${kind.charAt(0).toUpperCase()}${kind.slice(1)}`] ?? kind;
}

/** What a path points at, for the summary: `mappings[3].transform` -> "Column Email". */
export function pathLabel(path: string, draft: ProfileDraft): string {
  const mapping = /^mappings\[(\d+)\]/.exec(path);
  if (mapping) return format(strings.PathRow, draft.mappings[Number(mapping[1])]?.target || `#${Number(mapping[1]) + 1}`);
  const rule = /^matching\[(\d+)\]/.exec(path);
  if (rule) {
    const enabled = draft.matching.filter((r) => r.enabled)[Number(rule[1])];
    return format(strings.PathRule, enabled ? signalLabel(enabled.signal) : `#${Number(rule[1]) + 1}`);
  }
  const fixed: Record<string, string> = {
    '': strings.PathProfile,
    title: strings.FieldTitle,
    division: strings.FieldDivision,
    'source.entity': strings.FieldEntity,
    'source.filter': strings.PathFilter,
    source: strings.FieldEntity,
    targetList: strings.FieldTargetList,
    mode: strings.FieldMode,
    'key.exactField': strings.KeyExact,
    'key.crmField': strings.KeyCrm,
    key: strings.SectionKey,
    mappings: strings.PathMappings,
    deletedFlagField: strings.PathDeletedFlag,
  };
  return fixed[path] ?? format(strings.PathOther, path);
}

/**
 * The instant checks and the service's answer, one list: the service's problems are kept only where the instant checks found nothing at that path, so a problem is said once.
 */
export function mergeProblems(local: readonly LocalProblem[], checked: readonly ProfileProblem[]): EditorProblem[] {
  const out: EditorProblem[] = local.map((p) => ({ path: p.path, text: localProblemText(p) }));
  const localRoots = new Set(local.map((p) => rootOf(p.path)));
  for (const p of checked) {
    if (localRoots.has(rootOf(p.path))) continue;
    out.push({ path: p.path, text: checkedProblemText(p) });
  }
  return out;
}

/** `mappings[2].transform.source` and `mappings[2].target` are both about row 2; `key.crmField` stays itself. */
function rootOf(path: string): string {
  const indexed = /^(mappings|matching)\[\d+\]/.exec(path);
  return indexed ? indexed[0] : path;
}

/** A stored profile's problems in the reader's words ("title: mag hoogstens 255 tekens lang zijn"), for a profile that cannot run. */
export function issuesText(issues: readonly ProfileProblem[]): string {
  return issues.map((i) => (i.path === '' ? checkedProblemText(i) : format(strings.ProblemAt, i.path, checkedProblemText(i)))).join('; ');
}
