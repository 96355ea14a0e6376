import { fillTemplate } from '../sync/words';
import { formatDistance } from 'date-fns/formatDistance';
import { nl } from 'date-fns/locale/nl';
import { enGB } from 'date-fns/locale/en-GB';
import { enUS } from 'date-fns/locale/en-US';

/** `format('{0} of {1}', 3, 10)`: the loc files' placeholders; `{0|problem|problems}` agrees with part 0. */
export function format(template: string, ...values: Array<string | number>): string {
  return fillTemplate(template, values);
}

const dateLocale = (locale: string) => (/^nl/i.test(locale) ? nl : /^en-us$/i.test(locale) ? enUS : enGB);

/** "3 minutes ago" / "over 2 dagen", relative to `now`. */
export function relativeTime(iso: string, now: number, locale: string): string {
  return formatDistance(new Date(iso), new Date(now), { addSuffix: true, locale: dateLocale(locale) });
}

export function formatDate(iso: string, locale: string, withTime = false): string {
  const options: Intl.DateTimeFormatOptions = withTime
    ? { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'long', year: 'numeric' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
}

/** A date in a table column: "3 nov. 2026" fits a column where "3 november 2026" is cut off. */
export function formatShortDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Month names for pickers, January first. */
export function monthNames(locale: string): string[] {
  const formatter = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, month) => formatter.format(new Date(Date.UTC(2024, month, 1))));
}

/**
 * A name as it reads inside a sentence: "Items" → "items", "Btw-codes" → "btw-codes", but an
 * acronym keeps its capitals ("VAT codes" stays, never "vat codes").
 */
export function inSentence(name: string): string {
  return /^\p{Lu}\p{Lu}/u.test(name) ? name : name.charAt(0).toLocaleLowerCase() + name.slice(1);
}
