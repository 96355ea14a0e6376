import * as React from 'react';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import * as common from 'CommonStrings';
import { useConnector } from '../ConnectorContext';

/** "Exact is not connected" with the way forward: admins get the connection page. */
export function NotConnected(props: { lead?: string }): React.ReactElement {
  const { adminPages } = useConnector();
  return (
    <MessageBar messageBarType={MessageBarType.warning} isMultiline>
      {props.lead ? `${props.lead} ` : null}
      {common.ProblemNotConnected}
      {adminPages?.exactConnection ? (
        <>
          {' '}
          <Link href={adminPages.exactConnection}>{common.ProblemNotConnectedAdminLink}</Link>
        </>
      ) : null}
    </MessageBar>
  );
}
