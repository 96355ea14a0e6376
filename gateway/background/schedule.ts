/**
 * A profile's schedule and when it is next due. Times are the admin's wall-clock times in the
 * schedule's time zone (Europe/Amsterdam unless set), so "07:00–20:00" means the same office
 * hours in winter and in summer:
 * - `minutes` (every N, N ≥ 15) and `hourly` run every N elapsed minutes counted from the local
 *   midnight of each day: on the night clocks change the runs keep their real-time spacing;
 * - `daily` runs once a day at a wall-clock time: a time that does not exist (02:30 on the last
 *   Sunday of March) runs when the clock has jumped (03:30), a time that occurs twice (02:30 on
 *   the last Sunday of October) runs once, at its first occurrence;
 * - the office-hours window `[from, to)` and the days of the week filter slots by local time.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { z } from 'zod';

export const defaultTimeZone = 'Europe/Amsterdam';
export const minimumIntervalMinutes = 15;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:mm (00:00–23:59)');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const cadenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('off') }),
  z.object({ kind: z.literal('minutes'), minutes: z.number().int().min(minimumIntervalMinutes, `at least every ${minimumIntervalMinutes} minutes`).max(720) }),
  z.object({ kind: z.literal('hourly') }),
  z.object({ kind: z.literal('daily'), at: clockTime }),
]);
export type Cadence = z.infer<typeof cadenceSchema>;

export const scheduleSpecSchema = z
  .object({
    cadence: cadenceSchema,
    /** Office hours: runs start at or after `from` and before `to` (local time). */
    window: z.object({ from: clockTime, to: clockTime }).refine((w) => w.from < w.to, 'the window must end after it starts').optional(),
    /** ISO weekdays (1 Monday … 7 Sunday) on which it runs; absent: every day. */
    days: z.array(z.number().int().min(1).max(7)).min(1, 'at least one day').max(7).optional(),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Amsterdam').default(defaultTimeZone),
    /** Also run (incrementally) when Exact reports a change to the profile's records (webhooks). */
    runOnChanges: z.boolean().default(false),
  })
  .strict();
export type ScheduleSpec = z.infer<typeof scheduleSpecSchema>;
export type ScheduleSpecInput = z.input<typeof scheduleSpecSchema>;

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const minuteMs = 60_000;
/** Far enough to pass a week of days that are all excluded, plus a clock change. */
const searchDays = 9;

export interface LocalDay {
  year: number;
  month: number;
  date: number;
}

function localDayOf(at: number, zone: string): LocalDay {
  const local = TZDate.tz(zone, at);
  return { year: local.getFullYear(), month: local.getMonth(), date: local.getDate() };
}

const nextDay = ({ year, month, date }: LocalDay): LocalDay => {
  // Noon avoids any DST edge; Date's overflow rolls the month and year.
  const d = new Date(Date.UTC(year, month, date + 1, 12));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), date: d.getUTCDate() };
};

function allowed(spec: ScheduleSpec, at: number, filterWindow: boolean): boolean {
  const local = TZDate.tz(spec.timeZone, at);
  const isoDay = local.getDay() === 0 ? 7 : local.getDay();
  if (spec.days && !spec.days.includes(isoDay)) {
    return false;
  }
  if (!filterWindow || !spec.window) {
    return true;
  }
  const minute = local.getHours() * 60 + local.getMinutes();
  return minute >= minutesOf(spec.window.from) && minute < minutesOf(spec.window.to);
}

/**
 * The instant a local wall-clock time has, independent of the process's own time zone: the
 * first occurrence of a repeated time, and for a skipped time the instant the clock jumped over
 * it by the offset before the jump (02:30 in the March gap is 03:30 summer time).
 */
export function instantOf(day: LocalDay, minuteOfDay: number, zone: string): number {
  const wall = Date.UTC(day.year, day.month, day.date, Math.floor(minuteOfDay / 60), minuteOfDay % 60);
  const offsetAt = (at: number): number => tzOffset(zone, new Date(at)) * minuteMs;
  const candidates = [wall - offsetAt(wall - 86_400_000), wall - offsetAt(wall + 86_400_000)];
  const valid = candidates.filter((at) => wall - offsetAt(at) === at).sort((a, b) => a - b);
  return valid[0] ?? candidates[0]!;
}

/** The day's slots in time order (instants, ms). */
function slotsOf(spec: ScheduleSpec, day: LocalDay): number[] {
  const { cadence, timeZone } = spec;
  if (cadence.kind === 'off') {
    return [];
  }
  if (cadence.kind === 'daily') {
    return [instantOf(day, minutesOf(cadence.at), timeZone)];
  }
  const step = (cadence.kind === 'hourly' ? 60 : cadence.minutes) * minuteMs;
  const start = instantOf(day, 0, timeZone);
  const end = instantOf(nextDay(day), 0, timeZone);
  const slots: number[] = [];
  for (let at = start; at < end; at += step) {
    slots.push(at);
  }
  return slots;
}

/** The first slot strictly after `after` (ms), or undefined when the schedule is off. */
export function nextRunAt(spec: ScheduleSpec, after: number): number | undefined {
  let day = localDayOf(after, spec.timeZone);
  for (let i = 0; i < searchDays; i++) {
    for (const slot of slotsOf(spec, day)) {
      if (slot > after && allowed(spec, slot, spec.cadence.kind !== 'daily')) {
        return slot;
      }
    }
    day = nextDay(day);
  }
  return undefined;
}

/** Every slot in `(from, to]`, for the bench's runs-a-day count and for tests. */
export function slotsBetween(spec: ScheduleSpec, from: number, to: number): number[] {
  const found: number[] = [];
  for (let at = nextRunAt(spec, from); at !== undefined && at <= to; at = nextRunAt(spec, at)) {
    found.push(at);
  }
  return found;
}
