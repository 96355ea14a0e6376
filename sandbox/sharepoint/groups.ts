import { z } from 'zod';
import { SpCodes, notFound } from './errors';
import { queryEntities, selectEntity } from './entities';
import { collectionResponse, entityResponse } from './format';
import { firstArg, type Segment } from './paths';
import { groupIds } from './permissions';
import { groupEntity, userEntity } from './principals';
import { entityQuery, jsonBody, type ApiRequest } from './request';
import { emptyOk, methodNotAllowed, render } from './respond';
import type { SiteGroup } from './state';

const associated: Record<string, number> = {
  associatedownergroup: groupIds.owners, associatedmembergroup: groupIds.members, associatedvisitorgroup: groupIds.visitors,
};
const addUserSchema = z.object({ LoginName: z.string().min(1) }).passthrough();

function findGroup(req: ApiRequest, segment: Segment): SiteGroup {
  const { groups } = req.site.state;
  const arg = firstArg(segment);
  const group = segment.lower === 'getbyname'
    ? groups.find((g) => g.Title.toLowerCase() === arg.toLowerCase())
    : groups.find((g) => g.Id === Number(arg));
  if (!group) throw notFound(SpCodes.argument, 'Group cannot be found.');
  return group;
}

/** `web/sitegroups[(n)|/getById(n)|/getByName('x')][/users…]` and `web/associated{owner,member,visitor}group`. */
export function routeGroups(req: ApiRequest, head: Segment, rest: Segment[]): Response | undefined {
  if (head.lower in associated) {
    const group = req.site.state.groups.find((g) => g.Id === associated[head.lower]);
    if (!group) throw notFound(SpCodes.argument, 'Group cannot be found.');
    return routeGroup(req, group, rest);
  }
  if (head.lower !== 'sitegroups') return undefined;
  if (head.args) return routeGroup(req, findGroup(req, head), rest);
  const [next, ...more] = rest;
  if (!next) {
    if (req.method !== 'GET') throw methodNotAllowed(req, 'the site groups');
    const entities = req.site.state.groups.map((g) => groupEntity(req, g));
    return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Groups'));
  }
  if (next.lower === 'getbyid' || next.lower === 'getbyname') return routeGroup(req, findGroup(req, next), more);
  return undefined;
}

function routeGroup(req: ApiRequest, group: SiteGroup, rest: Segment[]): Response {
  const { site } = req;
  const [next, ...more] = rest;
  if (!next) {
    if (req.method !== 'GET') throw methodNotAllowed(req, `group '${group.Title}'`);
    return entityResponse(selectEntity(groupEntity(req, group), req.url.searchParams.get('$select')), render(req, 'SP.ApiData.Groups'));
  }
  if (next.lower !== 'users') throw notFound(SpCodes.generic, `The endpoint '${next.name}' of group '${group.Title}' is not supported by the emulator.`);
  const [action] = more;
  if (!action) {
    if (req.method === 'GET') {
      const members = site.state.users.filter((u) => group.userIds.includes(u.Id)).map((u) => userEntity(req, u));
      return collectionResponse(queryEntities(members, entityQuery(req)), render(req, 'SP.ApiData.Users'));
    }
    if (req.method === 'POST') {
      site.demand('ManagePermissions');
      const user = site.ensureUser(jsonBody(req, addUserSchema, `a new member of group '${group.Title}'`).LoginName);
      if (!group.userIds.includes(user.Id)) group.userIds.push(user.Id);
      site.siteChanged();
      return entityResponse(userEntity(req, user), render(req, 'SP.ApiData.Users', { status: 201 }));
    }
    throw methodNotAllowed(req, `the users of group '${group.Title}'`);
  }
  if (action.lower === 'removebyid' && req.method === 'POST') {
    site.demand('ManagePermissions');
    group.userIds = group.userIds.filter((id) => id !== Number(firstArg(action)));
    site.siteChanged();
    return emptyOk();
  }
  if (action.lower === 'getbyid' && req.method === 'GET') {
    const user = group.userIds.includes(Number(firstArg(action))) ? site.userById(Number(firstArg(action))) : undefined;
    if (!user) throw notFound(SpCodes.argument, 'User cannot be found.');
    return entityResponse(userEntity(req, user), render(req, 'SP.ApiData.Users'));
  }
  throw notFound(SpCodes.generic, `The endpoint 'users/${action.name}' of group '${group.Title}' is not supported by the emulator.`);
}
