import { PermissionKind } from '@pnp/sp/security';
import '@pnp/sp/security/web';
import '@pnp/sp/site-users/web';
import type { SPFI } from '../crm/pnp';
import type { CurrentUser, PermissionService } from './types';

/**
 * What SharePoint lets the signed-in person do on the CRM site. "CRM administrator" means site
 * owner (Manage Web), which is what the owners-only lists (Import Profiles, Sync Runs, Run Logs)
 * need too; the gateway's `Connector.Admin` role still decides about the Exact connection.
 */
export function sharePointPermissions(sp: SPFI): PermissionService {
  let user: Promise<CurrentUser> | undefined;
  let admin: Promise<boolean> | undefined;
  return {
    currentUser: () =>
      (user ??= sp.web.currentUser
        .select('Title', 'Email', 'LoginName')()
        .then((u) => ({ title: u.Title, email: u.Email, loginName: u.LoginName }))
        .catch((error: unknown) => {
          user = undefined;
          throw error;
        })),
    isCrmAdmin: () =>
      (admin ??= sp.web.currentUserHasPermissions(PermissionKind.ManageWeb).catch((error: unknown) => {
        admin = undefined;
        throw error;
      })),
  };
}
