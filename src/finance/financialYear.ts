import { dayToIso, exactDay } from './days';

/** A financial year as day numbers: `start` inclusive, `end` exclusive. */
export interface FinancialYear {
  start: number;
  end: number;
  /** The calendar year the financial year starts in, e.g. 2025 for 1 July 2025 – 30 June 2026. */
  startYear: number;
}

const monthDayPattern = /^(\d{2})-(\d{2})$/;
/** The longest each month gets: February's 29 is a start of its own (see `startOf`). */
const longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Splits `MM-DD` (the connection page's setting); a clear error for anything else. */
export function parseMonthDay(monthDay: string): { month: number; day: number } {
  const match = monthDayPattern.exec(monthDay);
  const month = match ? Number(match[1]) : 0;
  const day = match ? Number(match[2]) : 0;
  if (!match || day < 1 || day > (longestMonth[month - 1] ?? 0)) {
    throw new RangeError(`Financial year start "${monthDay}" is not a month and day (MM-DD, e.g. 01-01 or 07-01)`);
  }
  return { month, day };
}

/** Whether `MM-DD` is a financial-year start the panel can count from; the gateway checks with it too. */
export function isMonthDay(monthDay: string): boolean {
  try {
    parseMonthDay(monthDay);
    return true;
  } catch {
    return false;
  }
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

/** Until an admin confirms a start, the panel counts calendar years, as most companies do. */
export const ASSUMED_FINANCIAL_YEAR_START = '01-01';

/**
 * What the connection says about financial years: a start per division, and the single start
 * confirmed before divisions had their own, which divisions without one still follow.
 */
export interface FinancialYearSettings {
  financialYearStart?: string;
  financialYearStarts?: Record<string, string>;
}

export type FinancialYearSource = 'division' | 'connection' | 'assumed';

/** A division's financial-year start and where it comes from (its own, the connection's, or assumed). */
export function financialYearStartOf(settings: FinancialYearSettings, division: number): { monthDay: string; source: FinancialYearSource } {
  const own = settings.financialYearStarts?.[String(division)];
  if (own) return { monthDay: own, source: 'division' };
  if (settings.financialYearStart) return { monthDay: settings.financialYearStart, source: 'connection' };
  return { monthDay: ASSUMED_FINANCIAL_YEAR_START, source: 'assumed' };
}
