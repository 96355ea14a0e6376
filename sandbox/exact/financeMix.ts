/**
 * What makes the seeded finance look like a real customer base for the panel: partial payments
 * (the open part left in ReceivablesList, sometimes split over two terms), credit notes not yet
 * settled, and invoices in US dollars for some customers of the Belgian division. Applied to what
 * seedFinance.ts generates, per account and deterministically, so reruns give the same numbers.
 * Also links each receivable to its invoice's entry (TransactionEntryID = InvoiceID, as Exact books
 * a sales invoice), which documents/Documents are found by.
 */
import { rng } from './random';
import { day, slowPayerIndex, type DivisionInfo, type Row } from './seed';
import type { AccountFinance } from './seedFinance';

/** EUR → USD at the booking; Exact books each invoice at its own rate, one is enough here. */
const usdRate = 1.0832;
const round2 = (n: number): number => Math.round(n * 100) / 100;

export const paysInDollars = (division: DivisionInfo, accountIndex: number): boolean => division.country === 'BE' && accountIndex % 4 === 1;

export function mixFinance(division: DivisionInfo, accountIndex: number, finance: AccountFinance, today: number): AccountFinance {
  if (!finance.invoices.length) return finance;
  const r = rng(`${division.code}:finance-mix:${accountIndex}`);
  const invoiceByNumber = new Map(finance.invoices.map((invoice) => [invoice.InvoiceNumber as number, invoice]));
  const receivableByNumber = new Map(finance.receivables.map((row) => [row.InvoiceNumber as number, row]));
  for (const receivable of finance.receivables) {
    const invoice = invoiceByNumber.get(receivable.InvoiceNumber as number);
    if (invoice) receivable.TransactionEntryID = invoice.InvoiceID;
  }

  if (paysInDollars(division, accountIndex)) {
    for (const invoice of finance.invoices) {
      invoice.Currency = 'USD';
      invoice.AmountFC = round2((invoice.AmountDC as number) * usdRate);
      invoice.AmountFCExclVat = round2((invoice.AmountFCExclVat as number) * usdRate);
      invoice.VATAmountFC = round2((invoice.VATAmountDC as number) * usdRate);
    }
    for (const line of finance.lines) {
      line.AmountFC = round2((line.AmountDC as number) * usdRate);
      line.VATAmountFC = round2((line.VATAmountDC as number) * usdRate);
    }
    for (const receivable of finance.receivables) {
      receivable.Currency = 'USD';
      receivable.AmountFC = invoiceByNumber.get(receivable.InvoiceNumber as number)?.AmountFC ?? receivable.AmountFC;
    }
    // ReceivablesList gives the open part in the invoice's currency (CurrencyCode says which).
    for (const open of finance.open) {
      open.CurrencyCode = 'USD';
      open.Amount = receivableByNumber.get(open.InvoiceNumber as number)?.AmountFC ?? open.Amount;
    }
  }

  const extraTerms: Row[] = [];
  finance.open.forEach((open, index) => {
    const receivable = receivableByNumber.get(open.InvoiceNumber as number);
    // The slow payer always has one partly paid invoice; others now and then.
    if (!receivable || !(accountIndex === slowPayerIndex ? index === 0 : r.chance(0.2))) return;
    const total = open.Amount as number;
    const paid = round2(total * r.pick([0.25, 0.4, 0.5]));
    const paidOn = Math.min(today - day, (open.InvoiceDate as number) + r.int(5, 25) * day);
    receivable.LastPaymentDate = paidOn;
    if (r.chance(0.5)) {
      open.Amount = round2(total - paid);
      return;
    }
    // Two payment terms left open: the second half falls due a month after the first.
    const rest = round2(total - paid);
    const first = round2(rest / 2);
    open.Amount = first;
    extraTerms.push({ ...open, HID: (open.HID as number) + 500_000, Amount: round2(rest - first), DueDate: (open.DueDate as number) + 30 * day });
  });
  finance.open.push(...extraTerms);

  // A credit note not yet settled against an invoice stays open, negative; only a small one, so a
  // customer still owes something (a credit larger than all that is open would have been paid out).
  const owed = finance.open.reduce((sum, open) => sum + (open.Amount as number), 0);
  for (const invoice of finance.invoices) {
    if (invoice.Type !== 8021 || !r.chance(0.6)) continue;
    const receivable = receivableByNumber.get(invoice.InvoiceNumber as number);
    if (!receivable || Math.abs(receivable.AmountFC as number) > owed / 2) continue;
    receivable.IsFullyPaid = false;
    receivable.LastPaymentDate = null;
    receivable.Status = 20;
    finance.open.push({
      HID: accountIndex * 20 + 900_000 + (invoice.InvoiceNumber as number) % 1000,
      AccountId: receivable.Account,
      AccountCode: receivable.AccountCode,
      AccountName: receivable.AccountName,
      Amount: receivable.AmountFC,
      AmountInTransit: 0,
      CurrencyCode: receivable.Currency,
      Description: invoice.Description,
      DueDate: invoice.DueDate,
      EntryNumber: invoice.InvoiceNumber,
      Id: receivable.ID,
      InvoiceDate: invoice.InvoiceDate,
      InvoiceNumber: invoice.InvoiceNumber,
      JournalCode: '70',
      JournalDescription: 'Verkoopboek',
      YourRef: invoice.YourRef ?? null,
    });
  }
  return finance;
}
