export * from './transport';
export * from './values';
export * from './entity';
export * from './catalog';
export * from './query';
export * from './rateLimit';
export * from './errors';
export * from './connection';
export * from './client';
export * from './recordSource';
export * from './gatewayTransport';
export * from './aadTokenProvider';
// msalTokenProvider is imported from its own module: only pages without SPFx need MSAL.
// oauth.ts (the client-secret flow) and axiosTransport.ts (a direct Exact token) are server-only:
// they are left out here, and the gateway and tests import them from their own modules.
