export * from './transport';
export * from './values';
export * from './entity';
export * from './catalog';
export * from './query';
export * from './rateLimit';
export * from './errors';
export * from './connection';
export * from './client';
export * from './oauth';
export * from './axiosTransport';
export * from './recordSource';
export * from './gatewayTransport';
export * from './aadTokenProvider';
// msalTokenProvider is imported from its own module: only pages without SPFx need MSAL.
