import { parseISO } from 'date-fns';

export interface IsoDate {
  /** Epoch milliseconds. */
  ms: number;
  /** `new Date(ms).toISOString()`. */
  iso: string;
}

/**
 * ISO 8601 text read exactly as date-fns's parseISO reads it, with the instant's `toISOString()`;
 * undefined where parseISO finds no valid date. Nearly every date the engine converts is a plain
 * UTC date-time, as Exact's dates become (`2024-08-12T00:00:00.000Z`) and SharePoint answers
 * (`2024-08-12T00:00:00Z`). Those are read directly, and spelled from their own text: parseISO and
 * toISOString (about 1.5 µs a call in Node 20) were most of conversion's CPU. parseISO reads
 * everything else (offsets, zone-less local times, dates alone, week and ordinal dates, invalid text).
 */
export function readIsoDate(text: string): IsoDate | undefined {
  const fast = readUtcDateTime(text);
  if (fast !== undefined) return fast;
  const ms = parseISO(text).getTime();
  return Number.isNaN(ms) ? undefined : { ms, iso: new Date(ms).toISOString() };
}

const utcDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number spelled by `text[from..to)`, digits the pattern has already checked (no substrings, no Number()). */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * The fast path of `readIsoDate`: a valid `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or undefined for
 * parseISO to decide. Exported for the tests that hold it to parseISO and toISOString.
 */
export function readUtcDateTime(text: string): IsoDate | undefined {
  if (!utcDateTime.test(text)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hours = digitsAt(text, 11, 13);
  const minutes = digitsAt(text, 14, 16);
  // With its fraction, as parseISO's parseFloat reads it.
  const seconds = Number(text.slice(17, -1));
  // Years below 100 (Date.UTC reads them as 19xx) and hour 24 (parseISO's end of day) are parseISO's.
  const lastDay = month === 2 && isLeapYear(year) ? 29 : daysInMonth[month - 1];
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > lastDay || hours > 23 || minutes > 59 || seconds >= 60) {
    return undefined;
  }
  // parseISO's arithmetic, fractional seconds included, then the Date constructor's truncation to
  // whole milliseconds: the same number down to floating-point rounding.
  const midnight = Date.UTC(year, month - 1, day);
  const ms = new Date(midnight + (hours * 3_600_000 + minutes * 60_000 + seconds * 1000)).getTime();
  // toISOString gives the text's own date and time to the second, unless a fraction like .9999999
  // rounded into the next second.
  const millis = ms - (midnight + hours * 3_600_000 + minutes * 60_000 + Math.floor(seconds) * 1000);
  const iso = millis >= 0 && millis < 1000 ? `${text.slice(0, 19)}.${String(millis).padStart(3, '0')}Z` : new Date(ms).toISOString();
  return { ms, iso };
}
