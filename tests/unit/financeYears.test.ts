import { describe, expect, it } from 'vitest';
import { customerFinance, dayToIso, exactDay, financialYearLabel, financialYearOf, financialYearStartOf, isMonthDay, parseMonthDay, previousFinancialYear, type InvoiceFact } from '../../src/finance';

/** A year as the people reading it write it: first and last day. */
const span = (year: { start: number; end: number }): [string, string] => [dayToIso(year.start), dayToIso(year.end - 1)];

const paid = (invoiceNumber: number, invoiceDate: string, amount: number): InvoiceFact => ({ invoiceNumber, invoiceDate, dueDate: invoiceDate, currency: 'EUR', amountFC: amount, amountDC: amount, isFullyPaid: true });

describe('a financial year that starts on 29 February', () => {
  it('is accepted as a start, as the connection page and the gateway accept it', () => {
    expect(parseMonthDay('02-29')).toEqual({ month: 2, day: 29 });
    expect(isMonthDay('02-29')).toBe(true);
    expect(isMonthDay('02-30')).toBe(false);
  });

  it('2024, a leap year: the year starts on 29 February and ends on the last day before the next start', () => {
    const year = financialYearOf(exactDay('2024-02-29'), '02-29');
    expect(span(year)).toEqual(['2024-02-29', '2025-02-27']);
    expect(year.startYear).toBe(2024);
    expect(financialYearLabel(year)).toBe('2024/2025');
    // The day before belongs to the year that started on the last day of February 2023.
    expect(span(financialYearOf(exactDay('2024-02-28'), '02-29'))).toEqual(['2023-02-28', '2024-02-28']);
  });

  it('2025, no 29 February: the year starts on 28 February, the last day of February', () => {
    const year = financialYearOf(exactDay('2025-02-28'), '02-29');
    expect(span(year)).toEqual(['2025-02-28', '2026-02-27']);
    expect(span(financialYearOf(exactDay('2025-02-27'), '02-29'))).toEqual(['2024-02-29', '2025-02-27']);
    expect(span(financialYearOf(exactDay('2025-12-31'), '02-29'))).toEqual(['2025-02-28', '2026-02-27']);
  });

  it('2028, a leap year again: 28 February 2028 still closes the year begun on 28 February 2027', () => {
    expect(span(financialYearOf(exactDay('2028-02-28'), '02-29'))).toEqual(['2027-02-28', '2028-02-28']);
    const year = financialYearOf(exactDay('2028-02-29'), '02-29');
    expect(span(year)).toEqual(['2028-02-29', '2029-02-27']);
    expect(span(previousFinancialYear(year, '02-29'))).toEqual(['2027-02-28', '2028-02-28']);
  });

  it('years follow each other without a gap or an overlap, 2023 to 2031', () => {
    let year = financialYearOf(exactDay('2031-06-01'), '02-29');
    for (let i = 0; i < 8; i++) {
      const previous = previousFinancialYear(year, '02-29');
      expect(previous.end).toBe(year.start);
      expect(previous.startYear).toBe(year.startYear - 1);
      year = previous;
    }
  });

  it('counts revenue per financial year on both sides of each boundary (2024, 2025, 2028)', () => {
    const facts = [paid(1, '2024-02-28', 1), paid(2, '2024-02-29', 10), paid(3, '2025-02-27', 100), paid(4, '2025-02-28', 1000), paid(5, '2028-02-28', 10_000), paid(6, '2028-02-29', 100_000)];
    const revenue = (today: string) => customerFinance({ facts, open: [], divisionCurrency: 'EUR', today: exactDay(today), financialYearStart: '02-29', listSince: exactDay('2020-01-01') }).revenue;
    expect(revenue('2025-02-27')).toEqual({ current: { label: '2024/2025', amount: 110 }, previous: { label: '2023/2024', amount: 1 } });
    expect(revenue('2025-02-28')).toEqual({ current: { label: '2025/2026', amount: 1000 }, previous: { label: '2024/2025', amount: 110 } });
    expect(revenue('2028-02-28')).toEqual({ current: { label: '2027/2028', amount: 10_000 }, previous: { label: '2026/2027', amount: 0 } });
    expect(revenue('2028-02-29')).toEqual({ current: { label: '2028/2029', amount: 100_000 }, previous: { label: '2027/2028', amount: 10_000 } });
  });

  it('a start on 28 February stays on the 28th in a leap year, and 29 February is its second day', () => {
    expect(span(financialYearOf(exactDay('2024-02-29'), '02-28'))).toEqual(['2024-02-28', '2025-02-27']);
    expect(span(financialYearOf(exactDay('2024-02-27'), '02-28'))).toEqual(['2023-02-28', '2024-02-27']);
  });
});

describe('the financial-year start of a division', () => {
  it('is the division\'s own, else the one confirmed before divisions had their own, else 1 January', () => {
    const settings = { financialYearStart: '07-01', financialYearStarts: { '2950002': '04-01' } };
    expect(financialYearStartOf(settings, 2950002)).toEqual({ monthDay: '04-01', source: 'division' });
    expect(financialYearStartOf(settings, 2950001)).toEqual({ monthDay: '07-01', source: 'connection' });
    expect(financialYearStartOf({}, 2950001)).toEqual({ monthDay: '01-01', source: 'assumed' });
  });
});
