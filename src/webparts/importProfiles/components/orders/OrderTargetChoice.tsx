import * as React from 'react';
import { ChoiceGroup, type IChoiceGroupOption, type IChoiceGroupOptionProps } from '@fluentui/react/lib/ChoiceGroup';
import type { IRenderFunction } from '@fluentui/react/lib/Utilities';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { useAsync } from '../../../../ui/useAsync';
import type { OrdersPage } from './ordersPage';

/** What a new profile makes: Exact Online sales orders, concept invoices in a sales journal, or a Globe file. */
export interface TargetChoice {
  target: 'salesOrder' | 'salesInvoice' | 'exactGlobe';
  /** The sales journal's code; only for concept invoices. */
  journal: string | undefined;
}

const classes = mergeStyleSets({
  journal: { display: 'flex', flexDirection: 'column', gap: 4, padding: '4px 0 4px 26px', maxWidth: 400 },
  note: { display: 'block', paddingLeft: 26 },
});

/** The division's sales journals (one read); the first is taken until the person picks another. */
function JournalPicker(props: { page: OrdersPage; division: number | undefined; journal: string | undefined; onChange: (journal: string | undefined) => void }): React.ReactElement {
  const { page, division, journal, onChange } = props;
  const journals = useAsync(() => (division === undefined ? Promise.resolve([]) : page.service.salesJournals(division)), [page.service, division]);
  const list = journals.state.status === 'ready' ? journals.state.value : [];
  React.useEffect(() => {
    if (journals.state.status !== 'ready') return;
    // Only when the choice is not one of this division's journals (another division, or none yet).
    if (!list.some((j) => j.code === journal) && list[0]?.code !== journal) onChange(list[0]?.code);
  }, [journals.state, list, journal, onChange]);

  if (division !== undefined && journals.state.status === 'loading') return <Spinner size={SpinnerSize.small} label={strings.JournalsLoading} labelPosition="right" />;
  if (journals.state.status === 'failed') return <ProblemMessage error={journals.state.error} onRetry={journals.reload} lead={strings.JournalsFailed} />;
  return (
    <>
      <Dropdown
        label={strings.FieldJournal}
        required
        disabled={division === undefined || list.length === 0}
        placeholder={division === undefined ? strings.JournalNeedsDivision : strings.JournalPlaceholder}
        selectedKey={journal ?? null}
        options={list.map((j) => ({ key: j.code, text: `${j.code} · ${j.description}` }))}
        onChange={(_, option) => onChange(option ? String(option.key) : undefined)}
      />
      {division !== undefined && list.length === 0 ? <Text role="alert">{strings.NoJournals}</Text> : <Text variant="small">{strings.JournalHelp}</Text>}
    </>
  );
}

/**
 * `invoices` false: the source cannot make concept invoices (CRM orders become sales orders);
 * `globe` false: nor a Globe file (nothing marks a CRM order that went into a file, so Globe would import it twice).
 */
export function OrderTargetChoice(props: { page: OrdersPage; division: number | undefined; value: TargetChoice; onChange: (value: TargetChoice) => void; invoices: boolean; globe: boolean }): React.ReactElement {
  const { value, onChange, invoices, globe } = props;
  React.useEffect(() => {
    if ((!invoices && value.target === 'salesInvoice') || (!globe && value.target === 'exactGlobe')) onChange({ ...value, target: 'salesOrder' });
  }, [invoices, globe, value, onChange]);
  const setJournal = React.useCallback((journal: string | undefined) => onChange({ ...value, journal }), [onChange, value]);
  // The journal sits under its own option (Fluent's custom option field), not below the whole group.
  const invoiceField: IRenderFunction<IChoiceGroupOption & IChoiceGroupOptionProps> = (fieldProps, render) => (
    <div>
      {render?.(fieldProps)}
      {!invoices && <Text variant="small" className={classes.note}>{strings.TargetInvoiceNotForCrm}</Text>}
      {value.target === 'salesInvoice' && (
        <div className={classes.journal}>
          <JournalPicker page={props.page} division={props.division} journal={value.journal} onChange={setJournal} />
        </div>
      )}
    </div>
  );
  const globeField: IRenderFunction<IChoiceGroupOption & IChoiceGroupOptionProps> = (fieldProps, render) => (
    <div>
      {render?.(fieldProps)}
      {!globe && <Text variant="small" className={classes.note}>{strings.TargetGlobeNotForCrm}</Text>}
    </div>
  );
  return (
    <ChoiceGroup
      label={strings.FieldTarget}
      selectedKey={value.target}
      options={[
        { key: 'salesOrder', text: strings.TargetOnline },
        { key: 'salesInvoice', text: strings.TargetOnlineInvoice, onRenderField: invoiceField, disabled: !invoices },
        { key: 'exactGlobe', text: strings.TargetGlobe, onRenderField: globeField, disabled: !globe },
      ]}
      onChange={(_, option) => option && onChange({ ...value, target: option.key as TargetChoice['target'] })}
    />
  );
}

/** A valid choice: concept invoices need their journal. */
export const targetChosen = (value: TargetChoice): boolean => value.target !== 'salesInvoice' || value.journal !== undefined;
