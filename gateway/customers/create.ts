/**
 * "Create in Exact", exactly once per CRM company and division. Creates of one company wait for
 * each other (the store's lease, across instances); what the first did is stored and replayed.
 * Before the POST the gateway stores that it is sending and writes the company's key into the new
 * account's Remarks, so after a lost answer the next attempt finds that account by the key rather
 * than by guessing. A same-name customer in the same country is a duplicate candidate (409) unless
 * the person declined it.
 */
import { randomUUID } from 'node:crypto';
import { audit, refuse, type AuditOutcome } from '../access/authorize';
import { HttpError, jsonResponse } from '../http';
import { toResponse } from '../proxy/answer';
import { readWriteBody } from '../proxy/target';
import type { CustomerCreateKey, CustomerCreateRecord } from '../store/types';
import { postAccount, recoverCreated, remarksMarker, sameNameAccounts, stillThere, type AccountRow, type CreateScope } from './exactAccounts';
import { parseCustomerCreate, type CustomerCreateAsk } from './request';

type Account = NonNullable<CustomerCreateRecord['account']>;

/** How long creates of one company wait for the one in progress before they are told to try again. */
const leaseWaitMs = 120_000;

function note(scope: CreateScope, ask: CustomerCreateAsk, outcome: AuditOutcome, { reason, ...details }: Record<string, unknown> & { reason?: string } = {}): void {
  const { caller, division, logger } = scope;
  audit(logger, { caller, operation: 'create-customer', outcome, division, reason, details: { company: ask.company, customer: ask.draft.Name, ...details } });
}

const accountOf = (row: AccountRow): Account => ({ id: row.ID.toLowerCase(), code: (row.Code ?? '').trim(), name: row.Name ?? '' });

/** The answer a create gets when the account already exists: the shape of Exact's own 201. */
const replay = (account: Account, how: 'replayed' | 'recovered'): Response =>
  jsonResponse(201, { d: { ID: account.id, Code: account.code, Name: account.name } }, { 'x-gateway-create': how });

export async function createCustomer(scope: CreateScope, request: Request): Promise<Response> {
  const { context, caller, division, logger, connection } = scope;
  const parsed = parseCustomerCreate(request.headers, await readWriteBody(request, context.config.maxProxyBodyBytes));
  if (!parsed.ok) refuse({ caller, operation: 'create-customer', division, logger }, parsed.refused);
  const { ask } = parsed;
  if (ask.linkedAccount) {
    note(scope, ask, 'refused', { reason: 'already linked', account: ask.linkedAccount });
    throw new HttpError(409, 'already-linked', `This CRM company is already linked to Exact account ${ask.linkedAccount}; it is not created again. If the link is wrong, remove it in the CRM first.`);
  }
  const key: CustomerCreateKey = { tenantId: connection.tenantId, connectionId: connection.connectionId, division, company: ask.company };
  return oneAtATime(scope, key, () => createOnce(scope, { ask, key }));
}

async function oneAtATime(scope: CreateScope, key: CustomerCreateKey, work: () => Promise<Response>): Promise<Response> {
  const { store, sleeper, clock, config } = scope.context;
  const name = `customer-create:${key.tenantId}/${key.connectionId}/${key.division}/${key.company}`;
  // Per request, not per instance: two creates in one process must exclude each other too.
  const owner = randomUUID();
  // Three Exact calls at most, each may wait for the budget; a lease that lapsed under a live create could let a second one in.
  const ttlMs = 3 * (config.budget.maxWaitMs + config.upstreamTimeoutMs) + 30_000;
  const deadline = clock.now() + leaseWaitMs;
  let lease = await store.acquireLease(name, owner, ttlMs);
  while (!lease) {
    if (clock.now() >= deadline) {
      throw new HttpError(409, 'create-in-progress', 'This company is being created in Exact right now; try again in a minute. It will not be created twice.', { 'retry-after': '30' });
    }
    await sleeper.sleep(250);
    lease = await store.acquireLease(name, owner, ttlMs);
  }
  try {
    return await work();
  } finally {
    await store.releaseLease(lease).catch(() => undefined);
  }
}

interface Attempt {
  ask: CustomerCreateAsk;
  key: CustomerCreateKey;
}

async function createOnce(scope: CreateScope, { ask, key }: Attempt): Promise<Response> {
  const { store } = scope.context;
  const stored = await store.getCustomerCreate(key);
  if (stored?.state === 'created' && stored.account) {
    // Exact not answering the check is no reason to refuse the replay: the account almost surely exists.
    const there = await stillThere(scope, stored.account.id).catch(() => 'not checked' as const);
    if (there) {
      note(scope, ask, 'replayed', { account: stored.account.id });
      return replay(stored.account, 'replayed');
    }
    scope.logger.log('info', 'customer-create.account-gone', { company: ask.company, account: stored.account.id });
  }
  if (stored?.state === 'sending') {
    const found = await recoverCreated(scope, stored);
    if (found) {
      const account = accountOf(found);
      await store.putCustomerCreate({ ...stored, state: 'created', account, updatedAt: scope.context.clock.now() });
      note(scope, ask, 'recovered', { account: account.id });
      return replay(account, 'recovered');
    }
  }
  const lookalikes = (await sameNameAccounts(scope, ask.draft)).filter((row) => !ask.declined.includes(row.ID.toLowerCase()));
  if (lookalikes.length) {
    note(scope, ask, 'duplicate', { candidates: lookalikes.map((row) => row.ID.toLowerCase()) });
    return jsonResponse(409, {
      error: 'duplicate-candidate',
      message: `Exact already has a customer named ${lookalikes[0]!.Name ?? ask.draft.Name} in ${ask.draft.Country}. Link the company to it, or confirm that it is another company.`,
      candidates: lookalikes.map((row) => ({ id: row.ID.toLowerCase(), code: (row.Code ?? '').trim(), name: row.Name ?? '', city: row.City ?? undefined, postcode: row.Postcode ?? undefined, country: (row.Country ?? '').trim() })),
    });
  }
  return send(scope, { ask, key });
}

async function send(scope: CreateScope, { ask, key }: Attempt): Promise<Response> {
  const { store, clock } = scope.context;
  const sending: CustomerCreateRecord = { ...key, state: 'sending', sentAt: clock.now(), name: ask.draft.Name, by: scope.caller.userId, updatedAt: clock.now() };
  try {
    await store.putCustomerCreate(sending);
  } catch {
    throw new HttpError(503, 'store-unavailable', 'The gateway could not note the create before sending it; nothing was sent to Exact, so it is safe to try again.');
  }
  let posted;
  try {
    posted = await postAccount(scope, { ...ask.draft, Remarks: remarksMarker(ask.company) });
  } catch (error) {
    if (error instanceof HttpError && error.code === 'exact-no-answer') {
      note(scope, ask, 'unknown');
      throw new HttpError(502, 'exact-no-answer', `Exact did not answer the create of ${ask.draft.Name}; it may or may not have been applied. Sending the same create again is safe: the gateway finds the account by the company's key.`);
    }
    throw error;
  }
  if (!posted.account) {
    note(scope, ask, 'failed', { status: posted.answer.status });
    return toResponse(posted.answer, {});
  }
  // If this write fails the account still exists, and the `sending` record makes the next attempt find it.
  const account = posted.account;
  await store.putCustomerCreate({ ...sending, state: 'created', account, updatedAt: clock.now() }).catch(() => scope.logger.log('warn', 'customer-create.not-stored', { company: ask.company, account: account.id }));
  note(scope, ask, 'created', { account: posted.account.id });
  return toResponse(posted.answer, { 'x-gateway-create': 'created' });
}
