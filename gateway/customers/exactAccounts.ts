/**
 * The Exact calls of a customer create, made by the gateway itself through the division's queue
 * (exactCall.ts): look for an account of the same name, recover one a lost answer created, check
 * that a remembered account still exists, and the POST.
 */
import { z } from 'zod';
import { entityDefinition } from '../../src/exact/catalog';
import { buildQueryString, filterFor, type ODataQuery } from '../../src/exact/query';
import { toRelativePath } from '../../src/exact/transport';
import type { Caller } from '../auth';
import type { CachedResponse } from '../guards';
import { HttpError } from '../http';
import type { Logger } from '../log';
import type { ProxyContext } from '../proxy/context';
import { callExact } from '../proxy/exactCall';
import type { ConnectionRecord, CustomerCreateRecord } from '../store/types';
import { normalisedName, searchWord } from './names';
import type { CustomerDraft } from './request';

/** Who asks, where: every call of one create shares it. */
export interface CreateScope {
  context: ProxyContext;
  connection: ConnectionRecord;
  caller: Caller;
  division: number;
  logger: Logger;
  signal: AbortSignal;
}

const accountRow = z
  .object({
    ID: z.string(),
    Code: z.string().nullish(),
    Name: z.string().nullish(),
    City: z.string().nullish(),
    Postcode: z.string().nullish(),
    Country: z.string().nullish(),
    Remarks: z.string().nullish(),
  })
  .passthrough();
export type AccountRow = z.infer<typeof accountRow>;

const page = z.object({ d: z.union([z.object({ results: z.array(accountRow), __next: z.string().optional() }), z.array(accountRow)]) });
const created = z.object({ d: z.object({ ID: z.string(), Code: z.string().nullish(), Name: z.string().nullish() }) });

const where = filterFor(entityDefinition('Account'));
const json = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;
/** What the gateway writes into a new account's Remarks: how a recovery recognises it. */
export const remarksMarker = (company: string): string => `Created from the CRM (${company})`;

function send(scope: CreateScope, { method, exactPath, body }: { method: 'GET' | 'POST'; exactPath: string; body?: unknown }): Promise<CachedResponse> {
  const { context, connection, caller, division, logger, signal } = scope;
  // Exact leaves a created record almost all null without return=representation.
  const forwarded: Record<string, string> = { Accept: 'application/json', ...(method === 'POST' ? { Prefer: 'return=representation' } : {}) };
  const endpointKey = `${connection.tenantId}/${connection.connectionId}/${division}/crm/Accounts`;
  return callExact(context, { connection, caller, method, endpoint: 'crm/Accounts', exactPath, division, body, forwarded, logger, endpointKey, signal });
}

/** Reads accounts, following `__next` for at most `pages` pages. */
async function readAccounts(scope: CreateScope, query: ODataQuery, pages = 1): Promise<AccountRow[]> {
  const rows: AccountRow[] = [];
  let next: string | undefined = `${scope.division}/crm/Accounts${buildQueryString(query)}`;
  for (let read = 0; next !== undefined && read < pages; read++) {
    const answer = await send(scope, { method: 'GET', exactPath: next });
    if (answer.status !== 200) {
      throw new HttpError(502, 'exact-error', `Exact answered the account lookup before the create with HTTP ${answer.status}; nothing was created.`);
    }
    const parsed = page.safeParse(json(answer.body));
    if (!parsed.success) throw new HttpError(502, 'bad-response', "Exact's account lookup answer is not as expected; nothing was created.");
    const d = parsed.data.d;
    rows.push(...(Array.isArray(d) ? d : d.results));
    next = Array.isArray(d) || !d.__next ? undefined : toRelativePath(d.__next);
  }
  return rows;
}

const select = ['ID', 'Code', 'Name', 'City', 'Postcode', 'Country'];

/** Accounts in the same country whose name is the same once normalised. */
export async function sameNameAccounts(scope: CreateScope, draft: CustomerDraft): Promise<AccountRow[]> {
  const filter = `substringof(${quoted(searchWord(draft.Name))}, Name) eq true and Country eq ${quoted(draft.Country)}`;
  const wanted = normalisedName(draft.Name);
  const rows = await readAccounts(scope, { filter, select }, 3);
  return rows.filter((row) => normalisedName(row.Name ?? '') === wanted && (row.Country ?? '').trim().toUpperCase() === draft.Country);
}

/**
 * The account an earlier attempt created, if its answer was lost: created since shortly before
 * that attempt, with the name it sent, and carrying this company's key in Remarks. `Created` and
 * `Name` are fields Exact filters crm/Accounts on (its mandatory-filter list); the key is checked
 * here, so a look-alike someone else created meanwhile is never taken for it.
 */
export async function recoverCreated(scope: CreateScope, record: CustomerCreateRecord): Promise<AccountRow | undefined> {
  // Ten minutes of slack: Exact's clock and ours are not the same clock.
  const filter = `${where.compare('Created', 'ge', new Date(record.sentAt - 600_000))} and Name eq ${quoted(record.name)}`;
  const rows = await readAccounts(scope, { filter, select: ['ID', 'Code', 'Name', 'Remarks'] }, 3);
  return rows.find((row) => (row.Remarks ?? '').includes(remarksMarker(record.company)));
}

/** The remembered account, or undefined when it was deleted in Exact since. */
export async function stillThere(scope: CreateScope, accountId: string): Promise<AccountRow | undefined> {
  const [row] = await readAccounts(scope, { filter: where.eq('ID', accountId), select: ['ID', 'Code', 'Name'] });
  return row;
}

export interface Posted {
  answer: CachedResponse;
  account?: { id: string; code: string; name: string };
}

export async function postAccount(scope: CreateScope, body: Record<string, unknown>): Promise<Posted> {
  const answer = await send(scope, { method: 'POST', exactPath: `${scope.division}/crm/Accounts`, body });
  if (answer.status < 200 || answer.status > 299) return { answer };
  const parsed = created.safeParse(json(answer.body));
  if (!parsed.success) return { answer };
  const { ID, Code, Name } = parsed.data.d;
  return { answer, account: { id: ID.toLowerCase(), code: (Code ?? '').trim(), name: Name ?? String(body.Name) } };
}
