/**
 * What a financial-year start is (`MM-DD`, as the connection page saves it and the gateway checks
 * it) and which one a division counts from. No date library: the page's first bundle and the
 * gateway's check need none.
 */

const monthDayPattern = /^(\d{2})-(\d{2})$/;
/** The longest each month gets: February's 29 is a start of its own (financialYear.ts reads it as the last day of February). */
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
