import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Field kinds the emulator understands, keyed by SharePoint's TypeAsString. */
export const fieldTypeSchema = z.enum([
  'Counter', 'Text', 'Note', 'Number', 'Currency', 'Integer', 'Boolean', 'DateTime', 'Choice', 'MultiChoice',
  'URL', 'Lookup', 'User', 'Computed', 'Guid', 'ContentTypeId', 'File', 'Attachments', 'Calculated',
]);
export type FieldType = z.infer<typeof fieldTypeSchema>;

export const fieldSchema = z.object({
  Id: z.string(),
  Title: z.string(),
  InternalName: z.string(),
  StaticName: z.string(),
  TypeAsString: fieldTypeSchema,
  FieldTypeKind: z.number(),
  Description: z.string().default(''),
  Group: z.string().default('Custom Columns'),
  Required: z.boolean().default(false),
  Indexed: z.boolean().default(false),
  EnforceUniqueValues: z.boolean().default(false),
  Hidden: z.boolean().default(false),
  ReadOnlyField: z.boolean().default(false),
  CanBeDeleted: z.boolean().default(true),
  /** Built-in columns are maintained by the emulator, never written through the REST body. */
  BuiltIn: z.boolean().default(false),
  DefaultValue: z.string().nullable().default(null),
  MaxLength: z.number().optional(),
  MinimumValue: z.number().optional(),
  MaximumValue: z.number().optional(),
  Choices: z.array(z.string()).optional(),
  FillInChoice: z.boolean().optional(),
  LookupList: z.string().optional(),
  LookupField: z.string().optional(),
  DisplayFormat: z.number().optional(),
  SchemaXml: z.string().optional(),
});
export type FieldState = z.infer<typeof fieldSchema>;

export const fileSchema = z.object({
  /** Base64 content: documents in the sandbox are small (exports, attachments). */
  content: z.string(),
  length: z.number(),
  uniqueId: z.string(),
  version: z.number(),
});

export const itemSchema = z.object({
  Id: z.number(),
  version: z.number(),
  GUID: z.string(),
  Created: z.string(),
  Modified: z.string(),
  AuthorId: z.number(),
  EditorId: z.number(),
  /** Values keyed by field InternalName; lookups and users store the target Id. */
  values: z.record(z.unknown()),
  /** 0 = file or list item, 1 = folder (document libraries). */
  FileSystemObjectType: z.number().default(0),
  /** Server-relative URL of the file or folder (document libraries only). */
  FileRef: z.string().optional(),
  file: fileSchema.optional(),
});
export type ItemState = z.infer<typeof itemSchema>;

export const roleAssignmentSchema = z.object({ PrincipalId: z.number(), RoleDefinitionId: z.number() });
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export const listSchema = z.object({
  Id: z.string(),
  Title: z.string(),
  Description: z.string(),
  BaseTemplate: z.number(),
  EntityTypeName: z.string(),
  /** Server-relative URL of the root folder, e.g. `/sites/crm/Lists/Companies`. */
  RootFolderUrl: z.string(),
  Created: z.string(),
  LastItemModifiedDate: z.string(),
  ContentTypesEnabled: z.boolean(),
  Hidden: z.boolean().default(false),
  /** Undefined in files written before permissions existed: the site applies its defaults then. */
  HasUniqueRoleAssignments: z.boolean().optional(),
  /** The list's own role assignments when it does not inherit the web's. */
  roleAssignments: z.array(roleAssignmentSchema).optional(),
  version: z.number(),
  nextItemId: z.number(),
  fields: z.array(fieldSchema),
  items: z.array(itemSchema),
});
export type ListState = z.infer<typeof listSchema>;

export const groupSchema = z.object({ Id: z.number(), Title: z.string(), Description: z.string(), userIds: z.array(z.number()) });
export type SiteGroup = z.infer<typeof groupSchema>;

export const userSchema = z.object({ Id: z.number(), Title: z.string(), EMail: z.string(), LoginName: z.string() });
export type SiteUser = z.infer<typeof userSchema>;

/**
 * A site permission granted to an app with Sites.Selected (Graph `POST /sites/{id}/permissions`):
 * the app reaches this site, with these roles, and no other. `principalId` is the app's entry in
 * the site's users (what Author/Editor point at).
 */
export const appGrantSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(['read', 'write', 'manage', 'fullcontrol'])),
  principalId: z.number(),
});
export type AppGrant = z.infer<typeof appGrantSchema>;

export const siteStateSchema = z.object({
  schema: z.literal(1),
  webId: z.string(),
  created: z.string(),
  lists: z.array(listSchema),
  /** The site's user information list (people for person columns); older files have none yet. */
  users: z.array(userSchema).default([]),
  /** Site groups and the web's role assignments; older files have none and get the seeded ones. */
  groups: z.array(groupSchema).default([]),
  webRoleAssignments: z.array(roleAssignmentSchema).default([]),
  /** Tenant properties (`GetStorageEntity`), which every site of the tenant answers from the app catalog. */
  storageEntities: z.record(z.object({ Value: z.string(), Description: z.string().nullable(), Comment: z.string().nullable() })).default({}),
  /** Apps granted this site (Sites.Selected); older files have none. */
  appGrants: z.array(appGrantSchema).default([]),
});
export type SiteState = z.infer<typeof siteStateSchema>;

export const newGuid = (): string => randomUUID();

export function emptySiteState(nowIso: string): SiteState {
  return { schema: 1, webId: newGuid(), created: nowIso, lists: [], users: [], groups: [], webRoleAssignments: [], storageEntities: {}, appGrants: [] };
}
