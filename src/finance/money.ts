/** Amounts are summed in cents: 0.1 + 0.2 must be 0.30 on a sales person's screen, as in Exact. */
export const toCents = (amount: number): number => Math.round(amount * 100);
export const fromCents = (cents: number): number => cents / 100;

export function sumAmounts(amounts: readonly number[]): number {
  return fromCents(amounts.reduce((total, amount) => total + toCents(amount), 0));
}

/**
 * An amount in the invoice's currency in the division's currency, at the invoice's own rate
 * (`AmountDC / AmountFC` of the booking), which is the rate Exact books the open part at too.
 */
export function toDivisionCurrency(amountFC: number, invoice: { amountFC: number; amountDC: number }): number {
  if (invoice.amountFC === 0) {
    return amountFC;
  }
  return fromCents(Math.round((toCents(amountFC) * invoice.amountDC) / invoice.amountFC));
}
