import { format } from 'date-fns/format';

/**
 * Exact's dates are calendar days sent as UTC midnight (`/Date(ms)/`); the person's "today" is
 * their own calendar day. Both become whole day numbers so "due today" is never overdue because
 * of a time zone.
 */
const msPerDay = 86_400_000;

/** `2025-03-31` or an ISO instant from Exact → days since 1970-01-01 by its UTC calendar date. */
export function exactDay(iso: string): number {
  const time = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(time)) {
    throw new RangeError(`"${iso}" is not a date`);
  }
  return Math.floor(time / msPerDay);
}

/** The person's calendar date at `now`, in their own time zone. */
export function localDay(now: Date): number {
  return exactDay(format(now, 'yyyy-MM-dd'));
}

export function dayToIso(dayNumber: number): string {
  return new Date(dayNumber * msPerDay).toISOString().slice(0, 10);
}
