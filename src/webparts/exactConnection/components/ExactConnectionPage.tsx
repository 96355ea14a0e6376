import * as React from 'react';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'ExactConnectionWebPartStrings';
import * as common from 'CommonStrings';
import type { ConnectionStatus, ConnectResult } from '../../../services/types';
import { useConnector } from '../../../ui/ConnectorContext';
import { AdminPage } from '../../../ui/components/AdminPage';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { lazyPart } from '../../../ui/components/LazyPart';
import { useAsync } from '../../../ui/useAsync';
import { ConnectSection } from './ConnectSection';

const ConnectedView = lazyPart(() => import(/* webpackChunkName: 'exact-connection-connected' */ './ConnectedView').then((m) => m.ConnectedView), () => strings.Checking);

const classes = mergeStyleSets({
  page: { display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 960, minWidth: 0, padding: '4px 0' },
});

/** The admin's page for the tenant's Exact connection: connect, division, financial year, health, disconnect. */
export function ExactConnectionPage(): React.ReactElement {
  // The connected view's chunk travels while SharePoint and the gateway are asked.
  React.useEffect(() => void ConnectedView.preload(), []);
  return (
    <AdminPage
      id="exact-connection"
      className={classes.page}
      title={strings.PageTitle}
      intro={strings.PageIntro}
      checking={strings.Checking}
      failed={strings.StatusReadFailed}
      notAllowed={common.NotAllowedAdmin}
    >
      <ConnectionManager />
    </AdminPage>
  );
}

function connectMessage(result: ConnectResult): { type: MessageBarType; text: string; details?: string } | undefined {
  switch (result.kind) {
    case 'connected':
      return { type: MessageBarType.success, text: format(strings.ConnectedMessage, result.exactUser ?? '') };
    case 'blocked':
      return { type: MessageBarType.warning, text: strings.PopupBlocked };
    case 'closed':
      return { type: MessageBarType.warning, text: strings.PopupClosed };
    case 'denied':
      return { type: MessageBarType.warning, text: strings.ConsentDenied, details: result.message };
    case 'expired':
      return { type: MessageBarType.warning, text: strings.ConnectExpired, details: result.message };
    default:
      return { type: MessageBarType.error, text: strings.ConnectFailed, details: result.message };
  }
}

function ConnectionManager(): React.ReactElement {
  const { services } = useConnector();
  const status = useAsync(() => services.connection.status(), [services]);
  const [connecting, setConnecting] = React.useState(false);
  const [outcome, setOutcome] = React.useState<ConnectResult | undefined>();
  const [notice, setNotice] = React.useState<string | undefined>();

  const connect = (): void => {
    setOutcome(undefined);
    setNotice(undefined);
    setConnecting(true);
    // connect() opens the popup synchronously, inside this click.
    services.connection.connect().then(
      (result) => {
        setConnecting(false);
        setOutcome(result);
        if (result.kind === 'connected') status.reload();
      },
      (error: unknown) => {
        setConnecting(false);
        setOutcome({ kind: 'failed', message: services.explain(error).message });
      },
    );
  };
  // One message at a time (the latest), so the page never stacks stale news.
  const updated = (next: ConnectionStatus, message?: string): void => {
    status.set(next);
    setOutcome(undefined);
    setNotice(message);
  };
  const disconnected = (): void => {
    setOutcome(undefined);
    setNotice(strings.Disconnected);
    status.reload();
  };

  const message = outcome ? connectMessage(outcome) : undefined;
  const banner = (
    <div aria-live="polite">
      {message ? (
        <MessageBar messageBarType={message.type} isMultiline>
          {message.text}
          {message.details ? <div>{format(common.Details, message.details)}</div> : null}
        </MessageBar>
      ) : null}
      {notice ? (
        <MessageBar messageBarType={MessageBarType.success}>
          {notice}
        </MessageBar>
      ) : null}
    </div>
  );

  if (status.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.Checking} />;
  if (status.state.status === 'failed') return <ProblemMessage error={status.state.error} onRetry={status.reload} lead={strings.StatusReadFailed} />;
  const current = status.state.value;
  if (current.status === 'not-connected') {
    return (
      <>
        {banner}
        <ConnectSection connecting={connecting} onConnect={connect} />
      </>
    );
  }
  return (
    <>
      {banner}
      {current.status === 'needs-consent' ? (
        <MessageBar
          messageBarType={MessageBarType.severeWarning}
          isMultiline
          actions={<ConnectSection.ReconnectButton connecting={connecting} onConnect={connect} />}
        >
          <strong>{strings.NeedsConsentTitle}. </strong>
          {format(strings.NeedsConsentText, current.needsConsentReason ?? '')}
        </MessageBar>
      ) : null}
      {connecting ? <Spinner label={strings.Connecting} labelPosition="right" /> : null}
      <ConnectedView status={current} at={status.state.at} reloading={status.reloading} onRefresh={status.reload} onUpdated={updated} onDisconnected={disconnected} />
    </>
  );
}
