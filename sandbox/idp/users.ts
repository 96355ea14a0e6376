/**
 * Demo users of the sandbox identity provider (documented in sandbox/idp/README.md and gateway/README.md).
 * Passwords are sandbox-only and public on purpose.
 */
export interface DemoUser {
  username: string;
  password: string;
  name: string;
  /** Entra object id. */
  oid: string;
  /** Entra tenant id. */
  tid: string;
  roles: string[];
}

export const contosoTenantId = '7f1c2a3e-0000-4000-8000-00000000c051';
export const fabrikamTenantId = '3b9d8e1f-0000-4000-8000-0000000fab01';

export const demoUsers = {
  admin: {
    username: 'admin@contoso.test',
    password: 'admin',
    name: 'Anna Admin',
    oid: 'a0000000-0000-4000-8000-00000000ad01',
    tid: contosoTenantId,
    roles: ['Connector.Admin'],
  },
  sales: {
    username: 'sales@contoso.test',
    password: 'sales',
    name: 'Sam Sales',
    oid: 'a0000000-0000-4000-8000-0000000005a1',
    tid: contosoTenantId,
    roles: ['Connector.User'],
  },
  /** In the tenant, but never assigned a role of the connector: the gateway refuses everything. */
  noRole: {
    username: 'intern@contoso.test',
    password: 'intern',
    name: 'Iris Intern',
    oid: 'a0000000-0000-4000-8000-00000000091e',
    tid: contosoTenantId,
    roles: [],
  },
  otherTenantAdmin: {
    username: 'admin@fabrikam.test',
    password: 'admin',
    name: 'Frank Fabrikam',
    oid: 'b0000000-0000-4000-8000-00000000ad02',
    tid: fabrikamTenantId,
    roles: ['Connector.Admin'],
  },
} satisfies Record<string, DemoUser>;

export type DemoUserKey = keyof typeof demoUsers;

export const allDemoUsers: DemoUser[] = Object.values(demoUsers);

/** The sandbox's stand-in for the gateway's Entra app registration (Application ID URI). */
export const sandboxApiAudience = 'api://exact-crm-gateway';
/** The sandbox's stand-in for the SPA / web part client registration. */
export const sandboxClientId = 'exact-crm-sandbox-spa';
export const adminRole = 'Connector.Admin';
export const userRole = 'Connector.User';
