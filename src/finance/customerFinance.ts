import { exactDay } from './days';
import { financialYearLabel, financialYearOf, previousFinancialYear } from './financialYear';
import { figureNotes, type FigureNote } from './figureNotes';
import { fromCents, sumAmounts, toCents, toDivisionCurrency } from './money';
import { agingBucketNames, type AgingBucketName, type CustomerFinance, type InvoiceFact, type InvoiceRow, type InvoiceStatus, type OpenItem } from './types';

export interface FinanceInput {
  facts: readonly InvoiceFact[];
  open: readonly OpenItem[];
  /** `CreditLineSales` of the account; 0 or absent is "no limit" in Exact. */
  creditLine?: number | null;
  divisionCurrency: string;
  /** The person's calendar day (see `localDay`). */
  today: number;
  /** `MM-DD` from the connection page. */
  financialYearStart: string;
  /** Paid invoices older than this day are left out of the list (open ones always show). */
  listSince: number;
}

/** Which bucket an open item falls in on `today`: by days past its due date, due today is not due. */
export function agingBucket(dueDate: string, today: number): AgingBucketName {
  const late = today - exactDay(dueDate);
  if (late <= 0) return 'notDue';
  if (late <= 30) return 'days1to30';
  if (late <= 60) return 'days31to60';
  if (late <= 90) return 'days61to90';
  return 'over90';
}

interface Invoice {
  fact: InvoiceFact;
  openRows: OpenItem[];
}

/** Receivables can hold one row per payment term; the invoice is their sum. */
function groupFacts(facts: readonly InvoiceFact[]): Map<number, InvoiceFact> {
  const byNumber = new Map<number, InvoiceFact>();
  for (const fact of facts) {
    const seen = byNumber.get(fact.invoiceNumber);
    if (!seen) {
      byNumber.set(fact.invoiceNumber, { ...fact });
      continue;
    }
    const lastPayment = [seen.lastPaymentDate, fact.lastPaymentDate].filter((d): d is string => !!d).sort().pop();
    byNumber.set(fact.invoiceNumber, {
      ...seen,
      amountFC: sumAmounts([seen.amountFC, fact.amountFC]),
      amountDC: sumAmounts([seen.amountDC, fact.amountDC]),
      dueDate: seen.dueDate < fact.dueDate ? seen.dueDate : fact.dueDate,
      isFullyPaid: seen.isFullyPaid && fact.isFullyPaid,
      lastPaymentDate: lastPayment,
      entryId: seen.entryId ?? fact.entryId,
    });
  }
  return byNumber;
}

/** An open item in the division's currency; undefined when there is no rate to convert it at. */
function openInDivisionCurrency(item: OpenItem, fact: InvoiceFact | undefined, divisionCurrency: string): number | undefined {
  if (item.currency === divisionCurrency) return item.amount;
  if (fact && item.currency === fact.currency) return toDivisionCurrency(item.amount, fact);
  return undefined;
}

function openInInvoiceCurrency(item: OpenItem, fact: InvoiceFact, divisionCurrency: string): number {
  if (item.currency === fact.currency) return item.amount;
  // Only reached for an item booked in the division's currency on a foreign-currency invoice.
  return item.currency === divisionCurrency && fact.amountDC !== 0 ? fromCents(Math.round((toCents(item.amount) * fact.amountFC) / fact.amountDC)) : item.amount;
}

export function invoiceStatus(row: { amountDC: number; openFC: number; amountFC: number; lastPaymentDate?: string; earliestOpenDue?: string }, today: number): InvoiceStatus {
  const openCents = toCents(row.openFC);
  if (row.amountDC < 0) return { kind: 'credit-note', open: openCents !== 0 };
  if (openCents <= 0) return { kind: 'paid', on: row.lastPaymentDate };
  const partlyPaid = openCents < toCents(row.amountFC);
  const late = row.earliestOpenDue ? today - exactDay(row.earliestOpenDue) : 0;
  if (late > 0) return { kind: 'overdue', days: late, partlyPaid };
  return partlyPaid ? { kind: 'partly-paid' } : { kind: 'open' };
}

/**
 * The panel's numbers. `ReceivablesList` is the authority on what is open (a partly paid invoice
 * keeps only its open part there); `Receivables` on what was invoiced and when it was paid.
 * Every total is in the division's currency; the sum of the aging buckets is the open balance.
 */
export function customerFinance(input: FinanceInput): CustomerFinance & { unconverted: OpenItem[]; notes: FigureNote[] } {
  const { today, divisionCurrency } = input;
  const facts = groupFacts(input.facts);
  const invoices = new Map<number, Invoice>();
  const orphans: OpenItem[] = [];
  for (const [number, fact] of facts) invoices.set(number, { fact, openRows: [] });
  for (const item of input.open) {
    const invoice = invoices.get(item.invoiceNumber);
    if (invoice) invoice.openRows.push(item);
    else orphans.push(item);
  }
  // An open item with no receivable behind it (an opening balance, a memorial booking) still
  // counts: it is what Exact says the customer owes. Below zero it is a payment not yet applied.
  const withoutReceivable = new Set(orphans.map((item) => item.invoiceNumber));
  const credits = { creditNoteCents: 0, paymentCents: 0 };
  for (const item of orphans) {
    const existing = invoices.get(item.invoiceNumber);
    if (existing) {
      existing.openRows.push(item);
      continue;
    }
    const fact: InvoiceFact = { invoiceNumber: item.invoiceNumber, description: item.description, invoiceDate: item.invoiceDate, dueDate: item.dueDate, currency: item.currency, amountFC: item.amount, amountDC: item.currency === divisionCurrency ? item.amount : Number.NaN, isFullyPaid: false };
    invoices.set(item.invoiceNumber, { fact, openRows: [item] });
  }

  const aging = Object.fromEntries(agingBucketNames.map((name) => [name, 0])) as Record<AgingBucketName, number>;
  const overdueInvoices = new Set<number>();
  const unconverted: OpenItem[] = [];
  const rows: InvoiceRow[] = [];
  let balanceCents = 0;
  let overdueCents = 0;
  for (const { fact, openRows } of invoices.values()) {
    let openDCCents = 0;
    for (const item of openRows) {
      const dc = openInDivisionCurrency(item, Number.isNaN(fact.amountDC) ? undefined : fact, divisionCurrency);
      if (dc === undefined) {
        unconverted.push(item);
        continue;
      }
      const cents = toCents(dc);
      openDCCents += cents;
      if (cents < 0) {
        if (fact.amountDC < 0 && !withoutReceivable.has(fact.invoiceNumber)) credits.creditNoteCents += cents;
        else credits.paymentCents += cents;
      }
      // A credit note still open lowers what is owed but is never "late".
      const bucket = cents < 0 ? 'notDue' : agingBucket(item.dueDate, today);
      aging[bucket] = fromCents(toCents(aging[bucket]) + cents);
      if (bucket !== 'notDue') {
        overdueCents += cents;
        overdueInvoices.add(fact.invoiceNumber);
      }
    }
    balanceCents += openDCCents;
    const openFC = sumAmounts(openRows.map((item) => openInInvoiceCurrency(item, fact, divisionCurrency)));
    const earliestOpenDue = openRows.map((item) => item.dueDate).sort()[0];
    const amountDC = Number.isNaN(fact.amountDC) ? fact.amountFC : fact.amountDC;
    const inList = openRows.length > 0 || exactDay(fact.invoiceDate) >= input.listSince;
    if (!inList) continue;
    rows.push({
      invoiceNumber: fact.invoiceNumber,
      entryId: fact.entryId,
      description: fact.description,
      invoiceDate: fact.invoiceDate,
      dueDate: fact.dueDate,
      currency: fact.currency,
      amountFC: fact.amountFC,
      amountDC,
      openFC,
      openDC: fromCents(openDCCents),
      status: invoiceStatus({ amountDC, amountFC: fact.amountFC, openFC, lastPaymentDate: fact.lastPaymentDate, earliestOpenDue }, today),
    });
  }
  rows.sort((a, b) => (a.invoiceDate === b.invoiceDate ? b.invoiceNumber - a.invoiceNumber : a.invoiceDate < b.invoiceDate ? 1 : -1));

  const current = financialYearOf(today, input.financialYearStart);
  const previous = previousFinancialYear(current, input.financialYearStart);
  const revenueIn = (year: { start: number; end: number }): number =>
    sumAmounts(
      [...facts.values()]
        .filter((fact) => {
          const day = exactDay(fact.invoiceDate);
          return day >= year.start && day < year.end;
        })
        .map((fact) => fact.amountDC),
    );

  const yearTotals = (year: { start: number; end: number }, label: string) => {
    const amounts = [...facts.values()].filter((fact) => exactDay(fact.invoiceDate) >= year.start && exactDay(fact.invoiceDate) < year.end).map((fact) => toCents(fact.amountDC));
    return { label, invoicedCents: amounts.filter((c) => c > 0).reduce((a, b) => a + b, 0), creditedCents: amounts.filter((c) => c < 0).reduce((a, b) => a + b, 0) };
  };
  const notes = figureNotes({
    balanceCents,
    overdueCents,
    notDueCents: toCents(aging.notDue),
    credits,
    current: yearTotals(current, financialYearLabel(current)),
    previous: yearTotals(previous, financialYearLabel(previous)),
  });
  const balance = fromCents(balanceCents);
  const creditLimit = input.creditLine && input.creditLine > 0 ? input.creditLine : undefined;
  const lastPaymentDate = [...facts.values()].map((fact) => fact.lastPaymentDate).filter((d): d is string => !!d).sort().pop();
  return {
    currency: divisionCurrency,
    openBalance: balance,
    overdueAmount: fromCents(overdueCents),
    overdueCount: overdueInvoices.size,
    creditLimit,
    creditUsed: creditLimit ? balance / creditLimit : undefined,
    lastPaymentDate,
    aging,
    revenue: {
      current: { label: financialYearLabel(current), amount: revenueIn(current) },
      previous: { label: financialYearLabel(previous), amount: revenueIn(previous) },
    },
    invoices: rows,
    unconverted,
    notes,
  };
}
