import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'ImportProfilesWebPartStrings';
import type { FieldChange, RunAction, RunEntry } from '../../../sync/journal/records';
import { reasonParts } from '../../../sync/journal/reasons';
import { useConnector } from '../../../ui/ConnectorContext';
import { format, formatNumber } from '../../../ui/format';
import { divisionLabel, type Division } from './divisions';
import { outcomeLabel } from './labels';
import { useNarrow } from './useNarrow';

const show = (value: FieldChange['before']): string => (value === null || value === '' ? strings.Empty : String(value));

export function describeChanges(entry: RunEntry): string {
  const changes = entry.changes.map((c) => `${c.field}: ${show(c.before)} → ${show(c.after)}`);
  if (entry.kept.length > 0) changes.push(format(strings.KeptCrmEdits, entry.kept.join(', ')));
  return changes.join('; ');
}

/** The reason in the reader's words; a division it names is named as people know it, not by code alone. */
export function describeReason(entry: RunEntry, divisions: readonly Division[] = []): string {
  const { reason } = entry;
  const named = reason.code === 'divisionRecorded' || reason.code === 'divisionRecordedFieldsChanged'
    ? { ...reason, args: reason.args.map((a, i) => (i < 2 && typeof a === 'number' ? divisionLabel(a, divisions) : a)) }
    : reason;
  const parts = reasonParts({ ...entry, reason: named }, strings);
  if (entry.message) parts.push(entry.message);
  return parts.filter(Boolean).join(' · ');
}

/** An entry's outcome in the summary's words: a deletion with a flag written is "flagged as deleted in Exact". */
export function entryOutcome(entry: RunEntry): string {
  return entry.action === 'deleted' && entry.changes.length > 0 ? strings.OutcomeFlagged : outcomeLabel(entry.action);
}

/** Filters by outcome and by a search in the record's name or code (the label and the key). */
export function filterEntries(entries: RunEntry[], outcome: RunAction | 'all', search: string): RunEntry[] {
  const needle = search.trim().toLowerCase();
  return entries.filter((e) => (outcome === 'all' || e.action === outcome) && (!needle || e.label.toLowerCase().includes(needle) || e.exactKey.toLowerCase().includes(needle)));
}

/**
 * Records of a preview or a run log, field by field, each with the division it comes from (account
 * codes are per division). DetailsList renders only the rows in view, so 10,000 records stay responsive.
 */
export function EntryList(props: { id: string; entries: RunEntry[]; division?: number; divisions: readonly Division[] }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const [outcome, setOutcome] = React.useState<RunAction | 'all'>('all');
  const [search, setSearch] = React.useState('');
  const actions = React.useMemo(() => Array.from(new Set(props.entries.map((e) => e.action))), [props.entries]);
  const shown = React.useMemo(() => filterEntries(props.entries, outcome, search), [props.entries, outcome, search]);
  const options: IDropdownOption[] = [{ key: 'all', text: strings.FilterAll }, ...actions.map((a) => ({ key: a, text: outcomeLabel(a) }))];
  const classes = mergeStyleSets({
    filters: { display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-end', marginBottom: 8 },
    filter: { minWidth: 160, flex: '1 1 160px', maxWidth: 320 },
    scroll: { maxHeight: 520, overflow: 'auto', border: `1px solid ${theme.palette.neutralLight}` },
    wrap: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
    division: { display: 'block', color: theme.palette.neutralSecondary, fontSize: 12 },
    line: { display: 'block', marginTop: 4 },
  });
  const division = props.division === undefined ? undefined : divisionLabel(props.division, props.divisions);
  const [container, narrow] = useNarrow<HTMLDivElement>(560);
  // Below 560 px four columns leave each a few characters: one column tells each record top to bottom.
  const stacked: IColumn[] = [
    {
      key: 'entry',
      name: strings.ColumnRecord,
      minWidth: 160,
      isMultiline: true,
      onRender: (e: RunEntry) => {
        const changes = describeChanges(e);
        return (
          <div className={classes.wrap}>
            <strong>{entryOutcome(e)}</strong> · {e.label}
            {division ? <span className={classes.division}>{division}</span> : null}
            {changes ? <span className={classes.line}>{changes}</span> : null}
            <span className={classes.line}>{describeReason(e, props.divisions)}</span>
          </div>
        );
      },
    },
  ];
  const columns: IColumn[] = [
    { key: 'action', name: strings.ColumnOutcome, minWidth: 90, maxWidth: 120, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{entryOutcome(e)}</span> },
    {
      key: 'label',
      name: strings.ColumnRecord,
      minWidth: 140,
      maxWidth: 260,
      isMultiline: true,
      onRender: (e: RunEntry) => (
        <span className={classes.wrap}>
          {e.label}
          {division ? <span className={classes.division}>{division}</span> : null}
        </span>
      ),
    },
    { key: 'changes', name: strings.ColumnChanges, minWidth: 200, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{describeChanges(e)}</span> },
    { key: 'reason', name: strings.ColumnReason, minWidth: 160, isMultiline: true, onRender: (e: RunEntry) => <span className={classes.wrap}>{describeReason(e, props.divisions)}</span> },
  ];
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
      ) : (
        <div className={classes.scroll} data-is-scrollable="true" data-testid={`${props.id}-rows`}>
          <DetailsList
            items={shown}
            columns={narrow ? stacked : columns}
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
