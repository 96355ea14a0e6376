import * as strings from 'ImportProfilesWebPartStrings';
import type { FieldChange, RunAction, RunEntry } from '../../../sync/journal/records';
import { format } from '../../../ui/format';

/**
 * How a run entry reads in a preview or a log: column captions instead of internal names, times
 * in the reader's time zone, Exact's code and city beside the name.
 */

/** Column internal name → caption (the list's display name), for the changes. */
export type Captions = ReadonlyMap<string, string>;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const UTC_MIDNIGHT = /T00:00(:00(\.0+)?)?Z$/;

/** A value as the reader knows it: a time in local time, a date (Exact's dates sit at UTC midnight) without one. */
export function showValue(value: FieldChange['before'], locale: string): string {
  if (value === null || value === '') return strings.Empty;
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return value;
    return UTC_MIDNIGHT.test(value)
      ? new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date)
      : new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
  }
  return String(value);
}

/** One line per changed field: "KvK number: 12345678 → 87654321", then the CRM edits kept. */
export function changeLines(entry: RunEntry, view: { captions?: Captions; locale: string }): string[] {
  const lines = entry.changes.map((c) => `${view.captions?.get(c.field) ?? c.field}: ${showValue(c.before, view.locale)} → ${showValue(c.after, view.locale)}`);
  if (entry.kept.length > 0) lines.push(format(strings.KeptCrmEdits, entry.kept.map((f) => view.captions?.get(f) ?? f).join(', ')));
  return lines;
}

/** "Code 20001 · Utrecht": what tells two records of one name apart. */
export function identityText(entry: Pick<RunEntry, 'code' | 'city'>): string {
  return [entry.code ? format(strings.EntryCode, entry.code) : '', entry.city ?? ''].filter(Boolean).join(' · ');
}

/** Filters by outcome and by a search in the record's name, Exact code (trimmed), city or key. */
export function filterEntries(entries: RunEntry[], outcome: RunAction | 'all', search: string): RunEntry[] {
  const needle = search.trim().toLowerCase();
  const hits = (e: RunEntry): boolean =>
    e.label.toLowerCase().includes(needle) ||
    e.exactKey.toLowerCase().includes(needle) ||
    (e.code ?? '').trim().toLowerCase().includes(needle) ||
    (e.city ?? '').toLowerCase().includes(needle);
  return entries.filter((e) => (outcome === 'all' || e.action === outcome) && (!needle || hits(e)));
}
