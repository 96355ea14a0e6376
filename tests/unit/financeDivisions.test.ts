import { describe, expect, it } from 'vitest';
import { divisionLabel, divisionOfCompany, divisionsOf, exactDivision, sameCustomerElsewhere, totalsByCurrency, type DivisionFigures } from '../../src/finance';
import type { Company } from '../../src/finance/company';

const settings = {
  division: 2950001,
  divisions: [
    { code: 2950002, description: 'Peeters & Zonen BV', currency: 'EUR' },
    { code: 2950001, description: 'Van Houten Installatietechniek B.V.', currency: 'EUR' },
    { code: 2950003, description: 'Van Houten UK Ltd', currency: 'GBP' },
  ],
  financialYearStart: '01-01',
  financialYearStarts: { '2950003': '04-06' },
};

const company = (id: number, parts: Partial<Company> = {}): Company => ({ id, name: `Company ${id}`, exactId: `0000000${id}-0000-4000-8000-000000000000`, ...parts });

const figures = (currency: string, openBalance: number, overdueAmount: number, overdueCount = 1): DivisionFigures => ({
  currency,
  openBalance,
  overdueAmount,
  overdueCount,
  aging: { notDue: openBalance - overdueAmount, days1to30: overdueAmount, days31to60: 0, days61to90: 0, over90: 0 },
});

describe('divisions as the panel names them', () => {
  it('names a division as Exact does, with its number; the default comes first', () => {
    expect(divisionsOf(settings).map(divisionLabel)).toEqual(['Van Houten Installatietechniek B.V. (2950001)', 'Peeters & Zonen BV (2950002)', 'Van Houten UK Ltd (2950003)']);
    expect(exactDivision(settings, 2950003)).toEqual({ code: 2950003, name: 'Van Houten UK Ltd', currency: 'GBP', financialYearStart: '04-06', financialYearSource: 'division', reachable: true });
  });

  it('a division the connection does not reach is named by its number, in euro, and marked', () => {
    const unknown = exactDivision(settings, 2950009);
    expect(unknown).toMatchObject({ name: '2950009', currency: 'EUR', reachable: false });
    expect(divisionLabel(unknown)).toBe('2950009');
    // A connection made before the gateway read currencies: euro, as its administrations keep them.
    expect(exactDivision({ divisions: [{ code: 1, description: 'Oud' }] }, 1).currency).toBe('EUR');
  });

  it('a company without a division was linked before divisions were recorded: the default division', () => {
    expect(divisionOfCompany({}, settings)).toBe(2950001);
    expect(divisionOfCompany({ division: 2950002 }, settings)).toBe(2950002);
  });
});

describe('the same customer in other divisions', () => {
  it('matches the KvK or VAT number however written, linked, in another division, one per division', () => {
    const home = company(1, { kvk: '30187456', vat: 'NL859123456B01' });
    const candidates = [
      company(2, { kvk: 'KvK 3018 7456', division: 2950002 }),
      company(3, { vat: 'NL 8591.23.456.B01', division: 2950002 }),
      company(4, { vat: '859123456', division: 2950003 }),
      company(5, { kvk: '30187456' }), // the default division: the home division itself
      company(6, { kvk: '30187456', division: 2950002, exactId: undefined }),
      company(7, { kvk: '30187457', division: 2950003 }),
    ];
    const found = sameCustomerElsewhere({ company: home, candidates, settings, except: 2950001 });
    expect(found.map((f) => [f.company.id, f.division])).toEqual([
      [2, 2950002],
      [4, 2950003],
    ]);
  });

  it('a KvK match goes before a VAT match in the same division, whatever the order of the list', () => {
    const home = company(1, { kvk: '30187456', vat: 'NL859123456B01' });
    const byVat = company(2, { vat: 'NL859123456B01', division: 2950002 });
    const byKvk = company(9, { kvk: '30187456', division: 2950002 });
    expect(sameCustomerElsewhere({ company: home, candidates: [byVat, byKvk], settings, except: 2950001 }).map((f) => f.company.id)).toEqual([9]);
  });

  it('empty or short numbers match nothing', () => {
    const home = company(1, { kvk: '', vat: undefined });
    expect(sameCustomerElsewhere({ company: home, candidates: [company(2, { kvk: '', division: 2950002 })], settings })).toEqual([]);
  });
});

describe('totals across divisions', () => {
  it('adds divisions in the same currency in cents, and never adds euros to pounds', () => {
    const totals = totalsByCurrency([
      { division: 2950001, figures: figures('EUR', 100.1, 0.2) },
      { division: 2950003, figures: figures('GBP', 50, 50, 2) },
      { division: 2950002, figures: figures('EUR', 0.2, 0.1) },
    ]);
    expect(totals).toEqual([
      { currency: 'EUR', openBalance: 100.3, overdueAmount: 0.3, overdueCount: 2, aging: { notDue: 100, days1to30: 0.3, days31to60: 0, days61to90: 0, over90: 0 }, divisions: [2950001, 2950002] },
      { currency: 'GBP', openBalance: 50, overdueAmount: 50, overdueCount: 2, aging: { notDue: 0, days1to30: 50, days31to60: 0, days61to90: 0, over90: 0 }, divisions: [2950003] },
    ]);
  });

  it('the aging of a total adds up to its open balance, as each division\'s does', () => {
    const [total] = totalsByCurrency([
      { division: 1, figures: figures('EUR', 1234.56, 234.5) },
      { division: 2, figures: figures('EUR', 0.07, 0.03) },
    ]);
    const sum = Object.values(total!.aging).reduce((a, b) => a + Math.round(b * 100), 0);
    expect(sum).toBe(Math.round(total!.openBalance * 100));
  });
});
