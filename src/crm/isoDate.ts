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

const utcDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)Z$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * The fast path of `readIsoDate`: a valid `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or undefined for
 * parseISO to decide. Exported for the tests that hold it to parseISO and toISOString.
 */
export function readUtcDateTime(text: string): IsoDate | undefined {
  const match = utcDateTime.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hours = Number(match[4]);
  const minutes = Number(match[5]);
  const seconds = Number(match[6]);
  // Years below 100 (Date.UTC reads them as 19xx) and hour 24 (parseISO's end of day) are parseISO's.
  const lastDay = month === 2 && isLeapYear(year) ? 29 : daysInMonth[month - 1];
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > lastDay || hours > 23 || minutes > 59 || seconds >= 60) {
    return undefined;
  }
  // parseISO's arithmetic, fractional seconds included, then the Date constructor's truncation to
  // whole milliseconds: the same number down to floating-point rounding.
  const time = hours * 3_600_000 + minutes * 60_000 + seconds * 1000;
  const ms = new Date(Date.UTC(year, month - 1, day) + time).getTime();
  // toISOString gives the text's own date and time to the second, unless a fraction like .9999999
  // rounded into the next second.
  const millis = ms - Date.UTC(year, month - 1, day, hours, minutes, Math.floor(seconds));
  const iso = millis >= 0 && millis < 1000 ? `${text.slice(0, 19)}.${String(millis).padStart(3, '0')}Z` : new Date(ms).toISOString();
  return { ms, iso };
}
