import { defineEntity, field } from './entity';

/**
 * Exact's master data as import sources: items, VAT codes, payment conditions, cost centres,
 * projects, employees, currencies and bank accounts. Edm types from Exact's REST reference (as
 * picqer's and Pi-Systems' generated models carry it) and real recordings (a logistics/Items GET
 * and a vat/VATCodes list: Byte flags as 0/1, `Unit` padded to 8, VAT `Code` to 3, percentages as
 * fractions). `sync`/`bulk` only where Exact has them; `deletedEntityType` only where sync/Deleted
 * reports the entity (Items 9, Projects 21, Employees 42). The rest are read whole, and a record a
 * full read no longer returns counts as deleted.
 */

const audit = {
  Created: field.datetime({ readOnly: true }),
  Creator: field.guid({ readOnly: true }),
  CreatorFullName: field.string({ readOnly: true }),
  Modified: field.datetime({ readOnly: true }),
  Modifier: field.guid({ readOnly: true }),
  ModifierFullName: field.string({ readOnly: true }),
  Division: field.int({ readOnly: true }),
};

export const itemEntity = defineEntity({
  name: 'Item',
  service: 'logistics/Items',
  bulk: 'bulk/Logistics/Items',
  sync: 'sync/Logistics/Items',
  deletedEntityType: 9,
  modelType: 'Exact.Web.Api.Models.Item',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.string({ maxLength: 30 }),
    Description: field.string({ maxLength: 60 }),
    ExtraDescription: field.string({ maxLength: 255 }),
    SearchCode: field.string(),
    Barcode: field.string(),
    IsSalesItem: field.boolean(),
    IsPurchaseItem: field.boolean(),
    IsStockItem: field.boolean(),
    IsSerialItem: field.boolean(),
    IsFractionAllowedItem: field.boolean(),
    IsPackageItem: field.boolean(),
    IsSubcontractedItem: field.boolean(),
    // Edm.Byte flags: 0/1 on the wire (the recording shows `"IsTime": 0`).
    IsTime: field.flag(),
    IsWebshopItem: field.flag(),
    IsMakeItem: field.flag(),
    IsBatchItem: field.flag(),
    CopyRemarks: field.flag(),
    ItemGroup: field.guid(),
    ItemGroupCode: field.string({ readOnly: true }),
    ItemGroupDescription: field.string({ readOnly: true }),
    SalesVatCode: field.padded({ width: 3 }),
    SalesVatCodeDescription: field.string({ readOnly: true }),
    Unit: field.padded({ width: 8 }),
    UnitDescription: field.string({ readOnly: true }),
    UnitType: field.string({ readOnly: true }),
    // GET-only in the reference: prices are kept in sales price lists.
    StandardSalesPrice: field.double({ readOnly: true }),
    CostPriceStandard: field.double(),
    CostPriceCurrency: field.string(),
    AverageCost: field.double(),
    Stock: field.double({ readOnly: true }),
    NetWeight: field.double(),
    GLRevenue: field.guid(),
    GLRevenueCode: field.string({ readOnly: true }),
    GLRevenueDescription: field.string({ readOnly: true }),
    SecurityLevel: field.int(),
    StartDate: field.datetime(),
    EndDate: field.datetime(),
    Notes: field.string(),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const vatCodeEntity = defineEntity({
  name: 'VATCode',
  service: 'vat/VATCodes',
  modelType: 'Exact.Web.Api.Models.VATCode',
  navigation: ['VATPercentages'],
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.padded({ width: 3 }),
    Description: field.string(),
    // A fraction: 0.21 is 21 %.
    Percentage: field.double(),
    Type: field.string({ maxLength: 1 }),
    VATTransactionType: field.string({ maxLength: 1 }),
    Charged: field.boolean(),
    IsBlocked: field.boolean(),
    IntraStat: field.boolean(),
    EUSalesListing: field.string({ maxLength: 1 }),
    CalculationBasis: field.byte(),
    VatMargin: field.byte(),
    LegalText: field.string(),
    Account: field.guid(),
    AccountCode: field.padded({ readOnly: true, width: 18 }),
    AccountName: field.string({ readOnly: true }),
    GLToPay: field.guid(),
    GLToPayCode: field.string({ readOnly: true }),
    GLToPayDescription: field.string({ readOnly: true }),
    GLToClaim: field.guid(),
    GLToClaimCode: field.string({ readOnly: true }),
    GLToClaimDescription: field.string({ readOnly: true }),
    ...audit,
  },
});

export const paymentConditionEntity = defineEntity({
  name: 'PaymentCondition',
  service: 'cashflow/PaymentConditions',
  modelType: 'Exact.Web.Api.Models.PaymentCondition',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.string({ maxLength: 2 }),
    Description: field.string(),
    PaymentDays: field.int(),
    PaymentEndOfMonths: field.int(),
    PaymentMethod: field.string({ maxLength: 1 }),
    DiscountPercentage: field.double(),
    DiscountPaymentDays: field.int(),
    PaymentDiscountType: field.string({ maxLength: 1 }),
    ...audit,
  },
});

export const costCenterEntity = defineEntity({
  name: 'CostCenter',
  service: 'hrm/Costcenters',
  modelType: 'Exact.Web.Api.Models.HRM.Costcenter',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.string({ maxLength: 8 }),
    Description: field.string(),
    Active: field.boolean({ readOnly: true }),
    EndDate: field.datetime(),
    ...audit,
  },
});

export const projectEntity = defineEntity({
  name: 'Project',
  service: 'project/Projects',
  sync: 'sync/Project/Projects',
  deletedEntityType: 21,
  modelType: 'Exact.Web.Api.Models.Project',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.string(),
    Description: field.string(),
    Account: field.guid(),
    AccountCode: field.padded({ readOnly: true, width: 18 }),
    AccountName: field.string({ readOnly: true }),
    // 1 campaign, 2 fixed price, 3 time and material, 4 non-billable, 5 prepaid.
    Type: field.int(),
    TypeDescription: field.string({ readOnly: true }),
    StartDate: field.datetime(),
    EndDate: field.datetime(),
    Manager: field.guid(),
    ManagerFullname: field.string({ readOnly: true }),
    BudgetedAmount: field.double(),
    BudgetedCosts: field.double(),
    BudgetedRevenue: field.double(),
    SalesTimeQuantity: field.double(),
    BlockEntry: field.boolean(),
    CustomerPOnumber: field.string(),
    Notes: field.string(),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const employeeEntity = defineEntity({
  name: 'Employee',
  service: 'payroll/Employees',
  sync: 'sync/Payroll/Employees',
  deletedEntityType: 42,
  modelType: 'Exact.Web.Api.Models.Payroll.Employee',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Code: field.string(),
    HID: field.int({ readOnly: true }),
    FirstName: field.string(),
    MiddleName: field.string(),
    LastName: field.string(),
    FullName: field.string({ readOnly: true }),
    Initials: field.string(),
    Gender: field.string({ maxLength: 1 }),
    Title: field.string(),
    Email: field.string(),
    BusinessEmail: field.string(),
    BusinessPhone: field.string(),
    Mobile: field.string(),
    City: field.string(),
    Country: field.string(),
    Language: field.string(),
    Manager: field.guid(),
    // Personal fields below marked `restricted`: Exact shows them only to users with HR rights.
    IsActive: field.boolean({ readOnly: true }),
    ActiveEmployment: field.flag({ readOnly: true }),
    StartDate: field.datetime(),
    EndDate: field.datetime(),
    BirthDate: field.datetime({ restricted: true }),
    BirthPlace: field.string({ restricted: true }),
    Nationality: field.string({ restricted: true }),
    SocialSecurityNumber: field.string({ restricted: true }),
    PrivateEmail: field.string({ restricted: true }),
    ...audit,
    Timestamp: field.cursor(),
  },
});

export const currencyEntity = defineEntity({
  name: 'Currency',
  service: 'general/Currencies',
  modelType: 'Exact.Web.Api.Models.Currency',
  key: 'Code',
  fields: {
    Code: field.string({ readOnly: true, maxLength: 3 }),
    Description: field.string(),
    AmountPrecision: field.double(),
    PricePrecision: field.double(),
    Created: field.datetime({ readOnly: true }),
    Modified: field.datetime({ readOnly: true }),
  },
});

export const bankAccountEntity = defineEntity({
  name: 'BankAccount',
  service: 'crm/BankAccounts',
  modelType: 'Exact.Web.Api.Models.BankAccount',
  key: 'ID',
  fields: {
    ID: field.guid({ readOnly: true }),
    Account: field.guid(),
    AccountName: field.string({ readOnly: true }),
    BankAccount: field.string(),
    BankAccountHolderName: field.string(),
    IBAN: field.string(),
    BICCode: field.string(),
    BankName: field.string({ readOnly: true }),
    Description: field.string(),
    Main: field.boolean(),
    Type: field.string({ maxLength: 1 }),
    TypeDescription: field.string({ readOnly: true }),
    ...audit,
  },
});

/** Master-data entities read whole on every run: Exact has neither a sync nor a bulk endpoint for them. */
export const fullReadEntities = ['VATCode', 'PaymentCondition', 'CostCenter', 'Currency', 'BankAccount'] as const;
