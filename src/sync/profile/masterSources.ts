/**
 * Exact's master data as import sources: the list each fills and how often a background run
 * should read it. Projects and employees change rarely (every 240 minutes, as QicsMilestones reads
 * them); sources Exact has no sync/ endpoint for are read whole, so their deletions come from
 * comparing a full read: once a day is enough. Kept apart from the default profiles so the page's
 * first bundle can name the sources without the profile schema.
 */

export type MasterSourceId = 'items' | 'vatCodes' | 'paymentConditions' | 'costCentres' | 'projects' | 'employees' | 'currencies' | 'suppliers' | 'bankAccounts';

export interface MasterSource {
  id: MasterSourceId;
  /** Exact catalog entity. */
  entity: string;
  targetList: string;
  /** Minutes between background runs. */
  interval: number;
}

export const masterSources: readonly MasterSource[] = [
  { id: 'items', entity: 'Item', targetList: 'Items', interval: 60 },
  { id: 'vatCodes', entity: 'VATCode', targetList: 'VAT Codes', interval: 1440 },
  { id: 'paymentConditions', entity: 'PaymentCondition', targetList: 'Payment Conditions', interval: 1440 },
  { id: 'costCentres', entity: 'CostCenter', targetList: 'Cost Centres', interval: 1440 },
  { id: 'projects', entity: 'Project', targetList: 'Projects', interval: 240 },
  { id: 'employees', entity: 'Employee', targetList: 'Employees', interval: 240 },
  { id: 'currencies', entity: 'Currency', targetList: 'Currencies', interval: 1440 },
  { id: 'suppliers', entity: 'Account', targetList: 'Suppliers', interval: 60 },
  { id: 'bankAccounts', entity: 'BankAccount', targetList: 'Bank Accounts', interval: 1440 },
];

