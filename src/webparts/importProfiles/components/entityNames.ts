import * as strings from 'ProfileEditorStrings';

/**
 * The name a person knows an Exact entity by ("Relaties (debiteuren, crediteuren, prospects)"),
 * never the API's ("Account", "SalesInvoiceLine"); the API name only for an entity this product
 * does not know yet, so it can still be seen and chosen.
 */
const NAMES: Record<string, () => string> = {
  Account: () => strings.EntityAccount,
  Contact: () => strings.EntityContact,
  SalesInvoice: () => strings.EntitySalesInvoice,
  SalesInvoiceLine: () => strings.EntitySalesInvoiceLine,
  Receivable: () => strings.EntityReceivable,
  ReceivablesList: () => strings.EntityReceivablesList,
  AgingReceivablesList: () => strings.EntityAgingReceivablesList,
  Item: () => strings.EntityItem,
  VATCode: () => strings.EntityVATCode,
  PaymentCondition: () => strings.EntityPaymentCondition,
  Costcenter: () => strings.EntityCostCenter,
  CostCenter: () => strings.EntityCostCenter,
  Project: () => strings.EntityProject,
  Employee: () => strings.EntityEmployee,
  Currency: () => strings.EntityCurrency,
  BankAccount: () => strings.EntityBankAccount,
  SalesOrder: () => strings.EntitySalesOrder,
  SalesOrderLine: () => strings.EntitySalesOrderLine,
  Supplier: () => strings.EntitySupplier,
};

export function entityLabel(name: string): string {
  return NAMES[name]?.() ?? name;
}

/** Whether the entity has a name of its own in the loc files (a test checks every importable one does). */
export const hasEntityLabel = (name: string): boolean => NAMES[name] !== undefined;
