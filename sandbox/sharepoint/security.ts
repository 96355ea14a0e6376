import { z } from 'zod';
import { SpCodes, badRequest, notFound } from './errors';
import { queryEntities } from './entities';
import { collectionResponse, contentTypeOf, entityResponse, primitiveResponse, type Entity } from './format';
import { listPath } from './itemProps';
import { aliasValue, firstArg, namedArg, type Segment } from './paths';
import {
  effectiveMask, fromBase, noAccess, roleDefinitions, toBase, type BasePermissions, type RoleDefinition,
} from './permissions';
import { entityQuery, type ApiRequest } from './request';
import { emptyOk, methodNotAllowed, render } from './respond';
import type { ListState, SiteUser } from './state';

/** SP.BasePermissions as SharePoint writes it: Edm.Int64 High/Low as strings. */
const asStrings = (p: BasePermissions) => ({ High: String(p.High), Low: String(p.Low) });

function basePermissionsResponse(req: ApiRequest, name: string, mask: bigint): Response {
  const value = asStrings(toBase(mask));
  const body = req.dialect === 'verbose'
    ? { d: { [name]: { __metadata: { type: 'SP.BasePermissions' }, ...value } } }
    : req.dialect === 'minimal' ? { 'odata.metadata': `${req.webUrl}/_api/$metadata#SP.BasePermissions`, ...value } : value;
  return new Response(JSON.stringify(body), { headers: { 'content-type': contentTypeOf(req.dialect) } });
}

const int64 = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const basePermissionsSchema = z.object({ High: int64, Low: int64 });

/** `doesUserHavePermissions(@v)?@v={'High':'432','Low':'1011028719'}`: OData literal with single quotes. */
function requestedMask(req: ApiRequest, segment: Segment): bigint {
  const raw = aliasValue(req.url, firstArg(segment));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(/'/g, '"'));
  } catch {
    throw badRequest(SpCodes.clientQuery, `The permission mask '${raw}' of doesUserHavePermissions is not valid JSON.`);
  }
  const value = basePermissionsSchema.safeParse(parsed);
  if (!value.success) throw badRequest(SpCodes.clientQuery, `The permission mask '${raw}' of doesUserHavePermissions needs numeric High and Low.`);
  return fromBase(value.data);
}

function roleDefinitionEntity(req: ApiRequest, role: RoleDefinition): Entity {
  const editLink = `Web/RoleDefinitions(${role.Id})`;
  return {
    type: 'SP.RoleDefinition', id: `${req.webUrl}/_api/${editLink}`, editLink,
    props: { BasePermissions: asStrings(toBase(role.mask)), Description: role.Description, Hidden: false, Id: role.Id, Name: role.Name, Order: 0, RoleTypeKind: role.RoleTypeKind },
  };
}

/** `web/roledefinitions[/getById(n)|/getByName('x')]`. */
function routeRoleDefinitions(req: ApiRequest, rest: Segment[]): Response {
  if (req.method !== 'GET') throw methodNotAllowed(req, 'the role definitions');
  const [next] = rest;
  if (!next) return collectionResponse(queryEntities(roleDefinitions.map((r) => roleDefinitionEntity(req, r)), entityQuery(req)), render(req, 'SP.ApiData.RoleDefinitions'));
  const arg = firstArg(next);
  const role = next.lower === 'getbyname' ? roleDefinitions.find((r) => r.Name.toLowerCase() === arg.toLowerCase()) : roleDefinitions.find((r) => r.Id === Number(arg));
  if (!role) throw notFound(SpCodes.argument, 'Permission level cannot be found.');
  return entityResponse(roleDefinitionEntity(req, role), render(req, 'SP.ApiData.RoleDefinitions'));
}

function assignmentsResponse(req: ApiRequest, owner: string, assignments: { PrincipalId: number; RoleDefinitionId: number }[]): Response {
  const principals = [...new Set(assignments.map((a) => a.PrincipalId))];
  const entities = principals.map((id): Entity => ({
    type: 'SP.RoleAssignment', id: `${req.webUrl}/_api/${owner}/RoleAssignments/GetByPrincipalId(${id})`, editLink: `${owner}/RoleAssignments/GetByPrincipalId(${id})`,
    props: { PrincipalId: id, RoleDefinitionBindings: assignments.filter((a) => a.PrincipalId === id).map((a) => roleDefinitionEntity(req, roleDefinitions.find((r) => r.Id === a.RoleDefinitionId)!)) },
  }));
  return collectionResponse(entities, render(req, 'SP.ApiData.RoleAssignments'));
}

function assignmentArgs(segment: Segment): { PrincipalId: number; RoleDefinitionId: number } {
  const principal = Number(namedArg(segment, 'principalid'));
  const role = Number(namedArg(segment, 'roledefid'));
  if (!Number.isInteger(principal) || !roleDefinitions.some((r) => r.Id === role)) {
    throw badRequest(SpCodes.argument, `${segment.name} needs principalid=<id> and roledefid=<a role definition id>.`);
  }
  return { PrincipalId: principal, RoleDefinitionId: role };
}

/** Role assignments of a list: read, break/reset inheritance, add/remove; changing them needs ManagePermissions. */
function routeListAssignments(req: ApiRequest, list: ListState, head: Segment, rest: Segment[]): Response | undefined {
  const { site } = req;
  const owner = listPath(list);
  const write = (change: () => void): Response => {
    if (req.method !== 'POST') throw methodNotAllowed(req, `${head.name} of list '${list.Title}'`);
    site.demand('ManagePermissions', list);
    change();
    list.version += 1;
    site.listChanged(list);
    return emptyOk();
  };
  switch (head.lower) {
    case 'hasuniqueroleassignments':
      return primitiveResponse('HasUniqueRoleAssignments', 'Edm.Boolean', list.HasUniqueRoleAssignments === true, render(req, 'Edm.Boolean'));
    case 'breakroleinheritance':
      return write(() => {
        if (list.HasUniqueRoleAssignments) return;
        const copy = (namedArg(head, 'copyroleassignments') ?? head.args?.positional[0] ?? 'false').toLowerCase() === 'true';
        // Without a copy SharePoint keeps the caller in with Full Control, so they do not lock themselves out.
        list.roleAssignments = copy ? site.state.webRoleAssignments.map((a) => ({ ...a })) : [{ PrincipalId: site.callingUser().Id, RoleDefinitionId: roleDefinitions[0].Id }];
        list.HasUniqueRoleAssignments = true;
      });
    case 'resetroleinheritance':
      return write(() => {
        list.HasUniqueRoleAssignments = false;
        list.roleAssignments = undefined;
      });
    case 'roleassignments': {
      const [action] = rest;
      const current = list.HasUniqueRoleAssignments ? list.roleAssignments ?? [] : site.state.webRoleAssignments;
      if (!action) {
        if (req.method !== 'GET') throw methodNotAllowed(req, `the role assignments of list '${list.Title}'`);
        site.demand('EnumeratePermissions', list);
        return assignmentsResponse(req, owner, current);
      }
      if (action.lower !== 'addroleassignment' && action.lower !== 'removeroleassignment') return undefined;
      const wanted = assignmentArgs(action);
      return write(() => {
        if (!list.HasUniqueRoleAssignments) throw badRequest(SpCodes.generic, `List '${list.Title}' inherits its permissions; break the inheritance first.`);
        const others = (list.roleAssignments ?? []).filter((a) => a.PrincipalId !== wanted.PrincipalId || a.RoleDefinitionId !== wanted.RoleDefinitionId);
        list.roleAssignments = action.lower === 'addroleassignment' ? [...others, wanted] : others;
      });
    }
    default:
      return undefined;
  }
}

/**
 * Permission questions on the web (`list` undefined) or a list: effectiveBasePermissions,
 * getUserEffectivePermissions, doesUserHavePermissions, plus the web's role definitions and the
 * list's role assignments. Undefined when the segment is not one of them.
 */
export function routeSecurity(req: ApiRequest, list: ListState | undefined, head: Segment, rest: Segment[]): Response | undefined {
  const { site } = req;
  const me = site.callingUser();
  const maskFor = (user: SiteUser) => effectiveMask(site.state, user, list);
  switch (head.lower) {
    case 'effectivebasepermissions':
      if (req.method !== 'GET') throw methodNotAllowed(req, 'EffectiveBasePermissions');
      return basePermissionsResponse(req, 'EffectiveBasePermissions', maskFor(me));
    case 'getusereffectivepermissions': {
      // SharePoint answers this only to people who may see permissions (PnPjs issue #259): Read users get 403.
      site.demand('EnumeratePermissions', list, noAccess);
      const login = aliasValue(req.url, firstArg(head));
      const user = site.state.users.find((u) => u.LoginName.toLowerCase() === login.toLowerCase() || u.EMail.toLowerCase() === login.toLowerCase());
      if (!user) throw notFound(SpCodes.argument, `User cannot be found. (${login})`);
      return basePermissionsResponse(req, 'GetUserEffectivePermissions', maskFor(user));
    }
    case 'doesuserhavepermissions': {
      const wanted = requestedMask(req, head);
      return primitiveResponse('DoesUserHavePermissions', 'Edm.Boolean', (maskFor(me) & wanted) === wanted, render(req, 'Edm.Boolean'));
    }
    case 'roledefinitions':
      return list ? undefined : routeRoleDefinitions(req, rest);
    case 'roleassignments':
      if (!list) {
        if (req.method !== 'GET') throw methodNotAllowed(req, 'the role assignments of the web');
        site.demand('EnumeratePermissions');
        return assignmentsResponse(req, 'Web', site.state.webRoleAssignments);
      }
      return routeListAssignments(req, list, head, rest);
    default:
      return list ? routeListAssignments(req, list, head, rest) : undefined;
  }
}
