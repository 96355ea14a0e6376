import { describe, expect, it } from 'vitest';
import type { CrmFieldInfo } from '../../src/sync/ports';
import {
  convertValue,
  convertValues,
  fromRestItem,
  roundCurrency,
  toRestBody,
} from '../../src/crm/convert';
import { companiesList, contactsList, syncRunsList } from '../../src/crm/schema';

const field = (name: string, list = companiesList.fields): CrmFieldInfo => {
  const found = list.find((f) => f.internalName === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
};

function reasonOf(f: CrmFieldInfo, value: Parameters<typeof convertValue>[1], context = {}): string {
  const result = convertValue(f, value, context);
  if (result.ok) throw new Error(`expected a problem for ${f.internalName}, got ${String(result.value)}`);
  return result.reason;
}

describe('convertValue: text', () => {
  it('accepts text up to 255 and numbers as text', () => {
    expect(convertValue(field('City'), 'Utrecht')).toEqual({ ok: true, value: 'Utrecht' });
    expect(convertValue(field('City'), 'x'.repeat(255))).toEqual({ ok: true, value: 'x'.repeat(255) });
    expect(convertValue(field('ExactCode'), 42)).toEqual({ ok: true, value: '42' });
  });
  it('rejects text longer than 255', () => {
    expect(reasonOf(field('City'), 'x'.repeat(256))).toBe('text too long: 256 characters, the column allows 255');
  });
  it("rejects text longer than the column's MaxLength", () => {
    const short: CrmFieldInfo = { internalName: 'Code', title: 'Code', type: 'text', maxLength: 10 };
    expect(reasonOf(short, '12345678901')).toContain('the column allows 10');
  });
  it('rejects booleans in text and a missing required title', () => {
    expect(reasonOf(field('City'), true)).toContain('expects text');
    expect(reasonOf(field('Title'), null)).toContain('required');
    expect(reasonOf(field('Title'), '')).toContain('required');
  });
});

describe('convertValue: numbers and currency', () => {
  it('rounds currency to 2 decimals, half away from zero', () => {
    expect(convertValue(field('CreditLine'), 1.005)).toEqual({ ok: true, value: 1.01 });
    expect(convertValue(field('CreditLine'), -2.345)).toEqual({ ok: true, value: -2.35 });
    expect(convertValue(field('CreditLine'), '1250.5')).toEqual({ ok: true, value: 1250.5 });
    expect(roundCurrency(0.1 + 0.2)).toBe(0.3);
  });
  it('rejects numbers out of range', () => {
    expect(reasonOf(field('CountRead', syncRunsList.fields), -1)).toBe('number out of range: -1 is below the minimum 0');
    const pct: CrmFieldInfo = { internalName: 'Pct', title: 'Pct', type: 'number', min: 0, max: 100 };
    expect(reasonOf(pct, 101)).toBe('number out of range: 101 is above the maximum 100');
    expect(reasonOf(field('CreditLine'), 1e18)).toContain('number out of range');
  });
  it('rejects text that is not a number and non-finite numbers', () => {
    expect(reasonOf(field('CreditLine'), '12,50')).toContain('expects a number');
    expect(reasonOf(field('CountRead', syncRunsList.fields), Number.NaN)).toContain('expects a number');
  });
});

describe('convertValue: booleans are never guessed', () => {
  it.each(['true', '1', 'ja', 'nee', 'false'])('rejects %s', (text) => {
    expect(reasonOf(field('Blocked'), text)).toContain('expects true or false');
  });
  it('rejects 1 and 0 as numbers', () => {
    expect(reasonOf(field('Blocked'), 1)).toContain('expects true or false');
  });
  it('accepts real booleans', () => {
    expect(convertValue(field('Blocked'), false)).toEqual({ ok: true, value: false });
  });
});

describe('convertValue: dates', () => {
  it('normalises ISO dates to UTC with milliseconds', () => {
    expect(convertValue(field('CustomerSince'), '2026-11-21T10:00:00+01:00')).toEqual({
      ok: true,
      value: '2026-11-21T09:00:00.000Z',
    });
  });
  it('drops the milliseconds SharePoint does not keep, so what a run remembers is what it reads back', () => {
    expect(convertValue(field('CustomerSince'), '2026-12-01T10:38:49.293Z')).toEqual({ ok: true, value: '2026-12-01T10:38:49.000Z' });
  });
  it('rejects invalid dates, non-strings and dates SharePoint cannot store', () => {
    expect(reasonOf(field('CustomerSince'), '2026-02-30')).toContain('invalid date');
    expect(reasonOf(field('CustomerSince'), '/Date(1763683200000)/')).toContain('invalid date');
    expect(reasonOf(field('CustomerSince'), 1763683200000)).toContain('invalid date');
    expect(reasonOf(field('CustomerSince'), '1899-12-31T00:00:00Z')).toContain('outside 1900-01-01..8900-12-31');
  });
});

describe('convertValue: choices, URLs, lookups, people', () => {
  it('rejects an unknown choice, naming the allowed ones', () => {
    expect(convertValue(field('CustomerStatus'), 'Prospect')).toEqual({ ok: true, value: 'Prospect' });
    expect(reasonOf(field('CustomerStatus'), 'customer')).toBe(
      'unknown choice "customer": allowed are Customer, Prospect, Suspect, None',
    );
  });
  it('accepts http(s) URLs and rejects others', () => {
    expect(convertValue(field('Website'), ' https://example.nl ')).toEqual({ ok: true, value: 'https://example.nl' });
    expect(reasonOf(field('Website'), 'www.example.nl')).toContain('invalid URL');
    expect(reasonOf(field('Website'), 'javascript:alert(1)')).toContain('only http and https');
    expect(reasonOf(field('Website'), `https://example.nl/${'a'.repeat(250)}`)).toContain('text too long');
  });
  it('rejects a lookup whose target item is missing', () => {
    const company = field('Company', contactsList.fields);
    const lookupTargets = new Map([['Companies', new Set([1, 2, 3])]]);
    expect(convertValue(company, 2, { lookupTargets })).toEqual({ ok: true, value: 2 });
    expect(reasonOf(company, 7, { lookupTargets })).toBe('lookup target missing: item 7 does not exist in "Companies"');
    expect(reasonOf(company, 'ACME')).toContain('expects the target item id');
    expect(reasonOf(company, 1.5)).toContain('expects the target item id');
  });
  it('takes a person as a user id', () => {
    const owner: CrmFieldInfo = { internalName: 'Owner', title: 'Owner', type: 'person' };
    expect(convertValue(owner, 12)).toEqual({ ok: true, value: 12 });
    expect(reasonOf(owner, 'jan@contoso.nl')).toContain('expects a user id');
  });
});

describe('convertValues and the REST shape', () => {
  it('names every field that does not fit and keeps the rest', () => {
    const result = convertValues(companiesList.fields, {
      Title: 'Bakkerij de Vries B.V.',
      Blocked: 'ja',
      CreditLine: 10.555,
      Nonsense: 'x',
    });
    expect(result.values).toEqual({ Title: 'Bakkerij de Vries B.V.', CreditLine: 10.56 });
    expect(result.problems.map((p) => p.field)).toEqual(['Blocked', 'Nonsense']);
  });
  it('sends lookups as <Name>Id and URLs as {Url, Description}, and reads them back', () => {
    const fields = [...contactsList.fields, field('Website')];
    const body = toRestBody(fields, { Company: 4, Website: 'https://a.nl', Title: 'Jan' });
    expect(body).toEqual({ CompanyId: 4, Website: { Url: 'https://a.nl', Description: 'https://a.nl' }, Title: 'Jan' });
    const values = fromRestItem([field('Company', contactsList.fields), field('Website'), field('CustomerSince')], {
      CompanyId: 4,
      Website: { Url: 'https://a.nl', Description: 'A' },
      CustomerSince: '2026-01-01T00:00:00Z',
    });
    expect(values).toEqual({ Company: 4, Website: 'https://a.nl', CustomerSince: '2026-01-01T00:00:00.000Z' });
  });
  it('sees a column added to, replaced in or removed from a field list after it was first used', () => {
    const fields: CrmFieldInfo[] = [field('Title')];
    expect(convertValues(fields, { Colour: 'red' }).problems.map((p) => p.field)).toEqual(['Colour']);
    fields.push({ internalName: 'Colour', title: 'Colour', type: 'text' });
    expect(convertValues(fields, { Colour: 'red' })).toEqual({ values: { Colour: 'red' }, problems: [] });
    fields[1] = { internalName: 'Colour', title: 'Colour', type: 'lookup' };
    expect(toRestBody(fields, { Colour: 3 })).toEqual({ ColourId: 3 });
    fields.pop();
    expect(convertValues(fields, { Colour: 'red' }).problems.map((p) => p.field)).toEqual(['Colour']);
  });
});
