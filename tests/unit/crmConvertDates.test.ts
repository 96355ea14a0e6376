import { afterEach, describe, expect, it } from 'vitest';
import { parseISO } from 'date-fns';
import { readIsoDate, readUtcDateTime } from '../../src/crm/isoDate';
import { convertValue, fromRestValue } from '../../src/crm/convert';
import type { CrmFieldInfo } from '../../src/sync/ports';

/**
 * `readIsoDate` reads plain UTC date-times itself and leaves the rest to date-fns's parseISO. These
 * hold it to parseISO and toISOString, and conversion to what it gave with parseISO alone, on many
 * generated texts, valid and not, in several time zones.
 */

/** What parseISO and toISOString make of a text. */
function reference(text: string): { ms: number; iso: string } | undefined {
  const date = parseISO(text);
  return Number.isNaN(date.getTime()) ? undefined : { ms: date.getTime(), iso: date.toISOString() };
}

/** convertValue for a date-time column as it was written with parseISO. */
function referenceConvert(text: string): { ok: boolean; value?: string | null } {
  // No value, for every column type but text.
  if (text === '') return { ok: true, value: null };
  const date = parseISO(text);
  const ms = date.getTime();
  if (Number.isNaN(ms) || ms < Date.UTC(1900, 0, 1) || ms > Date.UTC(8900, 11, 31, 23, 59, 59)) return { ok: false };
  return { ok: true, value: new Date(Math.floor(ms / 1000) * 1000).toISOString() };
}

/** A small seeded generator, so a failure names an input that can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN_MS = Date.UTC(0, 0, 1) - 1900 * 365.2425 * 86_400_000; // about year 0
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** ISO texts around what Exact and SharePoint send, and a lot of near misses. */
function texts(count: number, seed = 20261207): string[] {
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const iso = new Date(MIN_MS + next() * (MAX_MS - MIN_MS)).toISOString();
    const base = iso.slice(0, 19); // YYYY-MM-DDTHH:MM:SS
    const digits = Array.from({ length: 1 + int(9) }, () => int(10)).join('');
    const variants = [
      iso,
      `${base}Z`,
      `${base}.${digits}Z`,
      `${base}.${digits.slice(0, 3)}Z`,
      `${base},${digits}Z`,
      `${base}.Z`,
      `${base}z`,
      base,
      `${base}+0${int(10)}:${int(6)}0`,
      `${base}-${int(2)}${int(10)}00`,
      `${base.slice(0, 10)} ${base.slice(11)}Z`,
      base.slice(0, 10),
      `${base.slice(0, 16)}Z`,
      `+00${base}Z`,
    ];
    const text = variants[int(variants.length)];
    // Every third text gets one character changed: days past the month's end, hour 24, minute 60…
    if (i % 3 === 0) {
      const at = int(text.length);
      out.push(`${text.slice(0, at)}${'0123456789-:TZ. '[int(16)]}${text.slice(at + 1)}`);
    } else {
      out.push(text);
    }
  }
  return out;
}

const edgeTexts = [
  '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T12:00:00Z', '1900-02-29T12:00:00Z', '2100-02-29T00:00:00Z',
  '2024-04-31T00:00:00Z', '2024-04-30T23:59:59.999Z', '2024-00-10T00:00:00Z', '2024-13-10T00:00:00Z', '2024-01-00T00:00:00Z',
  '2024-01-01T24:00:00Z', '2024-01-01T24:00:01Z', '2024-01-01T23:60:00Z', '2024-01-01T23:59:60Z', '2024-01-01T23:59:59.9999999Z', '2024-01-01T23:59:59.99999999999999Z', '1970-01-01T00:00:01.001Z', '1970-01-01T00:00:00.9999999999999999Z',
  '0099-12-31T23:59:59Z', '0100-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1899-12-31T23:59:59.999Z',
  '8900-12-31T23:59:59.001Z', '8900-12-31T23:59:59.999Z', '2013-10-25T02:24:32.203Z', '1970-01-01T00:00:00.001Z', '1969-12-31T23:59:59.999Z',
  '2024-08-12T00:00:00.000Z', '2024-08-12T00:00:00Z', '2024-08-12', '2024-08-12T00:00:00', '2024-08-12T00:00:00+02:00', '2025-03-30T02:30:00',
  '2024-W10-1', '2024-060', '20240812T000000Z', '2024-08-12T00Z', '２０２４-08-12T00:00:00Z', ' 2024-08-12T00:00:00Z', '2024-08-12T00:00:00Z ',
  '', 'x', 'Nov 21 2025', '2024-08-12T00:00:00.Z', '2024-08-12T00:00:00,5Z', '2024-8-12T00:00:00Z',
];

const zones = ['Europe/Amsterdam', 'UTC', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham', 'Pacific/Kiritimati'];
const initialZone = process.env.TZ;

afterEach(() => {
  process.env.TZ = initialZone;
});

describe('ISO dates: the fast path and parseISO', () => {
  const generated = texts(30_000);

  it('gives what parseISO and toISOString give wherever the fast path answers, and answers for the usual forms', () => {
    let answered = 0;
    for (const text of [...edgeTexts, ...generated]) {
      const fast = readUtcDateTime(text);
      if (fast === undefined) continue;
      answered++;
      expect({ text, date: fast }).toEqual({ text, date: reference(text) });
    }
    expect(answered).toBeGreaterThan(5_000);
    for (const usual of ['2024-08-12T00:00:00.000Z', '2024-08-12T00:00:00Z', '2013-10-25T02:24:32.203Z', '2024-02-29T23:59:59.5Z']) {
      expect(readUtcDateTime(usual)).toEqual(reference(usual));
    }
  });

  it('readIsoDate is parseISO and toISOString, invalid dates included, in every zone; so are conversion and reading', () => {
    const datetime: CrmFieldInfo = { internalName: 'CustomerSince', title: 'Customer since', type: 'datetime' };
    const localMidnights = new Set<number | undefined>();
    for (const zone of zones) {
      process.env.TZ = zone;
      localMidnights.add(readIsoDate('2024-08-12T00:00:00')?.ms);
      for (const text of [...edgeTexts, ...generated.slice(0, 5_000)]) {
        expect({ zone, text, date: readIsoDate(text) }).toEqual({ zone, text, date: reference(text) });
        const converted = convertValue(datetime, text);
        expect({ zone, text, ok: converted.ok, value: converted.ok ? converted.value : undefined }).toEqual({ zone, text, ...referenceConvert(text) });
        expect({ zone, text, read: fromRestValue(datetime, text) }).toEqual({ zone, text, read: reference(text)?.iso ?? text });
      }
    }
    // Each zone really was in force: zone-less text is local time.
    expect(localMidnights.size).toBe(zones.length);
  });

  it('conversion and reading keep their results: seconds for SharePoint, the range, zone-less text as local time', () => {
    const datetime: CrmFieldInfo = { internalName: 'CustomerSince', title: 'Customer since', type: 'datetime' };
    process.env.TZ = 'Europe/Amsterdam';
    expect(convertValue(datetime, '2013-10-25T02:24:32.203Z')).toEqual({ ok: true, value: '2013-10-25T02:24:32.000Z' });
    expect(convertValue(datetime, '2024-08-12T00:00:00')).toEqual({ ok: true, value: '2024-08-11T22:00:00.000Z' });
    expect(convertValue(datetime, '2024-08-12T00:00:00+05:30')).toEqual({ ok: true, value: '2024-08-11T18:30:00.000Z' });
    expect(convertValue(datetime, '8900-12-31T23:59:59Z')).toEqual({ ok: true, value: '8900-12-31T23:59:59.000Z' });
    expect(convertValue(datetime, '8900-12-31T23:59:59.001Z')).toMatchObject({ ok: false, code: 'dateOutOfRange', reason: 'invalid date: "8900-12-31T23:59:59.001Z" is outside 1900-01-01..8900-12-31' });
    expect(convertValue(datetime, '2023-02-29T00:00:00Z')).toMatchObject({ ok: false, code: 'notIsoDate', reason: 'invalid date: "2023-02-29T00:00:00Z" is not an ISO 8601 date' });
    expect(convertValue(datetime, '1899-12-31T23:59:59Z')).toMatchObject({ ok: false, code: 'dateOutOfRange', reason: 'invalid date: "1899-12-31T23:59:59Z" is outside 1900-01-01..8900-12-31' });
    expect(fromRestValue(datetime, '2024-08-12T00:00:00Z')).toBe('2024-08-12T00:00:00.000Z');
    expect(fromRestValue(datetime, '2024-08-12')).toBe('2024-08-11T22:00:00.000Z');
    expect(fromRestValue(datetime, 'not a date')).toBe('not a date');
  });
});
