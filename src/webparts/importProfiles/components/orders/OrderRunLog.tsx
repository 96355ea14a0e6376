import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { Dialog, DialogFooter, DialogType } from '@fluentui/react/lib/Dialog';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { PrimaryButton } from '@fluentui/react/lib/Button';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderLogEntry, OrderRun } from '../../../../orders/ports';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { downloadText } from '../../../../ui/download';
import { format, formatDate } from '../../../../ui/format';
import { money } from './money';
import type { OrdersPage } from './ordersPage';
import { runWords } from './runWords';

const classes = mergeStyleSets({
  buttons: { display: 'flex', flexWrap: 'wrap', gap: 8 },
  list: { maxHeight: 480, overflow: 'auto', position: 'relative' },
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
  const deleted = React.useMemo(() => new Set(run.undo.filter((u) => u.outcome === 'deleted').map((u) => u.orderId)), [run]);
  const columns: IColumn[] = React.useMemo(() => [
    { key: 'customer', name: strings.ColCustomer, minWidth: 140, maxWidth: 240, isMultiline: true, onRender: (e: OrderLogEntry) => e.customerName },
    { key: 'reference', name: strings.ColReference, minWidth: 150, maxWidth: 200, onRender: (e: OrderLogEntry) => e.reference },
    { key: 'outcome', name: strings.ColStatus, minWidth: 90, maxWidth: 150, isMultiline: true, onRender: (e: OrderLogEntry) => (e.orderId !== null && deleted.has(e.orderId) ? strings.OutcomeDeleted : outcomeText[e.outcome]()) },
    { key: 'order', name: words.colNumber, minWidth: 60, maxWidth: 80, onRender: (e: OrderLogEntry) => (e.orderNumber !== null ? String(e.orderNumber) : e.orderId !== null ? words.noNumber : '—') },
    { key: 'incl', name: strings.ColIncl, minWidth: 90, maxWidth: 110, onRender: (e: OrderLogEntry) => money(e.gross, locale) },
    { key: 'why', name: strings.ColReasons, minWidth: 200, isMultiline: true, onRender: (e: OrderLogEntry) => e.reasons.join(' ') },
  ], [deleted, locale, words]);
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
      <Text role="status">{format(strings.LogSummary, created, count('linked'), count('failed'), count('blocked'))}</Text>
      {run.undo.length > 0 && (
        <MessageBar messageBarType={undoCount('refused') + undoCount('failed') > 0 ? MessageBarType.warning : MessageBarType.success} isMultiline>
          {format(strings.UndoSummary, undoCount('deleted'), undoCount('refused') + undoCount('failed'), undoCount('gone'))}
          <ul className={classes.refused}>
            {run.undo.filter((u) => u.outcome === 'refused' || u.outcome === 'failed').map((u) => (
              <li key={u.orderId}>{format(words.undoRefused, u.orderNumber ?? u.reference, u.reason ?? '')}</li>
            ))}
          </ul>
        </MessageBar>
      )}
      {error !== undefined && <ProblemMessage error={error} lead={strings.UndoFailed} />}
      <div className={classes.buttons}>
        <DefaultButton iconProps={{ iconName: 'Download' }} text={strings.DownloadCsv} onClick={() => downloadText(`${run.id}.csv`, page.service.logCsv(run))} />
        {created > 0 && run.status !== 'undone' && <DefaultButton iconProps={{ iconName: 'Undo' }} text={strings.Undo} disabled={undoing} onClick={() => setConfirming(true)} />}
      </div>
      <div className={classes.list} data-is-scrollable="true">
        <DetailsList items={run.entries} columns={columns} selectionMode={SelectionMode.none} layoutMode={DetailsListLayoutMode.justified} getKey={(e: OrderLogEntry) => e.reference} ariaLabelForGrid={strings.ColReasons} />
      </div>
      <Dialog hidden={!confirming} onDismiss={() => setConfirming(false)} dialogContentProps={{ type: DialogType.normal, title: words.undoConfirmTitle, subText: words.undoConfirmText }} modalProps={{ isBlocking: true }}>
        <DialogFooter>
          <PrimaryButton text={strings.Undo} onClick={() => void undo()} />
          <DefaultButton text={strings.Cancel} onClick={() => setConfirming(false)} />
        </DialogFooter>
      </Dialog>
    </Section>
  );
}
