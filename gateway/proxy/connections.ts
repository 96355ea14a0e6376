/** Which of the caller's Exact connections a proxied call uses, and what it remembers of Exact's errors. */
import { refuse } from '../access/authorize';
import { isEnabled } from '../access/divisions';
import type { Operation } from '../access/operations';
import type { Caller } from '../auth';
import { HttpError } from '../http';
import type { Logger } from '../log';
import type { ConnectionRecord } from '../store/types';
import type { ProxyContext } from './context';

export interface ConnectionQuery {
  caller: Caller;
  division: number | undefined;
  connectionId: string;
  /** For the audit line of a refusal. */
  operation: Operation;
  logger: Logger;
}

/**
 * With a division, the caller's tenant must own it (one of its connections lists it, a connected
 * one where it is enabled first) and an admin must have enabled it for the CRM. Without one
 * (`current/Me`), the connection `?connection=` names.
 */
export async function connectedConnection(store: ProxyContext['store'], query: ConnectionQuery): Promise<ConnectionRecord> {
  const { caller, division, operation, logger } = query;
  const connection = await findConnection(store, query);
  if (division !== undefined && !isEnabled(connection, division)) {
    refuse({ caller, operation, division, logger }, `division ${division} is not enabled for the CRM; an admin enables it on the Exact connection page.`, 'division-not-enabled');
  }
  if (connection.status !== 'connected') {
    throw new HttpError(409, 'needs-consent', `Exact needs a new consent: ${connection.needsConsentReason ?? 'the connection was lost'}. An admin must connect again.`);
  }
  return connection;
}

async function findConnection(store: ProxyContext['store'], { caller, division, connectionId, operation, logger }: ConnectionQuery): Promise<ConnectionRecord> {
  if (division === undefined) {
    const connection = await store.getConnection(caller.tenantId, connectionId);
    if (!connection) {
      throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
    }
    return connection;
  }
  const owned = (await store.listConnections(caller.tenantId)).filter((c) => c.divisions.some((d) => d.code === division));
  const connection = owned.find((c) => c.status === 'connected' && isEnabled(c, division)) ?? owned.find((c) => c.status === 'connected') ?? owned[0];
  if (!connection) {
    refuse({ caller, operation, division, logger }, `division ${division} does not belong to your organisation's Exact connection.`, 'division-not-allowed');
  }
  return connection;
}

export interface NotedError {
  where: string;
  status: number;
  message: string;
}

/** For the status page (the 20 latest). Re-reads the record: the one the call started with may be stale by now. */
export async function noteError(context: Pick<ProxyContext, 'store' | 'clock'>, connection: ConnectionRecord, { where, status, message }: NotedError): Promise<void> {
  const { store, clock } = context;
  const latest = await store.getConnection(connection.tenantId, connection.connectionId);
  if (!latest) {
    return;
  }
  const now = clock.now();
  await store.putConnection({ ...latest, recentErrors: [{ at: now, where, status, message }, ...latest.recentErrors].slice(0, 20), updatedAt: now });
}
