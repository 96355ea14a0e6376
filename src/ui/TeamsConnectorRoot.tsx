import * as React from 'react';
import type { ConnectorEnvironment } from './ConnectorContext';
import { ConnectorRoot } from './ConnectorRoot';
import { namedTheme, type ThemeName } from './theme';
import type { TeamsHost } from './teams';

/**
 * A root component inside Teams: drawn in the Teams theme it started with and redrawn when the
 * person switches theme in Teams (dark, high contrast), without reloading the tab.
 */
export function TeamsConnectorRoot(props: { environment: ConnectorEnvironment; teams: TeamsHost; initialTheme: ThemeName; children?: React.ReactNode }): React.ReactElement {
  const [themeName, setThemeName] = React.useState<ThemeName>(props.initialTheme);
  React.useEffect(() => props.teams.onThemeChange(setThemeName), [props.teams]);
  const theme = React.useMemo(() => namedTheme(themeName), [themeName]);
  return (
    <div data-teams-theme={themeName} style={{ minHeight: '100%', background: theme.semanticColors.bodyBackground }}>
      <ConnectorRoot environment={props.environment} theme={theme}>
        {props.children}
      </ConnectorRoot>
    </div>
  );
}
