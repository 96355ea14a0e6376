import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import { OrderRunBusyError, type OrderProgress } from '../../../../orders/exactOnline';
import { readyOrders, type OrderPlan } from '../../../../orders/plan';
import type { OrderLogEntry, OrderRun } from '../../../../orders/ports';
import type { OrderProfile } from '../../../../orders/profile';
import { OrderReasonError, renderOrderReason } from '../../../../orders/reasons';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format, formatDate } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';
import { divisionLabel } from '../divisions';
import { wrappingButton } from './buttonStyles';
import { money } from './money';
import type { OrdersPage } from './ordersPage';
import { OrderCards, type OrderField } from './OrderCards';
import { OrderRunLog } from './OrderRunLog';
import { profileDocument, runWords } from './runWords';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: 8 },
});

/** A run's state in a word: still running, done, or undone (how many it deleted). */
function runStatus(run: OrderRun): string {
  if (run.status === 'running') return strings.RunRunning;
  if (run.status === 'undone' || run.undo.length > 0) return format(strings.RunUndone, run.undo.filter((u) => u.outcome === 'deleted').length);
  return strings.RunFinished;
}

interface Running { progress: OrderProgress; startedAt: number }

/** Create the orders in Exact Online (confirm, progress, log, undo), and the profile's earlier runs. */
export function OrderRuns(props: { page: OrdersPage; profile: OrderProfile; plan?: OrderPlan; busy?: boolean; onRunChanged?: (run: OrderRun) => void }): React.ReactElement {
  const { page, profile, plan } = props;
  const { locale } = useConnector();
  const [confirming, setConfirming] = React.useState(false);
  const [running, setRunning] = React.useState<Running>();
  const [shown, setShown] = React.useState<OrderRun>();
  const [error, setError] = React.useState<unknown>();
  const history = useAsync(() => page.service.listRuns(profile.id), [page.service, profile.id]);
  const ready = plan ? readyOrders(plan) : [];
  const gross = ready.reduce((sum, o) => sum + o.gross, 0);
  const words = runWords(profileDocument(profile));
  const journal = profile.target.kind === 'exactOnline' ? profile.target.journal ?? '' : '';

  const send = async (): Promise<void> => {
    if (!plan) return;
    setConfirming(false);
    setError(undefined);
    setShown(undefined);
    const startedAt = Date.now();
    setRunning({ progress: { done: 0, total: ready.length, created: 0, linked: 0, failed: 0 }, startedAt });
    try {
      const run = await page.service.send(profile, plan, { user: page.user, onProgress: (progress) => setRunning({ progress, startedAt }) });
      setShown(run);
      props.onRunChanged?.(run);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(undefined);
      history.reload();
    }
  };

  const count = (run: OrderRun, outcome: OrderLogEntry['outcome']): string => String(run.entries.filter((e) => e.outcome === outcome).length);
  const runFields: Array<OrderField<OrderRun>> = [
    { key: 'when', name: strings.ColWhen, minWidth: 130, maxWidth: 170, tableOnly: true, render: (run) => formatDate(run.startedAt, locale, true) },
    { key: 'who', name: strings.ColWho, minWidth: 100, maxWidth: 180, render: (run) => run.user },
    { key: 'created', name: strings.OutcomeCreated, minWidth: 90, maxWidth: 110, render: (run) => count(run, 'created') },
    { key: 'linked', name: strings.OutcomeLinked, minWidth: 130, maxWidth: 160, render: (run) => count(run, 'linked') },
    { key: 'failed', name: strings.OutcomeFailed, minWidth: 60, maxWidth: 80, render: (run) => count(run, 'failed') },
    { key: 'status', name: strings.ColStatus, minWidth: 110, maxWidth: 200, render: (run) => runStatus(run) },
  ];
  const progress = running?.progress;
  const left = progress && progress.done > 0 ? Math.round(((Date.now() - (running?.startedAt ?? 0)) / progress.done) * (progress.total - progress.done) / 1000) : undefined;
  return (
    <div className={classes.stack}>
      {plan && (
        <Section id="order-send" title={words.sendTitle}>
          <div className={classes.buttons}>
            <PrimaryButton styles={wrappingButton} text={format(words.send, ready.length)} disabled={ready.length === 0 || running !== undefined || props.busy === true} onClick={() => setConfirming(true)} />
          </div>
          {progress && (
            <ProgressIndicator
              label={format(words.progress, progress.done, progress.total, progress.created, progress.linked, progress.failed)}
              description={left === undefined ? strings.TimeLeftUnknown : left >= 90 ? format(strings.TimeLeftMinutes, Math.round(left / 60)) : format(strings.TimeLeft, Math.max(1, left))}
              percentComplete={progress.total ? progress.done / progress.total : undefined}
            />
          )}
          {error !== undefined && (error instanceof OrderRunBusyError ? <MessageBar messageBarType={MessageBarType.warning}>{strings.RunBusy}</MessageBar>
            // The profile cannot send at all (no or a wrong sales journal): nothing was sent, so the reason alone, in the reader's words.
            : error instanceof OrderReasonError ? <MessageBar messageBarType={MessageBarType.error} isMultiline>{renderOrderReason(error.reason, strings)}</MessageBar>
              : <ProblemMessage error={error} lead={strings.RunFailed} />)}
        </Section>
      )}
      {shown && <OrderRunLog page={page} run={shown} onChanged={(run) => { setShown(run); history.reload(); props.onRunChanged?.(run); }} />}
      <Section id="order-history" title={strings.HistoryTitle}>
        {history.state.status === 'loading' && <Spinner size={SpinnerSize.small} label={strings.LoadingRuns} labelPosition="right" />}
        {history.state.status === 'ready' && history.state.value.length === 0 && <Text>{strings.NoRuns}</Text>}
        {history.state.status === 'failed' && <ProblemMessage error={history.state.error} onRetry={history.reload} lead={strings.LoadFailed} />}
        {history.state.status === 'ready' && history.state.value.length > 0 && (
          <OrderCards
            items={history.state.value}
            fields={runFields}
            title={(run) => formatDate(run.startedAt, locale, true)}
            actions={(run) => <DefaultButton text={strings.ShowRun} ariaLabel={format(strings.ShowRunOf, formatDate(run.startedAt, locale, true), run.user)} aria-pressed={shown?.id === run.id} onClick={() => setShown(run)} />}
            actionsName={strings.ColActions}
            getKey={(run) => run.id}
            version={shown?.id}
            label={strings.HistoryTitle}
            testId="order-history-rows"
          />
        )}
      </Section>
      <Dialog
        hidden={!confirming}
        onDismiss={() => setConfirming(false)}
        dialogContentProps={{ type: DialogType.normal, title: format(words.confirmTitle, ready.length), subText: format(words.confirmText, divisionLabel(profile.division, page.divisions), ready.length, money(gross, locale), journal) }}
        modalProps={{ isBlocking: true }}
      >
        <DialogFooter>
          <PrimaryButton styles={wrappingButton} text={words.confirm} onClick={() => void send()} />
          <DefaultButton styles={wrappingButton} text={strings.Cancel} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
    </div>
  );
}

