/** Which of the caller's Exact connections a proxied call uses, and what it remembers of Exact's errors. */
import type { Caller } from '../auth';
import { HttpError } from '../http';
import type { ConnectionRecord } from '../store/types';
import type { ProxyContext } from './context';

export interface ConnectionQuery {
  caller: Caller;
  division: number | undefined;
  connectionId: string;
}

/**
 * With a division, the caller's tenant must own it: one of its connections lists it (a connected
 * one first). Without one (`current/Me`), the connection `?connection=` names.
 */
export async function connectedConnection(store: ProxyContext['store'], { caller, division, connectionId }: ConnectionQuery): Promise<ConnectionRecord> {
  const connection = await findConnection(store, { caller, division, connectionId });
  if (connection.status !== 'connected') {
    throw new HttpError(409, 'needs-consent', `Exact needs a new consent: ${connection.needsConsentReason ?? 'the connection was lost'}. An admin must connect again.`);
  }
  return connection;
}

async function findConnection(store: ProxyContext['store'], { caller, division, connectionId }: ConnectionQuery): Promise<ConnectionRecord> {
  if (division === undefined) {
    const connection = await store.getConnection(caller.tenantId, connectionId);
    if (!connection) {
      throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
    }
    return connection;
  }
  const owned = (await store.listConnections(caller.tenantId)).filter((c) => c.divisions.some((d) => d.code === division));
  const connection = owned.find((c) => c.status === 'connected') ?? owned[0];
  if (!connection) {
    throw new HttpError(403, 'division-not-allowed', `Division ${division} does not belong to your organisation's Exact connection.`);
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
