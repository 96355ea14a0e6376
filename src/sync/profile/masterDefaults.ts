import { parseProfile } from './profile';
import type { Profile, ProfileInput } from './profile';
import { masterSources, type MasterSource, type MasterSourceId } from './masterSources';

export { masterSources, type MasterSource, type MasterSourceId };

/**
 * The shipped profile of each master-data source (masterSources.ts), added by an admin in one
 * step: the list it fills (declared in src/crm/masterSchema.ts, provisioned when first targeted)
 * and its mappings.
 */

type Definition = Omit<ProfileInput, 'id' | 'title' | 'division'> & { stem: string; title: string };

const trim = (target: string, source: string) => ({ target, transform: { kind: 'trim' as const, source } });
const date = (target: string, source: string) => ({ target, transform: { kind: 'date' as const, source } });
const copy = (target: string, source: string) => ({ target, transform: { kind: 'copy' as const, source } });
const modified = date('ExactModified', 'Modified');
const base = { key: { crmField: 'ExactId', exactField: 'ID' }, mode: 'ImportAndUpdate' as const, deletedFlagField: 'DeletedInExact' };

const definitions: Record<MasterSourceId, Definition> = {
  items: {
    ...base, stem: 'items', title: 'Items from Exact', source: { entity: 'Item' }, targetList: 'Items',
    mappings: [
      trim('Title', 'Description'), trim('ExactCode', 'Code'), trim('ItemGroup', 'ItemGroupDescription'), trim('Unit', 'UnitDescription'),
      { target: 'SalesPrice', transform: { kind: 'currency', source: 'StandardSalesPrice' } },
      { target: 'CostPrice', transform: { kind: 'currency', source: 'CostPriceStandard' } },
      // Exact keeps the code; the VAT Codes list of the same division has it as ExactCode.
      { target: 'VatCode', transform: { kind: 'lookup', source: 'SalesVatCode', list: 'VAT Codes', keyField: 'ExactCode', onMissing: 'error' } },
      copy('IsSalesItem', 'IsSalesItem'), copy('IsStockItem', 'IsStockItem'), copy('IsTime', 'IsTime'), date('EndDate', 'EndDate'), modified,
    ],
  },
  vatCodes: {
    ...base, stem: 'vat-codes', title: 'VAT codes from Exact', source: { entity: 'VATCode' }, targetList: 'VAT Codes',
    mappings: [
      trim('Title', 'Description'), trim('ExactCode', 'Code'),
      { target: 'Percentage', transform: { kind: 'number', source: 'Percentage', decimals: 4 } },
      { target: 'VatType', transform: { kind: 'valueMap', source: 'Type', map: { E: 'Excluding', I: 'Including', B: 'Base only', N: 'No VAT' }, default: null } },
      { target: 'UsedFor', transform: { kind: 'valueMap', source: 'VATTransactionType', map: { S: 'Sales', P: 'Purchase', B: 'Both' }, default: null } },
      copy('Blocked', 'IsBlocked'), modified,
    ],
  },
  paymentConditions: {
    ...base, stem: 'payment-conditions', title: 'Payment conditions from Exact', source: { entity: 'PaymentCondition' }, targetList: 'Payment Conditions',
    mappings: [
      trim('Title', 'Description'), trim('ExactCode', 'Code'),
      { target: 'PaymentDays', transform: { kind: 'number', source: 'PaymentDays' } },
      { target: 'PaymentMethod', transform: { kind: 'valueMap', source: 'PaymentMethod', map: { B: 'On credit', I: 'Collection', K: 'Cash' }, default: null } },
      { target: 'DiscountPercentage', transform: { kind: 'number', source: 'DiscountPercentage', decimals: 4 } },
      modified,
    ],
  },
  costCentres: {
    ...base, stem: 'cost-centres', title: 'Cost centres from Exact', source: { entity: 'CostCenter' }, targetList: 'Cost Centres',
    mappings: [trim('Title', 'Description'), trim('ExactCode', 'Code'), date('EndDate', 'EndDate'), modified],
  },
  projects: {
    ...base, stem: 'projects', title: 'Projects from Exact', source: { entity: 'Project' }, targetList: 'Projects',
    mappings: [
      trim('Title', 'Description'), trim('ExactCode', 'Code'),
      // Internal projects have no account: no link, no problem.
      { target: 'Company', transform: { kind: 'lookup', source: 'Account', list: 'Companies', keyField: 'ExactId', onMissing: 'error' } },
      { target: 'ProjectType', transform: { kind: 'valueMap', source: 'Type', map: { '1': 'Campaign', '2': 'Fixed price', '3': 'Time and material', '4': 'Non-billable', '5': 'Prepaid' }, default: null } },
      trim('Manager', 'ManagerFullname'), date('StartDate', 'StartDate'), date('EndDate', 'EndDate'),
      { target: 'Budget', transform: { kind: 'currency', source: 'BudgetedAmount' } },
      modified,
    ],
  },
  employees: {
    ...base, stem: 'employees', title: 'Employees from Exact', source: { entity: 'Employee' }, targetList: 'Employees',
    mappings: [
      trim('Title', 'FullName'), trim('ExactCode', 'Code'),
      { target: 'Email', transform: { kind: 'lower', source: 'BusinessEmail' } },
      trim('Phone', 'BusinessPhone'), copy('Active', 'IsActive'), date('StartDate', 'StartDate'), date('EndDate', 'EndDate'),
      date('BirthDate', 'BirthDate'), modified,
    ],
  },
  currencies: {
    ...base, key: { crmField: 'ExactId', exactField: 'Code' }, stem: 'currencies', title: 'Currencies from Exact', source: { entity: 'Currency' }, targetList: 'Currencies',
    mappings: [trim('Title', 'Description'), { target: 'AmountPrecision', transform: { kind: 'number', source: 'AmountPrecision' } }, modified],
  },
  suppliers: {
    ...base, stem: 'suppliers', title: 'Suppliers from Exact accounts', source: { entity: 'Account', filter: 'IsSupplier eq true' }, targetList: 'Suppliers',
    mappings: [
      trim('Title', 'Name'), trim('ExactCode', 'Code'), trim('KvkNumber', 'ChamberOfCommerce'),
      { target: 'VatNumber', transform: { kind: 'upper', source: 'VATNumber' } },
      { target: 'Email', transform: { kind: 'lower', source: 'Email' } },
      trim('Phone', 'Phone'), trim('City', 'City'), { target: 'Country', transform: { kind: 'upper', source: 'Country' } }, modified,
    ],
  },
  bankAccounts: {
    ...base, stem: 'bank-accounts', title: 'Bank accounts from Exact', source: { entity: 'BankAccount' }, targetList: 'Bank Accounts',
    mappings: [
      { target: 'Title', transform: { kind: 'upper', source: 'IBAN' } },
      // A relation is a supplier, a customer or both: each bank account links to whichever it is.
      { target: 'Supplier', transform: { kind: 'lookup', source: 'Account', list: 'Suppliers', keyField: 'ExactId', onMissing: 'empty' } },
      { target: 'Company', transform: { kind: 'lookup', source: 'Account', list: 'Companies', keyField: 'ExactId', onMissing: 'empty' } },
      trim('AccountHolder', 'BankAccountHolderName'), trim('Bic', 'BICCode'), trim('BankName', 'BankName'), copy('Main', 'Main'),
      { target: 'ExactAccountId', transform: { kind: 'lower', source: 'Account' } },
    ],
  },
};

export function masterSource(id: string): MasterSource | undefined {
  return masterSources.find((s) => s.id === id);
}

/**
 * The shipped profile of one source for a division; for a division other than the connection's
 * default, id and title name it (as the Companies and Contacts defaults do).
 */
export function masterDefaultProfile(source: MasterSourceId, division: number, other?: { divisionName: string }): Profile {
  const { stem, title, ...rest } = definitions[source];
  return parseProfile({
    ...rest,
    id: other ? `${stem}-${division}` : stem,
    title: other ? `${title} (${other.divisionName || division})` : title,
    division,
  });
}
