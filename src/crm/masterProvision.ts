import type { SPFI } from './pnp';
import { masterSchema } from './masterSchema';
import { orderSchema } from './orderSchema';
import { provisionCrm, type ProvisionReport } from './provision';
import { crmSchema, findListSchema, type CrmListSchema } from './schema';

/**
 * Master-data and order lists are not provisioned with the CRM: a site that never imports projects gets no
 * Projects list. The first profile that targets one provisions it, with the lists its lookups
 * point at (Items needs VAT Codes; Projects needs Companies), in that order. Provisioning is
 * idempotent, so a list that exists costs only reads.
 */
export interface ListProvisioner {
  /** Whether `title` is a list this connector can create on demand. */
  knows(title: string): boolean;
  /** Creates the list and its lookup targets where missing; undefined for a list it does not know. */
  ensure(title: string): Promise<ProvisionReport | undefined>;
}

const allLists: readonly CrmListSchema[] = [...crmSchema, ...masterSchema, ...orderSchema];
const onDemand: readonly CrmListSchema[] = [...masterSchema, ...orderSchema];

/** The list and, before it, every list its lookups need (depth first, each once). */
export function withLookupTargets(title: string): CrmListSchema[] {
  const ordered: CrmListSchema[] = [];
  const visit = (name: string, path: string[]): void => {
    const schema = findListSchema(name, allLists);
    if (!schema || ordered.includes(schema) || path.includes(schema.title)) return;
    for (const field of schema.fields) {
      if (field.type === 'lookup' && field.lookupList && field.lookupList !== schema.title) visit(field.lookupList, [...path, schema.title]);
    }
    ordered.push(schema);
  };
  visit(title, []);
  return ordered;
}

export function createListProvisioner(sp: SPFI): ListProvisioner {
  const knows = (title: string): boolean => findListSchema(title, onDemand) !== undefined;
  return {
    knows,
    async ensure(title) {
      if (!knows(title)) return undefined;
      return provisionCrm(sp, withLookupTargets(title));
    },
  };
}
