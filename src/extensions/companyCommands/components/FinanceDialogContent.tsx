import * as React from 'react';
import type { ITheme } from '@fluentui/react/lib/Styling';
import type { ConnectorSettings } from '../../../services/connectorSettings';
import { servicesFor, type SpfxContextLike } from '../../../services/spfx';
import { ConnectorRoot } from '../../../ui/ConnectorRoot';
import { CustomerFinancePanel } from '../../../webparts/customerFinance/components/CustomerFinancePanel';

export interface FinanceDialogContentProps {
  context: SpfxContextLike;
  settings: ConnectorSettings;
  /** The page's UI culture, e.g. `nl-NL`. */
  locale: string;
  theme: ITheme;
  companyId: number;
  startWith: 'finance' | 'create';
}

/** The dialog's customer panel with the page's connector services (FinanceDialog loads it on demand). */
export function FinanceDialogContent(props: FinanceDialogContentProps): React.ReactElement {
  const environment = React.useMemo(() => ({ services: servicesFor(props.context, props.settings), locale: props.locale }), [props.context, props.settings, props.locale]);
  return (
    <ConnectorRoot environment={environment} theme={props.theme}>
      <CustomerFinancePanel companyId={props.companyId} startWith={props.startWith} />
    </ConnectorRoot>
  );
}
