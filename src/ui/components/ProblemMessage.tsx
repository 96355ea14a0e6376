import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { MessageBarButton } from '@fluentui/react/lib/Button';
import { Link } from '@fluentui/react/lib/Link';
import * as common from 'CommonStrings';
import type { Problem } from '../../services/types';
import { useConnector } from '../ConnectorContext';
import { format, formatTime } from '../format';

/** The sentence for a problem, in the person's language; the server's words go in the details. */
export function problemText(problem: Problem, locale: string): string {
  switch (problem.kind) {
    case 'access-denied':
      return common.ProblemAccessDenied;
    case 'not-signed-in':
      return common.ProblemNotSignedIn;
    case 'not-connected':
      return common.ProblemNotConnected;
    case 'needs-consent':
      return common.ProblemNeedsConsent;
    case 'budget':
      return problem.retryAt ? format(common.ProblemBudgetUntil, formatTime(problem.retryAt, locale)) : common.ProblemBudget;
    case 'unavailable':
      return problem.source === 'sharepoint' ? common.ProblemSharePointUnavailable : common.ProblemUnavailable;
    case 'network':
      return common.ProblemNetwork;
    case 'bad-request':
      return common.ProblemBadRequest;
    default:
      return common.ProblemUnknown;
  }
}

export interface ProblemMessageProps {
  error: unknown;
  onRetry?: () => void;
  /** A sentence of the page's own to lead with ("The connection could not be read."). */
  lead?: string;
}

export function ProblemMessage(props: ProblemMessageProps): React.ReactElement {
  const { services, locale, adminPages } = useConnector();
  const problem = services.explain(props.error);
  const warning = problem.kind === 'budget' || problem.kind === 'not-connected' || problem.kind === 'needs-consent';
  return (
    <MessageBar
      messageBarType={warning ? MessageBarType.warning : MessageBarType.error}
      isMultiline
      actions={props.onRetry ? <MessageBarButton onClick={props.onRetry}>{common.Retry}</MessageBarButton> : undefined}
    >
      {props.lead ? <strong>{props.lead} </strong> : null}
      {problemText(problem, locale)}
      {(problem.kind === 'not-connected' || problem.kind === 'needs-consent') && adminPages?.exactConnection ? (
        <> <Link href={adminPages.exactConnection}>{common.ProblemNotConnectedAdminLink}</Link></>
      ) : null}
      {problem.message ? <div>{format(common.Details, problem.message)}</div> : null}
    </MessageBar>
  );
}
