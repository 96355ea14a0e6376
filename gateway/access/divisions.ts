/**
 * Which of the connection's divisions the CRM may use. An Exact user often reaches many
 * divisions (an accountant's user reaches every client's books); the consent covers them all, but
 * the CRM should see only the companies an admin chose. So a first connect enables only the
 * division the product works in, a reconnect keeps the admin's choice, and every other division
 * is refused until an admin enables it (`PUT /connection/divisions`).
 */
import type { ConnectionRecord } from '../store/types';

/** The enabled divisions that the connection still has; a record from before the choice existed enables its working division. */
export function enabledDivisions(connection: Pick<ConnectionRecord, 'divisions' | 'division' | 'enabledDivisions'>): number[] {
  const chosen = connection.enabledDivisions ?? (connection.division === null ? [] : [connection.division]);
  return chosen.filter((code) => connection.divisions.some((d) => d.code === code));
}

interface Consent {
  /** The divisions the new consent covers. */
  codes: number[];
  /** The working division after the connect. */
  division: number | null;
  previous: Pick<ConnectionRecord, 'divisions' | 'division' | 'enabledDivisions'> | undefined;
}

/** After a (re)connect: what the admin enabled before that the consent still covers, and the working division. */
export function enabledAfterConnect({ codes, division, previous }: Consent): number[] {
  const kept = previous ? enabledDivisions(previous).filter((code) => codes.includes(code)) : [];
  return division === null || kept.includes(division) ? kept : [...kept, division];
}

export const isEnabled = (connection: Pick<ConnectionRecord, 'divisions' | 'division' | 'enabledDivisions'>, division: number): boolean =>
  enabledDivisions(connection).includes(division);
