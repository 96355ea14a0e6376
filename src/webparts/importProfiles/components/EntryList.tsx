import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { List } from '@fluentui/react/lib/List';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import type { RunAction, RunEntry } from '../../../sync/journal/records';
import { reasonParts } from '../../../sync/journal/reasons';
import { useConnector } from '../../../ui/ConnectorContext';
import { format, formatNumber } from '../../../ui/format';
import { divisionLabel, type Division } from './divisions';
import { changeLines, filterEntries, identityText, type Captions } from './entryText';
import { outcomeLabel } from './labels';
import { useNarrow } from './useNarrow';

export { filterEntries } from './entryText';

/**
 * A write the CRM refused before sending ends its English message with the coded problems the
 * parts above already say in the reader's words; showing it too would put the English back.
 */
function saidByProblems(entry: RunEntry): boolean {
  const { problems, message = '' } = entry;
  return problems.length > 0 && problems.every((p) => p.code !== undefined) && message.endsWith(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
}

/** The reason in the reader's words; a division it names is named as people know it, not by code alone. */
export function describeReason(entry: RunEntry, divisions: readonly Division[] = []): string {
  const { reason } = entry;
  const named = reason.code === 'divisionRecorded' || reason.code === 'divisionRecordedFieldsChanged'
    ? { ...reason, args: reason.args.map((a, i) => (i < 2 && typeof a === 'number' ? divisionLabel(a, divisions) : a)) }
    : reason;
  const parts = reasonParts({ ...entry, reason: named }, strings);
  if (entry.message && !saidByProblems(entry)) parts.push(entry.message);
  return parts.filter(Boolean).join(' · ');
}

/** An entry's outcome in the summary's words: a deletion with a flag written is "flagged as deleted in Exact". */
export function entryOutcome(entry: RunEntry): string {
  return entry.action === 'deleted' && entry.changes.length > 0 ? strings.OutcomeFlagged : outcomeLabel(entry.action);
}

/**
 * The captions of a CRM list's columns, read once through the sync service (its own chunk,
 * already loaded when a preview or a log is shown); internal names until they come.
 */
function useCaptions(targetList: string | undefined): Captions | undefined {
  const { services } = useConnector();
  const [captions, setCaptions] = React.useState<Captions | undefined>();
  React.useEffect(() => {
    if (!targetList) return undefined;
    let live = true;
    services
      .sync()
      .then((sync) => sync.listColumns(targetList))
      .then(
        (columns) => live && setCaptions(new Map(columns.map((c) => [c.internalName, c.title]))),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [services, targetList]);
  return captions;
}

/**
 * Records of a preview or a run log, field by field, each with the division it comes from (account
 * codes are per division). DetailsList and List render only the rows in view, so 10,000 records
 * stay responsive.
 */
export function EntryList(props: { id: string; entries: RunEntry[]; division?: number; divisions: readonly Division[]; targetList?: string }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const captions = useCaptions(props.targetList);
  const [outcome, setOutcome] = React.useState<RunAction | 'all'>('all');
  const [search, setSearch] = React.useState('');
  const actions = React.useMemo(() => Array.from(new Set(props.entries.map((e) => e.action))), [props.entries]);
  const shown = React.useMemo(() => filterEntries(props.entries, outcome, search), [props.entries, outcome, search]);
  const options: IDropdownOption[] = [{ key: 'all', text: strings.FilterAll }, ...actions.map((a) => ({ key: a, text: outcomeLabel(a) }))];
  const classes = mergeStyleSets({
    filters: { display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end', marginBottom: 8 },
    filter: { minWidth: 160, flex: '1 1 160px', maxWidth: 320 },
    scroll: { maxHeight: 520, overflow: 'auto', border: `1px solid ${theme.palette.neutralLight}`, position: 'relative' },
    wrap: { whiteSpace: 'normal', overflowWrap: 'break-word', wordBreak: 'normal' },
    muted: { display: 'block', color: theme.palette.neutralSecondary, fontSize: 12 },
    lines: { margin: 0, padding: 0, listStyle: 'none' },
    line: { display: 'block', marginTop: 4 },
    card: { padding: '8px 12px', borderBottom: `1px solid ${theme.palette.neutralLight}`, overflowWrap: 'break-word' },
  });
  const division = props.division === undefined ? undefined : divisionLabel(props.division, props.divisions);
  const [container, narrow] = useNarrow<HTMLDivElement>(560);
  const view = { captions, locale };
  const record = (e: RunEntry): React.ReactElement => {
    const identity = identityText(e);
    return (
      <>
        {e.label}
        {identity ? <span className={classes.muted} data-testid="entry-identity">{identity}</span> : null}
        {division ? <span className={classes.muted}>{division}</span> : null}
      </>
    );
  };
  const changes = (e: RunEntry): React.ReactElement | null => {
    const lines = changeLines(e, view);
    if (lines.length === 0) return null;
    return (
      <ul className={classes.lines}>
        {lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    );
  };
  const columns: IColumn[] = [
    { key: 'action', name: strings.ColumnOutcome, minWidth: 90, maxWidth: 120, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{entryOutcome(e)}</span> },
    { key: 'label', name: strings.ColumnRecord, minWidth: 140, maxWidth: 260, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{record(e)}</span> },
    { key: 'changes', name: strings.ColumnChanges, minWidth: 200, isMultiline: true, onRender: (e: RunEntry) => <div className={classes.wrap}>{changes(e)}</div> },
    { key: 'reason', name: strings.ColumnReason, minWidth: 160, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{describeReason(e, props.divisions)}</span> },
  ];
  // Below 560 px four columns leave each a few characters: each record is then a card, top to
  // bottom (outcome and name, code and city, the changes line by line, the reason).
  const card = (e: RunEntry | undefined): React.ReactNode =>
    e ? (
      <div className={classes.card} data-testid="entry-card">
        <strong>{entryOutcome(e)}</strong> · {record(e)}
        {changes(e) ? <div className={classes.line}>{changes(e)}</div> : null}
        <span className={classes.line}>{describeReason(e, props.divisions)}</span>
      </div>
    ) : null;
  return (
    <div ref={container}>
      <div className={classes.filters}>
        <Dropdown className={classes.filter} label={strings.FilterOutcome} options={options} selectedKey={outcome} onChange={(_, o) => o && setOutcome(o.key as RunAction | 'all')} />
        <SearchBox className={classes.filter} placeholder={strings.Search} ariaLabel={strings.Search} value={search} onChange={(_, v) => setSearch(v ?? '')} />
      </div>
      <Text block variant="small" aria-live="polite" data-testid={`${props.id}-shown`}>
        {format(strings.EntriesShown, formatNumber(shown.length, locale), formatNumber(props.entries.length, locale))}
      </Text>
      {shown.length === 0 ? (
        <Text block styles={{ root: { padding: '12px 0' } }}>
          {strings.NoEntries}
        </Text>
      ) : narrow ? (
        // The cards hold nothing focusable: the scrolling box itself takes the keyboard.
        <div className={classes.scroll} data-is-scrollable="true" data-testid={`${props.id}-rows`} tabIndex={0} role="region" aria-label={strings.ColumnRecord}>
          <List items={shown} onRenderCell={(e) => card(e)} aria-label={strings.ColumnRecord} />
        </div>
      ) : (
        <div className={classes.scroll} data-is-scrollable="true" data-testid={`${props.id}-rows`}>
          <DetailsList
            items={shown}
            columns={columns}
            selectionMode={SelectionMode.none}
            layoutMode={DetailsListLayoutMode.justified}
            getKey={(e: RunEntry) => `${e.action}-${e.exactKey}`}
            setKey={props.id}
            ariaLabelForGrid={strings.ColumnRecord}
          />
        </div>
      )}
    </div>
  );
}
