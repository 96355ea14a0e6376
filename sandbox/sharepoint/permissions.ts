/**
 * SharePoint's permission model, as far as the CRM needs it: SP.PermissionKind bits, the built-in
 * permission levels (role definitions) with their real masks, site groups, and effective
 * permissions = union of the role assignments of the user and of their groups on the securable
 * (the list when it has unique role assignments, else the web).
 */
import { SpError } from './errors';
import type { AppGrant, ListState, RoleAssignment, SiteGroup, SiteState, SiteUser } from './state';

/** SP.PermissionKind: each kind is bit (kind - 1) of the 64-bit mask split into High/Low. */
export const PermissionKind = {
  ViewListItems: 1, AddListItems: 2, EditListItems: 3, DeleteListItems: 4, ApproveItems: 5, OpenItems: 6,
  ViewVersions: 7, DeleteVersions: 8, CancelCheckout: 9, ManagePersonalViews: 10, ManageLists: 12, ViewFormPages: 13,
  Open: 17, ViewPages: 18, AddAndCustomizePages: 19, CreateSSCSite: 23, CreateGroups: 25, ManagePermissions: 26,
  BrowseDirectories: 27, BrowseUserInfo: 28, AddDelPrivateWebParts: 29, UpdatePersonalWebParts: 30, ManageWeb: 31,
  UseClientIntegration: 37, UseRemoteAPIs: 38, ManageAlerts: 39, CreateAlerts: 40, EditMyUserInfo: 41, EnumeratePermissions: 63,
} as const;
export type PermissionName = keyof typeof PermissionKind;

const maskOf = (kinds: number[]): bigint => kinds.reduce((m, k) => m | (1n << BigInt(k - 1)), 0n);
const K = PermissionKind;

const readKinds = [K.ViewListItems, K.OpenItems, K.ViewVersions, K.ViewFormPages, K.Open, K.ViewPages, K.CreateSSCSite,
  K.BrowseUserInfo, K.UseClientIntegration, K.UseRemoteAPIs, K.CreateAlerts];
const contributeKinds = [...readKinds, K.AddListItems, K.EditListItems, K.DeleteListItems, K.DeleteVersions,
  K.ManagePersonalViews, K.BrowseDirectories, K.AddDelPrivateWebParts, K.UpdatePersonalWebParts, K.EditMyUserInfo];

/** Every bit except the top one: what SharePoint reports for Full Control (High 2147483647, Low 4294967295). */
export const fullMask = (1n << 63n) - 1n;

export interface RoleDefinition {
  Id: number;
  Name: string;
  Description: string;
  RoleTypeKind: number;
  mask: bigint;
}

/** The built-in permission levels of a team site (ids and RoleTypeKind as SharePoint has them). */
export const roleDefinitions: RoleDefinition[] = [
  { Id: 1073741829, Name: 'Full Control', Description: 'Has full control.', RoleTypeKind: 5, mask: fullMask },
  { Id: 1073741830, Name: 'Edit', Description: 'Can add, edit and delete lists; can view, add, update and delete list items and documents.', RoleTypeKind: 6, mask: maskOf([...contributeKinds, K.ManageLists]) },
  { Id: 1073741827, Name: 'Contribute', Description: 'Can view, add, update, and delete list items and documents.', RoleTypeKind: 3, mask: maskOf(contributeKinds) },
  { Id: 1073741826, Name: 'Read', Description: 'Can view pages and list items and download documents.', RoleTypeKind: 2, mask: maskOf(readKinds) },
];
export const roleIds = { fullControl: 1073741829, edit: 1073741830, contribute: 1073741827, read: 1073741826 } as const;

export const groupIds = { owners: 3, visitors: 4, members: 5 } as const;

/** Seed: the owner runs setup and the connector; the sales user works the CRM lists. */
export function seedGroups(ownerId: number, memberId: number): SiteGroup[] {
  return [
    { Id: groupIds.owners, Title: 'CRM Owners', Description: 'Use this group to grant people full control permissions to the SharePoint site: CRM', userIds: [ownerId] },
    { Id: groupIds.visitors, Title: 'CRM Visitors', Description: 'Use this group to grant people read permissions to the SharePoint site: CRM', userIds: [] },
    { Id: groupIds.members, Title: 'CRM Members', Description: 'Use this group to grant people contribute permissions to the SharePoint site: CRM', userIds: [memberId] },
  ];
}

export const seedWebRoleAssignments = (): RoleAssignment[] => [
  { PrincipalId: groupIds.owners, RoleDefinitionId: roleIds.fullControl },
  { PrincipalId: groupIds.members, RoleDefinitionId: roleIds.contribute },
  { PrincipalId: groupIds.visitors, RoleDefinitionId: roleIds.read },
];

/**
 * Lists only owners may change: connector configuration and its audit trail. Members still read
 * them (a sales user sees why a run failed) but cannot edit a profile or rewrite history.
 */
export const ownerOnlyLists = ['Import Profiles', 'Sync Runs', 'Run Logs'];
export const ownerOnlyAssignments = (): RoleAssignment[] => [
  { PrincipalId: groupIds.owners, RoleDefinitionId: roleIds.fullControl },
  { PrincipalId: groupIds.members, RoleDefinitionId: roleIds.read },
  { PrincipalId: groupIds.visitors, RoleDefinitionId: roleIds.read },
];

export interface BasePermissions {
  High: number;
  Low: number;
}

export const toBase = (mask: bigint): BasePermissions => ({ High: Number(mask >> 32n), Low: Number(mask & 0xffffffffn) });
export const fromBase = (value: BasePermissions): bigint => (BigInt(value.High) << 32n) | BigInt(value.Low);
export const hasKind = (mask: bigint, kind: number): boolean => (mask & (1n << BigInt(kind - 1))) !== 0n;

/** Owners of a group-connected team site are its site collection admins. */
export const isSiteAdmin = (state: SiteState, user: SiteUser): boolean =>
  state.groups.some((g) => g.Id === groupIds.owners && g.userIds.includes(user.Id));

/** What a Sites.Selected role lets an app do on the whole site (app-only access ignores list-level permissions). */
const appRoleMasks: Record<AppGrant['roles'][number], bigint> = {
  read: roleDefinitions[3]!.mask,
  write: roleDefinitions[1]!.mask,
  manage: roleDefinitions[1]!.mask | maskOf([K.ManagePermissions, K.ManageWeb, K.EnumeratePermissions]),
  fullcontrol: fullMask,
};

export function effectiveMask(state: SiteState, user: SiteUser, list?: ListState): bigint {
  const grant = state.appGrants.find((g) => g.principalId === user.Id);
  if (grant) return grant.roles.reduce((mask, role) => mask | appRoleMasks[role], 0n);
  if (isSiteAdmin(state, user)) return fullMask;
  const assignments = list?.HasUniqueRoleAssignments ? list.roleAssignments ?? [] : state.webRoleAssignments;
  const principals = new Set([user.Id, ...state.groups.filter((g) => g.userIds.includes(user.Id)).map((g) => g.Id)]);
  let mask = 0n;
  for (const a of assignments) {
    if (!principals.has(a.PrincipalId)) continue;
    mask |= roleDefinitions.find((r) => r.Id === a.RoleDefinitionId)?.mask ?? 0n;
  }
  return mask;
}

export const accessCode = '-2147024891, System.UnauthorizedAccessException';
/** What SharePoint Online answers a write the caller has no right to. */
export const accessDenied = (): SpError => new SpError(403, accessCode, 'Access denied.');
/** What it answers a caller with no access to the resource at all (or asking about other people's rights). */
export const noAccess = (status = 403): SpError =>
  new SpError(status, accessCode, 'Access denied. You do not have permission to perform this action or access this resource.');
