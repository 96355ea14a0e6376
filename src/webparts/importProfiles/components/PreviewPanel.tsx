import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import type { FilterRefusedError, Preview } from '../../../sync/run/engine';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { localProblemText } from './editor/problemText';
import type { RunAction } from '../../../sync/journal/records';
import { useConnector } from '../../../ui/ConnectorContext';
import { formatNumber } from '../../../ui/format';
import { EntryList } from './EntryList';
import type { Division } from './divisions';
import { outcomeLabel } from './labels';

const outcomes: RunAction[] = ['create', 'update', 'skip', 'conflict', 'error', 'deleted'];

export function PreviewPanel(props: { busy: boolean; read: number; result?: Preview; divisions: readonly Division[] }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const classes = mergeStyleSets({
    counts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(110px, 1fr))', gap: 8, margin: '12px 0', padding: 0, listStyle: 'none' },
    count: { padding: '8px 12px', border: `1px solid ${theme.palette.neutralLight}`, borderRadius: 4 },
    number: { fontSize: 22, fontWeight: 600, display: 'block' },
  });
  if (props.busy) return <Spinner label={`${strings.PreviewRunning} ${formatNumber(props.read, locale)}`} labelPosition="right" />;
  if (!props.result) {
    return (
      <>
        <Text block>{strings.PreviewIntro}</Text>
        <Text block styles={{ root: { marginTop: 8 } }}>
          {strings.PreviewNothing}
        </Text>
      </>
    );
  }
  const byAction = new Map<RunAction, number>();
  for (const entry of props.result.entries) byAction.set(entry.action, (byAction.get(entry.action) ?? 0) + 1);
  return (
    <div>
      <Text block>{strings.PreviewIntro}</Text>
      <ul className={classes.counts} aria-label={strings.ColumnOutcome} data-testid="preview-counts">
        {outcomes.map((action) => (
          <li key={action} className={classes.count} data-outcome={action}>
            <span className={classes.number}>{formatNumber(byAction.get(action) ?? 0, locale)}</span>
            {outcomeLabel(action)}
          </li>
        ))}
      </ul>
      <EntryList id="preview" entries={props.result.entries} division={props.result.profile.division} divisions={props.divisions} targetList={props.result.profile.targetList} />
    </div>
  );
}

/**
 * Why a preview failed. A filter Exact refused names the field and the reason in the reader's
 * language (the shared grammar's finding) instead of Exact's URL-encoded 400, and offers no
 * "Try again": the same request gets the same answer until the profile is edited.
 */
export function PreviewProblem(props: { error: unknown; onRetry: () => void }): React.ReactElement {
  const { services } = useConnector();
  const refused = props.error as Partial<FilterRefusedError> & { name?: string };
  if (refused.name === 'FilterRefusedError') {
    const { problem } = refused;
    const why = problem
      ? localProblemText({ path: 'source.filter', code: `filter_${problem.code}`, args: [...problem.args, String(problem.position + 1)] })
      : format(strings.FilterRefusedExact, refused.exactMessage ?? '');
    return (
      <MessageBar messageBarType={MessageBarType.error} isMultiline>
        <span data-testid="preview-filter-refused">
          <strong>{strings.FilterRefusedTitle}</strong> {why}. {strings.FilterRefusedFix}
        </span>
      </MessageBar>
    );
  }
  const retry = services.explain(props.error).kind !== 'bad-request';
  return <ProblemMessage error={props.error} onRetry={retry ? props.onRetry : undefined} />;
}
