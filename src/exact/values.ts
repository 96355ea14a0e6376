/**
 * Exact's wire formats and the port value conventions (see src/sync/ports.ts) they turn into.
 * Pure functions: no HTTP, no clock.
 */

/** Exact writes DateTime as `/Date(1382667872203)/`, sometimes with an offset suffix. */
const exactDatePattern = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** `/Date(ms)/` to an ISO 8601 UTC string; undefined when the text is not an Exact date. */
export function parseExactDate(text: string): string | undefined {
  const match = exactDatePattern.exec(text);
  if (!match) {
    return undefined;
  }
  // The epoch part is already UTC; a suffix only says which zone the server displayed it in.
  const date = new Date(Number(match[1]));
  return Number.isNaN(date.getTime()) ? undefined : isoString(date);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `date.toISOString()`, spelled out for four-digit years (every date Exact has): Node 20's builtin
 * costs about 1.5 µs a call, several times this, and a page of records has thousands of dates.
 */
function isoString(date: Date): string {
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) {
    return date.toISOString();
  }
  const time = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}`;
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${time}Z`;
}

/** Exact's `Code` columns are fixed-width and left-padded with spaces; ports see them trimmed. */
export function trimCode(value: string): string {
  return value.trim();
}

/** Account `Code` length in Exact: a `$filter` on Code only matches the 18-character padded form. */
export const accountCodeLength = 18;

export function padAccountCode(code: string): string {
  const trimmed = code.trim();
  if (trimmed.length > accountCodeLength) {
    throw new RangeError(`Account code "${trimmed}" is longer than ${accountCodeLength} characters`);
  }
  return trimmed.padStart(accountCodeLength, ' ');
}

const integerPattern = /^-?\d+$/;

/**
 * Edm.Int64 arrives as a JSON string (`"1"`). It becomes a number when it fits exactly, and
 * stays a decimal string otherwise, so no precision is silently lost.
 */
export function int64Value(value: string | number): number | string {
  if (typeof value === 'number') {
    return value;
  }
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : normaliseDecimal(value);
}

/** A sync cursor as a canonical decimal string (no sign noise, no leading zeros). */
export function normaliseDecimal(value: string): string {
  if (!integerPattern.test(value)) {
    throw new RangeError(`"${value}" is not an integer`);
  }
  const negative = value.startsWith('-');
  const digits = value.replace(/^-/, '').replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

export function isIntegerText(value: string): boolean {
  return integerPattern.test(value);
}

/** Compares two non-negative decimal strings of any length (sync Timestamps may exceed 2^53). */
export function compareDecimal(a: string, b: string): number {
  const x = normaliseDecimal(a);
  const y = normaliseDecimal(b);
  if (x.length !== y.length) {
    return x.length < y.length ? -1 : 1;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}
