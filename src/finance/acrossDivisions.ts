import { fromCents, toCents } from './money';
import { agingBucketNames, type AgingBucketName, type CustomerFinance } from './types';

/** What the total row reads of one division's panel. */
export type DivisionFigures = Pick<CustomerFinance, 'currency' | 'openBalance' | 'overdueAmount' | 'overdueCount' | 'aging'>;

export interface CurrencyTotal extends DivisionFigures {
  /** The divisions (codes) whose figures are in this total. */
  divisions: number[];
}

/**
 * One customer's figures over the divisions it is linked in, summed per currency: each division's
 * totals are in its own books' currency, and euros and pounds are never added up. Currencies come
 * in the order their first division comes (the division the panel was opened for first).
 */
export function totalsByCurrency(parts: ReadonlyArray<{ division: number; figures: DivisionFigures }>): CurrencyTotal[] {
  const totals = new Map<string, { balance: number; overdue: number; count: number; aging: Record<AgingBucketName, number>; divisions: number[] }>();
  for (const { division, figures } of parts) {
    const total = totals.get(figures.currency) ?? { balance: 0, overdue: 0, count: 0, aging: Object.fromEntries(agingBucketNames.map((name) => [name, 0])) as Record<AgingBucketName, number>, divisions: [] };
    total.balance += toCents(figures.openBalance);
    total.overdue += toCents(figures.overdueAmount);
    total.count += figures.overdueCount;
    for (const name of agingBucketNames) total.aging[name] += toCents(figures.aging[name]);
    total.divisions.push(division);
    totals.set(figures.currency, total);
  }
  return [...totals.entries()].map(([currency, total]) => ({
    currency,
    openBalance: fromCents(total.balance),
    overdueAmount: fromCents(total.overdue),
    overdueCount: total.count,
    aging: Object.fromEntries(agingBucketNames.map((name) => [name, fromCents(total.aging[name])])) as Record<AgingBucketName, number>,
    divisions: total.divisions,
  }));
}
