import type { z } from 'zod';
import { zodIssueData, type ZodIssueData } from '../words';

/**
 * One problem at one place in a document (a profile, a run record, a stored JSON text). `path`
 * is written the way a person reads it, `mappings[2].transform.source`; an empty path means the
 * document as a whole (not JSON, not an object).
 */
export interface Issue {
  path: string;
  /** In English, for logs and the CSV; a screen words it again from `zod` or `code` in the reader's language. */
  message: string;
  /** The zod issue it came from, as data (see `renderZodIssue`). */
  zod?: ZodIssueData;
  /** A check's own problem (`unknownField`) and its parts, for the words of the reader's language. */
  code?: ProfileProblemCode;
  args?: string[];
}

/** The problems `checkProfile` names beyond zod's; the editor words them with its `P_` strings. */
export type ProfileProblemCode =
  | 'unknownEntity'
  | 'listMissing'
  | 'unknownField'
  | 'unknownColumn'
  | 'readOnlyColumn'
  | 'keyColumnMapped'
  | 'mappedTwice'
  | 'keyNotText'
  | 'notLookupColumn'
  | 'notYesNoColumn'
  | 'filter'
  | 'titleTaken'
  | 'noJson'
  | 'notJson';

/** `['mappings', 2, 'target']` -> `mappings[2].target`. */
export function issuePath(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message, zod: zodIssueData(issue) }));
}

/**
 * The one way src/ words a failed validation: `Profile "Klanten": field mappings[2].target:
 * Required; field division: Number must be greater than 0`. `record` names what was checked;
 * without it the text starts with "Field ...".
 */
export function formatZodIssues(error: z.ZodError | readonly Issue[], options: { record?: string } = {}): string {
  const issues = Array.isArray(error) ? (error as readonly Issue[]) : zodIssues(error as z.ZodError);
  const text = issues.map((i) => (i.path === '' ? i.message : `field ${i.path}: ${i.message}`)).join('; ');
  if (options.record !== undefined) return `${options.record}: ${text}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Parses stored JSON text against a schema; a text that is missing, not JSON or not valid gives
 * issues instead of an exception, so a store can list the record and say what is wrong with it.
 */
export function checkJson<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, text: string | null | undefined): { ok: true; value: T } | { ok: false; issues: Issue[] } {
  if (text === null || text === undefined || text.trim() === '') return { ok: false, issues: [{ path: '', message: 'no JSON stored', code: 'noJson' }] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, code: 'notJson' }] };
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: zodIssues(parsed.error) };
}
