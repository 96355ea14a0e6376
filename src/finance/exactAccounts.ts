import { defaultProfiles } from '../sync/profile/defaults';
import { Matcher, type MatchSignal } from '../sync/plan/matching';
import type { FieldValue } from '../sync/ports';
import { ExactApiError } from '../exact/errors';
import type { ExactClient } from '../exact/client';
import { or } from '../exact/query';
import { customerCreateHeaders, duplicateCandidatesOf } from '../exact/gatewayTransport';
import type { AccountDraft } from './accountDraft';
import type { Company, CompanyService } from './company';

export interface AccountSuggestion {
  id: string;
  code: string;
  name: string;
  city?: string;
  postcode?: string;
  kvk?: string;
  vat?: string;
  signal: MatchSignal;
  confidence: number;
}

export type CreateResult =
  | { kind: 'created'; company: Company; account: AccountSuggestion | { id: string; code: string; name: string }; confirmedAfterTimeout: boolean }
  | { kind: 'duplicates'; matches: AccountSuggestion[] };

export type LookAlike = Pick<Company, 'name' | 'kvk' | 'vat' | 'postcode' | 'email' | 'exactCode'>;

const suggestionFields = ['ID', 'Code', 'Name', 'City', 'Postcode', 'ChamberOfCommerce', 'VATNumber', 'Email'] as const;

export const str = (value: FieldValue | undefined): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** An Exact answer that did not arrive: the write may or may not have happened. */
function uncertain(error: unknown): boolean {
  if (error instanceof ExactApiError) return error.status === 0 || error.status === 502 || error.status === 504;
  return error instanceof Error && /timeout|network/i.test(error.message);
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/**
 * Finding, linking and creating a company's Exact account, always in one division: accounts,
 * their IDs and their codes are per division, and a link is (division, Exact ID).
 */
export function exactAccounts(deps: { client: ExactClient; companies: CompanyService; crmSite?: string }) {
  const { client, companies } = deps;

  async function suggestions({ company, division }: { company: LookAlike; division: number }): Promise<AccountSuggestion[]> {
    const accounts = client.accounts(division);
    const parts = [
      company.kvk ? accounts.where('ChamberOfCommerce', company.kvk) : undefined,
      company.vat ? accounts.where('VATNumber', company.vat.replace(/\s/g, '').toUpperCase()) : undefined,
      company.name ? accounts.where('Name', company.name) : undefined,
    ].filter((p): p is string => !!p);
    if (!parts.length) return [];
    const found = await collect(accounts.pages({ filter: or(...parts), select: suggestionFields, top: 20 }));
    const rules = defaultProfiles(division)[0]!.matching;
    const crmItem = { id: 1, values: { Title: company.name, KvkNumber: company.kvk ?? null, VatNumber: company.vat ?? null, Postcode: company.postcode ?? null, Email: company.email ?? null, ExactCode: company.exactCode ?? null } };
    // The match cascade, run from the other side: one CRM company against each Exact account.
    const matcher = new Matcher(rules, [crmItem], 0);
    const result: AccountSuggestion[] = [];
    for (const account of found) {
      const match = matcher.match(account as Record<string, FieldValue>, new Set());
      if (match.kind === 'none') continue;
      const candidate = match.kind === 'certain' ? match.candidate : match.candidates[0]!;
      result.push({
        id: String(account.ID).toLowerCase(),
        code: (str(account.Code) ?? '').trim(),
        name: str(account.Name) ?? '',
        city: str(account.City),
        postcode: str(account.Postcode),
        kvk: str(account.ChamberOfCommerce),
        vat: str(account.VATNumber),
        signal: candidate.signal,
        confidence: candidate.confidence,
      });
    }
    return result.sort((a, b) => b.confidence - a.confidence);
  }

  async function link({ company, account, division }: { company: Company; account: { id: string; code?: string }; division: number }): Promise<Company> {
    await companies.link(company.id, { ...account, division });
    return { ...company, exactId: account.id.toLowerCase(), exactCode: account.code?.trim(), division };
  }

  async function create({ company, draft, seen, division }: { company: Company; draft: AccountDraft; seen: readonly string[]; division: number }): Promise<CreateResult> {
    if (company.exactId) {
      throw new Error(`${company.name} is already linked to Exact (account ${company.exactCode ?? company.exactId}); a company is created in Exact once.`);
    }
    const lookFor = { name: draft.name, kvk: draft.kvk, vat: draft.vat, postcode: draft.postcode, email: draft.email };
    const fresh = (await suggestions({ company: lookFor, division })).filter((match) => !seen.includes(match.id));
    if (fresh.length) return { kind: 'duplicates', matches: fresh };
    let created: { id: string; code: string; name: string };
    // The gateway creates once per key: a repeat replays the first create or finds what a lost answer made.
    const headers = customerCreateHeaders({ site: deps.crmSite ?? '', itemId: company.id, exactId: company.exactId, declined: seen });
    try {
      const account = await client.accounts(division).create({
        Name: draft.name,
        // Status C makes it a customer; Exact derives IsSales itself (read-only there).
        Status: 'C',
        Country: draft.country,
        ChamberOfCommerce: draft.kvk ?? null,
        VATNumber: draft.vat ?? null,
        AddressLine1: draft.addressLine1 ?? null,
        Postcode: draft.postcode ?? null,
        City: draft.city ?? null,
        Email: draft.email ?? null,
        Phone: draft.phone ?? null,
        Website: draft.website ?? null,
      }, { headers });
      created = { id: String(account.ID).toLowerCase(), code: (str(account.Code) ?? '').trim(), name: str(account.Name) ?? draft.name };
    } catch (error) {
      const candidates = duplicateCandidatesOf(error);
      if (candidates) return { kind: 'duplicates', matches: candidates.map((c) => ({ ...c, signal: 'nameAndPostcode', confidence: 0.5 })) };
      if (!uncertain(error)) throw error;
      // The POST may have gone through: look once more before anyone presses the button again.
      const after = (await suggestions({ company: lookFor, division })).filter((match) => !seen.includes(match.id));
      if (after.length !== 1) throw error;
      return { kind: 'created', company: await link({ company, account: after[0]!, division }), account: after[0]!, confirmedAfterTimeout: true };
    }
    return { kind: 'created', company: await link({ company, account: created, division }), account: created, confirmedAfterTimeout: false };
  }

  return { suggestions, link, create };
}
