/** Users and groups as entities: group routes list users, user routes list groups, sign-in names the user. */
import type { Entity } from './format';
import { isSiteAdmin } from './permissions';
import type { ApiRequest } from './request';
import type { SiteGroup, SiteUser } from './state';

export function userEntity(req: ApiRequest, user: SiteUser): Entity {
  const editLink = `Web/GetUserById(${user.Id})`;
  return {
    type: 'SP.User', id: `${req.webUrl}/_api/${editLink}`, editLink,
    props: {
      Id: user.Id, IsHiddenInUI: false, LoginName: user.LoginName, Title: user.Title, PrincipalType: 1, Email: user.EMail,
      IsEmailAuthenticationGuestUser: false, IsShareByEmailGuestUser: false, IsSiteAdmin: isSiteAdmin(req.site.state, user),
      UserPrincipalName: user.EMail,
    },
  };
}

export function groupEntity(req: ApiRequest, group: SiteGroup): Entity {
  const editLink = `Web/SiteGroups/GetById(${group.Id})`;
  return {
    type: 'SP.Group', id: `${req.webUrl}/_api/${editLink}`, editLink,
    props: {
      Id: group.Id, IsHiddenInUI: false, LoginName: group.Title, Title: group.Title, PrincipalType: 8,
      AllowMembersEditMembership: false, AllowRequestToJoinLeave: false, AutoAcceptRequestToJoinLeave: false,
      Description: group.Description, OnlyAllowMembersViewMembership: false, OwnerTitle: 'CRM Owners', RequestToJoinLeaveEmailSetting: '',
    },
  };
}
