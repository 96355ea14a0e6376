import { CRM_LISTS, columns, TEXT_MAX_LENGTH, type CrmListSchema } from './schema';

/**
 * The CRM lists Exact's master data is imported into, declared once like Companies and Contacts.
 * Provisioned on demand (masterProvision.ts) when a profile first targets one, lookup targets
 * first: a project links to its company, an item to its VAT code, a bank account to its supplier.
 * Every list has the key column `ExactId`, the division and the "Deleted in Exact" flag.
 */

const { text, titleField, key, division } = columns;

export const MASTER_LISTS = {
  items: 'Items',
  vatCodes: 'VAT Codes',
  paymentConditions: 'Payment Conditions',
  costCentres: 'Cost Centres',
  projects: 'Projects',
  employees: 'Employees',
  currencies: 'Currencies',
  suppliers: 'Suppliers',
  bankAccounts: 'Bank Accounts',
} as const;

const deleted = { internalName: 'DeletedInExact', title: 'Deleted in Exact', type: 'boolean' } as const;
const modified = { internalName: 'ExactModified', title: 'Modified in Exact', type: 'datetime' } as const;
const yesNo = (internalName: string, title: string) => ({ internalName, title, type: 'boolean' as const });
const date = (internalName: string, title: string) => ({ internalName, title, type: 'datetime' as const });
const number = (internalName: string, title: string) => ({ internalName, title, type: 'number' as const });
const money = (internalName: string, title: string) => ({ internalName, title, type: 'currency' as const });

export const vatCodesList: CrmListSchema = {
  title: MASTER_LISTS.vatCodes,
  kind: 'list',
  description: 'VAT codes from Exact Online (vat/VATCodes), linked by ExactId; items look them up by code.',
  keyField: 'ExactId',
  fields: [
    titleField('Description'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'VAT code', { indexed: true }),
    number('Percentage', 'Percentage'),
    { internalName: 'VatType', title: 'Calculation', type: 'choice', choices: ['Excluding', 'Including', 'Base only', 'No VAT'] },
    { internalName: 'UsedFor', title: 'Used for', type: 'choice', choices: ['Sales', 'Purchase', 'Both'] },
    yesNo('Blocked', 'Blocked'),
    modified,
    deleted,
    division(),
  ],
};

export const itemsList: CrmListSchema = {
  title: MASTER_LISTS.items,
  kind: 'list',
  description: 'Items from Exact Online (logistics/Items), linked by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Description'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Item code', { indexed: true }),
    text('ItemGroup', 'Item group'),
    text('Unit', 'Unit'),
    money('SalesPrice', 'Sales price'),
    money('CostPrice', 'Cost price'),
    { internalName: 'VatCode', title: 'VAT code', type: 'lookup', lookupList: MASTER_LISTS.vatCodes },
    yesNo('IsSalesItem', 'Sales item'),
    yesNo('IsStockItem', 'Stock item'),
    yesNo('IsTime', 'Hours'),
    date('EndDate', 'End date'),
    modified,
    deleted,
    division(),
  ],
};

export const paymentConditionsList: CrmListSchema = {
  title: MASTER_LISTS.paymentConditions,
  kind: 'list',
  description: 'Payment conditions from Exact Online (cashflow/PaymentConditions), linked by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Description'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Code', { indexed: true }),
    number('PaymentDays', 'Days'),
    { internalName: 'PaymentMethod', title: 'Payment method', type: 'choice', choices: ['On credit', 'Collection', 'Cash'] },
    number('DiscountPercentage', 'Discount (%)'),
    modified,
    deleted,
    division(),
  ],
};

export const costCentresList: CrmListSchema = {
  title: MASTER_LISTS.costCentres,
  kind: 'list',
  description: 'Cost centres from Exact Online (hrm/Costcenters), linked by ExactId.',
  keyField: 'ExactId',
  fields: [titleField('Description'), key('ExactId', 'Exact ID'), text('ExactCode', 'Code', { indexed: true }), date('EndDate', 'End date'), modified, deleted, division()],
};

export const projectsList: CrmListSchema = {
  title: MASTER_LISTS.projects,
  kind: 'list',
  description: 'Projects from Exact Online (project/Projects), linked by ExactId, each to the company of its account.',
  keyField: 'ExactId',
  fields: [
    titleField('Description'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Project code', { indexed: true }),
    { internalName: 'Company', title: 'Company', type: 'lookup', lookupList: CRM_LISTS.companies },
    { internalName: 'ProjectType', title: 'Type', type: 'choice', choices: ['Campaign', 'Fixed price', 'Time and material', 'Non-billable', 'Prepaid'] },
    text('Manager', 'Project manager'),
    date('StartDate', 'Start date'),
    date('EndDate', 'End date'),
    money('Budget', 'Budget'),
    modified,
    deleted,
    division(),
  ],
};

export const employeesList: CrmListSchema = {
  title: MASTER_LISTS.employees,
  kind: 'list',
  description: 'Employees from Exact Online (payroll/Employees), linked by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Full name'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Employee number', { indexed: true }),
    text('Email', 'Email'),
    text('Phone', 'Phone'),
    yesNo('Active', 'Active'),
    date('StartDate', 'Start date'),
    date('EndDate', 'End date'),
    // Only users with HR rights in Exact can read it; for others the run says so and leaves it as it is.
    date('BirthDate', 'Birth date'),
    modified,
    deleted,
    division(),
  ],
};

export const currenciesList: CrmListSchema = {
  title: MASTER_LISTS.currencies,
  kind: 'list',
  description: 'Currencies from Exact Online (general/Currencies), linked by their ISO code.',
  keyField: 'ExactId',
  fields: [titleField('Description'), key('ExactId', 'Currency code'), number('AmountPrecision', 'Amount precision'), modified, deleted, division()],
};

export const suppliersList: CrmListSchema = {
  title: MASTER_LISTS.suppliers,
  kind: 'list',
  description: 'Suppliers: Exact Online accounts with IsSupplier, linked by ExactId.',
  keyField: 'ExactId',
  fields: [
    titleField('Supplier name'),
    key('ExactId', 'Exact ID'),
    text('ExactCode', 'Exact code'),
    text('VatNumber', 'VAT number'),
    text('KvkNumber', 'KvK number'),
    text('Email', 'Email'),
    text('Phone', 'Phone'),
    text('City', 'City'),
    text('Country', 'Country'),
    modified,
    deleted,
    division(),
  ],
};

export const bankAccountsList: CrmListSchema = {
  title: MASTER_LISTS.bankAccounts,
  kind: 'list',
  description: 'Bank accounts of Exact Online relations (crm/BankAccounts), linked by ExactId; a supplier\'s link to its supplier, a customer\'s to its company.',
  keyField: 'ExactId',
  fields: [
    { ...titleField('IBAN'), maxLength: TEXT_MAX_LENGTH },
    key('ExactId', 'Exact ID'),
    { internalName: 'Supplier', title: 'Supplier', type: 'lookup', lookupList: MASTER_LISTS.suppliers },
    // A customer's bank account (direct debit) belongs to its company, not to a supplier.
    { internalName: 'Company', title: 'Company', type: 'lookup', lookupList: CRM_LISTS.companies },
    text('AccountHolder', 'Account holder'),
    text('Bic', 'BIC'),
    text('BankName', 'Bank'),
    yesNo('Main', 'Main account'),
    text('ExactAccountId', 'Exact account ID'),
    deleted,
    division(),
  ],
};

/** In provisioning order: lookup targets before the lists that point at them. */
export const masterSchema: readonly CrmListSchema[] = [
  vatCodesList,
  itemsList,
  paymentConditionsList,
  costCentresList,
  projectsList,
  employeesList,
  currenciesList,
  suppliersList,
  bankAccountsList,
];
