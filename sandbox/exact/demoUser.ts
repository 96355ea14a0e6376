import type { DivisionInfo, Row } from './seed';

/** The demo user's Exact user ID: creator and modifier of seeded records, deleter in sync/Deleted. */
export const demoUserId = '5e2d9c41-7a3b-4f08-b6d1-93c0a8e4f215';

const demoUserFullName = 'Jeroen van Houten';

/** Who made a seeded master row and when, as Exact's audit fields carry it. */
export function seedAudit(division: DivisionInfo, created: number, modified = created): Row {
  return { Created: created, Creator: demoUserId, CreatorFullName: demoUserFullName, Modified: modified, Modifier: demoUserId, ModifierFullName: demoUserFullName, Division: division.code };
}
