import * as React from 'react';
import { Label } from '@fluentui/react/lib/Label';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import { choiceStyles } from '../../../ui/choiceStyles';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { choiceOf, type CustomerChoice } from './teams/recentCustomers';

/** How many companies one search shows; more than a person scans, fewer than a slow list. */
export const PICKER_PAGE = 50;
const TYPING_PAUSE_MS = 300;

export interface CustomerPickerProps {
  /** Prefix for element ids, unique on the page. */
  id: string;
  /** `choose`: the chosen customer stays marked (a tab's settings page); `open`: each opens its customer. */
  mode: 'choose' | 'open';
  chosenId?: number;
  onChoose(choice: CustomerChoice): void;
  /** Shown above the list while nothing is typed. */
  recent?: CustomerChoice[];
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = React.useState(value);
  React.useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Search over the CRM's Companies list by name, city, Exact code or KvK number. */
export function CustomerPicker(props: CustomerPickerProps): React.ReactElement {
  const { services } = useConnector();
  const theme = useTheme();
  const [query, setQuery] = React.useState('');
  const searched = useDebounced(query.trim(), TYPING_PAUSE_MS);
  // Each answer keeps the words it answers: while the next search runs, the heading stays true to the list.
  const results = useAsync(async () => ({ words: searched, companies: await (await services.finance()).companies.search(searched, PICKER_PAGE) }), [services, searched]);
  // Codes are per division: with more than one, "20001" alone does not say which customer it is.
  const connection = useAsync(async () => (await services.finance()).connection(), [services]);
  const divisionName = (choice: CustomerChoice): string | undefined => {
    const status = connection.state.status === 'ready' ? connection.state.value : undefined;
    if (!status || (status.divisions?.length ?? 0) < 2) return undefined;
    const code = choice.division ?? status.division;
    return status.divisions?.find((d) => d.code === code)?.description ?? (code ? String(code) : undefined);
  };
  const codeText = (choice: CustomerChoice): string | undefined => {
    if (!choice.exactCode) return choice.linked ? undefined : strings.CustomerNotInExact;
    const division = divisionName(choice);
    return division ? format(strings.CustomerCodeIn, choice.exactCode, division) : format(strings.CustomerCode, choice.exactCode);
  };
  const choice = choiceStyles(theme);
  const classes = mergeStyleSets({
    root: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
    list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 6 },
    item: { ...choice.choice, display: 'block', width: '100%', boxSizing: 'border-box' },
    chosen: choice.chosen,
    name: { display: 'block', fontWeight: 600, overflowWrap: 'anywhere' },
    details: { display: 'block', fontSize: 12, color: theme.semanticColors.bodySubtext, overflowWrap: 'anywhere' },
    heading: { margin: 0, fontWeight: 600 },
  });

  const list = (choices: CustomerChoice[], labelledBy: string): React.ReactElement => (
    <ul className={classes.list} aria-labelledby={labelledBy}>
      {choices.map((choice) => {
        const chosen = choice.id === props.chosenId;
        return (
          <li key={choice.id}>
            <button
              type="button"
              className={chosen ? `${classes.item} ${classes.chosen}` : classes.item}
              data-testid="customer-choice"
              data-company={choice.id}
              aria-pressed={props.mode === 'choose' ? chosen : undefined}
              aria-current={props.mode === 'open' && chosen ? 'true' : undefined}
              onClick={() => props.onChoose(choice)}
            >
              <span className={classes.name}>{choice.name}</span>
              <span className={classes.details}>{[choice.city, codeText(choice)].filter(Boolean).join(' · ')}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );

  const typing = query.trim() !== searched;
  let found: React.ReactNode;
  if (results.state.status === 'loading') {
    found = <Spinner size={SpinnerSize.medium} label={strings.Searching} />;
  } else if (results.state.status === 'failed') {
    found = <ProblemMessage error={results.state.error} onRetry={results.reload} lead={strings.SearchFailed} />;
  } else {
    const { words, companies } = results.state.value;
    const headingId = `${props.id}-results`;
    found = (
      <>
        <Text as="h2" id={headingId} variant="mediumPlus" block className={classes.heading}>
          {words ? format(strings.SearchResults, words) : strings.AllCustomers}
        </Text>
        {typing || results.reloading ? <Spinner size={SpinnerSize.small} label={strings.Searching} labelPosition="right" /> : null}
        {companies.length ? list(companies.map(choiceOf), headingId) : (
          <MessageBar messageBarType={MessageBarType.info} data-testid={words ? 'state-no-match' : 'state-no-customers'}>
            {words ? format(strings.NoCustomerMatches, words) : strings.NoCustomers}
          </MessageBar>
        )}
        {companies.length >= PICKER_PAGE ? (
          <Text variant="small" block>
            {format(strings.FirstOnly, PICKER_PAGE)}
          </Text>
        ) : null}
      </>
    );
  }

  const recent = !query.trim() && props.recent?.length ? props.recent : undefined;
  return (
    <div className={classes.root}>
      <div>
        <Label htmlFor={`${props.id}-search`} styles={{ root: { paddingBottom: 0 } }}>
          {strings.SearchCustomersLabel}
        </Label>
        {/* What one can search by stays in view while typing (a placeholder would go, and is cut off at 320 px). */}
        <Text id={`${props.id}-search-hint`} variant="small" block styles={{ root: { color: theme.semanticColors.bodySubtext, marginBottom: 4 } }}>
          {strings.SearchCustomersHint}
        </Text>
        <SearchBox id={`${props.id}-search`} aria-describedby={`${props.id}-search-hint`} value={query} onChange={(_, value) => setQuery(value ?? '')} onSearch={(value: string) => setQuery(value)} />
      </div>
      {recent ? (
        <>
          <Text as="h2" id={`${props.id}-recent`} variant="mediumPlus" block className={classes.heading}>
            {strings.RecentCustomers}
          </Text>
          {list(recent, `${props.id}-recent`)}
        </>
      ) : null}
      {found}
    </div>
  );
}
