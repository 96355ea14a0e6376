/**
 * The tenant's Exact connection: `GET /connection` (status, connector users),
 * `PUT /connection/division` `{division}`, `PUT /connection/divisions` `{enabledDivisions}`,
 * `PUT /connection/settings` `{financialYearStart, division?}` (a division's own start; without
 * `division`, the start divisions without their own follow) and `DELETE /connection` (admins).
 */
import { z } from 'zod';
import type { Clock } from '../../src/sync/clock';
import { audit, authorize } from '../access/authorize';
import { enabledDivisions } from '../access/divisions';
import { adminRole, type Caller } from '../auth';
import type { GatewayConfig } from '../config';
import { isMonthDay } from '../../src/finance/financialYearStart';
import { HttpError, jsonResponse, readJson } from '../http';
import type { Proxy } from '../proxy/service';
import { connectionRecordSchema, type ConnectionRecord, type GatewayStore } from '../store/types';
import { refreshTokenLifetimeMs, type TokenService } from '../tokens';
import { keepSettings } from './keptSettings';
import type { Route, RouteRequest } from './route';

export interface ConnectionDeps {
  config: GatewayConfig;
  clock: Clock;
  store: GatewayStore;
  tokens: TokenService;
  proxy: Proxy;
  /** Runs while the tokens still work (background runs remove Exact's webhook subscriptions). */
  beforeDisconnect?: (tenantId: string, connectionId: string) => Promise<void>;
}

const divisionBodySchema = z.object({ division: z.number().int().positive() });
const enabledBodySchema = z.object({ enabledDivisions: z.array(z.number().int().positive()).max(500) }).strict();
// The customer panel counts from this day with the same rule, so a start saved here always works there.
const settingsBodySchema = z
  .object({
    financialYearStart: connectionRecordSchema.shape.financialYearStart.unwrap().refine(isMonthDay, 'that day does not exist in that month'),
    division: divisionBodySchema.shape.division.optional(),
  })
  .strict();

export function createConnectionRoute(deps: ConnectionDeps): Route[] {
  return [
    { method: 'GET', path: '/connection', handle: (r) => readStatus(deps, r) },
    { method: 'DELETE', path: '/connection', handle: (r) => disconnect(deps, r) },
    { method: 'PUT', path: '/connection/division', handle: (r) => changeDivision(deps, r) },
    { method: 'PUT', path: '/connection/divisions', handle: (r) => changeEnabledDivisions(deps, r) },
    { method: 'PUT', path: '/connection/settings', handle: (r) => changeSettings(deps, r) },
  ];
}

async function readStatus(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await r.authenticate();
  authorize({ caller, operation: 'read-connection', logger: r.logger });
  return connectionStatus(deps, { caller, connectionId: r.connectionId() });
}

async function adminCaller(r: RouteRequest): Promise<Caller> {
  const caller = await r.authenticate();
  authorize({ caller, operation: 'change-connection', logger: r.logger });
  return caller;
}

const notOneOf = (connection: ConnectionRecord, codes: number[]): number[] => codes.filter((code) => !connection.divisions.some((d) => d.code === code));

/** Choosing the working division enables it too: the product cannot work in a division it may not use. */
async function changeDivision(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await adminCaller(r);
  const connectionId = r.connectionId();
  const { division } = await readJson(r.request, divisionBodySchema, deps.config.maxSmallBodyBytes);
  const connection = await existingConnection(deps.store, { caller, connectionId });
  if (notOneOf(connection, [division]).length) {
    throw new HttpError(400, 'bad-request', `Field division: ${division} is not one of this connection's divisions (${connection.divisions.map((d) => d.code).join(', ')}).`);
  }
  const enabled = enabledDivisions(connection);
  const changed = { ...connection, division, enabledDivisions: enabled.includes(division) ? enabled : [...enabled, division], updatedAt: deps.clock.now() };
  await deps.store.putConnection(changed);
  audit(r.logger, { caller, operation: 'change-connection', outcome: 'changed', division, reason: 'working division', details: { enabledDivisions: changed.enabledDivisions } });
  return connectionStatus(deps, { caller, connectionId });
}

async function changeEnabledDivisions(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await adminCaller(r);
  const connectionId = r.connectionId();
  const { enabledDivisions: asked } = await readJson(r.request, enabledBodySchema, deps.config.maxSmallBodyBytes);
  const connection = await existingConnection(deps.store, { caller, connectionId });
  const unknown = notOneOf(connection, asked);
  if (unknown.length) {
    throw new HttpError(400, 'bad-request', `Field enabledDivisions: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among this connection's divisions (${connection.divisions.map((d) => d.code).join(', ')}).`);
  }
  if (connection.division !== null && !asked.includes(connection.division)) {
    throw new HttpError(400, 'bad-request', `Field enabledDivisions: the working division ${connection.division} must stay enabled; choose another working division first.`);
  }
  const enabled = [...new Set(asked)].sort((a, b) => a - b);
  await deps.store.putConnection({ ...connection, enabledDivisions: enabled, updatedAt: deps.clock.now() });
  deps.proxy.dropTenant(caller.tenantId);
  audit(r.logger, { caller, operation: 'change-connection', outcome: 'changed', reason: 'enabled divisions', details: { enabledDivisions: enabled } });
  return connectionStatus(deps, { caller, connectionId });
}

async function changeSettings(deps: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await adminCaller(r);
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
  audit(r.logger, { caller, operation: 'change-connection', outcome: 'changed', reason: 'settings', details: { financialYearStart, division } });
  return connectionStatus(deps, { caller, connectionId });
}

async function disconnect({ store, tokens, proxy, clock, beforeDisconnect }: ConnectionDeps, r: RouteRequest): Promise<Response> {
  const caller = await adminCaller(r);
  await beforeDisconnect?.(caller.tenantId, r.connectionId()).catch((error: unknown) =>
    r.logger.log('warn', 'disconnect.before-failed', { reason: error instanceof Error ? error.message : String(error) }),
  );
  const before = await store.getConnection(caller.tenantId, r.connectionId());
  if (before) await keepSettings(store, before, clock.now());
  await store.deleteConnection(caller.tenantId, r.connectionId());
  tokens.forget(caller.tenantId, r.connectionId());
  proxy.dropTenant(caller.tenantId);
  audit(r.logger, { caller, operation: 'change-connection', outcome: 'changed', reason: 'disconnected' });
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
  const enabled = enabledDivisions(connection);
  // Users see only the companies the CRM may use; admins see every division to choose from.
  const shown = caller.roles.includes(adminRole) ? connection : { ...connection, divisions: connection.divisions.filter((d) => enabled.includes(d.code)) };
  return jsonResponse(200, {
    connected: connection.status === 'connected',
    status: connection.status,
    needsConsentReason: connection.needsConsentReason,
    exactUser: { fullName: connection.exactUser.fullName, userName: connection.exactUser.userName, email: connection.exactUser.email },
    region: connection.region,
    divisions: shown.divisions,
    division: connection.division,
    enabledDivisions: enabled,
    connectedAt: new Date(connection.connectedAt).toISOString(),
    accessTokenIssuedAt: token ? new Date(token.issuedAt).toISOString() : undefined,
    refreshTokenUsedAt: token ? new Date(token.refreshTokenUsedAt).toISOString() : undefined,
    consentNeededBy: token ? new Date(token.refreshTokenUsedAt + refreshTokenLifetimeMs).toISOString() : undefined,
    budget: proxy.budgets(shown),
    recentErrors: connection.recentErrors.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    financialYearStart: connection.financialYearStart,
    financialYearStarts: connection.financialYearStarts,
  });
}
