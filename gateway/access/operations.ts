/**
 * What the connector does with Exact, by intent rather than by HTTP verb. Each operation is one
 * thing a web part or the import engine does (src/exact/client.ts, recordSource.ts, the finance
 * service) and says which app role it needs. A proxied request that is none of them is refused,
 * whoever sends it: the product never updates an account, never writes a contact and never lists
 * a whole ledger for a sales user.
 */
import { isLookup, isScopedToOne, topLevelParts } from './odataFilter';

export type Role = 'user' | 'admin';

export const operations = {
  'read-connection': { role: 'user', words: 'Reading the Exact connection' },
  'change-connection': { role: 'admin', words: 'Changing the Exact connection' },
  'read-exact-user': { role: 'user', words: 'Reading who is connected to Exact' },
  'read-customer': { role: 'user', words: "Reading a customer's account" },
  'find-customer': { role: 'user', words: 'Looking customers up by name, code, KvK or VAT number' },
  'read-customer-finance': { role: 'user', words: "Reading one customer's invoices and open items" },
  'invoice-pdf': { role: 'user', words: 'Downloading an invoice PDF' },
  'create-customer': { role: 'user', words: 'Creating a customer in Exact' },
  'read-import-source': { role: 'admin', words: 'Reading Exact data for an import' },
  'read-divisions': { role: 'admin', words: "Reading the Exact user's divisions" },
  'read-order-data': { role: 'admin', words: 'Reading items, VAT codes, journals, sales orders and concept invoices for an order run' },
  'send-orders': { role: 'admin', words: 'Creating sales orders or concept sales invoices in Exact from an order profile' },
  'undo-orders': { role: 'admin', words: 'Deleting open sales orders or concept invoices an order run created' },
  'validate-globe-file': { role: 'admin', words: 'Checking an Exact Globe XML file against its schema' },
  'manage-schedules': { role: 'admin', words: 'Reading and changing the schedules of import profiles' },
} as const satisfies Record<string, { role: Role; words: string }>;

export type Operation = keyof typeof operations;

/** A proxied request as the classification sees it. */
export interface ExactRequestShape {
  method: string;
  /** e.g. `crm/Accounts`, `current/Me`. */
  endpoint: string;
  /** After the division: the endpoint with its key segment or `/$count`, without the query. */
  rest: string;
  /** The caller's query string (`?$filter=…`), still encoded. */
  search: string;
}

export type Classified = { operation: Operation } | { refused: string };

/** What an import reads: full reads, changes and deletions, and the CRUD endpoints behind them. */
const importSource = new RegExp(
  '^(' +
    [
      'bulk/CRM/(Accounts|Contacts)',
      'bulk/SalesInvoice/(SalesInvoices|SalesInvoiceLines)',
      'bulk/Cashflow/Receivables',
      'sync/CRM/(Accounts|Contacts)',
      'sync/SalesInvoice/SalesInvoices',
      'sync/Deleted',
      'crm/(Accounts|Contacts)',
      'salesinvoice/(SalesInvoices|SalesInvoiceLines)',
      'cashflow/Receivables',
      'read/financial/(ReceivablesList|AgingReceivablesList)',
      // Master data (issue 24): what each source's profile reads, and the CRUD reads behind them.
      '(bulk|sync)/Logistics/Items',
      'sync/Project/Projects',
      'sync/Payroll/Employees',
      'logistics/Items',
      'vat/VATCodes',
      'cashflow/PaymentConditions',
      'hrm/Costcenters',
      'project/Projects',
      'payroll/Employees',
      'general/Currencies',
      'crm/BankAccounts',
    ].join('|') +
    ')$',
);

/** What an order run reads: the division's items and VAT codes in bulk, and its orders by reference. */
const orderData = /^(bulk\/Logistics\/Items|vat\/VATCodes|cashflow\/PaymentConditions|salesorder\/SalesOrders|sync\/SalesOrder\/SalesOrderHeaders|financial\/Journals)$/;

/** Where an order run creates and deletes: sales orders, or concept sales invoices. */
const orderDocuments = /^(salesorder\/SalesOrders|salesinvoice\/SalesInvoices)$/;

/**
 * An order run's lookup of its own concept invoices: only `YourRef eq '…'` or `InvoiceID eq
 * guid'…'` alternatives (one page, src/exact/salesInvoices.ts). Told apart from an import's
 * invoice reads because it must never be answered from the cache: a stale "not there" would
 * create the invoice twice.
 */
function isInvoiceLookup(shape: ExactRequestShape): boolean {
  if (shape.endpoint !== 'salesinvoice/SalesInvoices' || hasKey(shape.rest)) return false;
  const { filter, plain } = queryOptions(shape.search);
  if (filter === undefined || !plain) return false;
  const byId = /^\(?InvoiceID eq guid'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'\)?$/;
  return isLookup(filter, ['YourRef'], 60) || (topLevelParts(filter, 'or') ?? []).every((part) => byId.test(part));
}

/** The panel's reads of one customer's money, by the field that names the customer. */
const customerFinance: Readonly<Record<string, string>> = {
  'cashflow/Receivables': 'Account',
  'read/financial/ReceivablesList': 'AccountId',
  'read/financial/AgingReceivablesList': 'AccountId',
  'salesinvoice/SalesInvoices': 'InvoiceTo',
};

/** What the duplicate check and the suggestions look customers up by (src/services/financeServices.ts). */
const lookupFields = ['Name', 'Code', 'ChamberOfCommerce', 'VATNumber'] as const;

const hasKey = (rest: string): boolean => /\)$/.test(rest);

interface QueryOptions {
  filter: string | undefined;
  /** Each OData option at most once and no `$expand`: a second `$filter` might be the one Exact reads. */
  plain: boolean;
}

function queryOptions(search: string): QueryOptions {
  const params = new URLSearchParams(search);
  const names = [...params.keys()].filter((name) => name !== 'connection');
  const plain = new Set(names).size === names.length && !params.has('$expand');
  return { filter: params.get('$filter') ?? undefined, plain };
}

/** A sales user's read: one customer, or customers looked up by what identifies them. */
function userRead(shape: ExactRequestShape): Operation | undefined {
  const { endpoint, rest } = shape;
  if (endpoint === 'current/Me') return 'read-exact-user';
  const { filter, plain } = queryOptions(shape.search);
  if (!plain || rest.endsWith('/$count')) return undefined;
  if (endpoint === 'crm/Accounts') {
    if (hasKey(rest)) return filter === undefined ? 'read-customer' : undefined;
    return filter !== undefined && isLookup(filter, lookupFields) ? 'find-customer' : undefined;
  }
  const scope = customerFinance[endpoint];
  return scope && !hasKey(rest) && filter !== undefined && isScopedToOne(filter, scope) ? 'read-customer-finance' : undefined;
}

export function classifyExactRequest(shape: ExactRequestShape): Classified {
  const { method, endpoint, rest } = shape;
  if (method === 'GET') {
    const read = userRead(shape) ?? (isInvoiceLookup(shape) ? 'read-order-data' : undefined) ?? (endpoint === 'system/Divisions' ? 'read-divisions' : importSource.test(endpoint) ? 'read-import-source' : orderData.test(endpoint) ? 'read-order-data' : undefined);
    return read ? { operation: read } : { refused: `GET ${endpoint} is not a read the connector makes.` };
  }
  if (method === 'POST' && endpoint === 'crm/Accounts' && !hasKey(rest)) {
    return { operation: 'create-customer' };
  }
  // An order run creates sales orders with their lines, and its undo deletes the open ones it made.
  if (method === 'POST' && orderDocuments.test(endpoint) && !hasKey(rest)) {
    return { operation: 'send-orders' };
  }
  if (method === 'DELETE' && orderDocuments.test(endpoint) && hasKey(rest)) {
    return { operation: 'undo-orders' };
  }
  return { refused: `${method} ${rest} is not something the connector does: it creates customers with the create form's fields and sales orders or concept invoices from an order profile, deletes only open orders and concept invoices an order run created, and never changes anything else in Exact.` };
}
