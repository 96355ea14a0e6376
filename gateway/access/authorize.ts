/**
 * Who may do what, and the audit line that says so. Every refusal, every write and every change
 * to the connection is one `audit` line in the gateway's JSON log: who (Entra object id and
 * name), tenant, division, operation and outcome. Reads are in the request lines already.
 */
import { adminRole, userRole, type Caller } from '../auth';
import { HttpError } from '../http';
import type { Logger } from '../log';
import { operations, type Operation } from './operations';

export type AuditOutcome = 'allowed' | 'refused' | 'created' | 'replayed' | 'recovered' | 'duplicate' | 'failed' | 'unknown' | 'changed';

export interface AuditEntry {
  caller: Caller;
  operation: Operation | 'unknown';
  outcome: AuditOutcome;
  division?: number;
  /** Why it was refused, or what was done, in words. */
  reason?: string;
  /** More facts for the line (an account id, the divisions now enabled). */
  details?: Record<string, unknown>;
}

export function audit(logger: Logger, { caller, operation, outcome, division, reason, details }: AuditEntry): void {
  // Details first: they can add facts, never change who, where or what.
  logger.log(outcome === 'refused' ? 'warn' : 'info', 'audit', {
    ...details,
    operation,
    outcome,
    tenant: caller.tenantId,
    user: caller.userId,
    name: caller.name,
    division,
    reason,
  });
}

export const isConnectorUser = (caller: Caller): boolean => caller.roles.includes(userRole) || caller.roles.includes(adminRole);

interface Asked {
  caller: Caller;
  operation: Operation;
  division?: number;
  logger: Logger;
}

/** Refuses (403, with an audit line) a caller whose app roles do not allow the operation. */
export function authorize({ caller, operation, division, logger }: Asked): void {
  const { role, words } = operations[operation];
  let reason: string | undefined;
  if (!isConnectorUser(caller)) {
    reason = `You have no role in the Exact CRM Connector: ${words.toLowerCase()} needs the ${userRole} app role (or ${adminRole}). Ask an admin to assign it to you under Enterprise applications → Exact CRM Connector Gateway → Users and groups.`;
  } else if (role === 'admin' && !caller.roles.includes(adminRole)) {
    reason = `${words} needs the ${adminRole} app role.`;
  }
  if (reason) {
    refuse({ caller, operation, division, logger }, reason);
  }
}

/** Writes the audit line and throws the 403 the caller gets. */
export function refuse({ caller, operation, division, logger }: Omit<Asked, 'operation'> & { operation: Operation | 'unknown' }, reason: string, code = 'forbidden'): never {
  audit(logger, { caller, operation, outcome: 'refused', division, reason });
  throw new HttpError(403, code, `Forbidden: ${reason}`);
}
