import * as React from 'react';
import { ThemeProvider } from '@fluentui/react/lib/Theme';
import type { ITheme } from '@fluentui/react/lib/Styling';
import { ConnectorProvider, type ConnectorEnvironment } from './ConnectorContext';

/** What every host renders around a root component: its theme and its services. */
export function ConnectorRoot(props: { environment: ConnectorEnvironment; theme: ITheme; children?: React.ReactNode }): React.ReactElement {
  return (
    <ThemeProvider theme={props.theme} applyTo="element" style={{ background: props.theme.semanticColors.bodyBackground, color: props.theme.semanticColors.bodyText }}>
      <ConnectorProvider environment={props.environment}>{props.children}</ConnectorProvider>
    </ThemeProvider>
  );
}
