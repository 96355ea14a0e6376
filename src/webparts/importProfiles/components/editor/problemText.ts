import * as strings from 'ProfileEditorStrings';
import type { ProfileProblem } from '../../../../sync';
import { format } from '../../../../ui/format';
import type { MatchSignal, ProfileDraft, TransformKind } from './draft';
import type { LocalProblem } from './localChecks';

/** A problem as the editor shows it: where (the profile path) and what, in the person's words. */
export interface EditorProblem {
  path: string;
  text: string;
}

const clip = (value: string): string => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

const FILTER_TYPES = ['guid', 'string', 'number', 'boolean', 'datetime', 'null'];

/** A filter problem in full (never clipped: a cut sentence says nothing), its type words in the person's language. */
function filterProblemText(problem: LocalProblem): string {
  const words = strings as unknown as Record<string, string>;
  const template = words[`P_${problem.code}`] ?? problem.code;
  return format(template, ...problem.args.map((arg) => (FILTER_TYPES.indexOf(arg) >= 0 ? words[`FilterType_${arg}`] ?? arg : arg)));
}

export function localProblemText(problem: LocalProblem): string {
  if (problem.code.indexOf('filter_') === 0) return filterProblemText(problem);
  const template = (strings as unknown as Record<string, string>)[`P_${problem.code}`] ?? problem.code;
  return format(template, ...problem.args.map(clip));
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
 * The instant checks and the service's answer, one list: the service's words (core's, in English)
 * are kept only where the instant checks found nothing at that path, so a problem is said once.
 */
export function mergeProblems(local: readonly LocalProblem[], checked: readonly ProfileProblem[]): EditorProblem[] {
  const out: EditorProblem[] = local.map((p) => ({ path: p.path, text: localProblemText(p) }));
  const localRoots = new Set(local.map((p) => rootOf(p.path)));
  for (const p of checked) {
    if (localRoots.has(rootOf(p.path))) continue;
    out.push({ path: p.path, text: p.message });
  }
  return out;
}

/** `mappings[2].transform.source` and `mappings[2].target` are both about row 2; `key.crmField` stays itself. */
function rootOf(path: string): string {
  const indexed = /^(mappings|matching)\[\d+\]/.exec(path);
  return indexed ? indexed[0] : path;
}
