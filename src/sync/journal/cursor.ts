import { compareDecimal } from '../model';
import type { FieldValue } from '../model';

/**
 * Where the next incremental read starts. A cursor observes the `Timestamp` of every record (or
 * deletion) as the read passes it, like a sync kit's cursor does, so no step loops over the
 * records again to find the highest one.
 */
export class TimestampCursor {
  private highest: string | null = null;

  /** The highest Timestamp observed so far, or null. */
  public get max(): string | null {
    return this.highest;
  }

  public observe(timestamp: FieldValue | undefined): void {
    if (timestamp === null || timestamp === undefined) return;
    const value = String(timestamp);
    if (this.highest === null || compareDecimal(value, this.highest) > 0) this.highest = value;
  }

  /**
   * The cursor to save after a run that read from `since`: the highest Timestamp observed, but
   * just before the oldest of `heldBack` (records that did not make it into the CRM), so those
   * are read again next time. Never behind `since`.
   */
  public next(since: string | null, heldBack: string[]): string | null {
    if (heldBack.length === 0) return maxDecimal(since, this.highest);
    const oldest = heldBack.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b));
    return maxDecimal(since, decrementDecimal(oldest));
  }
}

function maxDecimal(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareDecimal(a, b) >= 0 ? a : b;
}

export function decrementDecimal(value: string): string {
  const digits = value.replace(/^0+(?=\d)/, '').split('');
  if (digits.length === 1 && digits[0] === '0') return '0';
  let i = digits.length - 1;
  while (digits[i] === '0') {
    digits[i] = '9';
    i--;
  }
  digits[i] = String(Number(digits[i]) - 1);
  return digits.join('').replace(/^0+(?=\d)/, '');
}
