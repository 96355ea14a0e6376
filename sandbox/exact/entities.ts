/**
 * What the emulator serves: each entity's fields (Exact's names and Edm types) and each endpoint's
 * rules (page size, mandatory `$select`/`$filter`, methods). One table, read by the router.
 */
import { salesInvoiceSyncLineFields } from './invoicingFields';
import { documentEndpoints } from './documents';
import { salesOrderEndpoints } from './salesOrderFields';
import { masterEndpoints } from './masterEndpoints';
import type { Endpoint, Fields } from './endpoint';

/**
 * Fixed-width char columns that Exact pads on the right (`"NL "`, `"NL-BE     "`, `"02 "`), by
 * property name; account `Code` is padded on the left in the data itself.
 */
export const rightPadded: Readonly<Record<string, number>> = {
  Country: 3, Language: 10, SalesVATCode: 3, VATCode: 3, Currency: 3, SalesCurrency: 3, CurrencyCode: 3, UnitCode: 8,
};

const accountFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Name: 'string',
  Status: 'string',
  Type: 'string',
  Blocked: 'boolean',
  IsSales: 'boolean',
  IsSupplier: 'boolean',
  IsReseller: 'boolean',
  // Edm.Byte in Exact's reference: 0/1 (IsAccountant 0..2), never true/false.
  IsAccountant: 'byte',
  IsAgency: 'byte',
  IsCompetitor: 'byte',
  IsMailing: 'byte',
  Email: 'string',
  Phone: 'string',
  Fax: 'string',
  Website: 'string',
  VATNumber: 'string',
  ChamberOfCommerce: 'string',
  AddressLine1: 'string',
  AddressLine2: 'string',
  AddressLine3: 'string',
  Postcode: 'string',
  City: 'string',
  State: 'string',
  Country: 'string',
  CountryName: 'string',
  Language: 'string',
  PaymentConditionSales: 'string',
  PaymentConditionSalesDescription: 'string',
  SalesCurrency: 'string',
  SalesVATCode: 'string',
  CreditLineSales: 'double',
  DiscountSales: 'double',
  MainContact: 'guid',
  AccountManagerFullName: 'string',
  Classification1: 'guid',
  Remarks: 'string',
  StartDate: 'datetime',
  Created: 'datetime',
  Modified: 'datetime',
  Division: 'int',
  // Served as null unless the seed fills them, so every catalog field can be selected and filtered.
  PhoneExtension: 'string',
  StateName: 'string',
  Parent: 'guid',
  InvoiceAccount: 'guid',
  InvoiceAccountCode: 'string',
  InvoiceAccountName: 'string',
  AccountManager: 'guid',
  EndDate: 'datetime',
};

const contactFields: Fields = {
  ID: 'guid',
  Account: 'guid',
  AccountName: 'string',
  AccountIsCustomer: 'boolean',
  AccountIsSupplier: 'boolean',
  AccountMainContact: 'guid',
  IsMainContact: 'boolean',
  FirstName: 'string',
  MiddleName: 'string',
  LastName: 'string',
  FullName: 'string',
  Initials: 'string',
  Title: 'string',
  Gender: 'string',
  JobTitleDescription: 'string',
  Email: 'string',
  Phone: 'string',
  Mobile: 'string',
  Language: 'string',
  City: 'string',
  Country: 'string',
  Created: 'datetime',
  Modified: 'datetime',
  Division: 'int',
  // Served as null unless the seed fills them, so every catalog field can be selected and filtered.
  HID: 'int64',
  PhoneExtension: 'string',
  AddressStreet: 'string',
  AddressStreetNumber: 'string',
  AddressLine2: 'string',
  Postcode: 'string',
  StartDate: 'datetime',
  EndDate: 'datetime',
};

const salesInvoiceFields: Fields = {
  InvoiceID: 'guid',
  InvoiceNumber: 'int',
  InvoiceTo: 'guid',
  InvoiceToName: 'string',
  OrderedBy: 'guid',
  OrderedByName: 'string',
  InvoiceDate: 'datetime',
  OrderDate: 'datetime',
  DueDate: 'datetime',
  Currency: 'string',
  AmountDC: 'double',
  AmountFC: 'double',
  AmountFCExclVat: 'double',
  AmountDiscount: 'double',
  VATAmountDC: 'double',
  VATAmountFC: 'double',
  Status: 'int',
  StatusDescription: 'string',
  Type: 'int',
  TypeDescription: 'string',
  Journal: 'string',
  Description: 'string',
  YourRef: 'string',
  PaymentCondition: 'string',
  PaymentReference: 'string',
  Created: 'datetime',
  Modified: 'datetime',
  Division: 'int',
  // Served as null unless the seed fills them, so every catalog field can be selected and filtered.
  DeliverTo: 'guid',
  Remarks: 'string',
  PaymentConditionDescription: 'string',
  OrderNumber: 'int',
};

const salesInvoiceLineFields: Fields = {
  ID: 'guid',
  InvoiceID: 'guid',
  LineNumber: 'int',
  Item: 'guid',
  ItemCode: 'string',
  ItemDescription: 'string',
  Description: 'string',
  Quantity: 'double',
  UnitPrice: 'double',
  NetPrice: 'double',
  Discount: 'double',
  UnitCode: 'string',
  AmountFC: 'double',
  AmountDC: 'double',
  VATCode: 'string',
  VATPercentage: 'double',
  VATAmountFC: 'double',
  VATAmountDC: 'double',
  GLAccount: 'guid',
  Division: 'int',
  // Served as null unless the seed fills them, so every catalog field can be selected and filtered.
  CostCenter: 'string',
  CostUnit: 'string',
  DeliveryDate: 'datetime',
};

const receivableFields: Fields = {
  ID: 'guid',
  Account: 'guid',
  AccountCode: 'string',
  AccountName: 'string',
  AmountDC: 'double',
  AmountFC: 'double',
  Currency: 'string',
  Description: 'string',
  DueDate: 'datetime',
  EntryDate: 'datetime',
  EntryNumber: 'int',
  InvoiceDate: 'datetime',
  InvoiceNumber: 'int',
  IsFullyPaid: 'boolean',
  LastPaymentDate: 'datetime',
  PaymentMethod: 'string',
  Status: 'int',
  YourRef: 'string',
  TransactionEntryID: 'guid',
  Division: 'int',
  // Served as null unless the seed fills them, so every catalog field can be selected and filtered.
  TransactionID: 'guid',
  // Filled for the receivables of invoiced orders (invoicing.ts): a status refresh reads what changed since.
  EntryID: 'guid',
  TransactionAmountDC: 'double',
  EndDate: 'datetime',
  Created: 'datetime',
  Modified: 'datetime',
};

const receivablesListFields: Fields = {
  HID: 'int64',
  AccountId: 'guid',
  AccountCode: 'string',
  AccountName: 'string',
  Amount: 'double',
  AmountInTransit: 'double',
  CurrencyCode: 'string',
  Description: 'string',
  DueDate: 'datetime',
  EntryNumber: 'int',
  Id: 'guid',
  InvoiceDate: 'datetime',
  InvoiceNumber: 'int',
  JournalCode: 'string',
  JournalDescription: 'string',
  YourRef: 'string',
};

const agingFields: Fields = {
  AccountId: 'guid',
  AccountCode: 'string',
  AccountName: 'string',
  CurrencyCode: 'string',
  TotalAmount: 'double',
  AgeGroup1: 'int',
  AgeGroup1Amount: 'double',
  AgeGroup1Description: 'string',
  AgeGroup2: 'int',
  AgeGroup2Amount: 'double',
  AgeGroup2Description: 'string',
  AgeGroup3: 'int',
  AgeGroup3Amount: 'double',
  AgeGroup3Description: 'string',
  AgeGroup4: 'int',
  AgeGroup4Amount: 'double',
  AgeGroup4Description: 'string',
};

const deletedFields: Fields = {
  Timestamp: 'int64',
  ID: 'guid',
  Division: 'int',
  EntityKey: 'guid',
  EntityType: 'int',
  DeletedBy: 'guid',
  DeletedDate: 'datetime',
};

const divisionFields: Fields = {
  Code: 'int',
  Description: 'string',
  Hid: 'int64',
  Current: 'boolean',
  Status: 'int',
  Country: 'string',
  Currency: 'string',
  Customer: 'guid',
  CustomerCode: 'string',
  CustomerName: 'string',
  VATNumber: 'string',
  ChamberOfCommerceNumber: 'string',
  IsMainDivision: 'boolean',
  BlockingStatus: 'int',
  StartDate: 'datetime',
  ArchiveDate: 'datetime',
};

/** hrm/Divisions: one licence's divisions, `HID` in upper case and `Main` instead of `IsMainDivision`. */
const hrmDivisionFields: Fields = {
  Code: 'int',
  Description: 'string',
  HID: 'int64',
  Main: 'boolean',
  Status: 'int',
  Country: 'string',
  Currency: 'string',
  Customer: 'guid',
  CustomerCode: 'string',
  CustomerName: 'string',
  VATNumber: 'string',
  StartDate: 'datetime',
  ArchiveDate: 'datetime',
};

const webhookSubscriptionFields: Fields = {
  ID: 'guid',
  CallbackURL: 'string',
  Topic: 'string',
  Description: 'string',
  ClientID: 'guid',
  UserID: 'guid',
  Division: 'int',
  Created: 'datetime',
  Creator: 'guid',
  CreatorFullName: 'string',
};

const withTimestamp = (fields: Fields): Fields => ({ ...fields, Timestamp: 'int64' });

const accountFilterFields = [
  'Accountant', 'AccountManager', 'Blocked', 'ChamberOfCommerce', 'City', 'Classification1', 'Code', 'Country',
  'Created', 'Email', 'ID', 'IsSales', 'IsSupplier', 'Modified', 'Name', 'Parent', 'Phone', 'Postcode', 'Status', 'VATNumber',
];

export const endpoints: Endpoint[] = [
  { path: 'crm/Accounts', dataset: 'accounts', model: 'Account', key: 'ID', fields: accountFields, pageSize: 60, methods: ['GET', 'POST', 'PUT', 'DELETE'], mandatoryFilter: accountFilterFields, navigation: ['BankAccounts'] },
  { path: 'crm/Contacts', dataset: 'contacts', model: 'Contact', key: 'ID', fields: contactFields, pageSize: 60, methods: ['GET', 'POST', 'PUT', 'DELETE'] },
  { path: 'salesinvoice/SalesInvoices', dataset: 'salesInvoices', model: 'SalesInvoice', key: 'InvoiceID', fields: salesInvoiceFields, pageSize: 60, methods: ['GET', 'POST'], navigation: ['SalesInvoiceLines'] },
  { path: 'salesinvoice/SalesInvoiceLines', dataset: 'salesInvoiceLines', model: 'SalesInvoiceLine', key: 'ID', fields: salesInvoiceLineFields, pageSize: 60, methods: ['GET'] },
  { path: 'cashflow/Receivables', dataset: 'receivables', model: 'Receivable', key: 'ID', fields: receivableFields, pageSize: 60, methods: ['GET'] },
  { path: 'read/financial/ReceivablesList', dataset: 'receivablesList', model: 'ReceivablesList', key: 'HID', fields: receivablesListFields, pageSize: 60, methods: ['GET'] },
  { path: 'read/financial/AgingReceivablesList', dataset: 'aging', model: 'AgingReceivablesList', key: 'AccountId', fields: agingFields, pageSize: 60, methods: ['GET'] },
  { path: 'read/financial/ReceivablesListByAccount', dataset: 'receivablesList', model: 'ReceivablesList', key: 'HID', fields: receivablesListFields, pageSize: 60, methods: ['GET'], parameters: ['accountId'] },
  { path: 'read/financial/ReceivablesListByAgeGroup', dataset: 'receivablesList', model: 'ReceivablesList', key: 'HID', fields: receivablesListFields, pageSize: 60, methods: ['GET'], parameters: ['ageGroup'] },
  { path: 'read/financial/ReceivablesListByAccountAndAgeGroup', dataset: 'receivablesList', model: 'ReceivablesList', key: 'HID', fields: receivablesListFields, pageSize: 60, methods: ['GET'], parameters: ['accountId', 'ageGroup'] },
  { path: 'read/financial/AgingReceivablesListByAgeGroup', dataset: 'aging', model: 'AgingReceivablesList', key: 'AccountId', fields: agingFields, pageSize: 60, methods: ['GET'], parameters: ['ageGroup'] },
  { path: 'bulk/CRM/Accounts', dataset: 'accounts', model: 'BulkCRMAccount', key: 'ID', fields: accountFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'bulk/CRM/Contacts', dataset: 'contacts', model: 'BulkCRMContact', key: 'ID', fields: contactFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'bulk/Cashflow/Receivables', dataset: 'receivables', model: 'BulkCashflowReceivable', key: 'ID', fields: receivableFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'bulk/SalesInvoice/SalesInvoices', dataset: 'salesInvoices', model: 'BulkSalesInvoiceSalesInvoice', key: 'InvoiceID', fields: salesInvoiceFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'bulk/SalesInvoice/SalesInvoiceLines', dataset: 'salesInvoiceLines', model: 'BulkSalesInvoiceSalesInvoiceLine', key: 'ID', fields: salesInvoiceLineFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'sync/CRM/Accounts', dataset: 'accounts', model: 'SyncCRMAccount', key: 'Timestamp', fields: withTimestamp(accountFields), pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'sync/CRM/Contacts', dataset: 'contacts', model: 'SyncCRMContact', key: 'Timestamp', fields: withTimestamp(contactFields), pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'sync/SalesInvoice/SalesInvoices', dataset: 'salesInvoices', model: 'SyncSalesInvoiceSalesInvoice', key: 'Timestamp', fields: { ...withTimestamp(salesInvoiceFields), ...salesInvoiceSyncLineFields }, pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'sync/Deleted', dataset: 'deleted', model: 'SyncDeleted', key: 'Timestamp', fields: deletedFields, pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'system/Divisions', dataset: 'divisions', model: 'System.Division', key: 'Code', fields: divisionFields, pageSize: 60, methods: ['GET'] },
  // One licence in the sandbox, so AllDivisions and hrm/Divisions list the same divisions as system/Divisions.
  { path: 'system/AllDivisions', dataset: 'divisions', model: 'System.AllDivision', key: 'Code', fields: divisionFields, pageSize: 60, methods: ['GET'] },
  { path: 'webhooks/WebhookSubscriptions', dataset: 'webhooks', model: 'Webhooks.WebhookSubscription', key: 'ID', fields: webhookSubscriptionFields, pageSize: 60, methods: ['GET', 'POST', 'DELETE'] },
  { path: 'hrm/Divisions', dataset: 'hrmDivisions', model: 'HRM.Division', key: 'Code', fields: hrmDivisionFields, pageSize: 60, methods: ['GET'] },
  ...documentEndpoints,
  ...salesOrderEndpoints,
  ...masterEndpoints,
];

/** Exact matches entity paths without regard to case. */
export function findEndpoint(path: string): Endpoint | undefined {
  const lower = path.toLowerCase();
  return endpoints.find((e) => e.path.toLowerCase() === lower);
}
