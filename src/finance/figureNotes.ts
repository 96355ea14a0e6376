import { fromCents } from './money';

/**
 * Why a figure of the panel looks wrong while it is right. Exact does not net an unsettled credit
 * note or an unapplied payment against an invoice until someone matches them, so the open balance
 * can be smaller than what is overdue, "Not due" negative, and a year's invoiced total negative.
 * A note is given only where that changes a figure, and names the amounts that do it.
 */
export type FigureNote =
  /** Overdue is larger than the open balance: these open credits lower the balance, not the overdue amount. */
  | { figure: 'overdue'; creditNotes: number; payments: number }
  /** "Not due" is negative: the open credits are counted there until they are matched. */
  | { figure: 'notDue'; creditNotes: number; payments: number }
  /** A financial year's invoiced total is negative: its credit notes exceed its invoices. */
  | { figure: 'revenue-current' | 'revenue-previous'; label: string; invoiced: number; credited: number };

/** Open items below zero, in cents of the division's currency, by what they are. */
export interface OpenCredits {
  creditNoteCents: number;
  paymentCents: number;
}

export interface YearTotals {
  label: string;
  /** Invoices in the year, in cents (positive). */
  invoicedCents: number;
  /** Credit notes in the year, in cents (negative). */
  creditedCents: number;
}

export function figureNotes(input: { balanceCents: number; overdueCents: number; notDueCents: number; credits: OpenCredits; current: YearTotals; previous: YearTotals }): FigureNote[] {
  const { credits } = input;
  const notes: FigureNote[] = [];
  const hasCredits = credits.creditNoteCents < 0 || credits.paymentCents < 0;
  const amounts = { creditNotes: fromCents(Math.abs(credits.creditNoteCents)), payments: fromCents(Math.abs(credits.paymentCents)) };
  if (hasCredits && input.overdueCents > input.balanceCents) notes.push({ figure: 'overdue', ...amounts });
  if (hasCredits && input.notDueCents < 0) notes.push({ figure: 'notDue', ...amounts });
  for (const [figure, year] of [['revenue-current', input.current], ['revenue-previous', input.previous]] as const) {
    if (year.invoicedCents + year.creditedCents < 0) notes.push({ figure, label: year.label, invoiced: fromCents(year.invoicedCents), credited: fromCents(Math.abs(year.creditedCents)) });
  }
  return notes;
}
