/**
 * The "Create in Exact" form's rules: what a new Exact account needs and how Dutch and Belgian
 * registration numbers look, checked before anything is sent, so Exact never sees a typo.
 */
export interface AccountDraft {
  name: string;
  country: string;
  kvk?: string;
  vat?: string;
  addressLine1?: string;
  postcode?: string;
  city?: string;
  email?: string;
  phone?: string;
  website?: string;
}

export type DraftField = keyof AccountDraft;

export type DraftProblemCode = 'required' | 'country' | 'kvk' | 'enterpriseNumber' | 'vatFormat' | 'vatCheck' | 'vatCountry' | 'postcode' | 'email' | 'phone' | 'website';

export interface DraftProblem {
  field: DraftField;
  code: DraftProblemCode;
}

const digitsOnly = (value: string): string => value.replace(/[\s.-]/g, '');

/** Belgian enterprise numbers (and BE VAT numbers) end in 97 − (first eight digits mod 97). */
function belgianCheckOk(tenDigits: string): boolean {
  const body = Number(tenDigits.slice(0, 8));
  // All zeros would "pass" (97 − 0 = 97): no enterprise number is zero.
  return body > 0 && 97 - (body % 97) === Number(tenDigits.slice(8));
}

/** ISO 7064 MOD 97-10 over letters as numbers (A = 10 … Z = 35), in steps so no digit string overflows. */
function mod97(text: string): number {
  const digits = text.toUpperCase().replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let rest = 0;
  for (let i = 0; i < digits.length; i += 7) rest = Number(`${rest}${digits.slice(i, i + 7)}`) % 97;
  return rest;
}

/**
 * A Dutch VAT ID (`NL` + 9 digits + `B` + 2 digits) passes either of the tax authority's rules:
 * numbers issued since 2020 (sole proprietors) pass MOD 97-10 over the whole ID, older ones
 * (the RSIN) the 11-proof on the nine digits: weights 9…2 over the first eight, remainder = ninth.
 */
export function dutchVatCheckOk(vat: string): boolean {
  if (!/^NL\d{9}B\d{2}$/.test(vat)) return false;
  const nine = vat.slice(2, 11);
  if (/^0+$/.test(nine)) return false;
  if (mod97(vat) === 1) return true;
  const sum = [...nine.slice(0, 8)].reduce((total, digit, i) => total + Number(digit) * (9 - i), 0);
  return sum % 11 === Number(nine[8]);
}

/** A KvK number: eight digits (there is no check digit since 2016), not all zeros. */
export const kvkOk = (digits: string): boolean => /^\d{8}$/.test(digits) && !/^0+$/.test(digits);

/** A phone number as people write it: digits with `+ ( ) -`, spaces or dots; 8 to 15 digits (E.164's maximum). */
export function phoneOk(value: string): boolean {
  if (!/^\+?[\d\s().-]+$/.test(value)) return false;
  const count = value.replace(/\D/g, '').length;
  return count >= 8 && count <= 15;
}

/** A Belgian enterprise number as Exact and the KBO write it: `0123.456.749`. */
export function formatEnterpriseNumber(tenDigits: string): string {
  return `${tenDigits.slice(0, 4)}.${tenDigits.slice(4, 7)}.${tenDigits.slice(7)}`;
}

function belgianTenDigits(value: string): string {
  const digits = digitsOnly(value).replace(/^BE/i, '');
  // Numbers from before 2005 had nine digits; a leading 0 makes them the ten-digit form.
  return /^\d{9}$/.test(digits) ? `0${digits}` : digits;
}

/** The draft with numbers in the form Exact stores them, or the problems to show per field. */
export function validateDraft(input: AccountDraft): { ok: true; draft: AccountDraft } | { ok: false; problems: DraftProblem[] } {
  const problems: DraftProblem[] = [];
  const trimmed = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]).filter(([, v]) => v !== '' && v !== undefined)) as Partial<AccountDraft>;
  const draft: AccountDraft = { ...trimmed, name: trimmed.name ?? '', country: (trimmed.country ?? '').toUpperCase() };
  if (!draft.name) problems.push({ field: 'name', code: 'required' });
  if (!draft.country) problems.push({ field: 'country', code: 'required' });
  else if (draft.country !== 'NL' && draft.country !== 'BE') problems.push({ field: 'country', code: 'country' });

  if (draft.kvk) {
    if (draft.country === 'BE') {
      const ten = belgianTenDigits(draft.kvk);
      if (!/^[01]\d{9}$/.test(ten) || !belgianCheckOk(ten)) problems.push({ field: 'kvk', code: 'enterpriseNumber' });
      else draft.kvk = formatEnterpriseNumber(ten);
    } else {
      const kvk = digitsOnly(draft.kvk);
      if (!kvkOk(kvk)) problems.push({ field: 'kvk', code: 'kvk' });
      else draft.kvk = kvk;
    }
  }

  if (draft.vat) {
    const vat = draft.vat.replace(/[\s.-]/g, '').toUpperCase();
    const prefix = vat.slice(0, 2);
    if (prefix !== 'NL' && prefix !== 'BE') problems.push({ field: 'vat', code: 'vatFormat' });
    else if (draft.country && prefix !== draft.country) problems.push({ field: 'vat', code: 'vatCountry' });
    else if (prefix === 'NL') {
      if (!/^NL\d{9}B\d{2}$/.test(vat)) problems.push({ field: 'vat', code: 'vatFormat' });
      else if (!dutchVatCheckOk(vat)) problems.push({ field: 'vat', code: 'vatCheck' });
      else draft.vat = vat;
    } else {
      const ten = belgianTenDigits(vat);
      if (!/^[01]\d{9}$/.test(ten)) problems.push({ field: 'vat', code: 'vatFormat' });
      else if (!belgianCheckOk(ten)) problems.push({ field: 'vat', code: 'vatCheck' });
      else draft.vat = `BE${ten}`;
    }
  }

  if (draft.postcode) {
    const postcode = draft.postcode.toUpperCase().replace(/\s+/g, '');
    if (draft.country === 'NL' && !/^[1-9]\d{3}[A-Z]{2}$/.test(postcode)) problems.push({ field: 'postcode', code: 'postcode' });
    else if (draft.country === 'BE' && !/^[1-9]\d{3}$/.test(postcode)) problems.push({ field: 'postcode', code: 'postcode' });
    else draft.postcode = draft.country === 'NL' ? `${postcode.slice(0, 4)} ${postcode.slice(4)}` : postcode;
  }
  if (draft.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.email)) problems.push({ field: 'email', code: 'email' });
  if (draft.phone && !phoneOk(draft.phone)) problems.push({ field: 'phone', code: 'phone' });
  if (draft.website && !/^(https?:\/\/)?[^\s/]+\.[^\s]+$/i.test(draft.website)) problems.push({ field: 'website', code: 'website' });
  return problems.length ? { ok: false, problems } : { ok: true, draft };
}
