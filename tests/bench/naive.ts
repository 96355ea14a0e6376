import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

/**
 * What most public Exact-to-SharePoint scripts do by default, for comparison in the bench: the
 * standard `crm/Accounts` endpoint in 60-row pages, and per account one SharePoint lookup by key
 * followed by one add or update, one request after the other, no $batch.
 */

const pageSchema = z.object({
  d: z.object({ results: z.array(z.record(z.unknown())), __next: z.string().optional() }),
});
const itemsSchema = z.object({ value: z.array(z.object({ Id: z.number() }).passthrough()) });
const digestSchema = z.object({ FormDigestValue: z.string() });

const FIELDS = ['ID', 'Name', 'Code', 'ChamberOfCommerce', 'VATNumber', 'Email', 'Phone', 'City', 'Postcode', 'Country'] as const;

function text(value: unknown): string | null {
  return value === null || value === undefined || String(value).trim() === '' ? null : String(value).trim();
}

function itemValues(account: Record<string, unknown>): Record<string, string | null> {
  return {
    Title: text(account.Name),
    ExactId: text(account.ID),
    ExactCode: text(account.Code),
    KvkNumber: text(account.ChamberOfCommerce),
    VatNumber: text(account.VATNumber),
    Email: text(account.Email),
    Phone: text(account.Phone),
    City: text(account.City),
    Postcode: text(account.Postcode),
    Country: text(account.Country),
  };
}

export interface NaiveTarget {
  exactBaseUrl: string;
  token: string;
  division: number;
  siteUrl: string;
  listTitle: string;
}

/** Imports the first `limit` accounts the naive way; returns how many it handled. */
export async function naiveImport(target: NaiveTarget, limit: number): Promise<number> {
  const exact = axios.create({ headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' }, timeout: 60_000 });
  const sp = axios.create({ baseURL: `${target.siteUrl}/_api/`, headers: { accept: 'application/json;odata=nometadata' }, timeout: 60_000 });
  const digest = digestSchema.parse((await sp.post('contextinfo', '')).data).FormDigestValue;
  const items = `web/lists/getbytitle('${target.listTitle.replace(/'/g, "''")}')/items`;
  let url: string | undefined = `${target.exactBaseUrl}${target.division}/crm/Accounts?$select=${FIELDS.join(',')}&$filter=Blocked eq false or Blocked eq true`;
  let handled = 0;
  while (url !== undefined && handled < limit) {
    const page = pageSchema.parse((await exact.get(url)).data);
    for (const account of page.d.results) {
      if (handled >= limit) break;
      await upsert(sp, items, digest, itemValues(account));
      handled++;
    }
    url = page.d.__next;
  }
  return handled;
}

async function upsert(sp: AxiosInstance, items: string, digest: string, values: Record<string, string | null>): Promise<void> {
  const key = (values.ExactId ?? '').replace(/'/g, "''");
  const found = itemsSchema.parse((await sp.get(`${items}?$select=Id&$filter=ExactId eq '${key}'&$top=1`)).data).value[0];
  const headers = { 'content-type': 'application/json;odata=nometadata', 'x-requestdigest': digest };
  if (found === undefined) await sp.post(items, values, { headers });
  else await sp.post(`${items}(${found.Id})`, values, { headers: { ...headers, 'x-http-method': 'MERGE', 'if-match': '*' } });
}
