import { z } from 'zod';
import { SpCodes, notFound } from './errors';
import { queryEntities, selectEntity } from './entities';
import { collectionResponse, entityResponse } from './format';
import { aliasValue, firstArg, type Segment } from './paths';
import { groupEntity, userEntity } from './principals';
import { entityQuery, jsonBody, type ApiRequest } from './request';
import { methodNotAllowed, render } from './respond';
import type { SiteUser } from './state';

const missingUser = (what: string) => notFound(SpCodes.argument, `User cannot be found. (${what})`);
const ensureUserSchema = z.object({ logonName: z.string().min(1) });

/** `web/currentuser`, `web/siteusers[/getByEmail|getById]`, `web/getuserbyid(n)`, `web/ensureuser`. */
export function routeUsers(req: ApiRequest, head: Segment, rest: Segment[]): Response | undefined {
  const { site } = req;
  const one = (user: SiteUser | undefined, what: string) => {
    if (!user) throw missingUser(what);
    if (req.method !== 'GET') throw methodNotAllowed(req, `user ${user.Id}`);
    return entityResponse(selectEntity(userEntity(req, user), req.url.searchParams.get('$select')), render(req, 'SP.ApiData.Users'));
  };
  switch (head.lower) {
    case 'currentuser': {
      const me = site.callingUser();
      if (rest[0]?.lower === 'groups') {
        if (req.method !== 'GET') throw methodNotAllowed(req, 'the groups of the current user');
        const entities = site.state.groups.filter((g) => g.userIds.includes(me.Id)).map((g) => groupEntity(req, g));
        return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Groups'));
      }
      return one(me, 'current user');
    }
    case 'getuserbyid':
      return one(site.userById(Number(firstArg(head))), `id ${firstArg(head)}`);
    case 'ensureuser': {
      if (req.method !== 'POST') throw methodNotAllowed(req, 'ensureuser');
      const { logonName } = jsonBody(req, ensureUserSchema, 'ensureuser');
      return entityResponse(userEntity(req, site.ensureUser(logonName)), render(req, 'SP.ApiData.Users'));
    }
    case 'siteusers': {
      if (head.args) {
        // `siteusers(@v)?@v='i:0#.f|membership|…'` is how PnPjs asks for a login name.
        const arg = firstArg(head);
        if (arg.startsWith('@')) {
          const login = aliasValue(req.url, arg);
          return one(site.state.users.find((u) => u.LoginName.toLowerCase() === login.toLowerCase()), login);
        }
        return one(site.userById(Number(arg)), `id ${arg}`);
      }
      const [next] = rest;
      if (!next) {
        const entities = site.state.users.map((u) => userEntity(req, u));
        return collectionResponse(queryEntities(entities, entityQuery(req)), render(req, 'SP.ApiData.Users'));
      }
      const arg = firstArg(next);
      if (next.lower === 'getbyemail') return one(site.state.users.find((u) => u.EMail.toLowerCase() === arg.toLowerCase()), arg);
      if (next.lower === 'getbyid') return one(site.userById(Number(arg)), `id ${arg}`);
      if (next.lower === 'getbyloginname') return one(site.state.users.find((u) => u.LoginName.toLowerCase() === arg.toLowerCase()), arg);
      return undefined;
    }
    default:
      return undefined;
  }
}
