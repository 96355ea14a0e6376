import { describe, expect, it } from 'vitest';
import { ODataError } from '../../sandbox/exact/errors';
import { evaluate, formatLiteral, parseFilter, parseOrderBy, parseSkipToken, type FieldType, type Value } from '../../sandbox/exact/odata';
import { divisionsSeed, seedCrm } from '../../sandbox/exact/seed';
import { generateFinance } from '../../sandbox/exact/seedFinance';

const fields: Record<string, FieldType> = {
  ID: 'guid', Name: 'string', Code: 'string', Blocked: 'boolean', Modified: 'datetime', Timestamp: 'int64', Amount: 'double', City: 'string',
};
const context = { fields: (name: string) => fields[name], typeName: 'Exact.Web.Api.Models.Account' };
const row: Record<string, Value> = {
  ID: '0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2', Name: "'t Hoekje", Code: '             20001', Blocked: false,
  Modified: Date.UTC(2026, 0, 15, 12), Timestamp: 84000123, Amount: 99.5, City: null,
};
const matches = (filter: string): Value => evaluate(parseFilter(filter, context), row);
const failure = (filter: string): ODataError => {
  try {
    parseFilter(filter, context);
  } catch (error) {
    if (error instanceof ODataError) return error;
    throw error;
  }
  throw new Error(`expected ${filter} to fail`);
};

describe('OData filter', () => {
  it.each([
    ["Name eq '''t Hoekje'", true],
    ["Name eq '''T HOEKJE'", true],
    ["Name ne '''t Hoekje'", false],
    ["Code eq '20001'", false],
    ["Code eq '             20001'", true],
    ["trim(Code) eq '20001'", true],
    ["ID eq guid'0C3AB39D-7CDD-45AA-A82F-0AB3FDDA94C2'", true],
    ['Timestamp gt 84000122L and Timestamp le 84000123L', true],
    ['Timestamp gt 84000123L', false],
    ["Modified ge datetime'2026-01-15T12:00:00' and Modified lt datetime'2026-01-16'", true],
    ["Modified gt datetime'2026-01-15T12:00'", false],
    ['Blocked eq false', true],
    ['not Blocked', true],
    ['City eq null', true],
    ["City ne null or substringof('hoek', Name)", true],
    ["substringof('hoek', Name) eq true", true],
    ["startswith(Name, '''t') and not (Amount lt 99.5)", true],
    ["endswith(Name, 'je') and (Amount gt 100 or Blocked eq true)", false],
    ["tolower(Name) eq '''t hoekje' and length(Name) eq 9", true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('rejects unknown fields, type mismatches and syntax errors with a 400', () => {
    expect(failure("Colour eq 'red'").message).toBe("Could not find a property named 'Colour' on type 'Exact.Web.Api.Models.Account'.");
    expect(failure("ID eq 'abc'").status).toBe(400);
    expect(failure('Name eq 5').message).toMatch(/incompatible/);
    expect(failure("(Name eq 'x'").message).toMatch(/or operator expected/);
    expect(failure("Name eq 'x").message).toMatch(/Unterminated/);
    expect(failure("ID eq guid'nope'").message).toMatch(/Edm.Guid/);
    expect(failure("Modified gt datetime'yesterday'").message).toMatch(/Edm.DateTime/);
    expect(failure('Name').message).toMatch(/Edm.Boolean/);
    expect(failure("name eq 'x'").status).toBe(400);
  });

  it('refuses nesting deeper than 100 (brackets, not, function calls) with a 400 instead of overflowing the stack', () => {
    for (const filter of [
      `${'('.repeat(10_000)}Name eq 'x'${')'.repeat(10_000)}`,
      `${'not '.repeat(10_000)}Blocked`,
      `${'tolower('.repeat(3_000)}Name${')'.repeat(3_000)} eq 'x'`,
      `${'('.repeat(101)}Name eq 'x'${')'.repeat(101)}`,
    ]) {
      const error = failure(filter);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^Recursion depth exceeded allowed limit\./);
    }
    expect(matches(`${'('.repeat(100)}Name eq '''t Hoekje'${')'.repeat(100)}`)).toBe(true);
  });

  it('parses $orderby and round-trips skiptoken literals', () => {
    expect(parseOrderBy('Name desc, Code', context)).toEqual([{ field: 'Name', descending: true }, { field: 'Code', descending: false }]);
    expect(() => parseOrderBy('Name sideways', context)).toThrow(ODataError);
    const token = [formatLiteral("O'Neil", 'string'), formatLiteral(row.ID, 'guid'), formatLiteral(84000123, 'int64'), formatLiteral(Date.UTC(2026, 0, 2), 'datetime')].join(',');
    expect(token).toBe("'O''Neil',guid'0c3ab39d-7cdd-45aa-a82f-0ab3fdda94c2',84000123L,datetime'2026-01-02T00:00:00.000'");
    expect(parseSkipToken(token)).toEqual(["O'Neil", row.ID, 84000123, Date.UTC(2026, 0, 2)]);
    expect(() => parseSkipToken('guid')).toThrow(ODataError);
  });
});

describe('seed data', () => {
  const today = Date.UTC(2026, 10, 21);

  it('is deterministic and realistic for a Dutch and a Belgian division', () => {
    const [nl, be] = divisionsSeed;
    const a = seedCrm(nl, 50, today);
    const b = seedCrm(nl, 50, today);
    expect(a).toEqual(b);
    expect(new Set(a.accounts.map((x) => x.ID)).size).toBe(50);
    for (const account of a.accounts) {
      expect(String(account.Code)).toHaveLength(18);
      if (account.ChamberOfCommerce !== null) {
        expect(account.ChamberOfCommerce).toMatch(/^\d{8}$/);
        expect(account.VATNumber).toMatch(/^NL\d{9}B01$/);
      }
      expect(account.Postcode).toMatch(/^\d{4} [A-Z]{2}$/);
      expect(['A', 'S', 'P', 'C']).toContain(account.Status);
    }
    expect(a.accounts.filter((x) => x.ChamberOfCommerce === null).length).toBeGreaterThan(0);
    expect(a.accounts.map((x) => x.Name)).toEqual(expect.arrayContaining(["'t Hoekje", 'Café René']));
    const perAccount = new Map<Value, number>();
    a.contacts.forEach((c) => perAccount.set(c.Account, (perAccount.get(c.Account) ?? 0) + 1));
    expect([...perAccount.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
    const first = a.accounts[0];
    const domain = String(first.Email).split('@')[1];
    expect(a.contacts.filter((c) => c.Account === first.ID).every((c) => String(c.Email).endsWith(`@${domain}`))).toBe(true);
    const belgian = seedCrm(be, 20, today).accounts.filter((x) => x.VATNumber !== null);
    expect(belgian.every((x) => /^BE0\d{9}$/.test(String(x.VATNumber)) && Number(String(x.VATNumber).slice(3, 10)) % 97 === 97 - Number(String(x.VATNumber).slice(10)))).toBe(true);
  });

  it('writes 18 months of invoices with open and overdue receivables for the slow payer', () => {
    const [nl] = divisionsSeed;
    const { accounts } = seedCrm(nl, 10, today);
    const finance = generateFinance(nl, accounts[7], 7, today);
    expect(finance).toEqual(generateFinance(nl, accounts[7], 7, today));
    expect(finance.invoices).toHaveLength(8);
    expect(finance.invoices.every((i) => (i.InvoiceDate as number) >= today - 540 * 86_400_000 && (i.InvoiceDate as number) < today)).toBe(true);
    const invoiceIds = new Set(finance.invoices.map((i) => i.InvoiceID));
    expect(finance.lines.every((l) => invoiceIds.has(l.InvoiceID))).toBe(true);
    expect(finance.open.some((r) => (r.DueDate as number) < today)).toBe(true);
    for (const invoice of finance.invoices) {
      const lines = finance.lines.filter((l) => l.InvoiceID === invoice.InvoiceID);
      expect(lines.reduce((sum, l) => sum + (l.AmountFC as number), 0)).toBeCloseTo(invoice.AmountFCExclVat as number, 2);
    }
  });

  it('generates 10,000 accounts quickly enough for benchmarks', () => {
    const { accounts, contacts } = seedCrm(divisionsSeed[0], 10_000, today);
    expect(accounts).toHaveLength(10_000);
    expect(new Set(accounts.map((a) => a.Code)).size).toBe(10_000);
    expect(contacts.length).toBeGreaterThan(10_000);
  });
});
