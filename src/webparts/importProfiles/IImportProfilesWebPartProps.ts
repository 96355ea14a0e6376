import type { ConnectorSettings } from '../../services/connectorSettings';

export type IImportProfilesWebPartProps = Partial<ConnectorSettings>;
