/**
 * The tenant's Exact connection: `GET /connection` (status, anyone in the tenant),
 * `PUT /connection/division` `{division}`, `PUT /connection/settings`
 * `{financialYearStart, division?}` (a division's own start; without `division`, the start
 * divisions without their own follow) and `DELETE /connection` (admins).
 */
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { requireAdmin, type Caller } from '../auth';
import type { GatewayConfig } from '../config';
import { isMonthDay } from '../../src/finance/financialYearStart';
import { HttpError, jsonResponse, readJson } from '../http';
import type { Proxy } from '../proxy/service';
import { connectionRecordSchema, type ConnectionRecord, type GatewayStore } from '../store/types';
import { refreshTokenLifetimeMs, type TokenService } from '../tokens';
import type { Route, RouteRequest } from './route';

export interface ConnectionDeps {
  config: GatewayConfig;
  clock: Clock;
  store: GatewayStore;
  tokens: TokenService;
  proxy: Proxy;
}

const divisionBodySchema = z.object({ division: z.number().int().positive() });
// The customer panel counts from this day with the same rule, so a start saved here always works there.
const settingsBodySchema = z
  .object({
    financialYearStart: connectionRecordSchema.shape.financialYearStart.unwrap().refine(isMonthDay, 'that day does not exist in that month'),
    division: divisionBodySchema.shape.division.optional(),
  })
  .strict();

export function createConnectionRoute(deps: ConnectionDeps): Route[] {
  return [
    { method: 'GET', path: '/connection', handle: async (r) => connectionStatus(deps, { caller: await r.authenticate(), connectionId: r.connectionId() }) },
    { method: 'DELETE', path: '/connection', handle: (r) => disconnect(deps, r) },
    { method: 'PUT', path: '/connection/division', handle: (r) => changeDivision(deps, r) },
    { method: 'PUT', path: '/connection/settings', handle: (r) => changeSettings(deps, r) },
  ];
}

async function changeDivision(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await r.authenticate();
  requireAdmin(caller, 'Changing the division');
  const connectionId = r.connectionId();
  const { division } = await readJson(r.request, divisionBodySchema, deps.config.maxSmallBodyBytes);
  const connection = await existingConnection(deps.store, { caller, connectionId });
  if (!connection.divisions.some((d) => d.code === division)) {
    throw new HttpError(400, 'bad-request', `Field division: ${division} is not one of this connection's divisions (${connection.divisions.map((d) => d.code).join(', ')}).`);
  }
  await deps.store.putConnection({ ...connection, division, updatedAt: deps.clock.now() });
  return connectionStatus(deps, { caller, connectionId });
}

async function changeSettings(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await r.authenticate();
  requireAdmin(caller, 'Changing the connection settings');
  const connectionId = r.connectionId();
  const { financialYearStart, division } = await readJson(r.request, settingsBodySchema, deps.config.maxSmallBodyBytes);
  const connection = await existingConnection(deps.store, { caller, connectionId });
  if (division === undefined) {
    await deps.store.putConnection({ ...connection, financialYearStart, updatedAt: deps.clock.now() });
  } else {
    if (!connection.divisions.some((d) => d.code === division)) {
      throw new HttpError(400, 'bad-request', `Field division: ${division} is not one of this connection's divisions (${connection.divisions.map((d) => d.code).join(', ')}).`);
    }
    const financialYearStarts = { ...connection.financialYearStarts, [String(division)]: financialYearStart };
    await deps.store.putConnection({ ...connection, financialYearStarts, updatedAt: deps.clock.now() });
  }
  r.logger.log('info', 'connection.settings', { tenant: caller.tenantId, financialYearStart, division });
  return connectionStatus(deps, { caller, connectionId });
}

async function disconnect({ store, tokens, proxy }: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await r.authenticate();
  requireAdmin(caller, 'Disconnecting Exact Online');
  await store.deleteConnection(caller.tenantId, r.connectionId());
  tokens.forget(caller.tenantId, r.connectionId());
  proxy.dropTenant(caller.tenantId);
  r.logger.log('info', 'connection.deleted', { tenant: caller.tenantId });
  return jsonResponse(200, { connected: false, status: 'not-connected' });
}

interface ConnectionKey {
  caller: Caller;
  connectionId: string;
}

async function existingConnection(store: GatewayStore, { caller, connectionId }: ConnectionKey): Promise<ConnectionRecord> {
  const connection = await store.getConnection(caller.tenantId, connectionId);
  if (!connection) {
    throw new HttpError(409, 'not-connected', 'Exact Online is not connected for your organisation.');
  }
  return connection;
}

async function connectionStatus({ store, proxy }: ConnectionDeps, { caller, connectionId }: ConnectionKey): Promise<Response> {
  const connection = await store.getConnection(caller.tenantId, connectionId);
  if (!connection) {
    return jsonResponse(200, { connected: false, status: 'not-connected' });
  }
  const token = await store.getToken(caller.tenantId, connectionId);
  return jsonResponse(200, {
    connected: connection.status === 'connected',
    status: connection.status,
    needsConsentReason: connection.needsConsentReason,
    exactUser: { fullName: connection.exactUser.fullName, userName: connection.exactUser.userName, email: connection.exactUser.email },
    region: connection.region,
    divisions: connection.divisions,
    division: connection.division,
    connectedAt: new Date(connection.connectedAt).toISOString(),
    accessTokenIssuedAt: token ? new Date(token.issuedAt).toISOString() : undefined,
    refreshTokenUsedAt: token ? new Date(token.refreshTokenUsedAt).toISOString() : undefined,
    consentNeededBy: token ? new Date(token.refreshTokenUsedAt + refreshTokenLifetimeMs).toISOString() : undefined,
    budget: proxy.budgets(connection),
    recentErrors: connection.recentErrors.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    financialYearStart: connection.financialYearStart,
    financialYearStarts: connection.financialYearStarts,
  });
}
