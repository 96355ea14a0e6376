import type { Company } from './company';
import { financialYearStartOf, type FinancialYearSettings, type FinancialYearSource } from './financialYearStart';

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
