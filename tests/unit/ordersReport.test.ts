import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBillingReport } from '../../src/orders/billingReport';

const sample = readFileSync(join(__dirname, '../../src/orders/samples/billing-report-2026-11.csv'), 'utf8');

describe('billing report', () => {
  it('reads the shipped sample (semicolons, Dutch decimal commas) without a problem', () => {
    const report = parseBillingReport(sample, 'billing-report-2026-11.csv');
    expect(report.problems).toEqual([]);
    expect(report.format).toBe('csv');
    expect(report.lines).toHaveLength(39);
    const azure = report.lines.find((l) => l.sku === 'AZ-CONSUMPTION' && l.customerId === 'IM-100231');
    expect(azure).toMatchObject({ quantity: 184.37, unitPrice: 1, period: '2026-11', kvk: '41092924', line: 2 });
    expect(report.lines.find((l) => l.customerId === 'IM-100251')?.kvk).toBeNull();
  });

  it('names the CSV line and column of every problem and keeps the good lines', () => {
    const csv = [
      'CustomerId;CustomerName;SKU;Description;Quantity;UnitPrice;Period',
      'C1;Alfa B.V.;SKU-1;Licentie;2;10,50;2026-11',
      '',
      'C2;;SKU-2;Licentie;twee;10;2026-11',
      'C3;Gamma;SKU-3;Licentie;1;5;november',
    ].join('\n');
    const report = parseBillingReport(csv, 'r.csv');
    expect(report.lines.map((l) => l.customerId)).toEqual(['C1']);
    expect(report.problems).toEqual([
      { line: 4, column: 'customerName', message: 'is empty' },
      { line: 4, column: 'quantity', message: 'is not a number' },
      { line: 5, column: 'period', message: 'is not a period like 2026-11' },
    ]);
  });

  it('reads JSON (an array or {lines}) and counts its lines from 1', () => {
    const json = JSON.stringify({ lines: [
      { customerId: 7, customerName: 'Alfa', sku: 'A', description: 'x', quantity: 1, unitPrice: 2.5, period: '2026-10' },
      { customerId: 'C8', customerName: 'Beta', sku: 'B', description: 'y', quantity: 0, unitPrice: 1, period: '2026-10' },
    ] });
    const report = parseBillingReport(json, 'report.json');
    expect(report.lines).toEqual([expect.objectContaining({ line: 1, customerId: '7', unitPrice: 2.5 })]);
    expect(report.problems).toEqual([{ line: 2, column: 'quantity', message: 'is zero' }]);
  });

  it('says why a file is not a report instead of failing silently', () => {
    expect(parseBillingReport('{"lines": ', 'r.json').problems[0].message).toMatch(/not valid JSON/);
    expect(parseBillingReport('{"rows": []}', 'r.json').problems[0].message).toMatch(/no list of lines/);
  });
});
