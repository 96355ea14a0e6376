import { normalizeKvk, normalizeVat } from '../sync/model';
import type { Company } from './company';
import { divisionOfCompany, type DivisionSettings } from './divisions';

/** Which number two companies share: the strongest first, as the match cascade ranks them. */
function sharedNumber(a: Pick<Company, 'kvk' | 'vat'>, b: Pick<Company, 'kvk' | 'vat'>): 'kvk' | 'vat' | undefined {
  const kvk = normalizeKvk(a.kvk);
  if (kvk && kvk === normalizeKvk(b.kvk)) return 'kvk';
  const vat = normalizeVat(a.vat);
  if (vat && vat === normalizeVat(b.vat)) return 'vat';
  return undefined;
}

/**
 * The same customer linked in other divisions: CRM companies with this company's KvK or VAT
 * number (normalised), linked in a division other than `except`. One per division: a KvK match
 * before a VAT match, then the oldest CRM item, so the choice does not change between visits.
 */
export function sameCustomerElsewhere(input: { company: Company; candidates: readonly Company[]; settings: DivisionSettings; except?: number }): Array<{ company: Company; division: number }> {
  const { company, settings, except } = input;
  const found = input.candidates
    .filter((other) => other.id !== company.id && !!other.exactId)
    .map((other) => ({ company: other, division: divisionOfCompany(other, settings), shared: sharedNumber(company, other) }))
    .filter((c): c is { company: Company; division: number; shared: 'kvk' | 'vat' } => c.shared !== undefined && c.division !== undefined && c.division !== except)
    .sort((a, b) => (a.shared === b.shared ? a.company.id - b.company.id : a.shared === 'kvk' ? -1 : 1));
  const byDivision = new Map<number, { company: Company; division: number }>();
  for (const candidate of found) if (!byDivision.has(candidate.division)) byDivision.set(candidate.division, { company: candidate.company, division: candidate.division });
  return [...byDivision.values()];
}
