import { parseISO } from 'date-fns';

/**
 * ISO 8601 text to epoch milliseconds, exactly as date-fns's parseISO reads it (NaN where it finds
 * no valid date). Nearly every date the engine converts is a plain UTC date-time, as Exact's dates
 * become (`2024-08-12T00:00:00.000Z`) and SharePoint answers (`2024-08-12T00:00:00Z`); parseISO on
 * those was a third of conversion's CPU. They are read directly; parseISO reads everything else
 * (offsets, zone-less local times, dates alone, week and ordinal dates, invalid text).
 */
export function isoMs(text: string): number {
  return utcIsoMs(text) ?? parseISO(text).getTime();
}

const utcDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)Z$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * The fast path of `isoMs`: a valid `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, or undefined for parseISO
 * to decide. Exported for the tests that hold it to parseISO.
 */
export function utcIsoMs(text: string): number | undefined {
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
  return new Date(Date.UTC(year, month - 1, day) + time).getTime();
}
