/**
 * One call to Exact: through the division's budget queue, GETs retried on 5xx and on no answer,
 * writes never once they may have reached Exact. The Exact token is added here.
 */
import axios from 'axios';
import { createAxiosTransport } from '../../src/exact/axiosTransport';
import type { ExactMethod, ExactResponse } from '../../src/exact/transport';
import type { Caller } from '../auth';
import type { CachedResponse } from '../guards';
import { HttpError } from '../http';
import type { Logger } from '../log';
import { BudgetExhaustedError, CallAbortedError } from '../queue';
import { callerGone } from '../singleFlight';
import type { ConnectionRecord } from '../store/types';
import { ConnectionUnavailableError } from '../tokens';
import { answerOf } from './answer';
import { noteError } from './connections';
import type { ProxyContext } from './context';
import { queueFor } from './queues';

export interface ExactCall {
  connection: ConnectionRecord;
  caller: Caller;
  method: ExactMethod;
  endpoint: string;
  exactPath: string;
  division: number | undefined;
  body: unknown;
  forwarded: Record<string, string>;
  logger: Logger;
  /** The error budget's key: tenant, connection, division and endpoint. */
  endpointKey: string;
  signal: AbortSignal;
}

export async function callExact(context: ProxyContext, call: ExactCall): Promise<CachedResponse> {
  const { connection, method, endpoint, logger } = call;
  const response = await sendWithRetries(context, call);
  context.errorBudget.record(call.endpointKey, call.caller.userId, response.status);
  if (response.status >= 400) {
    logger.log('warn', 'exact.error', { endpoint, status: response.status });
    await noteError(context, connection, { where: endpoint, status: response.status, message: `HTTP ${response.status}` }).catch(() => undefined);
  }
  if (method !== 'GET') {
    context.cache.dropTenant(connection.tenantId);
  }
  return answerOf(response, method, endpoint);
}

async function sendWithRetries(context: ProxyContext, call: ExactCall): Promise<ExactResponse> {
  const attempts = call.method === 'GET' ? context.config.getAttempts : 1;
  for (let attempt = 1; ; attempt++) {
    if (call.signal.aborted) {
      throw callerGone();
    }
    let response: ExactResponse;
    try {
      response = await dispatch(context, call);
    } catch (error) {
      await afterNoAnswer(context, { call, error, attempt, attempts });
      continue;
    }
    if (response.status < 500 || attempt >= attempts) {
      return response;
    }
    call.logger.log('warn', 'exact.retry', { endpoint: call.endpoint, attempt, status: response.status });
    await backOff(context, attempt);
  }
}

/** Without a division (`current/Me`) the call is not in Exact's budget and skips the queue. */
async function dispatch(context: ProxyContext, call: ExactCall): Promise<ExactResponse> {
  if (call.division === undefined) {
    return send(context, call);
  }
  return queueFor(context, call.connection, call.division).enqueue({
    callerId: call.caller.userId,
    signal: call.signal,
    run: async () => {
      const result = await send(context, call);
      return { result, headers: result.headers, status: result.status };
    },
  });
}

async function send(context: ProxyContext, call: ExactCall): Promise<ExactResponse> {
  const { connection, body } = call;
  const transport = createAxiosTransport({
    baseUrl: `${connection.exactBaseUrl.replace(/\/+$/, '')}/api/v1/`,
    getAccessToken: () => context.tokens.getAccessToken(connection),
    timeoutMs: context.config.upstreamTimeoutMs,
  });
  const headers: Record<string, string> = { ...call.forwarded };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  return transport.send({ method: call.method, path: call.exactPath, headers, body });
}

interface FailedAttempt {
  call: ExactCall;
  error: unknown;
  attempt: number;
  attempts: number;
}

/** Returns after the back-off when the call may be tried again; throws the caller's error otherwise. */
async function afterNoAnswer(context: ProxyContext, { call, error, attempt, attempts }: FailedAttempt): Promise<void> {
  const known = gatewayError(context, error);
  if (known) {
    throw known;
  }
  const { connection, method, endpoint } = call;
  const sent = reachedExact(error);
  call.logger.log('warn', sent ? 'exact.no-answer' : 'exact.not-sent', { endpoint, attempt, error: error instanceof Error ? error.name : 'unknown' });
  // A call Exact never saw is as safe to repeat as a read, a write included.
  if (attempt < attempts || (!sent && attempt < context.config.getAttempts)) {
    await backOff(context, attempt);
    return;
  }
  await noteError(context, connection, { where: endpoint, status: 0, message: sent ? 'Exact did not answer' : 'Exact could not be reached' }).catch(() => undefined);
  if (!sent) {
    throw new HttpError(502, 'exact-not-sent', `The gateway could not reach Exact for ${method} ${endpoint}; nothing was sent, so it is safe to try again.`);
  }
  throw new HttpError(
    method === 'GET' ? 504 : 502,
    'exact-no-answer',
    method === 'GET' ? `Exact did not answer ${endpoint}.` : `Exact did not answer ${method} ${endpoint}; it may or may not have been applied. Check in Exact before sending it again.`,
  );
}

/** The failures that are no question of Exact answering: the token, the budget, the caller leaving. */
function gatewayError(context: ProxyContext, error: unknown): Error | undefined {
  if (error instanceof ConnectionUnavailableError) {
    return new HttpError(error.status, error.code, error.message);
  }
  if (error instanceof BudgetExhaustedError) {
    return new HttpError(429, 'budget-spent', error.message, { 'retry-after': String(Math.ceil((error.resetAt - context.clock.now()) / 1000)) });
  }
  if (error instanceof CallAbortedError) {
    return callerGone();
  }
  return undefined;
}

/**
 * Whether a failed call may have reached Exact. Anything thrown before axios sent the request
 * (preparing the body) or a refused connection means Exact never saw it.
 */
function reachedExact(error: unknown): boolean {
  return axios.isAxiosError(error) && error.code !== 'ECONNREFUSED';
}

const backOff = (context: ProxyContext, attempt: number): Promise<void> => context.sleeper.sleep(1000 * 2 ** (attempt - 1));
