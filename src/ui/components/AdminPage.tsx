import * as React from 'react';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as common from 'CommonStrings';
import { useConnector } from '../ConnectorContext';
import { useAsync } from '../useAsync';
import { NotAllowed } from './NotAllowed';
import { ProblemMessage } from './ProblemMessage';

export interface AdminPageProps {
  id: string;
  title: string;
  intro: string;
  /** The spinner's words while SharePoint is asked who this is. */
  checking: string;
  /** Leads the message when that question fails. */
  failed: string;
  /** Why someone who is not a CRM administrator sees nothing here. */
  notAllowed: string;
  /** Rendered only for CRM administrators. */
  children?: React.ReactNode;
  className?: string;
}

const classes = mergeStyleSets({ intro: { margin: 0 } });

/**
 * An admin page's heading and intro, then its content for CRM administrators (site owners) and a
 * plain "not for you" to everyone else; SharePoint's permissions decide, the gateway still checks.
 */
export function AdminPage(props: AdminPageProps): React.ReactElement {
  const { services } = useConnector();
  const access = useAsync(() => services.permissions.isCrmAdmin(), [services]);
  return (
    <section className={props.className} aria-labelledby={`${props.id}-title`}>
      <div>
        <Text as="h1" id={`${props.id}-title`} variant="xLarge" block styles={{ root: { margin: '0 0 4px', fontWeight: 600 } }}>
          {props.title}
        </Text>
        <Text as="p" block className={classes.intro}>
          {props.intro}
        </Text>
      </div>
      {access.state.status === 'loading' ? (
        <Spinner size={SpinnerSize.large} label={props.checking} />
      ) : access.state.status === 'failed' ? (
        <ProblemMessage error={access.state.error} onRetry={access.reload} lead={props.failed} />
      ) : access.state.value ? (
        props.children
      ) : (
        <NotAllowed title={common.NotAllowedTitle} message={props.notAllowed} />
      )}
    </section>
  );
}
