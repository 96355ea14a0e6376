import { describe, expect, it } from 'vitest';
import { validateDraft, type AccountDraft } from '../../src/finance';

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
    const result = validateDraft({ name: 'Bakkerij B.V.', country: 'nl', kvk: '3018 7456', vat: 'nl 8574.12.369 b01', postcode: '3511ab', email: 'info@bakkerij.nl' });
    expect(result).toEqual({ ok: true, draft: { name: 'Bakkerij B.V.', country: 'NL', kvk: '30187456', vat: 'NL857412369B01', postcode: '3511 AB', email: 'info@bakkerij.nl' } });
    expect(codes({ name: 'X', country: 'NL', kvk: '1234567', vat: 'NL857412369', postcode: '0123 AB', email: 'no-at-sign' })).toEqual(['kvk:kvk', 'vat:vatFormat', 'postcode:postcode', 'email:email']);
  });

  it('checks Belgian enterprise and VAT numbers with their mod-97 check digits', () => {
    expect(validateDraft({ name: 'Brouwerij NV', country: 'BE', kvk: '0456789133', vat: 'BE 0456.789.133', postcode: '9000' })).toEqual({
      ok: true,
      draft: { name: 'Brouwerij NV', country: 'BE', kvk: '0456.789.133', vat: 'BE0456789133', postcode: '9000' },
    });
    expect(validateDraft({ name: 'Oud NV', country: 'BE', vat: 'BE403004811' })).toMatchObject({ ok: true, draft: { vat: 'BE0403004811' } });
    expect(codes({ name: 'X', country: 'BE', kvk: '0456789134', vat: 'BE0456789134' })).toEqual(['kvk:enterpriseNumber', 'vat:vatCheck']);
    expect(codes({ name: 'X', country: 'BE', vat: 'NL857412369B01', postcode: '900' })).toEqual(['vat:vatCountry', 'postcode:postcode']);
  });
});
