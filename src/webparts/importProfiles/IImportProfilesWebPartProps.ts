import type { ConnectorSettings } from '../../services/spfx';

export type IImportProfilesWebPartProps = Partial<ConnectorSettings>;
