import { dayToIso, exactDay } from './days';
import { parseMonthDay } from './financialYearStart';

/** A financial year as day numbers: `start` inclusive, `end` exclusive. */
export interface FinancialYear {
  start: number;
  end: number;
  /** The calendar year the financial year starts in, e.g. 2025 for 1 July 2025 – 30 June 2026. */
  startYear: number;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The first day of the financial year that starts in `year`. A year that starts on 29 February
 * starts on the last day of February: the 28th in a year without a 29th, as Exact and Dutch
 * bookkeeping read it (a company registered on a leap day keeps "the end of February").
 */
function startOf(year: number, month: number, day: number): number {
  const realDay = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  return exactDay(`${year}-${String(month).padStart(2, '0')}-${String(realDay).padStart(2, '0')}`);
}

/** The financial year `day` falls in, for a year starting on `monthDay`. */
export function financialYearOf(day: number, monthDay: string): FinancialYear {
  const { month, day: startDay } = parseMonthDay(monthDay);
  const calendarYear = Number(dayToIso(day).slice(0, 4));
  const startYear = day >= startOf(calendarYear, month, startDay) ? calendarYear : calendarYear - 1;
  return { start: startOf(startYear, month, startDay), end: startOf(startYear + 1, month, startDay), startYear };
}

export function previousFinancialYear(year: FinancialYear, monthDay: string): FinancialYear {
  return financialYearOf(year.start - 1, monthDay);
}

/** "2025" for a calendar year, "2025/2026" for one that straddles New Year. */
export function financialYearLabel(year: FinancialYear): string {
  const lastDay = dayToIso(year.end - 1).slice(0, 4);
  return lastDay === String(year.startYear) ? lastDay : `${year.startYear}/${lastDay}`;
}
