import { normalizeKvk, normalizeVat } from '../sync/model';
import type { Company } from './company';
import { financialYearStartOf, type FinancialYearSettings, type FinancialYearSource } from './financialYear';

/**
 * Connections made before the gateway read each division's currency: the Dutch and Belgian
 * administrations they serve keep their books in euro.
 */
export const ASSUMED_DIVISION_CURRENCY = 'EUR';

/** An Exact division (administration) as the panel names it and counts in it. */
export interface ExactDivision {
  code: number;
  /** Exact's name for it ("Peeters & Zonen BV"), or its code when the connection does not know it. */
  name: string;
  /** The currency of its books: every total of a panel in this division is in it. */
  currency: string;
  /** `MM-DD`. */
  financialYearStart: string;
  financialYearSource: FinancialYearSource;
  /** False for a division the connection does not reach (a link made under an earlier consent). */
  reachable: boolean;
}

/** What the connection says about its divisions (the gateway's connection status has these fields). */
export interface DivisionSettings extends FinancialYearSettings {
  /** The default division: companies linked before divisions were recorded are in it. */
  division?: number | null;
  divisions?: ReadonlyArray<{ code: number; description: string; currency?: string }>;
}

/** "Peeters & Zonen BV (2950002)": Exact's name and number, as Exact's own division menu shows them. */
export function divisionLabel(division: Pick<ExactDivision, 'code' | 'name'>): string {
  return division.name === String(division.code) ? division.name : `${division.name} (${division.code})`;
}

export function exactDivision(settings: DivisionSettings, code: number): ExactDivision {
  const known = settings.divisions?.find((d) => d.code === code);
  const year = financialYearStartOf(settings, code);
  return {
    code,
    name: known?.description.trim() || String(code),
    currency: known?.currency?.trim() || ASSUMED_DIVISION_CURRENCY,
    financialYearStart: year.monthDay,
    financialYearSource: year.source,
    reachable: !!known,
  };
}

/** The connection's divisions, its default first, then as Exact lists them. */
export function divisionsOf(settings: DivisionSettings): ExactDivision[] {
  const all = (settings.divisions ?? []).map((d) => exactDivision(settings, d.code));
  return [...all.filter((d) => d.code === settings.division), ...all.filter((d) => d.code !== settings.division)];
}

/** The division a company's link is in: its own, else (linked before divisions were recorded) the default. */
export function divisionOfCompany(company: Pick<Company, 'division'>, settings: DivisionSettings): number | undefined {
  return company.division ?? settings.division ?? undefined;
}

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
