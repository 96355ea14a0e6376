import type { ConnectorSettings } from '../../services/spfx';

export type IExactConnectionWebPartProps = Partial<ConnectorSettings>;
