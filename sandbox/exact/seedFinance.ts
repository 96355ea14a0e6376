/**
 * Sales invoices, their lines and the receivables they leave behind, generated per account on
 * first use (so 10,000 accounts cost nothing until someone reads their invoices). Eighteen months
 * back from the seed day; a share of invoices is still open, some of them overdue.
 */
import type { Value } from './odata';
import { rng } from './random';
import { day, paymentDays, slowPayerIndex, type DivisionInfo, type Row } from './seed';

export interface AccountFinance {
  invoices: Row[];
  lines: Row[];
  /** cashflow/Receivables: one per invoice, paid or not. */
  receivables: Row[];
  /** read/financial/ReceivablesList: only what is still open. */
  open: Row[];
}

const items = [
  { code: 'SERV-UUR', description: 'Servicemonteur per uur', unit: 'uur', price: 68.5 },
  { code: 'VOORRIJ', description: 'Voorrijkosten', unit: 'st', price: 45 },
  { code: 'CV-ONDH', description: 'Onderhoud cv-ketel', unit: 'st', price: 129 },
  { code: 'WP-8KW', description: 'Warmtepomp 8 kW', unit: 'st', price: 6450 },
  { code: 'RADIATOR', description: 'Radiator type 22, 600x1000', unit: 'st', price: 189.95 },
  { code: 'KOPER-15', description: 'Koperen buis 15 mm', unit: 'm', price: 7.8 },
  { code: 'THERMO', description: 'Slimme thermostaat', unit: 'st', price: 219 },
  { code: 'ADVIES', description: 'Adviesgesprek duurzaamheid', unit: 'uur', price: 95 },
];

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Invoices predate every CRM change in the seed, so their row versions sit below the CRM ones. */
const invoiceTimestampBase = 40_000_000;

export function generateFinance(division: DivisionInfo, account: Row, accountIndex: number, today: number): AccountFinance {
  const result: AccountFinance = { invoices: [], lines: [], receivables: [], open: [] };
  if (account.Status !== 'C') {
    return result;
  }
  const r = rng(`${division.code}:finance:${accountIndex}`);
  const count = accountIndex === slowPayerIndex ? 8 : r.int(0, 12);
  const dates: number[] = [];
  for (let k = 0; k < count; k++) {
    dates.push(today - r.int(1, 540) * day);
  }
  dates.sort((a, b) => a - b);
  const vatPercentage = 0.21;
  const days = paymentDays(account.PaymentConditionSales);
  dates.forEach((invoiceDate, k) => {
    const invoiceId = r.guid();
    const year = new Date(invoiceDate).getUTCFullYear() % 100;
    const invoiceNumber = year * 1_000_000 + accountIndex * 20 + k + 1;
    const isCredit = k > 0 && r.chance(0.03);
    const sign = isCredit ? -1 : 1;
    let net = 0;
    const lineCount = r.int(1, 4);
    for (let n = 0; n < lineCount; n++) {
      const item = r.pick(items);
      const quantity = item.unit === 'm' ? r.int(5, 40) : item.unit === 'uur' ? r.int(1, 16) : r.int(1, 3);
      const amount = round2(sign * quantity * item.price);
      net += amount;
      result.lines.push({
        ID: r.guid(),
        InvoiceID: invoiceId,
        LineNumber: n + 1,
        Item: r.guid(),
        ItemCode: item.code,
        ItemDescription: item.description,
        Description: item.description,
        Quantity: sign * quantity,
        UnitPrice: item.price,
        NetPrice: item.price,
        Discount: 0,
        UnitCode: item.unit,
        AmountFC: amount,
        AmountDC: amount,
        VATCode: division.country === 'NL' ? '2' : '4',
        VATPercentage: vatPercentage,
        VATAmountFC: round2(amount * vatPercentage),
        VATAmountDC: round2(amount * vatPercentage),
        GLAccount: '6f3a1b2c-0d4e-4f5a-9b6c-7d8e9f0a1b2c',
        Division: division.code,
      });
    }
    net = round2(net);
    const vat = round2(net * vatPercentage);
    const total = round2(net + vat);
    const dueDate = invoiceDate + days * day;
    const overdueDays = (today - dueDate) / day;
    const openChance = isCredit ? 0 : accountIndex === slowPayerIndex ? (overdueDays > 0 ? 0.9 : 1) : overdueDays <= 0 ? 0.85 : overdueDays <= 30 ? 0.3 : overdueDays <= 90 ? 0.12 : 0.05;
    const isOpen = r.chance(openChance);
    const yourRef: Value = r.chance(0.6) ? `PO-${r.digits(5)}` : null;
    const description = isCredit ? 'Creditnota' : r.pick(['Onderhoud', 'Installatie', 'Storing', 'Levering materialen', 'Project']);
    result.invoices.push({
      InvoiceID: invoiceId,
      InvoiceNumber: invoiceNumber,
      InvoiceTo: account.ID,
      InvoiceToName: account.Name,
      OrderedBy: account.ID,
      OrderedByName: account.Name,
      InvoiceDate: invoiceDate,
      OrderDate: invoiceDate,
      DueDate: dueDate,
      Currency: 'EUR',
      AmountDC: total,
      AmountFC: total,
      AmountFCExclVat: net,
      AmountDiscount: 0,
      VATAmountDC: vat,
      VATAmountFC: vat,
      Status: 50,
      StatusDescription: 'Verwerkt',
      Type: isCredit ? 8021 : 8020,
      TypeDescription: isCredit ? 'Verkoopcreditnota' : 'Verkoopfactuur',
      Journal: '70',
      Description: description,
      YourRef: yourRef,
      PaymentCondition: String(account.PaymentConditionSales ?? '30'),
      PaymentReference: String(invoiceNumber),
      Created: invoiceDate + 9 * 3_600_000,
      Modified: invoiceDate + 9 * 3_600_000,
      Division: division.code,
      // Fixed per account and position (not per generation order), so sync/SalesInvoice pages are stable.
      Timestamp: invoiceTimestampBase + accountIndex * 20 + k + 1,
    });
    const receivableId = r.guid();
    const paidOn = isOpen ? null : Math.min(today, dueDate - r.int(-20, 10) * day);
    result.receivables.push({
      ID: receivableId,
      Account: account.ID,
      AccountCode: account.Code,
      AccountName: account.Name,
      AmountDC: total,
      AmountFC: total,
      Currency: 'EUR',
      Description: description,
      DueDate: dueDate,
      EntryDate: invoiceDate,
      EntryNumber: invoiceNumber,
      InvoiceDate: invoiceDate,
      InvoiceNumber: invoiceNumber,
      IsFullyPaid: !isOpen,
      LastPaymentDate: paidOn,
      PaymentMethod: 'B',
      Status: isOpen ? 20 : 50,
      YourRef: yourRef,
      TransactionEntryID: r.guid(),
      Division: division.code,
    });
    if (isOpen) {
      result.open.push({
        HID: accountIndex * 20 + k + 1,
        AccountId: account.ID,
        AccountCode: account.Code,
        AccountName: account.Name,
        Amount: total,
        AmountInTransit: 0,
        CurrencyCode: 'EUR',
        Description: description,
        DueDate: dueDate,
        EntryNumber: invoiceNumber,
        Id: receivableId,
        InvoiceDate: invoiceDate,
        InvoiceNumber: invoiceNumber,
        JournalCode: '70',
        JournalDescription: 'Verkoopboek',
        YourRef: yourRef,
      });
    }
  });
  return result;
}

/** Descriptions as a recorded AgingReceivablesList shows them. */
export const ageGroups = [
  { group: 1, description: '<= 30', maxDays: 30 },
  { group: 2, description: '31 - 60', maxDays: 60 },
  { group: 3, description: '61 - 90', maxDays: 90 },
  { group: 4, description: '> 90', maxDays: Number.POSITIVE_INFINITY },
];

/** The age group (1..4) an open item falls in on `now`; the aging list and the ByAgeGroup variants share it. */
export function ageGroupOf(item: Row, now: number): number {
  const age = Math.floor((now - (item.InvoiceDate as number)) / day);
  return ageGroups[ageGroups.findIndex((g) => age <= g.maxDays)].group;
}

/**
 * One aging row per account with open items. Age counts from the invoice date to the clock's
 * today (Exact's default aging basis; an inference), so moving a TestClock moves the buckets.
 */
export function agingRow(open: Row[], now: number): Row | undefined {
  if (!open.length) {
    return undefined;
  }
  const amounts = [0, 0, 0, 0];
  for (const item of open) {
    amounts[ageGroupOf(item, now) - 1] += item.Amount as number;
  }
  const first = open[0];
  const row: Row = {
    AccountId: first.AccountId,
    AccountCode: first.AccountCode,
    AccountName: first.AccountName,
    CurrencyCode: 'EUR',
    TotalAmount: round2(amounts.reduce((a, b) => a + b, 0)),
  };
  ageGroups.forEach((g, i) => {
    row[`AgeGroup${g.group}`] = g.group;
    row[`AgeGroup${g.group}Amount`] = round2(amounts[i]);
    row[`AgeGroup${g.group}Description`] = g.description;
  });
  return row;
}
