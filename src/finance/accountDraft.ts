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

export type DraftProblemCode = 'required' | 'country' | 'kvk' | 'enterpriseNumber' | 'vatFormat' | 'vatCheck' | 'vatCountry' | 'postcode' | 'email' | 'website';

export interface DraftProblem {
  field: DraftField;
  code: DraftProblemCode;
}

const digitsOnly = (value: string): string => value.replace(/[\s.-]/g, '');

/** Belgian enterprise numbers (and BE VAT numbers) end in 97 − (first eight digits mod 97). */
function belgianCheckOk(tenDigits: string): boolean {
  const body = Number(tenDigits.slice(0, 8));
  return 97 - (body % 97) === Number(tenDigits.slice(8));
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
      if (!/^\d{8}$/.test(kvk)) problems.push({ field: 'kvk', code: 'kvk' });
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
  if (draft.website && !/^(https?:\/\/)?[^\s/]+\.[^\s]+$/i.test(draft.website)) problems.push({ field: 'website', code: 'website' });
  return problems.length ? { ok: false, problems } : { ok: true, draft };
}
