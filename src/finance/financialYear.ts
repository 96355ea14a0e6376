import { dayToIso, exactDay } from './days';

/** A financial year as day numbers: `start` inclusive, `end` exclusive. */
export interface FinancialYear {
  start: number;
  end: number;
  /** The calendar year the financial year starts in, e.g. 2025 for 1 July 2025 – 30 June 2026. */
  startYear: number;
}

const monthDayPattern = /^(\d{2})-(\d{2})$/;

/** Splits `MM-DD` (the connection page's setting); a clear error for anything else. */
export function parseMonthDay(monthDay: string): { month: number; day: number } {
  const match = monthDayPattern.exec(monthDay);
  const month = match ? Number(match[1]) : 0;
  const day = match ? Number(match[2]) : 0;
  // 29 February would give no start in three years out of four; Exact does not allow it either.
  const maxDay = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (!match || day < 1 || day > maxDay) {
    throw new RangeError(`Financial year start "${monthDay}" is not a month and day (MM-DD, e.g. 01-01 or 07-01)`);
  }
  return { month, day };
}

const startOf = (year: number, month: number, day: number): number => exactDay(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);

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
