/** Who created which Exact account goes in the log (financePolicy.ts decides who may). */
import { createdAccountId, type AccountCreateAudit } from '../financePolicy';
import type { CachedResponse } from '../guards';
import type { Logger } from '../log';

export function logAccountCreated(logger: Logger, audit: AccountCreateAudit, answer: CachedResponse): void {
  logger.log('info', 'exact.account-created', { ...audit, status: answer.status, id: createdAccountIdOf(answer) });
}

/** The new account's ID from Exact's answer. */
function createdAccountIdOf(answer: CachedResponse): string | undefined {
  try {
    return createdAccountId({ status: answer.status, headers: answer.headers, data: JSON.parse(answer.body) as unknown });
  } catch {
    return undefined;
  }
}
