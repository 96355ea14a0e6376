import { subMonths } from 'date-fns/subMonths';
import type { Clock } from '../sync/clock';
import type { FieldValue } from '../sync/ports';
import { ExactApiError } from '../exact/errors';
import type { ExactClient } from '../exact/client';
import { literal } from '../exact/query';
import type { AccountDraft } from './accountDraft';
import type { Company, CompanyService } from './company';
import { customerFinance } from './customerFinance';
import { dayToIso, exactDay, localDay } from './days';
import { divisionLabel, divisionOfCompany, divisionsOf, exactDivision, type DivisionSettings, type ExactDivision } from './divisions';
import { sameCustomerElsewhere } from './sameCustomer';
import { collect, exactAccounts, str, type AccountSuggestion, type CreateResult, type LookAlike } from './exactAccounts';
import { financialYearOf, previousFinancialYear } from './financialYear';
import type { FigureNote } from './figureNotes';
import type { CustomerFinance, InvoiceFact, OpenItem } from './types';

export type { AccountSuggestion, CreateResult } from './exactAccounts';
export { AlreadyLinkedError } from './exactAccounts';

/** The invoice list's default reach; open invoices always show, however old. */
export const INVOICE_LIST_MONTHS = 18;

/**
 * What the panel needs of the gateway's connection status (which says more, for the admin page):
 * its own type, so the finance rules do not depend on the gateway's wire format.
 */
export interface FinanceConnection extends DivisionSettings {
  connected: boolean;
  status: 'connected' | 'needs-consent' | 'not-connected';
}

/** A company's link in one division: what one panel shows. */
export interface DivisionLink {
  company: Company;
  division: ExactDivision;
}

/** A customer as the panel opens it: where it is linked, and the divisions it could be linked in. */
export interface CustomerInDivisions {
  company: Company;
  /** The connection's divisions, its default first. */
  divisions: ExactDivision[];
  defaultDivision: ExactDivision;
  /**
   * Where this customer is in Exact: the company's own link first (when it has one), then the same
   * customer (same KvK or VAT number) linked in other divisions, one per division.
   */
  links: DivisionLink[];
}

export interface FinancePanel extends DivisionLink {
  account: { id: string; code: string; name: string; blocked: boolean };
  finance: CustomerFinance & { unconverted: OpenItem[]; notes: FigureNote[] };
  /** When these numbers were read (the gateway may have served them from its short cache). */
  loadedAt: string;
}

export interface FinanceService {
  companies: CompanyService;
  /** Divisions and financial-year starts of the connection, or why there is none. */
  connection(): Promise<FinanceConnection>;
  /** The company's division and the same customer in the others: the gateway and SharePoint, no Exact call. */
  customer(company: Company): Promise<CustomerInDivisions>;
  /** At most three Exact reads in the link's division: the account, its receivables, its open items. */
  panel(link: DivisionLink): Promise<FinancePanel>;
  /** Exact accounts in the division that look like this company (or draft), strongest signal first. */
  suggestions(input: { company: LookAlike; division: number }): Promise<AccountSuggestion[]>;
  /**
   * Writes (division, Exact ID) and the account's mapped values to the CRM item at once; refuses
   * (AlreadyLinkedError) an account another CRM company is linked to.
   */
  link(input: { company: Company; account: { id: string; code?: string; name?: string }; division: number }): Promise<Company>;
  /**
   * Looks in the division first and creates only when nothing new matches (`seen` are matches the
   * person already looked at and declined): a retry after a lost answer finds the account the
   * first try made instead of making a second one. A company already linked is never created.
   */
  create(input: { company: Company; draft: AccountDraft; seen: readonly string[]; division: number }): Promise<CreateResult>;
  /** The invoice PDF, downloaded by the gateway with Exact's token. */
  invoicePdf(input: { entryId: string; division: number }): Promise<Blob>;
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

const num = (value: FieldValue | undefined): number => (typeof value === 'number' ? value : Number(value ?? 0));

const notConnected = (): Error => Object.assign(new Error('Exact Online is not connected for your organisation.'), { name: 'NotConnected' });

export function createFinanceService(deps: FinanceDeps): FinanceService {
  const { client, companies } = deps;
  const accounts = exactAccounts(deps);

  async function connectedStatus(): Promise<FinanceConnection & { division: number }> {
    const status = await deps.status();
    if (!status.connected || !status.division) throw notConnected();
    return { ...status, division: status.division };
  }

  async function customer(company: Company): Promise<CustomerInDivisions> {
    const status = await connectedStatus();
    const divisions = divisionsOf(status);
    const home = company.exactId ? divisionOfCompany(company, status) : undefined;
    // One division has no "elsewhere" for a linked company; an unlinked one still learns where it is linked.
    const lookElsewhere = !company.exactId || divisions.length > 1;
    const candidates = lookElsewhere ? await companies.sameRegistration(company) : [];
    const order = (code: number): number => {
      const index = divisions.findIndex((d) => d.code === code);
      return index < 0 ? divisions.length : index;
    };
    const others = sameCustomerElsewhere({ company, candidates, settings: status, except: home }).sort((a, b) => order(a.division) - order(b.division));
    const links = [...(home !== undefined ? [{ company, division: home }] : []), ...others].map((link) => ({ company: link.company, division: exactDivision(status, link.division) }));
    return { company, divisions, defaultDivision: exactDivision(status, status.division), links };
  }

  async function panel({ company, division }: DivisionLink): Promise<FinancePanel> {
    if (!company.exactId) throw new Error(`Company ${company.id} (${company.name}) has no Exact ID.`);
    if (!division.reachable) {
      throw new Error(`${company.name} is linked in Exact division ${division.code}, which this Exact connection does not reach; an administrator can reconnect with access to it.`);
    }
    const { code, financialYearStart, currency } = division;
    const now = new Date(deps.clock.now());
    const today = localDay(now);
    const previousYear = previousFinancialYear(financialYearOf(today, financialYearStart), financialYearStart);
    const listSince = exactDay(dayToIso(localDay(subMonths(now, INVOICE_LIST_MONTHS))));
    // A whole day in the filter keeps the URL, and so the gateway's cache key, the same all day.
    const since = dayToIso(Math.min(listSince, previousYear.start));
    const receivables = client.entitySet(code, 'Receivable');
    const openList = client.entitySet(code, 'ReceivablesList');
    const [account, facts, open] = await Promise.all([
      client
        .accounts(code)
        .get(company.exactId, { select: ['ID', 'Code', 'Name', 'CreditLineSales', 'Blocked'] })
        .catch((error: unknown) => {
          if (error instanceof ExactApiError && error.status === 404) {
            throw Object.assign(new Error(`${divisionLabel(division)} has no Exact account ${company.exactCode ?? company.exactId} (any more): it may have been deleted or merged in Exact.`), { name: 'AccountNotFound', cause: error });
          }
          throw error;
        }),
      collect(receivables.pages({ filter: `${receivables.where('Account', company.exactId)} and (IsFullyPaid eq false or InvoiceDate ge ${literal.datetime(`${since}T00:00:00Z`)})`, select: receivableFields })),
      collect(openList.pages({ filter: openList.where('AccountId', company.exactId), select: openFields })),
    ]);
    const invoiceFacts: InvoiceFact[] = facts.map((row) => ({
      invoiceNumber: num(row.InvoiceNumber),
      entryId: str(row.TransactionEntryID)?.toLowerCase(),
      description: str(row.Description),
      invoiceDate: String(row.InvoiceDate),
      dueDate: String(row.DueDate ?? row.InvoiceDate),
      currency: (str(row.Currency) ?? currency).trim(),
      amountFC: num(row.AmountFC),
      amountDC: num(row.AmountDC),
      isFullyPaid: row.IsFullyPaid === true,
      lastPaymentDate: str(row.LastPaymentDate),
    }));
    const openItems: OpenItem[] = open.map((row) => ({
      invoiceNumber: num(row.InvoiceNumber),
      amount: num(row.Amount),
      currency: (str(row.CurrencyCode) ?? currency).trim(),
      invoiceDate: String(row.InvoiceDate),
      dueDate: String(row.DueDate ?? row.InvoiceDate),
      description: str(row.Description),
    }));
    return {
      company,
      division,
      account: { id: String(account.ID).toLowerCase(), code: (str(account.Code) ?? '').trim(), name: str(account.Name) ?? company.name, blocked: account.Blocked === true },
      finance: customerFinance({ facts: invoiceFacts, open: openItems, creditLine: typeof account.CreditLineSales === 'number' ? account.CreditLineSales : null, divisionCurrency: currency, today, financialYearStart, listSince }),
      loadedAt: now.toISOString(),
    };
  }

  /** Every write names a division the connection reaches: a typo must not create an account elsewhere. */
  async function reachable(division: number): Promise<void> {
    const status = await connectedStatus();
    if (!exactDivision(status, division).reachable) throw new Error(`Division ${division} is not one of this Exact connection's divisions.`);
  }

  return {
    companies,
    connection: () => deps.status(),
    customer,
    panel,
    suggestions: accounts.suggestions,
    async link(input) {
      await reachable(input.division);
      return accounts.link(input);
    },
    async create(input) {
      await reachable(input.division);
      return accounts.create(input);
    },
    invoicePdf: ({ entryId, division }) => deps.downloadPdf(division, entryId),
  };
}
