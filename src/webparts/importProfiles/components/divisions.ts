import * as strings from 'ImportProfilesWebPartStrings';
import type { FieldValue } from '../../../sync/model';
import { format } from '../../../ui/format';

/** A division of the connection, as the connection status lists it. */
export interface Division {
  code: number;
  description: string;
}

/**
 * A division as people tell it apart: its name and code ("Peeters & Zonen BV (2950002)"); account
 * codes are per division, so the name alone is not enough. A code the connection does not have says so.
 */
export function divisionLabel(code: number, divisions: readonly Division[]): string {
  const known = divisions.find((d) => d.code === code);
  if (!known) return format(strings.DivisionNotConnected, code);
  return known.description ? format(strings.DivisionName, known.description, code) : String(code);
}

/**
 * The division a CRM item is linked in, from its ExactDivision column. An item linked before
 * divisions were recorded belongs to the connection's default division; an unlinked one to none.
 */
export function itemDivisionLabel(value: FieldValue | undefined, linked: boolean, divisions: readonly Division[], defaultDivision: number | undefined): string {
  if (typeof value === 'number') return divisionLabel(value, divisions);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return divisionLabel(Number(value), divisions);
  if (linked && defaultDivision !== undefined) return format(strings.DivisionUnrecorded, divisionLabel(defaultDivision, divisions));
  return strings.DivisionNone;
}

/** The division a run read from: the profile as the run started with it, else the profile as it is now. */
export function runDivision(run: { profile?: unknown }, fallback: number | undefined): number | undefined {
  const stored = run.profile as { division?: unknown } | undefined;
  return typeof stored?.division === 'number' ? stored.division : fallback;
}
