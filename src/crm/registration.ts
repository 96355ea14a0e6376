import { normalizeKvk, normalizeVat } from '../sync/model';
import { odataString } from './jsonEntries';
import type { Company } from '../finance/company';

/**
 * Finding the same customer by its KvK or VAT number in the Companies list, which holds the
 * numbers as people and Exact wrote them.
 */

/** Fewer digits than a KvK number (8) or a VAT core would match far too many companies. */
const MIN_REGISTRATION_DIGITS = 6;

export interface RegistrationDigits {
  kvk?: string;
  vat?: string;
}

/**
 * The digits a registration number keeps however it is written (the match cascade's normalising):
 * all of a KvK or enterprise number's, a VAT number's without country, leading zeros and `B01`.
 */
export function registrationDigits(company: Pick<Company, 'kvk' | 'vat'>): RegistrationDigits {
  const kvk = normalizeKvk(company.kvk);
  const vat = normalizeVat(company.vat);
  return {
    kvk: kvk.length >= MIN_REGISTRATION_DIGITS ? kvk : undefined,
    vat: /^\d+$/.test(vat) && vat.length >= MIN_REGISTRATION_DIGITS ? vat : undefined,
  };
}

/**
 * However a number is written ("3018 7456", "0478.123.659", "NL8591.23.456.B01"), its last three
 * digits stay together: SharePoint, which cannot normalise, finds the candidates by them (about
 * one company in a thousand besides the right ones), and the normalised numbers decide.
 */
const TAIL_DIGITS = 3;

/** The `$filter` for {@link CompanyService.sameRegistration}; undefined when there is nothing to look for. */
export function sameRegistrationFilter(numbers: RegistrationDigits): string | undefined {
  const tail = (digits: string): string => odataString(digits.slice(-TAIL_DIGITS));
  const clauses = [numbers.kvk ? `substringof(${tail(numbers.kvk)}, KvkNumber)` : undefined, numbers.vat ? `substringof(${tail(numbers.vat)}, VatNumber)` : undefined].filter((c): c is string => !!c);
  return clauses.length ? clauses.join(' or ') : undefined;
}

/** The same KvK or VAT number, normalised as the match cascade does. */
export function hasRegistration(company: Pick<Company, 'kvk' | 'vat'>, numbers: RegistrationDigits): boolean {
  const own = registrationDigits(company);
  return (!!numbers.kvk && own.kvk === numbers.kvk) || (!!numbers.vat && own.vat === numbers.vat);
}
