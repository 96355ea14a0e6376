/**
 * The customer panel's rules at the gateway: which panel reads may be served from the short
 * cache, and who may create Exact accounts from the CRM (sales may; the gateway checks the
 * request and logs who did it).
 */
import type { ExactResponse } from '../src/exact/transport';
import type { Caller } from './auth';
import { HttpError } from './http';

// One account by key (`{division}/crm/Accounts(guid'…')?$select=…`): the panel's credit limit.
// Filtered account reads stay uncached, so the duplicate check before a create always sees Exact.
const accountByKey = /^\d+\/crm\/Accounts\(guid'[0-9a-fA-F-]{36}'\)(\?|$)/;

export const isPanelAccountRead = (method: string, exactPath: string): boolean => method === 'GET' && accountByKey.test(exactPath);

export interface AccountCreateAudit {
  by: string;
  userId: string;
  admin: boolean;
  name: string;
}

/**
 * Any signed-in person of the tenant may create a customer (POST crm/Accounts): sales create
 * them from the CRM. The body must be a new account with a name; the answer is logged with who.
 */
export function accountCreateAudit(caller: Caller, method: string, endpoint: string, body: unknown): AccountCreateAudit | undefined {
  if (method !== 'POST' || endpoint !== 'crm/Accounts') return undefined;
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const name = typeof record?.Name === 'string' ? record.Name.trim() : '';
  if (!record || !name) {
    throw new HttpError(400, 'bad-request', 'Creating an Exact account needs a JSON object with field Name.');
  }
  if (record.ID !== undefined) {
    throw new HttpError(400, 'bad-request', 'Creating an Exact account: field ID is chosen by Exact and must not be sent.');
  }
  return { by: caller.name, userId: caller.userId, admin: caller.isAdmin, name };
}

/** The new account's ID out of Exact's `{d: {...}}` answer, for the log line. */
export function createdAccountId(response: ExactResponse): string | undefined {
  const data = response.data as { d?: { ID?: unknown } } | undefined;
  return typeof data?.d?.ID === 'string' ? data.d.ID : undefined;
}
