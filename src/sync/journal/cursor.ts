import { compareDecimal } from '../model';
import type { RunContext } from '../read/read';
import type { RunEntry } from './records';

/** Where the next incremental read starts: the Timestamp cursors of a profile's state. */

/** Like nextCursor for sync/Deleted: a deletion whose flag could not be written is read again next time. */
export function nextDeletionsCursor(since: string | null, ctx: RunContext, entries: RunEntry[]): string | null {
  const failed = entries
    .filter((e) => e.action === 'deleted' && e.outcome === 'failed')
    .map((e) => ctx.deletionTimestamps.get(e.exactKey))
    .filter((t): t is string => t !== undefined);
  if (failed.length === 0) return maxDecimal(since, ctx.maxDeletionTimestamp);
  const oldest = failed.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b));
  return maxDecimal(since, decrementDecimal(oldest));
}

/** The next incremental read starts before the oldest record that did not make it into the CRM. */
export function nextCursor(since: string | null, max: string | null, entries: RunEntry[]): string | null {
  const blocked = entries
    .filter((e) => e.timestamp !== undefined && (e.action === 'error' || e.outcome === 'failed' || (e.action === 'conflict' && e.kept.length === 0)))
    .map((e) => e.timestamp as string);
  if (blocked.length === 0) return maxDecimal(since, max);
  const oldest = blocked.reduce((a, b) => (compareDecimal(a, b) <= 0 ? a : b));
  return maxDecimal(since, decrementDecimal(oldest));
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
