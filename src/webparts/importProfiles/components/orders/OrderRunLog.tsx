import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderLogEntry, OrderRun } from '../../../../orders/ports';
import { renderOrderReason } from '../../../../orders/reasons';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { downloadText } from '../../../../ui/download';
import { format, formatDate } from '../../../../ui/format';
import { wrappingButton } from './buttonStyles';
import { money } from './money';
import { OrderCards, type OrderField } from './OrderCards';
import type { OrdersPage } from './ordersPage';
import { runWords } from './runWords';

const classes = mergeStyleSets({
  stack: { display: 'flex', flexDirection: 'column', gap: 12, minWidth: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: 8 },
  refused: { margin: 0, paddingLeft: 20 },
});

const outcomeText: Record<OrderLogEntry['outcome'], () => string> = {
  created: () => strings.OutcomeCreated,
  linked: () => strings.OutcomeLinked,
  failed: () => strings.OutcomeFailed,
  blocked: () => strings.OutcomeBlocked,
};

/** One run's log: per order the outcome, Exact's order number and why; CSV; undo of the orders it created. */
export function OrderRunLog(props: { page: OrdersPage; run: OrderRun; onChanged: (run: OrderRun) => void }): React.ReactElement {
  const { page, run } = props;
  const { locale } = useConnector();
  const [confirming, setConfirming] = React.useState(false);
  const [undoing, setUndoing] = React.useState(false);
  const [error, setError] = React.useState<unknown>();
  const words = runWords(run.document);
  const count = (outcome: OrderLogEntry['outcome']): number => run.entries.filter((e) => e.outcome === outcome).length;
  const undoCount = (outcome: string): number => run.undo.filter((u) => u.outcome === outcome).length;
  const undone = React.useMemo(() => new Map(run.undo.map((u) => [u.orderId, u])), [run]);
  const outcome = (e: OrderLogEntry): string => {
    const u = e.orderId === null ? undefined : undone.get(e.orderId);
    if (u?.outcome === 'deleted') return strings.OutcomeDeleted;
    if (u?.outcome === 'refused' || u?.outcome === 'failed') return strings.OutcomeKept;
    return outcomeText[e.outcome]();
  };
  // The engine stores codes; they are worded here in the reader's language (Exact's own messages as Exact wrote them).
  const why = (e: OrderLogEntry): string => {
    const u = e.orderId === null ? undefined : undone.get(e.orderId);
    return [...e.reasons, ...(u?.reason ? [u.reason] : [])].map((r) => renderOrderReason(r, strings)).join(' ') || '—';
  };
  const fields: Array<OrderField<OrderLogEntry>> = [
    { key: 'customer', name: strings.ColCustomer, minWidth: 140, maxWidth: 240, tableOnly: true, render: (e) => e.customerName },
    { key: 'outcome', name: strings.ColStatus, minWidth: 90, maxWidth: 150, render: outcome },
    { key: 'order', name: words.colNumber, minWidth: 60, maxWidth: 80, render: (e) => (e.orderNumber !== null ? String(e.orderNumber) : e.orderId !== null ? words.noNumber : '—') },
    { key: 'reference', name: strings.ColReference, minWidth: 150, maxWidth: 200, render: (e) => e.reference },
    { key: 'incl', name: strings.ColIncl, minWidth: 90, maxWidth: 110, render: (e) => money(e.gross, locale) },
    { key: 'why', name: strings.ColReasons, minWidth: 200, render: why },
  ];
  const created = count('created');
  const undo = async (): Promise<void> => {
    setConfirming(false);
    setUndoing(true);
    setError(undefined);
    try {
      props.onChanged(await page.service.undo(run.id));
    } catch (e) {
      setError(e);
    } finally {
      setUndoing(false);
    }
  };
  return (
    <Section id="order-run-log" title={format(strings.LogTitle, formatDate(run.startedAt, locale, true), run.user)}>
      <div className={classes.stack}>
      <Text role="status">{format(strings.LogSummary, created, count('linked'), count('failed'), count('blocked'))}</Text>
      {created === 0 && count('linked') > 0 && (
        <MessageBar messageBarType={MessageBarType.info} isMultiline>
          {format(count('failed') + count('blocked') === 0 ? words.nothingNew : words.nothingNewSome, count('linked'))}
        </MessageBar>
      )}
      {run.undo.length > 0 && (
        <MessageBar messageBarType={undoCount('refused') + undoCount('failed') > 0 ? MessageBarType.warning : MessageBarType.success} isMultiline>
          {format(strings.UndoSummary, undoCount('deleted'), undoCount('refused') + undoCount('failed'), undoCount('gone'))}
          <ul className={classes.refused}>
            {run.undo.filter((u) => u.outcome === 'refused' || u.outcome === 'failed').map((u) => (
              <li key={u.orderId}>{format(words.undoRefused, u.orderNumber ?? u.reference, u.reason ? renderOrderReason(u.reason, strings) : '')}</li>
            ))}
          </ul>
        </MessageBar>
      )}
      {error !== undefined && <ProblemMessage error={error} lead={strings.UndoFailed} />}
      <div className={classes.buttons}>
        <DefaultButton styles={wrappingButton} iconProps={{ iconName: 'Download' }} text={strings.DownloadCsv} onClick={() => downloadText(`${run.id}.csv`, page.service.logCsv(run, strings))} />
        {created > 0 && run.status !== 'undone' && <DefaultButton styles={wrappingButton} iconProps={{ iconName: 'Undo' }} text={strings.Undo} disabled={undoing} onClick={() => setConfirming(true)} />}
      </div>
      {undoing && <Spinner size={SpinnerSize.small} label={words.undoing} labelPosition="right" />}
      <OrderCards items={run.entries} fields={fields} title={(e) => e.customerName} getKey={(e) => e.reference} label={words.logListLabel} testId="order-run-rows" />
      </div>
      <Dialog hidden={!confirming} onDismiss={() => setConfirming(false)} dialogContentProps={{ type: DialogType.normal, title: words.undoConfirmTitle, subText: words.undoConfirmText }} modalProps={{ isBlocking: true }}>
        <DialogFooter>
          <PrimaryButton styles={wrappingButton} text={strings.Undo} onClick={() => void undo()} />
          <DefaultButton styles={wrappingButton} text={strings.Cancel} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
    </Section>
  );
}
