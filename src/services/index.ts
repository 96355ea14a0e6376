export * from './types';
export { createConnectorServices } from './createConnectorServices';
export { createSyncServices, wireSync } from './syncServices';
export type { SyncWiring } from './syncServices';
export type { ConnectorServicesOptions } from './createConnectorServices';
export { popupConnector } from './popupConnector';
export type { PopupHost, PopupConnectorOptions } from './popupConnector';
export { explainError } from './explain';
