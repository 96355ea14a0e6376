/**
 * The customer panel's rule at the gateway: which panel reads may be served from the short cache.
 * Who may read or create what is access/operations.ts; how a customer is created, customers/.
 */

// One account by key (`{division}/crm/Accounts(guid'…')?$select=…`): the panel's credit limit.
// Filtered account reads stay uncached, so a lookup before a create always sees Exact.
const accountByKey = /^\d+\/crm\/Accounts\(guid'[0-9a-fA-F-]{36}'\)(\?|$)/;

export const isPanelAccountRead = (method: string, exactPath: string): boolean => method === 'GET' && accountByKey.test(exactPath);
