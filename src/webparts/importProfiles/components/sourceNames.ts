import * as strings from 'ImportProfilesWebPartStrings';
import { entityLabel } from './entityNames';
import { masterSources, type MasterSource, type MasterSourceId } from '../../../sync/profile/masterSources';

/**
 * Friendly names of the Exact master-data sources in the user's language (artikelen, btw-codes,
 * kostenplaatsen, …) and how a run reads each. Entities without one here are shown by name.
 */
const names: Record<MasterSourceId, () => string> = {
  items: () => strings.SourceItem,
  vatCodes: () => strings.SourceVATCode,
  paymentConditions: () => strings.SourcePaymentCondition,
  costCentres: () => strings.SourceCostCenter,
  projects: () => strings.SourceProject,
  employees: () => strings.SourceEmployee,
  currencies: () => strings.SourceCurrency,
  suppliers: () => strings.SourceSupplier,
  bankAccounts: () => strings.SourceBankAccount,
};

export function sourceName(source: MasterSourceId): string {
  return names[source]();
}

/** The friendly name of a profile's source: its master-data source when it is one (suppliers by their filter), else the entity. */
export function profileSourceLabel(entity: string, filter?: string): string {
  const source = masterSources.find((s) => s.entity === entity && (s.entity !== 'Account' || /IsSupplier\s+eq\s+true/i.test(filter ?? '')));
  return source ? sourceName(source.id) : entityLabel(entity);
}

/** How a run of this source reads Exact: changes and sync/Deleted, or everything with deletions by comparing. */
export function readNote(source: MasterSource): string {
  if (source.id === 'suppliers') return strings.ReadSuppliers;
  return ['items', 'projects', 'employees'].includes(source.id) ? strings.ReadChanges : strings.ReadWhole;
}
