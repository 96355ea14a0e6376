import { subMonths } from 'date-fns/subMonths';
import type { Clock } from '../sync/clock';
import { defaultProfiles } from '../sync/profile/defaults';
import { Matcher, type MatchSignal } from '../sync/plan/matching';
import type { FieldValue } from '../sync/ports';
import { ExactApiError } from '../exact/errors';
import type { ExactClient } from '../exact/client';
import { customerCreateHeaders, duplicateCandidatesOf } from '../exact/gatewayTransport';
import { literal, or } from '../exact/query';
import type { AccountDraft } from './accountDraft';
import type { Company, CompanyService } from './company';
import { customerFinance } from './customerFinance';
import { dayToIso, exactDay, localDay } from './days';
import { financialYearOf, previousFinancialYear } from './financialYear';
import type { CustomerFinance, InvoiceFact, OpenItem } from './types';

/**
 * Both our divisions (NL and BE) keep their books in euro; Exact's `system/Divisions` has the
 * currency, but reading it would be a fourth call per panel for a value that does not change.
 */
export const DIVISION_CURRENCY = 'EUR';
const DEFAULT_FINANCIAL_YEAR_START = '01-01';
/** The invoice list's default reach; open invoices always show, however old. */
export const INVOICE_LIST_MONTHS = 18;

/**
 * What the panel needs of the gateway's connection status (which says more, for the admin page):
 * its own type, so the finance rules do not depend on the gateway's wire format.
 */
export interface FinanceConnection {
  connected: boolean;
  status: 'connected' | 'needs-consent' | 'not-connected';
  division?: number | null;
  /** `MM-DD`, once an admin confirmed it. */
  financialYearStart?: string;
}

export interface FinancePanel {
  company: Company;
  account: { id: string; code: string; name: string; blocked: boolean };
  finance: CustomerFinance & { unconverted: OpenItem[] };
  division: number;
  /** When these numbers were read (the gateway may have served them from its short cache). */
  loadedAt: string;
}

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

export interface FinanceService {
  companies: CompanyService;
  /** Division and financial-year start of the connection, or why there is none. */
  connection(): Promise<FinanceConnection>;
  /** At most three Exact reads: the account, its receivables, its open items. */
  panel(company: Company): Promise<FinancePanel>;
  /** Exact accounts that look like this company (or draft), strongest signal first. */
  suggestions(company: Pick<Company, 'name' | 'kvk' | 'vat' | 'postcode' | 'email' | 'exactCode'>): Promise<AccountSuggestion[]>;
  link(company: Company, account: { id: string; code?: string }): Promise<Company>;
  /**
   * Looks in Exact first and creates only when nothing new matches (`seen` are matches the person
   * already looked at and declined): a retry after a lost answer finds the account the first try
   * made instead of making a second one.
   */
  create(company: Company, draft: AccountDraft, seen: readonly string[]): Promise<CreateResult>;
  /** The invoice PDF, downloaded by the gateway with Exact's token. */
  invoicePdf(entryId: string): Promise<Blob>;
}

export interface FinanceDeps {
  client: ExactClient;
  companies: CompanyService;
  status: () => Promise<FinanceConnection>;
  downloadPdf: (division: number, entryId: string) => Promise<Blob>;
  clock: Clock;
  /** The CRM site's server-relative path: with the item id it names the company to the gateway's exactly-once create. */
  crmSite?: string;
}

const receivableFields = ['InvoiceNumber', 'TransactionEntryID', 'Description', 'InvoiceDate', 'DueDate', 'Currency', 'AmountFC', 'AmountDC', 'IsFullyPaid', 'LastPaymentDate'] as const;
const openFields = ['HID', 'InvoiceNumber', 'Amount', 'CurrencyCode', 'InvoiceDate', 'DueDate', 'Description'] as const;
const suggestionFields = ['ID', 'Code', 'Name', 'City', 'Postcode', 'ChamberOfCommerce', 'VATNumber', 'Email'] as const;

const str = (value: FieldValue | undefined): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const num = (value: FieldValue | undefined): number => (typeof value === 'number' ? value : Number(value ?? 0));

/** An Exact answer that did not arrive: the write may or may not have happened. */
function uncertain(error: unknown): boolean {
  if (error instanceof ExactApiError) return error.status === 0 || error.status === 502 || error.status === 504;
  return error instanceof Error && /timeout|network/i.test(error.message);
}

export function createFinanceService(deps: FinanceDeps): FinanceService {
  const { client, companies } = deps;

  async function division(): Promise<{ division: number; financialYearStart: string }> {
    const status = await deps.status();
    if (!status.connected || !status.division) {
      throw Object.assign(new Error('Exact Online is not connected for your organisation.'), { name: 'NotConnected' });
    }
    return { division: status.division, financialYearStart: status.financialYearStart ?? DEFAULT_FINANCIAL_YEAR_START };
  }

  async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
    const all: T[] = [];
    for await (const page of pages) all.push(...page);
    return all;
  }

  async function suggestions(company: Pick<Company, 'name' | 'kvk' | 'vat' | 'postcode' | 'email' | 'exactCode'>): Promise<AccountSuggestion[]> {
    const { division: code } = await division();
    const accounts = client.accounts(code);
    const parts = [
      company.kvk ? accounts.where('ChamberOfCommerce', company.kvk) : undefined,
      company.vat ? accounts.where('VATNumber', company.vat.replace(/\s/g, '').toUpperCase()) : undefined,
      company.name ? accounts.where('Name', company.name) : undefined,
    ].filter((p): p is string => !!p);
    if (!parts.length) return [];
    const found = await collect(accounts.pages({ filter: or(...parts), select: suggestionFields, top: 20 }));
    const rules = defaultProfiles(code)[0]!.matching;
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

  async function link(company: Company, account: { id: string; code?: string }): Promise<Company> {
    await companies.link(company.id, account);
    return { ...company, exactId: account.id.toLowerCase(), exactCode: account.code?.trim() };
  }

  return {
    companies,
    connection: () => deps.status(),
    async panel(company) {
      if (!company.exactId) throw new Error(`Company ${company.id} (${company.name}) has no Exact ID.`);
      const { division: code, financialYearStart } = await division();
      const now = new Date(deps.clock.now());
      const today = localDay(now);
      const previousYear = previousFinancialYear(financialYearOf(today, financialYearStart), financialYearStart);
      const listSince = exactDay(dayToIso(localDay(subMonths(now, INVOICE_LIST_MONTHS))));
      // A whole day in the filter keeps the URL, and so the gateway's cache key, the same all day.
      const since = dayToIso(Math.min(listSince, previousYear.start));
      const receivables = client.entitySet(code, 'Receivable');
      const openList = client.entitySet(code, 'ReceivablesList');
      const [account, facts, open] = await Promise.all([
        client.accounts(code).get(company.exactId, { select: ['ID', 'Code', 'Name', 'CreditLineSales', 'Blocked'] }),
        collect(receivables.pages({ filter: `${receivables.where('Account', company.exactId)} and (IsFullyPaid eq false or InvoiceDate ge ${literal.datetime(`${since}T00:00:00Z`)})`, select: receivableFields })),
        collect(openList.pages({ filter: openList.where('AccountId', company.exactId), select: openFields })),
      ]);
      const invoiceFacts: InvoiceFact[] = facts.map((row) => ({
        invoiceNumber: num(row.InvoiceNumber),
        entryId: str(row.TransactionEntryID)?.toLowerCase(),
        description: str(row.Description),
        invoiceDate: String(row.InvoiceDate),
        dueDate: String(row.DueDate ?? row.InvoiceDate),
        currency: (str(row.Currency) ?? DIVISION_CURRENCY).trim(),
        amountFC: num(row.AmountFC),
        amountDC: num(row.AmountDC),
        isFullyPaid: row.IsFullyPaid === true,
        lastPaymentDate: str(row.LastPaymentDate),
      }));
      const openItems: OpenItem[] = open.map((row) => ({
        invoiceNumber: num(row.InvoiceNumber),
        amount: num(row.Amount),
        currency: (str(row.CurrencyCode) ?? DIVISION_CURRENCY).trim(),
        invoiceDate: String(row.InvoiceDate),
        dueDate: String(row.DueDate ?? row.InvoiceDate),
        description: str(row.Description),
      }));
      return {
        company,
        account: { id: String(account.ID).toLowerCase(), code: (str(account.Code) ?? '').trim(), name: str(account.Name) ?? company.name, blocked: account.Blocked === true },
        finance: customerFinance({ facts: invoiceFacts, open: openItems, creditLine: typeof account.CreditLineSales === 'number' ? account.CreditLineSales : null, divisionCurrency: DIVISION_CURRENCY, today, financialYearStart, listSince }),
        division: code,
        loadedAt: now.toISOString(),
      };
    },
    suggestions,
    link,
    async create(company, draft, seen) {
      const lookFor = { name: draft.name, kvk: draft.kvk, vat: draft.vat, postcode: draft.postcode, email: draft.email };
      const fresh = (await suggestions(lookFor)).filter((match) => !seen.includes(match.id));
      if (fresh.length) return { kind: 'duplicates', matches: fresh };
      const { division: code } = await division();
      let created: { id: string; code: string; name: string };
      // The gateway creates once per key: a repeat replays the first create or finds what a lost answer made.
      const headers = customerCreateHeaders({ site: deps.crmSite ?? '', itemId: company.id, exactId: company.exactId, declined: seen });
      try {
        const account = await client.accounts(code).create({
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
        const after = (await suggestions(lookFor)).filter((match) => !seen.includes(match.id));
        if (after.length !== 1) throw error;
        return { kind: 'created', company: await link(company, after[0]!), account: after[0]!, confirmedAfterTimeout: true };
      }
      return { kind: 'created', company: await link(company, created), account: created, confirmedAfterTimeout: false };
    },
    async invoicePdf(entryId) {
      const { division: code } = await division();
      return deps.downloadPdf(code, entryId);
    },
  };
}
