import type { CrmFieldInfo } from '../../../../sync';
import { companyLinkFor, emptyMapping, type MappingDraft } from './draft';

/** What a newly chosen field starts as: the transform that fits the column's type. */
export function startingMapping(column: CrmFieldInfo, source: string): MappingDraft {
  const m = { ...emptyMapping(column.internalName), sources: [source] };
  switch (column.type) {
    case 'number':
      return { ...m, kind: 'number' };
    case 'currency':
      return { ...m, kind: 'currency' };
    case 'datetime':
      return { ...m, kind: 'date' };
    case 'url':
      return { ...m, kind: 'url' };
    case 'boolean':
      return { ...m, kind: 'copy' };
    case 'lookup':
      return { ...m, kind: 'lookup', ...lookupOf(column) };
    default:
      return { ...m, kind: 'trim' };
  }
}

/** A lookup column's list, matched on the key column the shipped profile of that list writes. */
export function lookupOf(column: CrmFieldInfo): Pick<MappingDraft, 'lookupList' | 'lookupKeyField'> {
  const link = companyLinkFor(column.lookupList ?? '');
  return { lookupList: link.list, lookupKeyField: link.keyField };
}
