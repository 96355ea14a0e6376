import type { ConnectorSettings } from '../../services/connectorSettings';

export type IExactConnectionWebPartProps = Partial<ConnectorSettings>;
