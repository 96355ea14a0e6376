import type { ExactEntityInfo } from '../sync/ports';
import { defineEntity, field, type EntityDefinition, type RecordOf } from './entity';
import {
  bankAccountEntity, costCenterEntity, currencyEntity, employeeEntity, fullReadEntities, itemEntity,
  paymentConditionEntity, projectEntity, vatCodeEntity,
} from './masterCatalog';

/**
 * The Exact entities this product reads and writes. Field names, types, paths and `EntityType`
 * numbers follow the reference (shared/reference/exact-online-api.md §3, §6, §7).
 */

const audit = {
  Created: field.datetime({ readOnly: true }),
  Modified: field.datetime({ readOnly: true }),
  Division: field.int({ readOnly: true }),
};

export const meEntity = defineEntity({
  name: 'Me',
  service: 'current/Me',
  divisionScoped: false,
  modelType: 'Exact.Web.Api.Models.System.Me',
  key: 'UserID',
  fields: {
    UserID: field.guid({ readOnly: true }),
    CurrentDivision: field.int({ readOnly: true }),
    AccountingDivision: field.int({ readOnly: true }),
    DossierDivision: field.int({ readOnly: true }),
    UserName: field.string({ readOnly: true }),
    FullName: field.string({ readOnly: true }),
    FirstName: field.string({ readOnly: true }),
    MiddleName: field.string({ readOnly: true }),
    LastName: field.string({ readOnly: true }),
    Initials: field.string({ readOnly: true }),
    Title: field.string({ readOnly: true }),
    Gender: field.string({ readOnly: true }),
    Email: field.string({ readOnly: true }),
    Mobile: field.string({ readOnly: true }),
    Language: field.string({ readOnly: true }),
    LanguageCode: field.string({ readOnly: true }),
    PackageCode: field.string({ readOnly: true }),
    EmployeeID: field.guid({ readOnly: true }),
    PictureUrl: field.string({ readOnly: true }),
    Legislation: field.string({ readOnly: true }),
    DivisionCustomer: field.guid({ readOnly: true }),
    DivisionCustomerCode: field.padded({ readOnly: true, width: 18 }),
    DivisionCustomerName: field.string({ readOnly: true }),
    DivisionCustomerVatNumber: field.string({ readOnly: true }),
    DivisionCustomerSiretNumber: field.string({ readOnly: true }),
    // Local server time without a zone (not /Date()/), so it stays text.
    ServerTime: field.string({ readOnly: true }),
    ServerUtcOffset: field.int({ readOnly: true }),
  },
});

export const divisionEntity = defineEntity({
  name: 'Division',
  service: 'system/Divisions',
  key: 'Code',
  fields: {
    Code: field.int({ readOnly: true }),
    Description: field.string({ readOnly: true }),
    Hid: field.int64({ readOnly: true }),
    Current: field.boolean({ readOnly: true }),
    Status: field.int({ readOnly: true }),
    Country: field.padded({ readOnly: true, width: 3 }),
    Currency: field.padded({ readOnly: true, width: 3 }),
    Customer: field.guid({ readOnly: true }),
    CustomerCode: field.padded({ readOnly: true, width: 18 }),
    CustomerName: field.string({ readOnly: true }),
    VATNumber: field.string({ readOnly: true }),
    IsMainDivision: field.boolean({ readOnly: true }),
    BlockingStatus: field.int({ readOnly: true }),
    StartDate: field.datetime({ readOnly: true }),
    ArchiveDate: field.datetime({ readOnly: true }),
  },
});

export const accountEntity = defineEntity({
  name: 'Account',
  service: 'crm/Accounts',
  bulk: 'bulk/CRM/Accounts',
  sync: 'sync/CRM/Accounts',
  deletedEntityType: 2,
  writable: true,
  modelType: 'Exact.Web.Api.Models.Account',
  navigation: ['BankAccounts'],
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.padded({ maxLength: 18, width: 18 }),
    Name: field.string(),
    Status: field.string({ maxLength: 1 }),
    Blocked: field.boolean(),
    // Exact's reference lists Type and IsSales as GET-only.
    Type: field.string({ maxLength: 1, readOnly: true }),
    IsSupplier: field.boolean(),
    IsSales: field.boolean({ readOnly: true }),
    IsReseller: field.boolean(),
    // Edm.Byte in Exact's reference: 0/1 on the wire (IsAccountant also takes 2).
    IsCompetitor: field.flag(),
    IsMailing: field.flag(),
    IsAgency: field.flag(),
    IsAccountant: field.byte(),
    Email: field.string(),
    Phone: field.string(),
    PhoneExtension: field.string(),
    Fax: field.string(),
    Website: field.string(),
    VATNumber: field.string(),
    ChamberOfCommerce: field.string(),
    AddressLine1: field.string(),
    AddressLine2: field.string(),
    AddressLine3: field.string(),
    Postcode: field.string(),
    City: field.string(),
    State: field.padded(),
    StateName: field.string({ readOnly: true }),
    Country: field.padded({ width: 3 }),
    CountryName: field.string({ readOnly: true }),
    PaymentConditionSales: field.padded(),
    PaymentConditionSalesDescription: field.string({ readOnly: true }),
    SalesCurrency: field.padded({ width: 3 }),
    SalesVATCode: field.padded({ width: 3 }),
    DiscountSales: field.double(),
    CreditLineSales: field.double(),
    MainContact: field.guid(),
    Parent: field.guid(),
    InvoiceAccount: field.guid(),
    InvoiceAccountCode: field.padded({ readOnly: true, width: 18 }),
    InvoiceAccountName: field.string({ readOnly: true }),
    AccountManager: field.guid(),
    AccountManagerFullName: field.string({ readOnly: true }),
    Classification1: field.guid(),
    Language: field.padded({ width: 10 }),
    Remarks: field.string(),
    StartDate: field.datetime(),
    EndDate: field.datetime(),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const contactEntity = defineEntity({
  name: 'Contact',
  service: 'crm/Contacts',
  bulk: 'bulk/CRM/Contacts',
  sync: 'sync/CRM/Contacts',
  deletedEntityType: 5,
  writable: true,
  modelType: 'Exact.Web.Api.Models.Contact',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Account: field.guid(),
    AccountName: field.string({ readOnly: true }),
    AccountIsCustomer: field.boolean({ readOnly: true }),
    AccountIsSupplier: field.boolean({ readOnly: true }),
    AccountMainContact: field.guid({ readOnly: true }),
    FirstName: field.string(),
    MiddleName: field.string(),
    LastName: field.string(),
    FullName: field.string({ readOnly: true }),
    Initials: field.string(),
    Title: field.string(),
    Gender: field.string({ maxLength: 1 }),
    HID: field.int64({ readOnly: true }),
    Email: field.string(),
    Phone: field.string(),
    PhoneExtension: field.string(),
    Mobile: field.string(),
    Language: field.padded({ width: 10 }),
    JobTitleDescription: field.string(),
    AddressStreet: field.string(),
    AddressStreetNumber: field.string(),
    AddressLine2: field.string(),
    Postcode: field.string(),
    City: field.string(),
    Country: field.padded({ width: 3 }),
    IsMainContact: field.boolean(),
    StartDate: field.datetime(),
    EndDate: field.datetime(),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const salesInvoiceEntity = defineEntity({
  name: 'SalesInvoice',
  service: 'salesinvoice/SalesInvoices',
  bulk: 'bulk/SalesInvoice/SalesInvoices',
  sync: 'sync/SalesInvoice/SalesInvoices',
  syncRows: 'LineNumber eq 0',
  deletedEntityType: 13,
  modelType: 'Exact.Web.Api.Models.SalesInvoice',
  navigation: ['SalesInvoiceLines'],
  key: 'InvoiceID',
  fields: {
    InvoiceID: field.guid({ readOnly: true }),
    // Null until the invoice is printed or processed.
    InvoiceNumber: field.int(),
    InvoiceTo: field.guid(),
    InvoiceToName: field.string({ readOnly: true }),
    OrderedBy: field.guid(),
    OrderedByName: field.string({ readOnly: true }),
    DeliverTo: field.guid(),
    InvoiceDate: field.datetime(),
    DueDate: field.datetime(),
    OrderDate: field.datetime(),
    AmountDC: field.double({ readOnly: true }),
    AmountFC: field.double({ readOnly: true }),
    AmountFCExclVat: field.double({ readOnly: true }),
    AmountDiscount: field.double({ readOnly: true }),
    VATAmountDC: field.double({ readOnly: true }),
    VATAmountFC: field.double({ readOnly: true }),
    Currency: field.padded({ width: 3 }),
    Status: field.int(),
    StatusDescription: field.string({ readOnly: true }),
    Type: field.int(),
    TypeDescription: field.string({ readOnly: true }),
    Journal: field.padded(),
    Description: field.string(),
    YourRef: field.string(),
    Remarks: field.string(),
    PaymentCondition: field.padded(),
    PaymentConditionDescription: field.string({ readOnly: true }),
    PaymentReference: field.string(),
    OrderNumber: field.int(),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const salesInvoiceLineEntity = defineEntity({
  name: 'SalesInvoiceLine',
  service: 'salesinvoice/SalesInvoiceLines',
  bulk: 'bulk/SalesInvoice/SalesInvoiceLines',
  modelType: 'Exact.Web.Api.Models.SalesInvoiceLine',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    InvoiceID: field.guid(),
    LineNumber: field.int(),
    Item: field.guid(),
    ItemCode: field.padded({ readOnly: true }),
    ItemDescription: field.string({ readOnly: true }),
    Description: field.string(),
    Quantity: field.double(),
    UnitPrice: field.double(),
    NetPrice: field.double(),
    Discount: field.double(),
    UnitCode: field.padded({ width: 8 }),
    AmountFC: field.double(),
    AmountDC: field.double({ readOnly: true }),
    VATCode: field.padded({ width: 3 }),
    VATPercentage: field.double({ readOnly: true }),
    VATAmountFC: field.double(),
    VATAmountDC: field.double({ readOnly: true }),
    GLAccount: field.guid(),
    CostCenter: field.padded(),
    CostUnit: field.padded(),
    DeliveryDate: field.datetime(),
    Division: field.int({ readOnly: true }),
  },
});

export const receivableEntity = defineEntity({
  name: 'Receivable',
  service: 'cashflow/Receivables',
  bulk: 'bulk/Cashflow/Receivables',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Account: field.guid({ readOnly: true }),
    AccountCode: field.padded({ readOnly: true, width: 18 }),
    AccountName: field.string({ readOnly: true }),
    AmountDC: field.double({ readOnly: true }),
    AmountFC: field.double({ readOnly: true }),
    Currency: field.padded({ readOnly: true, width: 3 }),
    Description: field.string({ readOnly: true }),
    DueDate: field.datetime(),
    InvoiceDate: field.datetime({ readOnly: true }),
    EntryDate: field.datetime({ readOnly: true }),
    LastPaymentDate: field.datetime({ readOnly: true }),
    InvoiceNumber: field.int({ readOnly: true }),
    EntryNumber: field.int({ readOnly: true }),
    YourRef: field.string({ readOnly: true }),
    IsFullyPaid: field.boolean({ readOnly: true }),
    Status: field.int({ readOnly: true }),
    PaymentMethod: field.string(),
    TransactionEntryID: field.guid({ readOnly: true }),
    TransactionID: field.guid({ readOnly: true }),
    Division: field.int({ readOnly: true }),
  },
});

export const receivablesListEntity = defineEntity({
  name: 'ReceivablesList',
  service: 'read/financial/ReceivablesList',
  key: 'HID',
  fields: {
    HID: field.int64({ readOnly: true }),
    Id: field.guid({ readOnly: true }),
    AccountId: field.guid({ readOnly: true }),
    AccountCode: field.padded({ readOnly: true, width: 18 }),
    AccountName: field.string({ readOnly: true }),
    Amount: field.double({ readOnly: true }),
    AmountInTransit: field.double({ readOnly: true }),
    CurrencyCode: field.padded({ readOnly: true, width: 3 }),
    Description: field.string({ readOnly: true }),
    DueDate: field.datetime({ readOnly: true }),
    InvoiceDate: field.datetime({ readOnly: true }),
    EntryNumber: field.int({ readOnly: true }),
    InvoiceNumber: field.int({ readOnly: true }),
    JournalCode: field.padded({ readOnly: true }),
    JournalDescription: field.string({ readOnly: true }),
    YourRef: field.string({ readOnly: true }),
  },
});

export const agingReceivablesListEntity = defineEntity({
  name: 'AgingReceivablesList',
  service: 'read/financial/AgingReceivablesList',
  key: 'AccountId',
  fields: {
    AccountId: field.guid({ readOnly: true }),
    AccountCode: field.padded({ readOnly: true, width: 18 }),
    AccountName: field.string({ readOnly: true }),
    CurrencyCode: field.padded({ readOnly: true, width: 3 }),
    TotalAmount: field.double({ readOnly: true }),
    AgeGroup1: field.int({ readOnly: true }),
    AgeGroup1Amount: field.double({ readOnly: true }),
    AgeGroup1Description: field.string({ readOnly: true }),
    AgeGroup2: field.int({ readOnly: true }),
    AgeGroup2Amount: field.double({ readOnly: true }),
    AgeGroup2Description: field.string({ readOnly: true }),
    AgeGroup3: field.int({ readOnly: true }),
    AgeGroup3Amount: field.double({ readOnly: true }),
    AgeGroup3Description: field.string({ readOnly: true }),
    AgeGroup4: field.int({ readOnly: true }),
    AgeGroup4Amount: field.double({ readOnly: true }),
    AgeGroup4Description: field.string({ readOnly: true }),
  },
});

export const deletedEntity = defineEntity({
  name: 'Deleted',
  service: 'sync/Deleted',
  key: 'Timestamp',
  fields: {
    Timestamp: field.cursor({ syncOnly: false }),
    ID: field.guid({ readOnly: true }),
    Division: field.int({ readOnly: true }),
    EntityKey: field.guid({ readOnly: true }),
    EntityType: field.int({ readOnly: true }),
    DeletedBy: field.guid({ readOnly: true }),
    DeletedDate: field.datetime({ readOnly: true }),
  },
});

export const exactCatalog = {
  Me: meEntity,
  Division: divisionEntity,
  Account: accountEntity,
  Contact: contactEntity,
  SalesInvoice: salesInvoiceEntity,
  SalesInvoiceLine: salesInvoiceLineEntity,
  Receivable: receivableEntity,
  ReceivablesList: receivablesListEntity,
  AgingReceivablesList: agingReceivablesListEntity,
  Deleted: deletedEntity,
  Item: itemEntity,
  VATCode: vatCodeEntity,
  PaymentCondition: paymentConditionEntity,
  CostCenter: costCenterEntity,
  Project: projectEntity,
  Employee: employeeEntity,
  Currency: currencyEntity,
  BankAccount: bankAccountEntity,
};

export type ExactCatalog = typeof exactCatalog;
export type ExactEntityName = keyof ExactCatalog;
export type ExactEntityRecord<N extends ExactEntityName> = RecordOf<ExactCatalog[N]['fields']>;

export type Me = ExactEntityRecord<'Me'>;
export type Division = ExactEntityRecord<'Division'>;
export type Account = ExactEntityRecord<'Account'>;
export type Contact = ExactEntityRecord<'Contact'>;
export type SalesInvoice = ExactEntityRecord<'SalesInvoice'>;
export type SalesInvoiceLine = ExactEntityRecord<'SalesInvoiceLine'>;
export type Receivable = ExactEntityRecord<'Receivable'>;
export type ReceivablesListRow = ExactEntityRecord<'ReceivablesList'>;
export type AgingReceivablesListRow = ExactEntityRecord<'AgingReceivablesList'>;
export type DeletedRecord = ExactEntityRecord<'Deleted'>;
export type Item = ExactEntityRecord<'Item'>;
export type VATCode = ExactEntityRecord<'VATCode'>;
export type PaymentCondition = ExactEntityRecord<'PaymentCondition'>;
export type CostCenter = ExactEntityRecord<'CostCenter'>;
export type Project = ExactEntityRecord<'Project'>;
export type Employee = ExactEntityRecord<'Employee'>;
export type Currency = ExactEntityRecord<'Currency'>;
export type BankAccount = ExactEntityRecord<'BankAccount'>;

/** Entities with a bulk or sync endpoint, and master data Exact serves only whole: what an import profile may read. */
export const importableEntities = (Object.keys(exactCatalog) as ExactEntityName[]).filter(
  (name) => exactCatalog[name].bulk !== undefined || exactCatalog[name].sync !== undefined || (fullReadEntities as readonly string[]).includes(name),
);

export function isExactEntityName(name: string): name is ExactEntityName {
  return Object.prototype.hasOwnProperty.call(exactCatalog, name);
}

export function entityDefinition(name: ExactEntityName): EntityDefinition {
  return exactCatalog[name] as unknown as EntityDefinition;
}

export function entityInfo(name: string): ExactEntityInfo | undefined {
  return isExactEntityName(name) ? exactCatalog[name].info : undefined;
}
