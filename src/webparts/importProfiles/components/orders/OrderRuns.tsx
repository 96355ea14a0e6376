import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { ProgressIndicator } from '@fluentui/react/lib/ProgressIndicator';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import { OrderRunBusyError, type OrderProgress } from '../../../../orders/exactOnline';
import { readyOrders, type OrderPlan } from '../../../../orders/plan';
import type { OrderRun } from '../../../../orders/ports';
import type { OrderProfile } from '../../../../orders/profile';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format, formatDate } from '../../../../ui/format';
import { useAsync } from '../../../../ui/useAsync';
import { divisionLabel } from '../divisions';
import { money } from './money';
import type { OrdersPage } from './ordersPage';
import { OrderRunLog } from './OrderRunLog';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: 8 },
  history: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 4 },
  historyItem: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 },
});

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

  const progress = running?.progress;
  const left = progress && progress.done > 0 ? Math.round(((Date.now() - (running?.startedAt ?? 0)) / progress.done) * (progress.total - progress.done) / 1000) : undefined;
  return (
    <div className={classes.stack}>
      {plan && (
        <Section id="order-send" title={strings.SendTitle}>
          <div className={classes.buttons}>
            <PrimaryButton text={format(strings.Send, ready.length)} disabled={ready.length === 0 || running !== undefined || props.busy === true} onClick={() => setConfirming(true)} />
          </div>
          {progress && (
            <ProgressIndicator
              label={format(strings.Progress, progress.done, progress.total, progress.created, progress.linked, progress.failed)}
              description={left !== undefined ? format(strings.TimeLeft, left) : undefined}
              percentComplete={progress.total ? progress.done / progress.total : undefined}
            />
          )}
          {error !== undefined && (error instanceof OrderRunBusyError ? <MessageBar messageBarType={MessageBarType.warning}>{strings.RunBusy}</MessageBar> : <ProblemMessage error={error} lead={strings.RunFailed} />)}
        </Section>
      )}
      {shown && <OrderRunLog page={page} run={shown} onChanged={(run) => { setShown(run); history.reload(); props.onRunChanged?.(run); }} />}
      <Section id="order-history" title={strings.HistoryTitle}>
        {history.state.status === 'ready' && history.state.value.length === 0 && <Text>{strings.NoRuns}</Text>}
        {history.state.status === 'failed' && <ProblemMessage error={history.state.error} onRetry={history.reload} lead={strings.LoadFailed} />}
        {history.state.status === 'ready' && history.state.value.length > 0 && (
          <ul className={classes.history} aria-label={strings.HistoryTitle}>
            {history.state.value.slice(0, 20).map((run) => (
              <li key={run.id} className={classes.historyItem}>
                <Text>{format(strings.LogTitle, formatDate(run.startedAt, locale, true), run.user)}</Text>
                <DefaultButton text={strings.ShowRun} ariaLabel={`${strings.ShowRun}: ${format(strings.LogTitle, formatDate(run.startedAt, locale, true), run.user)}`} onClick={() => setShown(run)} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Dialog
        hidden={!confirming}
        onDismiss={() => setConfirming(false)}
        dialogContentProps={{ type: DialogType.normal, title: format(strings.ConfirmTitle, ready.length), subText: format(strings.ConfirmText, divisionLabel(profile.division, page.divisions), ready.length, money(gross, locale)) }}
        modalProps={{ isBlocking: true }}
      >
        <DialogFooter>
          <PrimaryButton text={strings.Confirm} onClick={() => void send()} />
          <DefaultButton text={strings.Cancel} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
    </div>
  );
}

