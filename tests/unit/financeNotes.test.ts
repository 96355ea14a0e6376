import { describe, expect, it } from 'vitest';
import { customerFinance, exactDay, type FinanceInput, type InvoiceFact, type OpenItem } from '../../src/finance';

/**
 * When the panel explains a figure that looks wrong (Exact does not net an unsettled credit note
 * or an unapplied payment against an invoice), and which amounts the note names.
 */
const today = exactDay('2026-03-15');
const fact = (invoiceNumber: number, amount: number, parts: Partial<InvoiceFact> = {}): InvoiceFact => ({ invoiceNumber, invoiceDate: '2026-01-10', dueDate: '2026-02-09', currency: 'EUR', amountFC: amount, amountDC: amount, isFullyPaid: false, ...parts });
const open = (invoiceNumber: number, amount: number, parts: Partial<OpenItem> = {}): OpenItem => ({ invoiceNumber, amount, currency: 'EUR', invoiceDate: '2026-01-10', dueDate: '2026-02-09', ...parts });
const run = (parts: Partial<FinanceInput>) => customerFinance({ facts: [], open: [], divisionCurrency: 'EUR', today, financialYearStart: '01-01', listSince: exactDay('2024-09-15'), ...parts });

describe('figure notes: credit notes and payments not yet settled', () => {
  it("explains overdue above the open balance and a negative Not due by the unsettled credit note ('t Hoekje)", () => {
    const result = run({
      facts: [fact(1, 4745.5), fact(2, -1114.53, { invoiceDate: '2026-03-01', dueDate: '2026-03-31' })],
      open: [open(1, 4745.5), open(2, -1114.53, { invoiceDate: '2026-03-01', dueDate: '2026-03-31' })],
    });
    expect(result.overdueAmount).toBe(4745.5);
    expect(result.openBalance).toBe(3630.97);
    expect(result.aging.notDue).toBe(-1114.53);
    expect(result.notes).toEqual([
      { figure: 'overdue', creditNotes: 1114.53, payments: 0 },
      { figure: 'notDue', creditNotes: 1114.53, payments: 0 },
    ]);
  });

  it('names an unapplied payment (an open item below zero with no invoice behind it) as a payment', () => {
    const result = run({ facts: [fact(1, 500)], open: [open(1, 500), open(90001, -200, { dueDate: '2026-03-10' })] });
    expect(result.openBalance).toBe(300);
    expect(result.notes).toEqual([
      { figure: 'overdue', creditNotes: 0, payments: 200 },
      { figure: 'notDue', creditNotes: 0, payments: 200 },
    ]);
  });

  it('says nothing when the credits do not change a figure: Not due stays positive and overdue is within the balance', () => {
    const result = run({
      facts: [fact(1, 500), fact(2, 1000, { dueDate: '2026-04-01' }), fact(3, -100, { dueDate: '2026-04-01' })],
      open: [open(1, 500), open(2, 1000, { dueDate: '2026-04-01' }), open(3, -100, { dueDate: '2026-04-01' })],
    });
    expect(result.overdueAmount).toBeLessThanOrEqual(result.openBalance);
    expect(result.aging.notDue).toBe(900);
    expect(result.notes).toEqual([]);
  });

  it('says nothing without credits, even when everything is overdue', () => {
    expect(run({ facts: [fact(1, 500)], open: [open(1, 500)] }).notes).toEqual([]);
  });

  it('explains a negative invoiced year by its credit notes and invoices, and only that year', () => {
    const result = run({
      facts: [
        fact(1, 1000, { invoiceDate: '2025-02-01', isFullyPaid: true }),
        fact(2, -23194.3, { invoiceDate: '2025-11-01', isFullyPaid: true }),
        fact(3, 800, { invoiceDate: '2026-02-01', isFullyPaid: true }),
      ],
    });
    expect(result.revenue.previous.amount).toBe(-22194.3);
    expect(result.notes).toEqual([{ figure: 'revenue-previous', label: '2025', invoiced: 1000, credited: 23194.3 }]);
  });
});
