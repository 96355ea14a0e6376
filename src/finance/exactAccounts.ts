import { defaultProfiles } from '../sync/profile/defaults';
import { Matcher, type MatchSignal } from '../sync/plan/matching';
import type { FieldValue } from '../sync/ports';
import { mapRecord } from '../sync/plan/mapping';
import { transformSources } from '../sync/profile/profile';
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

/**
 * The Exact account is already linked to another CRM company: a second link would make two CRM
 * companies of one customer (SharePoint refuses it too, ExactId being unique).
 */
export class AlreadyLinkedError extends Error {
  public readonly name = 'AlreadyLinked';
  public constructor(public readonly account: { id: string; code?: string; name?: string }, public readonly holder: Company) {
    super(`Exact account ${account.code ?? account.id} is already linked to ${holder.name} in the CRM; an Exact account is linked to one company.`);
  }
}

/** SharePoint's refusal of a second item with the same value in a unique column. */
const duplicateValue = (error: unknown): boolean => error instanceof Error && /SPDuplicateValuesFoundException|duplicate value/i.test(error.message);

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

  /** The other company holding this account's link, as an error to show; undefined when there is none. */
  async function heldElsewhere(company: Company, account: { id: string; code?: string; name?: string }): Promise<AlreadyLinkedError | undefined> {
    const holder = await companies.linkedTo(account.id);
    return holder && holder.id !== company.id ? new AlreadyLinkedError(account, holder) : undefined;
  }

  /**
   * What the Companies import would write for this account (the shipped profile's mappings), so
   * the CRM shows the code, VAT number and address now rather than after the next import. Fields
   * the profile keeps CRM edits of are left alone where the CRM has a value.
   */
  async function mappedValues(company: Company, accountId: string, division: number, fromForm: boolean): Promise<Record<string, FieldValue>> {
    const profile = defaultProfiles(division)[0]!;
    const sources = [...new Set(profile.mappings.flatMap((m) => transformSources(m.transform)))];
    const record = await client.accounts(division).get(accountId, { select: sources });
    const { values } = mapRecord(record as Record<string, FieldValue>, profile.mappings, new Map());
    const crm: Record<string, string | undefined> = { Email: company.email, Phone: company.phone, Website: company.website };
    // After a create the person has just corrected these in the form: Exact's copy is theirs.
    if (!fromForm) for (const mapping of profile.mappings) if (mapping.keepCrmEdits && crm[mapping.target]) delete values[mapping.target];
    // A link adds what Exact knows; what Exact leaves empty never clears the CRM's address or
    // website here (the import decides that, under its profile's mode and rules).
    for (const [field, value] of Object.entries(values)) if (value === null || value === '') delete values[field];
    return values;
  }

  async function link({ company, account, division, fromForm = false }: { company: Company; account: { id: string; code?: string; name?: string }; division: number; fromForm?: boolean }): Promise<Company> {
    const refused = await heldElsewhere(company, account);
    if (refused) throw refused;
    // Without Exact's answer the link is still made; the next import writes the rest.
    const values = await mappedValues(company, account.id, division, fromForm).catch((): Record<string, FieldValue> => ({}));
    try {
      await companies.link(company.id, { id: account.id, code: account.code, division, values });
    } catch (error) {
      // Someone linked another company to the account between the check and the write.
      if (duplicateValue(error)) throw (await heldElsewhere(company, account)) ?? error;
      throw error;
    }
    const text = (field: string, fallback?: string): string | undefined => (typeof values[field] === 'string' && values[field] ? String(values[field]) : fallback);
    return {
      ...company,
      name: text('Title', company.name) ?? company.name,
      exactId: account.id.toLowerCase(),
      exactCode: text('ExactCode', account.code?.trim()),
      division,
      kvk: text('KvkNumber', company.kvk),
      vat: text('VatNumber', company.vat),
      email: text('Email', company.email),
      phone: text('Phone', company.phone),
      website: text('Website', company.website),
      addressLine1: text('AddressLine1', company.addressLine1),
      postcode: text('Postcode', company.postcode),
      city: text('City', company.city),
      country: text('Country', company.country),
    };
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
      return { kind: 'created', company: await link({ company, account: after[0]!, division, fromForm: true }), account: after[0]!, confirmedAfterTimeout: true };
    }
    return { kind: 'created', company: await link({ company, account: created, division, fromForm: true }), account: created, confirmedAfterTimeout: false };
  }

  return { suggestions, link, create };
}
