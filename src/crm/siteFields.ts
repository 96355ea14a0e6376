import { z } from 'zod';
import type { CrmFieldInfo, CrmFieldType } from '../sync/ports';

/**
 * What SharePoint reports about a column, read with zod (fields come back in minimal JSON from
 * `GET fields`, and in verbose JSON after `fields.add`; both shapes are accepted here).
 */

const choices = z
  .union([z.array(z.string()), z.object({ results: z.array(z.string()) })])
  .transform((c) => (Array.isArray(c) ? c : c.results));

export const siteFieldSchema = z
  .object({
    Id: z.string().optional(),
    InternalName: z.string(),
    Title: z.string(),
    TypeAsString: z.string().optional(),
    FieldTypeKind: z.number(),
    Indexed: z.boolean().optional(),
    EnforceUniqueValues: z.boolean().optional(),
    Required: z.boolean().optional(),
    MaxLength: z.number().nullish(),
    MinimumValue: z.number().nullish(),
    MaximumValue: z.number().nullish(),
    Choices: choices.nullish(),
    LookupList: z.string().nullish(),
    ReadOnlyField: z.boolean().optional(),
    Hidden: z.boolean().optional(),
    FromBaseType: z.boolean().optional(),
    RichText: z.boolean().optional(),
  })
  .passthrough();

export type SiteField = z.infer<typeof siteFieldSchema>;

/** SharePoint's FieldTypeKind for each column type this layer declares. */
export const FIELD_TYPE_KIND: Record<CrmFieldType, number> = {
  text: 2,
  note: 3,
  datetime: 4,
  choice: 6,
  lookup: 7,
  boolean: 8,
  number: 9,
  currency: 10,
  url: 11,
  person: 20,
};

/** The OData type name `field.update` needs (passing it saves PnPjs a GET per update). */
export const FIELD_ODATA_TYPE: Record<CrmFieldType, string> = {
  text: 'SP.FieldText',
  note: 'SP.FieldMultiLineText',
  datetime: 'SP.FieldDateTime',
  choice: 'SP.FieldChoice',
  lookup: 'SP.FieldLookup',
  boolean: 'SP.Field',
  number: 'SP.FieldNumber',
  currency: 'SP.FieldCurrency',
  url: 'SP.FieldUrl',
  person: 'SP.FieldUser',
};

export function crmTypeOf(field: SiteField): CrmFieldType | undefined {
  if (field.TypeAsString === 'UserMulti' || field.TypeAsString === 'LookupMulti' || field.TypeAsString === 'MultiChoice') {
    return undefined;
  }
  const entry = Object.entries(FIELD_TYPE_KIND).find(([, kind]) => kind === field.FieldTypeKind);
  return entry === undefined ? undefined : (entry[0] as CrmFieldType);
}

/** SharePoint fields the engine must never write (system columns every list has). */
const SYSTEM_FIELDS = new Set([
  'ID',
  'Id',
  'Created',
  'Modified',
  'Author',
  'Editor',
  'Attachments',
  'ContentType',
  'ContentTypeId',
  'ComplianceAssetId',
  '_ColorTag',
  '_UIVersionString',
  'LinkTitle',
  'LinkTitleNoMenu',
  'Edit',
  'DocIcon',
  'ItemChildCount',
  'FolderChildCount',
  'AppAuthor',
  'AppEditor',
]);

/** A site-reported column as the engine sees it, when it is one the engine could map to. */
export function describeSiteField(field: SiteField): CrmFieldInfo | undefined {
  const type = crmTypeOf(field);
  if (type === undefined || field.Hidden === true || SYSTEM_FIELDS.has(field.InternalName)) {
    return undefined;
  }
  const info: CrmFieldInfo = { internalName: field.InternalName, title: field.Title, type };
  if (field.Required) info.required = true;
  if (typeof field.MaxLength === 'number' && (type === 'text' || type === 'url')) info.maxLength = field.MaxLength;
  // SharePoint reports ±Double.MaxValue for "no limit"; only real limits are worth checking.
  if (typeof field.MinimumValue === 'number' && Math.abs(field.MinimumValue) < 1e300) info.min = field.MinimumValue;
  if (typeof field.MaximumValue === 'number' && Math.abs(field.MaximumValue) < 1e300) info.max = field.MaximumValue;
  if (field.Choices) info.choices = field.Choices;
  if (field.ReadOnlyField) info.readOnly = true;
  return info;
}

export function sameGuid(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (g: string | null | undefined) => (g ?? '').replace(/[{}]/g, '').toLowerCase();
  return norm(a) !== '' && norm(a) === norm(b);
}
