import { describe, expect, it } from 'vitest';
import { nextRunAt, scheduleSpecSchema, slotsBetween, type ScheduleSpecInput } from '../../gateway/background/schedule';

const spec = (input: ScheduleSpecInput) => scheduleSpecSchema.parse(input);
const iso = (at: number | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

describe('schedules in Europe/Amsterdam', () => {
  it('every 15 minutes 07:00–20:00 on weekdays: 52 runs a day, in local office hours summer and winter', () => {
    const officeHours = spec({ cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' }, days: [1, 2, 3, 4, 5] });
    // Monday 6 July 2026 (CEST, UTC+2): 07:00 local is 05:00 UTC.
    const summer = slotsBetween(officeHours, Date.UTC(2026, 6, 5, 22, 0), Date.UTC(2026, 6, 6, 22, 0));
    expect(summer).toHaveLength(52);
    expect(iso(summer[0])).toBe('2026-07-06T05:00:00.000Z');
    expect(iso(summer.at(-1))).toBe('2026-07-06T17:45:00.000Z');
    // Monday 7 December 2026 (CET, UTC+1).
    const winter = slotsBetween(officeHours, Date.UTC(2026, 11, 6, 23, 0), Date.UTC(2026, 11, 7, 23, 0));
    expect(winter).toHaveLength(52);
    expect(iso(winter[0])).toBe('2026-12-07T06:00:00.000Z');
    // Friday evening → Monday morning.
    expect(iso(nextRunAt(officeHours, Date.UTC(2026, 11, 11, 19, 0)))).toBe('2026-12-14T06:00:00.000Z');
  });

  it('March change (29 March 2026): office hours follow the clock, the night keeps real 15-minute spacing', () => {
    const officeHours = spec({ cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' } });
    const before = slotsBetween(officeHours, Date.UTC(2026, 2, 27, 23, 0), Date.UTC(2026, 2, 28, 23, 0));
    const after = slotsBetween(officeHours, Date.UTC(2026, 2, 28, 23, 0), Date.UTC(2026, 2, 29, 22, 0));
    expect(iso(before[0])).toBe('2026-03-28T06:00:00.000Z'); // 07:00 CET
    expect(iso(after[0])).toBe('2026-03-29T05:00:00.000Z'); // 07:00 CEST
    expect(after).toHaveLength(52);
    const allNight = spec({ cadence: { kind: 'minutes', minutes: 15 } });
    // 01:45 CET (00:45 UTC) → the next slot is 15 real minutes later, shown as 03:00 CEST.
    expect(iso(nextRunAt(allNight, Date.UTC(2026, 2, 29, 0, 45)))).toBe('2026-03-29T01:00:00.000Z');
    // The local day has 23 hours: 92 slots of 15 minutes.
    expect(slotsBetween(allNight, Date.UTC(2026, 2, 28, 22, 59), Date.UTC(2026, 2, 29, 21, 59))).toHaveLength(92);
  });

  it('October change (25 October 2026): the repeated hour keeps its runs, office hours follow the clock', () => {
    const allNight = spec({ cadence: { kind: 'hourly' } });
    // The local day has 25 hours: 25 hourly runs, 02:00 twice.
    expect(slotsBetween(allNight, Date.UTC(2026, 9, 24, 21, 59), Date.UTC(2026, 9, 25, 22, 59))).toHaveLength(25);
    const officeHours = spec({ cadence: { kind: 'minutes', minutes: 15 }, window: { from: '07:00', to: '20:00' } });
    expect(iso(nextRunAt(officeHours, Date.UTC(2026, 9, 24, 20, 0)))).toBe('2026-10-25T06:00:00.000Z'); // 07:00 CET
  });

  it('daily at a time: the wall-clock time in both seasons; a time the clock skips runs after the jump, a repeated one once', () => {
    const daily = spec({ cadence: { kind: 'daily', at: '06:30' } });
    expect(iso(nextRunAt(daily, Date.UTC(2026, 6, 1, 12)))).toBe('2026-07-02T04:30:00.000Z');
    expect(iso(nextRunAt(daily, Date.UTC(2026, 11, 1, 12)))).toBe('2026-12-02T05:30:00.000Z');
    const night = spec({ cadence: { kind: 'daily', at: '02:30' } });
    expect(iso(nextRunAt(night, Date.UTC(2026, 2, 28, 12)))).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    const october = slotsBetween(night, Date.UTC(2026, 9, 24, 12), Date.UTC(2026, 9, 25, 12));
    expect(october.map(iso)).toEqual(['2026-10-25T00:30:00.000Z']); // 02:30 CEST, the first of the two
  });

  it('off has no next run; bad input is refused with the field', () => {
    expect(nextRunAt(spec({ cadence: { kind: 'off' } }), Date.UTC(2026, 0, 1))).toBeUndefined();
    const tooOften = scheduleSpecSchema.safeParse({ cadence: { kind: 'minutes', minutes: 5 } });
    expect(tooOften.success ? '' : tooOften.error.issues[0]?.message).toBe('at least every 15 minutes');
    expect(scheduleSpecSchema.safeParse({ cadence: { kind: 'hourly' }, window: { from: '20:00', to: '07:00' } }).success).toBe(false);
    expect(scheduleSpecSchema.safeParse({ cadence: { kind: 'hourly' }, timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});
