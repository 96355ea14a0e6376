/** The demo user's Exact user ID: creator and modifier of seeded records, deleter in sync/Deleted. */
export const demoUserId = '5e2d9c41-7a3b-4f08-b6d1-93c0a8e4f215';
