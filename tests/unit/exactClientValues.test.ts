import { describe, expect, it } from 'vitest';
import { exactCatalog, entityInfo, importableEntities } from '../../src/exact/catalog';
import { and, buildQueryString, filterFor, literal, literalFor, or } from '../../src/exact/query';
import { compareDecimal, int64Value, padAccountCode, parseExactDate } from '../../src/exact/values';

describe('Exact values', () => {
  it('turns /Date(ms)/ into ISO UTC, with or without an offset suffix, and refuses other text', () => {
    expect(parseExactDate('/Date(1723420800000)/')).toBe('2024-08-12T00:00:00.000Z');
    expect(parseExactDate('/Date(1382667872203)/')).toBe('2013-10-25T02:24:32.203Z');
    expect(parseExactDate('/Date(1382667872203+0200)/')).toBe('2013-10-25T02:24:32.203Z');
    expect(parseExactDate('/Date(-86400000)/')).toBe('1969-12-31T00:00:00.000Z');
    expect(parseExactDate('2024-08-12T00:00:00')).toBeUndefined();
    expect(parseExactDate('/Date(abc)/')).toBeUndefined();
  });

  it('spells /Date(ms)/ exactly as toISOString does, for any instant a Date holds', () => {
    const edges = [0, -1, 1, 999, -999, 1000, -62135596800000, -62135596800001, -62167219200000, -62167219200001, 253402300799999, 253402300800000, 8.64e15, -8.64e15, 951782400000, 4107542399999];
    let seed = 20261207;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const random = Array.from({ length: 20_000 }, (_, i) => Math.round((next() - 0.5) * (i % 2 === 0 ? 2e13 : 1.7e16)));
    for (const ms of [...edges, ...random]) {
      expect({ ms, iso: parseExactDate(`/Date(${ms})/`) }).toEqual({ ms, iso: new Date(ms).toISOString() });
    }
    expect(parseExactDate('/Date(8640000000000001)/')).toBeUndefined();
  });

  it('pads account codes to 18 characters and refuses longer ones', () => {
    expect(padAccountCode('25')).toBe('                25');
    expect(padAccountCode('  25 ')).toHaveLength(18);
    expect(padAccountCode('123456789012345678')).toBe('123456789012345678');
    expect(() => padAccountCode('1234567890123456789')).toThrow(/longer than 18/);
  });

  it('makes Int64 strings numbers only when they fit exactly', () => {
    expect(int64Value('1')).toBe(1);
    expect(int64Value('9007199254740991')).toBe(9007199254740991);
    expect(int64Value('9007199254740993')).toBe('9007199254740993');
    expect(int64Value('00042')).toBe(42);
  });

  it('compares decimal cursors beyond 2^53 without losing precision', () => {
    expect(compareDecimal('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimal('10', '9')).toBe(1);
    expect(compareDecimal('007', '7')).toBe(0);
    expect(compareDecimal('123', '124')).toBe(-1);
  });
});

describe('entity catalog', () => {
  const account = exactCatalog.Account;

  it('derives the schema that normalises a raw Exact record', () => {
    const parsed = account.schema.parse({
      __metadata: { uri: 'x', type: 'Exact.Web.Api.Models.Account' },
      ID: '71b9a3c1-1d2e-4f00-8a6b-000000000001',
      Code: '              1024',
      Name: "Bakkerij 't Hoekje",
      Country: 'NL ',
      Blocked: false,
      Created: '/Date(1723420800000)/',
      Timestamp: '9007199254740993',
      BankAccounts: { __deferred: { uri: 'x' } },
      MainContact: null,
    });
    expect(parsed).toEqual({
      ID: '71b9a3c1-1d2e-4f00-8a6b-000000000001',
      Code: '1024',
      Name: "Bakkerij 't Hoekje",
      Country: 'NL',
      Blocked: false,
      Created: '2024-08-12T00:00:00.000Z',
      Timestamp: '9007199254740993',
      MainContact: null,
    });
  });

  it('Int64 fields become numbers, Timestamp stays a string', () => {
    expect(exactCatalog.Division.schema.parse({ Code: 1, Hid: '12' })).toEqual({ Code: 1, Hid: 12 });
    expect(exactCatalog.Deleted.schema.parse({ Timestamp: 12, EntityType: 2 })).toEqual({ Timestamp: '12', EntityType: 2 });
  });

  it('derives ExactEntityInfo from the same declaration', () => {
    const info = entityInfo('Account');
    expect(info).toMatchObject({ name: 'Account', key: 'ID', supportsSync: true, deletedEntityType: 2 });
    expect(info?.fields.find((f) => f.name === 'Code')).toEqual({ name: 'Code', type: 'string', maxLength: 18 });
    expect(info?.fields.find((f) => f.name === 'ID')).toEqual({ name: 'ID', type: 'guid', readOnly: true });
    expect(info?.fields.map((f) => f.name)).toEqual(Object.keys(account.fields));
    expect(entityInfo('Receivable')).toMatchObject({ supportsSync: false });
    expect(entityInfo('Nope')).toBeUndefined();
    expect(importableEntities).toEqual(['Account', 'Contact', 'SalesInvoice', 'SalesInvoiceLine', 'Receivable', 'Item', 'VATCode', 'PaymentCondition', 'CostCenter', 'Project', 'Employee', 'Currency', 'BankAccount']);
  });

  it('knows each entity path, bulk and sync path and key', () => {
    expect(exactCatalog.Account).toMatchObject({ service: 'crm/Accounts', bulk: 'bulk/CRM/Accounts', sync: 'sync/CRM/Accounts' });
    expect(exactCatalog.Me).toMatchObject({ service: 'current/Me', divisionScoped: false, key: 'UserID' });
    expect(exactCatalog.ReceivablesList).toMatchObject({ service: 'read/financial/ReceivablesList', key: 'HID' });
    expect(exactCatalog.AgingReceivablesList.info.fields.filter((f) => f.name.startsWith('AgeGroup'))).toHaveLength(12);
  });
});

describe('OData literals and query strings', () => {
  it('escapes every literal kind', () => {
    expect(literal.string("O'Brien & Zn")).toBe("'O''Brien & Zn'");
    expect(literal.string("''")).toBe("''''''");
    expect(literal.guid('71B9A3C1-1D2E-4F00-8A6B-000000000001')).toBe("guid'71b9a3c1-1d2e-4f00-8a6b-000000000001'");
    expect(() => literal.guid("x' or 1 eq 1 or '")).toThrow(/not a GUID/);
    expect(literal.datetime(new Date(Date.UTC(2026, 0, 31)))).toBe("datetime'2026-01-31T00:00:00'");
    expect(literal.datetime(new Date(Date.UTC(2026, 0, 31, 12, 5, 9, 120)))).toBe("datetime'2026-01-31T12:05:09.120'");
    expect(literal.datetime('2026-01-31T12:00:00.000Z')).toBe("datetime'2026-01-31T12:00:00'");
    expect(() => literal.datetime('not a date')).toThrow(/not a date/);
    // Zone-less text is UTC (JavaScript alone would read it as the machine's local time).
    expect(literal.datetime('2026-11-21T08:30:00')).toBe("datetime'2026-11-21T08:30:00'");
    expect(literal.datetime('2026-11-21')).toBe("datetime'2026-11-21T00:00:00'");
    expect(literal.datetime('2026-11-21T08:30:00+01:00')).toBe("datetime'2026-11-21T07:30:00'");
    expect(() => literal.datetime('Nov 21 2026')).toThrow(/not a date/);
    expect(() => literal.datetime('1')).toThrow(/not a date/);
    expect(literal.int64('123')).toBe('123L');
    expect(literal.int64('18446744073709551615')).toBe('18446744073709551615L');
    expect(() => literal.int64('12 or 1')).toThrow(/Int64/);
    expect(literal.boolean(false)).toBe('false');
    expect(literal.null()).toBe('null');
    expect(() => literal.number(Number.NaN)).toThrow();
  });

  it('chooses the literal from the field type and refuses mismatches by name', () => {
    expect(literalFor('int', 5)).toBe('5');
    expect(literalFor('double', 0.055)).toBe('0.055');
    expect(literalFor('guid', null)).toBe('null');
    expect(() => literalFor('boolean', 'true', 'Account.Blocked')).toThrow('Account.Blocked: true is not a valid boolean value');
    expect(() => literalFor('int', 1.5, 'X.Y')).toThrow(/X\.Y/);
  });

  it('pads Code when filtering accounts, not other entities', () => {
    expect(filterFor(exactCatalog.Account).eq('Code', '25')).toBe("Code eq '                25'");
    expect(filterFor(exactCatalog.Receivable).eq('AccountCode', '25')).toBe("AccountCode eq '25'");
    expect(filterFor(exactCatalog.Account).compare('Modified', 'ge', new Date(Date.UTC(2026, 1, 1)))).toBe(
      "Modified ge datetime'2026-02-01T00:00:00'",
    );
    expect(filterFor(exactCatalog.Deleted).compare('Timestamp', 'gt', '99')).toBe('Timestamp gt 99L');
    expect(() => filterFor(exactCatalog.Account).eq('Nope', 'x')).toThrow('Account has no field Nope');
  });

  it('combines filters and encodes the query like a __next link', () => {
    expect(and('A eq 1', undefined, 'B eq 2 or C eq 3')).toBe('(A eq 1) and (B eq 2 or C eq 3)');
    expect(and('A eq 1')).toBe('A eq 1');
    expect(and()).toBeUndefined();
    expect(or('A eq 1', 'B eq 2')).toBe('(A eq 1) or (B eq 2)');
    expect(buildQueryString({ select: ['ID', 'Name'], filter: "Name eq 'A&B #1'", top: 5, orderBy: 'Name desc' })).toBe(
      "?$filter=Name%20eq%20'A%26B%20%231'&$select=ID,Name&$orderby=Name%20desc&$top=5",
    );
    expect(buildQueryString({})).toBe('');
    expect(() => buildQueryString({ top: 0 })).toThrow(/\$top/);
    const decoded = new URL(`http://x/${buildQueryString({ filter: "Name eq 'a+b'" })}`).searchParams.get('$filter');
    expect(decoded).toBe("Name eq 'a+b'");
  });
});
