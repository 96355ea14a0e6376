import { describe, expect, it } from 'vitest';
import { agingBucket, customerFinance, exactDay, financialYearLabel, financialYearOf, localDay, parseMonthDay, previousFinancialYear, sumAmounts, type FinanceInput, type InvoiceFact, type OpenItem } from '../../src/finance';

const today = exactDay('2026-03-15');

function fact(invoiceNumber: number, parts: Partial<InvoiceFact> = {}): InvoiceFact {
  return { invoiceNumber, invoiceDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', amountFC: 121, amountDC: 121, isFullyPaid: false, ...parts };
}

function open(invoiceNumber: number, amount: number, parts: Partial<OpenItem> = {}): OpenItem {
  return { invoiceNumber, amount, currency: 'EUR', invoiceDate: '2026-01-10', dueDate: '2026-02-09', ...parts };
}

function run(parts: Partial<FinanceInput>) {
  return customerFinance({ facts: [], open: [], divisionCurrency: 'EUR', today, financialYearStart: '01-01', listSince: exactDay('2024-09-15'), ...parts });
}

describe('days', () => {
  it('reads Exact dates by their calendar day, whatever the zone', () => {
    expect(exactDay('2026-03-15T00:00:00.000Z')).toBe(exactDay('2026-03-15'));
    expect(localDay(new Date(2026, 2, 15, 23, 59))).toBe(exactDay('2026-03-15'));
    expect(localDay(new Date(2026, 2, 15, 0, 1))).toBe(exactDay('2026-03-15'));
    expect(() => exactDay('15-03-2026x')).toThrow(/not a date/);
  });
});

describe('aging buckets', () => {
  it('puts an invoice due today in "not due" and counts days past the due date', () => {
    expect(agingBucket('2026-03-15', today)).toBe('notDue');
    expect(agingBucket('2026-03-20', today)).toBe('notDue');
    expect(agingBucket('2026-03-14', today)).toBe('days1to30');
    expect(agingBucket('2026-02-13', today)).toBe('days1to30');
    expect(agingBucket('2026-02-12', today)).toBe('days31to60');
    expect(agingBucket('2026-01-14', today)).toBe('days31to60');
    expect(agingBucket('2026-01-13', today)).toBe('days61to90');
    expect(agingBucket('2025-12-15', today)).toBe('days61to90');
    expect(agingBucket('2025-12-14', today)).toBe('over90');
  });

  it('an invoice due today is open, not overdue, and not in the overdue amount', () => {
    const result = run({ facts: [fact(1, { dueDate: '2026-03-15' })], open: [open(1, 121, { dueDate: '2026-03-15' })] });
    expect(result.invoices[0]!.status).toEqual({ kind: 'open' });
    expect(result.overdueAmount).toBe(0);
    expect(result.overdueCount).toBe(0);
    expect(result.aging.notDue).toBe(121);
    const tomorrow = run({ facts: [fact(1, { dueDate: '2026-03-15' })], open: [open(1, 121, { dueDate: '2026-03-15' })], today: today + 1 });
    expect(tomorrow.invoices[0]!.status).toEqual({ kind: 'overdue', days: 1, partlyPaid: false });
    expect(tomorrow.overdueAmount).toBe(121);
  });
});

describe('customer finance', () => {
  it('takes the open part of a partly paid invoice from ReceivablesList, summing its rows', () => {
    const result = run({
      facts: [fact(1, { amountFC: 1000, amountDC: 1000, lastPaymentDate: '2026-02-20' })],
      open: [open(1, 300.1), open(1, 99.9, { dueDate: '2026-03-31' })],
    });
    expect(result.openBalance).toBe(400);
    expect(result.invoices[0]).toMatchObject({ openFC: 400, openDC: 400, status: { kind: 'overdue', days: 34, partlyPaid: true } });
    expect(result.overdueAmount).toBe(300.1);
    expect(result.overdueCount).toBe(1);
    expect(result.aging).toEqual({ notDue: 99.9, days1to30: 0, days31to60: 300.1, days61to90: 0, over90: 0 });
    expect(result.lastPaymentDate).toBe('2026-02-20');
  });

  it('a partly paid invoice not yet due is "partly paid"; a settled one is paid on its last payment date', () => {
    const result = run({
      facts: [fact(1, { dueDate: '2026-04-01', amountFC: 500, amountDC: 500 }), fact(2, { isFullyPaid: true, lastPaymentDate: '2026-02-01' })],
      open: [open(1, 200, { dueDate: '2026-04-01' })],
    });
    const byNumber = new Map(result.invoices.map((row) => [row.invoiceNumber, row]));
    expect(byNumber.get(1)!.status).toEqual({ kind: 'partly-paid' });
    expect(byNumber.get(2)!.status).toEqual({ kind: 'paid', on: '2026-02-01' });
    expect(byNumber.get(2)!.openFC).toBe(0);
  });

  it('an open credit note lowers the balance, is never overdue, and lowers revenue', () => {
    const result = run({
      facts: [fact(1, { amountFC: 242, amountDC: 242 }), fact(2, { amountFC: -60.5, amountDC: -60.5, dueDate: '2026-01-01' })],
      open: [open(1, 242), open(2, -60.5, { dueDate: '2026-01-01' })],
    });
    expect(result.openBalance).toBe(181.5);
    expect(result.overdueAmount).toBe(242);
    expect(result.overdueCount).toBe(1);
    expect(result.aging.notDue).toBe(-60.5);
    expect(result.invoices.find((row) => row.invoiceNumber === 2)!.status).toEqual({ kind: 'credit-note', open: true });
    expect(result.revenue.current.amount).toBe(181.5);
  });

  it('converts a foreign-currency open part at the invoice rate and keeps the invoice currency on the row', () => {
    const result = run({
      facts: [fact(1, { currency: 'USD', amountFC: 1100, amountDC: 1000 }), fact(2, { currency: 'EUR', amountFC: 50, amountDC: 50, dueDate: '2026-04-01' })],
      open: [open(1, 550, { currency: 'USD' }), open(2, 50, { dueDate: '2026-04-01' })],
    });
    const usd = result.invoices.find((row) => row.invoiceNumber === 1)!;
    expect(usd).toMatchObject({ currency: 'USD', amountFC: 1100, amountDC: 1000, openFC: 550, openDC: 500 });
    expect(result.openBalance).toBe(550);
    expect(result.overdueAmount).toBe(500);
    expect(result.currency).toBe('EUR');
    expect(result.revenue.current.amount).toBe(1050);
    expect(result.unconverted).toEqual([]);
  });

  it('counts an open item without a receivable in the balance, and reports one it cannot convert', () => {
    const result = run({ open: [open(7, 80, { dueDate: '2026-03-01' }), open(8, 90, { currency: 'GBP' })] });
    expect(result.openBalance).toBe(80);
    expect(result.unconverted.map((item) => item.invoiceNumber)).toEqual([8]);
    expect(result.invoices.map((row) => row.invoiceNumber).sort()).toEqual([7, 8]);
  });

  it('the buckets always add up to the balance, summed in cents', () => {
    const amounts = [0.1, 0.2, 10.05, 99.99, 1234.56, -3.3];
    const dues = ['2026-03-20', '2026-03-01', '2026-02-01', '2026-01-01', '2025-10-01', '2026-02-15'];
    const result = run({ facts: amounts.map((a, i) => fact(i + 1, { amountFC: a, amountDC: a, dueDate: dues[i] })), open: amounts.map((a, i) => open(i + 1, a, { dueDate: dues[i] })) });
    expect(result.openBalance).toBe(sumAmounts(amounts));
    expect(sumAmounts(Object.values(result.aging))).toBe(result.openBalance);
    expect(result.aging.notDue).toBe(-3.2);
  });

  it('credit limit use, and no limit when Exact has 0', () => {
    const facts = [fact(1, { amountFC: 6000, amountDC: 6000 })];
    const over = run({ facts, open: [open(1, 6000)], creditLine: 5000 });
    expect(over.creditLimit).toBe(5000);
    expect(over.creditUsed).toBeCloseTo(1.2);
    expect(run({ facts, open: [open(1, 6000)], creditLine: 0 }).creditLimit).toBeUndefined();
  });

  it('lists paid invoices of the last 18 months and every open one, newest first', () => {
    const result = run({
      facts: [fact(1, { invoiceDate: '2024-01-05', isFullyPaid: true }), fact(2, { invoiceDate: '2024-02-05' }), fact(3, { invoiceDate: '2025-06-01', isFullyPaid: true }), fact(4, { invoiceDate: '2025-06-01', isFullyPaid: true })],
      open: [open(2, 121, { invoiceDate: '2024-02-05', dueDate: '2024-03-06' })],
    });
    expect(result.invoices.map((row) => row.invoiceNumber)).toEqual([4, 3, 2]);
    expect(result.overdueCount).toBe(1);
    expect(result.aging.over90).toBe(121);
  });
});

describe('financial years', () => {
  it('splits revenue on the financial-year boundary', () => {
    const facts = [fact(1, { invoiceDate: '2025-06-30', amountDC: 100, amountFC: 100, isFullyPaid: true }), fact(2, { invoiceDate: '2025-07-01', amountDC: 200, amountFC: 200, isFullyPaid: true }), fact(3, { invoiceDate: '2024-07-01', amountDC: 40, amountFC: 40, isFullyPaid: true }), fact(4, { invoiceDate: '2024-06-30', amountDC: 7, amountFC: 7, isFullyPaid: true })];
    const result = run({ facts, financialYearStart: '07-01' });
    expect(result.revenue.current).toEqual({ label: '2025/2026', amount: 200 });
    expect(result.revenue.previous).toEqual({ label: '2024/2025', amount: 140 });
    const calendar = run({ facts, financialYearStart: '01-01' });
    expect(calendar.revenue.current).toEqual({ label: '2026', amount: 0 });
    expect(calendar.revenue.previous).toEqual({ label: '2025', amount: 300 });
  });

  it('finds the year a day falls in, on both sides of the start day', () => {
    expect(financialYearOf(exactDay('2026-06-30'), '07-01')).toEqual({ start: exactDay('2025-07-01'), end: exactDay('2026-07-01'), startYear: 2025 });
    const july = financialYearOf(exactDay('2026-07-01'), '07-01');
    expect(july.start).toBe(exactDay('2026-07-01'));
    expect(financialYearLabel(previousFinancialYear(july, '07-01'))).toBe('2025/2026');
    expect(financialYearOf(exactDay('2026-12-31'), '01-01')).toMatchObject({ startYear: 2026, end: exactDay('2027-01-01') });
  });

  it('refuses a start that is not MM-DD', () => {
    expect(parseMonthDay('04-01')).toEqual({ month: 4, day: 1 });
    for (const bad of ['4-1', '13-01', '02-30', '06-31', '00-10', '']) expect(() => parseMonthDay(bad)).toThrow(/not a month and day/);
  });
});
