import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dutchVatCheckOk, kvkOk, phoneOk, validateDraft, type AccountDraft } from '../../src/finance';

const codes = (draft: AccountDraft) => {
  const result = validateDraft(draft);
  return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.code}`);
};

describe('Create in Exact: the draft is checked before anything is sent', () => {
  it('needs a name and a Dutch or Belgian country', () => {
    expect(codes({ name: ' ', country: '' })).toEqual(['name:required', 'country:required']);
    expect(codes({ name: 'X', country: 'DE' })).toEqual(['country:country']);
  });

  it('normalises Dutch KvK, VAT and postcode, and rejects wrong formats', () => {
    const result = validateDraft({ name: 'Bakkerij B.V.', country: 'nl', kvk: '3018 7456', vat: 'nl 0044.95.445 b01', postcode: '3511ab', email: 'info@bakkerij.nl' });
    expect(result).toEqual({ ok: true, draft: { name: 'Bakkerij B.V.', country: 'NL', kvk: '30187456', vat: 'NL004495445B01', postcode: '3511 AB', email: 'info@bakkerij.nl' } });
    expect(codes({ name: 'X', country: 'NL', kvk: '1234567', vat: 'NL857412369', postcode: '0123 AB', email: 'no-at-sign' })).toEqual(['kvk:kvk', 'vat:vatFormat', 'postcode:postcode', 'email:email']);
  });

  it('checks Belgian enterprise and VAT numbers with their mod-97 check digits', () => {
    expect(validateDraft({ name: 'Brouwerij NV', country: 'BE', kvk: '0456789133', vat: 'BE 0456.789.133', postcode: '9000' })).toEqual({
      ok: true,
      draft: { name: 'Brouwerij NV', country: 'BE', kvk: '0456.789.133', vat: 'BE0456789133', postcode: '9000' },
    });
    expect(validateDraft({ name: 'Oud NV', country: 'BE', vat: 'BE403004811' })).toMatchObject({ ok: true, draft: { vat: 'BE0403004811' } });
    expect(codes({ name: 'X', country: 'BE', kvk: '0456789134', vat: 'BE0456789134' })).toEqual(['kvk:enterpriseNumber', 'vat:vatCheck']);
    expect(codes({ name: 'X', country: 'BE', vat: 'NL004495445B01', postcode: '900' })).toEqual(['vat:vatCountry', 'postcode:postcode']);
    // 97 − (0 mod 97) = 97: an all-zero body would pass the arithmetic, but no enterprise number is 0.
    expect(codes({ name: 'X', country: 'BE', kvk: '0000000097', vat: 'BE0000000097' })).toEqual(['kvk:enterpriseNumber', 'vat:vatCheck']);
  });
});

describe('Create in Exact: check digits, as the tax authority and KBO issue the numbers', () => {
  it('accepts a Dutch VAT ID by the 11-proof (numbers from before 2020) or MOD 97-10 (sole proprietors since 2020)', () => {
    // 11-proof: 0·9 + 0·8 + 4·7 + 4·6 + 9·5 + 5·4 + 4·3 + 4·2 = 137, 137 mod 11 = 5, the ninth digit.
    expect(dutchVatCheckOk('NL004495445B01')).toBe(true);
    expect(dutchVatCheckOk('NL808661863B01')).toBe(true);
    // MOD 97-10 over "NL000099998B57" with N=23, L=21, B=11 leaves 1 (the Belastingdienst's own example).
    expect(dutchVatCheckOk('NL000099998B57')).toBe(true);
    expect(dutchVatCheckOk('NL002455799B11')).toBe(true);
    // One digit off fails both rules.
    expect(dutchVatCheckOk('NL004495446B01')).toBe(false);
    expect(dutchVatCheckOk('NL000099998B58')).toBe(false);
    expect(dutchVatCheckOk('NL000000000B00')).toBe(false);
    expect(codes({ name: 'X', country: 'NL', vat: 'NL123456789B01' })).toEqual(['vat:vatCheck']);
  });

  it('refuses KvK 00000000 and accepts any other eight digits (KvK numbers have no check digit)', () => {
    expect(kvkOk('00000000')).toBe(false);
    expect(kvkOk('30187456')).toBe(true);
    expect(codes({ name: 'X', country: 'NL', kvk: '0000 0000' })).toEqual(['kvk:kvk']);
  });

  it('takes phone numbers of digits with + ( ) - and spaces, 8 to 15 digits', () => {
    for (const phone of ['+31 (0)20-123 4567', '020 123 4567', '+32 9 123 45 67', '0612345678']) expect(phoneOk(phone)).toBe(true);
    for (const phone of ['call me maybe', '12345', '+31 20 123 4567 890 12', '020-CALL-NOW', '31+20 1234567']) expect(phoneOk(phone)).toBe(false);
    expect(codes({ name: 'X', country: 'NL', phone: 'call me maybe' })).toEqual(['phone:phone']);
  });

  it('never shows a number that passes as the form\'s example or in its error messages', () => {
    for (const locale of ['en-us', 'nl-nl']) {
      const text = readFileSync(join(__dirname, `../../src/webparts/customerFinance/loc/${locale}.js`), 'utf8');
      const vats = [...text.matchAll(/\b(NL\d{9}B\d{2}|BE[01]\d{9})\b/g)].map((m) => m[1]!);
      for (const vat of vats) expect(codes({ name: 'X', country: vat.slice(0, 2), vat }), vat).not.toEqual([]);
      for (const key of ['VatHintNL', 'VatHintBE']) expect(text).toMatch(new RegExp(`${key}: "[^"]+"`));
    }
  });
});
