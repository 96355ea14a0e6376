import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import { orderStatusScheduleId, type OrderStatusResult } from '../../../../orders/statusRefresh';
import type { OrderStatusProgress } from '../../../../orders/statusPorts';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { divisionLabel } from '../divisions';
import { ScheduleSection } from '../editor/ScheduleSection';
import type { OrdersPage } from './ordersPage';

const classes = mergeStyleSets({
  body: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: 12 },
  division: { minWidth: 0, flex: '1 1 200px', maxWidth: 360 },
  failures: { margin: '4px 0 0', paddingLeft: 20, overflowWrap: 'anywhere' },
});

type State = { kind: 'idle' } | { kind: 'running'; progress?: OrderStatusProgress } | { kind: 'done'; result: OrderStatusResult } | { kind: 'failed'; error: unknown };

const stageNames: Record<Exclude<OrderStatusProgress['stage'], 'writing'>, string> = {
  orders: strings.StatusStageOrders,
  invoices: strings.StatusStageInvoices,
  receivables: strings.StatusStageReceivables,
  deleted: strings.StatusStageDeleted,
};

function progressText(progress: OrderStatusProgress | undefined): string {
  if (!progress) return '';
  if (progress.stage === 'writing') return format(strings.StatusProgressWriting, progress.total);
  return format(strings.StatusProgressReading, stageNames[progress.stage], progress.rows, progress.calls);
}

/** "Refresh status": Exact's order, invoice and payment status onto the CRM Sales Orders of one division. */
export function OrderStatusRefresh(props: { page: OrdersPage }): React.ReactElement {
  const { page } = props;
  const [division, setDivision] = React.useState<number | undefined>(page.defaultDivision);
  const [state, setState] = React.useState<State>({ kind: 'idle' });
  const [scheduling, setScheduling] = React.useState(false);
  // A refresh goes on when the admin opens a profile meanwhile; its answer then has no screen to go to.
  const mounted = React.useRef(true);
  React.useEffect(() => () => {
    mounted.current = false;
  }, []);
  const show = (next: State): void => {
    if (mounted.current) setState(next);
  };
  const refresh = async (): Promise<void> => {
    if (division === undefined) return;
    show({ kind: 'running' });
    try {
      show({ kind: 'done', result: await page.service.refreshStatus(division, (progress) => show({ kind: 'running', progress })) });
    } catch (error) {
      show({ kind: 'failed', error });
    }
  };
  const running = state.kind === 'running';
  return (
    <Section id="order-status" title={strings.StatusTitle}>
      <div className={classes.body}>
        <Text>{strings.StatusIntro}</Text>
        <div className={classes.controls}>
          {page.divisions.length > 1 ? (
            <Dropdown
              className={classes.division}
              label={strings.StatusDivision}
              selectedKey={division}
              disabled={running}
              options={page.divisions.map((d) => ({ key: d.code, text: divisionLabel(d.code, page.divisions) }))}
              onChange={(_, option) => {
                setDivision(option ? Number(option.key) : undefined);
                // The counts shown were another administration's.
                setState({ kind: 'idle' });
              }}
            />
          ) : null}
          <DefaultButton text={strings.StatusRefresh} iconProps={{ iconName: 'Sync' }} disabled={running || division === undefined} onClick={() => void refresh()} />
          <DefaultButton text={strings.StatusSchedule} iconProps={{ iconName: 'Clock' }} toggle checked={scheduling} aria-expanded={scheduling} disabled={division === undefined} onClick={() => setScheduling(!scheduling)} />
        </div>
        {state.kind === 'running' ? (
          <ProgressIndicator
            label={strings.StatusRefreshing}
            description={progressText(state.progress)}
            // Exact does not say how much there is to read; the writes are counted.
            percentComplete={state.progress?.stage === 'writing' && state.progress.total > 0 ? state.progress.done / state.progress.total : undefined}
            ariaValueText={progressText(state.progress) || strings.StatusRefreshing}
          />
        ) : null}
        <div role="status" aria-live="polite">
          {state.kind === 'done' ? <StatusOutcome result={state.result} /> : null}
        </div>
        {state.kind === 'failed' ? <ProblemMessage error={state.error} lead={strings.StatusFailed} onRetry={() => void refresh()} /> : null}
        {scheduling && division !== undefined ? (
          // Keyed by division: each division's refresh is its own background schedule.
          <ScheduleSection key={division} profile={{ id: orderStatusScheduleId(division), name: format(strings.StatusScheduleName, divisionLabel(division, page.divisions)), entity: 'SalesOrder', division }} intro={strings.StatusScheduleIntro} />
        ) : null}
      </div>
    </Section>
  );
}

function StatusOutcome(props: { result: OrderStatusResult }): React.ReactElement {
  const { result } = props;
  const details = format(strings.StatusDetails, result.orders, result.read.orders, result.read.invoices, result.read.receivables, result.calls);
  if (result.orders === 0) return <MessageBar messageBarType={MessageBarType.info}>{strings.StatusNoOrders}</MessageBar>;
  return (
    <>
      <MessageBar messageBarType={result.failures.length ? MessageBarType.warning : MessageBarType.success} isMultiline>
        <strong>{format(strings.StatusSummary, result.updated, result.paid, result.overdue)}</strong>
        <div>{result.updated === 0 && !result.failures.length ? format(strings.StatusNothing, result.orders) : details}</div>
      </MessageBar>
      {result.failures.length ? (
        <MessageBar messageBarType={MessageBarType.error} isMultiline>
          {format(strings.StatusFailures, result.failures.length)}
          <ul className={classes.failures}>
            {result.failures.map((f) => <li key={f.itemId}>{format(strings.StatusFailure, f.title || `#${f.itemId}`, f.reason)}</li>)}
          </ul>
        </MessageBar>
      ) : null}
    </>
  );
}
