import * as React from 'react';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import type { ConnectionStatus } from '../../../services/types';
import { AccountSection } from './AccountSection';
import { DisconnectSection } from './DisconnectSection';
import { EnabledDivisions } from './EnabledDivisions';
import { HealthSection } from './HealthSection';

const classes = mergeStyleSets({
  grid: {
    display: 'grid',
    gap: 16,
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 380px), 1fr))',
  },
});

export interface ConnectedViewProps {
  status: ConnectionStatus;
  /** When the status was read. */
  at: number;
  reloading: boolean;
  onRefresh: () => void;
  onUpdated: (status: ConnectionStatus, message?: string) => void;
  onDisconnected: () => void;
}

/**
 * What the page shows once Exact is connected: account, division and financial year, health, and
 * disconnecting. Loaded on demand (ExactConnectionPage), as it holds the page's dropdowns,
 * fields and dialog, which the checking and not-connected states do not need.
 */
export function ConnectedView(props: ConnectedViewProps): React.ReactElement {
  return (
    <>
      <div className={classes.grid}>
        <AccountSection status={props.status} onUpdated={props.onUpdated} />
        <EnabledDivisions status={props.status} onUpdated={props.onUpdated} />
        <HealthSection status={props.status} at={props.at} reloading={props.reloading} onRefresh={props.onRefresh} />
      </div>
      <DisconnectSection onDisconnected={props.onDisconnected} />
    </>
  );
}
