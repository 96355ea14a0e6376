/**
 * Master data the emulator serves: items, VAT codes, payment conditions, cost centres, projects,
 * employees, currencies and bank accounts. Field names and Edm types follow Exact's REST reference
 * as picqer's and Pi-Systems' generated models carry it, and real recorded responses (a
 * `logistics/Items` GET by key and a `vat/VATCodes` list kept by NangoHQ/integration-templates).
 * Which resources have `sync/` and `bulk/` twins follows the same models: Items (both), Projects
 * and Employees (sync only); VAT codes, payment conditions, cost centres, currencies and
 * `crm/BankAccounts` have neither and no `sync/Deleted` entity type, so a reader finds their
 * deletions by comparing a full read.
 */
import type { Endpoint, Fields } from './endpoint';

const audit: Fields = {
  Created: 'datetime',
  Creator: 'guid',
  CreatorFullName: 'string',
  Modified: 'datetime',
  Modifier: 'guid',
  ModifierFullName: 'string',
  Division: 'int',
};

/** `Code` is padded in the data itself (VAT codes to 3, like the recording's `"AB "`), as account codes are. */
export const itemFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  ExtraDescription: 'string',
  SearchCode: 'string',
  Barcode: 'string',
  IsSalesItem: 'boolean',
  IsPurchaseItem: 'boolean',
  IsStockItem: 'boolean',
  IsSerialItem: 'boolean',
  IsFractionAllowedItem: 'boolean',
  IsPackageItem: 'boolean',
  IsSubcontractedItem: 'boolean',
  // Edm.Byte in the reference and 0 in the recording, never true/false.
  IsTime: 'byte',
  IsWebshopItem: 'byte',
  IsMakeItem: 'byte',
  IsBatchItem: 'byte',
  CopyRemarks: 'byte',
  ItemGroup: 'guid',
  ItemGroupCode: 'string',
  ItemGroupDescription: 'string',
  SalesVatCode: 'string',
  SalesVatCodeDescription: 'string',
  // Fixed width 8 in the recording ("pc      "): padded in the data.
  Unit: 'string',
  UnitDescription: 'string',
  UnitType: 'string',
  StandardSalesPrice: 'double',
  CostPriceStandard: 'double',
  CostPriceCurrency: 'string',
  AverageCost: 'double',
  Stock: 'double',
  NetWeight: 'double',
  GLRevenue: 'guid',
  GLRevenueCode: 'string',
  GLRevenueDescription: 'string',
  SecurityLevel: 'int',
  StartDate: 'datetime',
  EndDate: 'datetime',
  Notes: 'string',
  ...audit,
};

export const vatCodeFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  Percentage: 'double',
  Type: 'string',
  VATTransactionType: 'string',
  Charged: 'boolean',
  IsBlocked: 'boolean',
  IntraStat: 'boolean',
  EUSalesListing: 'string',
  CalculationBasis: 'byte',
  VatMargin: 'byte',
  LegalText: 'string',
  Account: 'guid',
  AccountCode: 'string',
  AccountName: 'string',
  GLToPay: 'guid',
  GLToPayCode: 'string',
  GLToPayDescription: 'string',
  GLToClaim: 'guid',
  GLToClaimCode: 'string',
  GLToClaimDescription: 'string',
  ...audit,
};

export const paymentConditionFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  PaymentDays: 'int',
  PaymentEndOfMonths: 'int',
  PaymentMethod: 'string',
  DiscountPercentage: 'double',
  DiscountPaymentDays: 'int',
  PaymentDiscountType: 'string',
  ...audit,
};

export const costCenterFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  // Obsolete in the reference; EndDate says whether a cost centre is still in use.
  Active: 'boolean',
  EndDate: 'datetime',
  ...audit,
};

export const projectFields: Fields = {
  ID: 'guid',
  Code: 'string',
  Description: 'string',
  Account: 'guid',
  AccountCode: 'string',
  AccountName: 'string',
  Type: 'int',
  TypeDescription: 'string',
  StartDate: 'datetime',
  EndDate: 'datetime',
  Manager: 'guid',
  // Spelled with a lower-case n in Exact's reference.
  ManagerFullname: 'string',
  BudgetedAmount: 'double',
  BudgetedCosts: 'double',
  BudgetedRevenue: 'double',
  SalesTimeQuantity: 'double',
  BlockEntry: 'boolean',
  CustomerPOnumber: 'string',
  Notes: 'string',
  ...audit,
};

/**
 * Personal fields of payroll/Employees that Exact shows only to users with HR rights. The
 * emulator's demo user has none by default (knob `hrRights`): the fields are left out of the
 * record, even when `$select`ed, and readers say "not allowed to read" instead of failing.
 * Exact's exact behaviour here is not in the stored sources (unverified): this is one faithful
 * reading of "role-gated" that a client must survive either way.
 */
export const roleGatedEmployeeFields = ['BirthDate', 'BirthPlace', 'Nationality', 'SocialSecurityNumber', 'PrivateEmail'];

export const employeeFields: Fields = {
  ID: 'guid',
  Code: 'string',
  HID: 'int',
  FirstName: 'string',
  MiddleName: 'string',
  LastName: 'string',
  FullName: 'string',
  Initials: 'string',
  Gender: 'string',
  Title: 'string',
  Email: 'string',
  BusinessEmail: 'string',
  BusinessPhone: 'string',
  Mobile: 'string',
  City: 'string',
  Country: 'string',
  Language: 'string',
  Manager: 'guid',
  IsActive: 'boolean',
  ActiveEmployment: 'byte',
  StartDate: 'datetime',
  EndDate: 'datetime',
  BirthDate: 'datetime',
  BirthPlace: 'string',
  Nationality: 'string',
  SocialSecurityNumber: 'string',
  PrivateEmail: 'string',
  ...audit,
};

/** general/Currencies: the key is the ISO code itself (skiptoken `'GMD'`). */
export const currencyFields: Fields = {
  Code: 'string',
  Description: 'string',
  AmountPrecision: 'double',
  PricePrecision: 'double',
  Created: 'datetime',
  Modified: 'datetime',
};

export const bankAccountFields: Fields = {
  ID: 'guid',
  Account: 'guid',
  AccountName: 'string',
  BankAccount: 'string',
  BankAccountHolderName: 'string',
  IBAN: 'string',
  BICCode: 'string',
  BankName: 'string',
  Description: 'string',
  Main: 'boolean',
  Type: 'string',
  TypeDescription: 'string',
  ...audit,
};

const withTimestamp = (fields: Fields): Fields => ({ ...fields, Timestamp: 'int64' });

/** Fields a GET on logistics/Items must filter on (mandatory filtering since July 2021, as on crm/Accounts). */
const itemFilterFields = ['Code', 'Created', 'Description', 'ID', 'IsPurchaseItem', 'IsSalesItem', 'IsStockItem', 'ItemGroup', 'Modified', 'SalesVatCode', 'SearchCode'];
const projectFilterFields = ['Account', 'Code', 'Created', 'Description', 'ID', 'Manager', 'Modified', 'Type'];
const employeeFilterFields = ['Code', 'Created', 'Email', 'HID', 'ID', 'IsActive', 'LastName', 'Modified'];

export const masterEndpoints: Endpoint[] = [
  { path: 'logistics/Items', dataset: 'items', model: 'Item', key: 'ID', fields: itemFields, pageSize: 60, methods: ['GET'], mandatoryFilter: itemFilterFields },
  { path: 'bulk/Logistics/Items', dataset: 'items', model: 'BulkLogisticsItem', key: 'ID', fields: itemFields, pageSize: 1000, methods: ['GET'], selectRequired: true },
  { path: 'sync/Logistics/Items', dataset: 'items', model: 'SyncLogisticsItem', key: 'Timestamp', fields: withTimestamp(itemFields), pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'vat/VATCodes', dataset: 'vatCodes', model: 'VATCode', key: 'ID', fields: vatCodeFields, pageSize: 60, methods: ['GET'], navigation: ['VATPercentages'] },
  { path: 'cashflow/PaymentConditions', dataset: 'paymentConditions', model: 'PaymentCondition', key: 'ID', fields: paymentConditionFields, pageSize: 60, methods: ['GET'] },
  { path: 'hrm/Costcenters', dataset: 'costCenters', model: 'HRM.Costcenter', key: 'ID', fields: costCenterFields, pageSize: 60, methods: ['GET'] },
  { path: 'project/Projects', dataset: 'projects', model: 'Project', key: 'ID', fields: projectFields, pageSize: 60, methods: ['GET'], mandatoryFilter: projectFilterFields },
  { path: 'sync/Project/Projects', dataset: 'projects', model: 'SyncProjectProject', key: 'Timestamp', fields: withTimestamp(projectFields), pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'payroll/Employees', dataset: 'employees', model: 'Payroll.Employee', key: 'ID', fields: employeeFields, pageSize: 60, methods: ['GET'], mandatoryFilter: employeeFilterFields },
  { path: 'sync/Payroll/Employees', dataset: 'employees', model: 'SyncPayrollEmployee', key: 'Timestamp', fields: withTimestamp(employeeFields), pageSize: 1000, methods: ['GET'], sync: true },
  { path: 'general/Currencies', dataset: 'currencies', model: 'Currency', key: 'Code', fields: currencyFields, pageSize: 60, methods: ['GET'] },
  { path: 'crm/BankAccounts', dataset: 'bankAccounts', model: 'BankAccount', key: 'ID', fields: bankAccountFields, pageSize: 60, methods: ['GET'] },
];
