import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'OrderProfilesStrings';
import { IN_EXACT, type CrmOrder, type CrmOrderProblem, type CrmOrders as CrmRead, type CrmProblemCode } from '../../../../orders/crmSource';
import { sourceOrderReference, type OrderPlan } from '../../../../orders/plan';
import type { OrderProfile } from '../../../../orders/profile';
import { useConnector } from '../../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../../ui/components/ProblemMessage';
import { Section } from '../../../../ui/components/Section';
import { format, formatDate } from '../../../../ui/format';
import type { OrdersPage } from './ordersPage';

const problemText: Record<CrmProblemCode, string> = {
  noCustomer: strings.CrmProblemNoCustomer,
  noDate: strings.CrmProblemNoDate,
  notDate: strings.CrmProblemNotDate,
  noOrder: strings.CrmProblemNoOrder,
  empty: strings.CrmProblemEmpty,
  notNumber: strings.CrmProblemNotNumber,
  zero: strings.CrmProblemZero,
  discountRange: strings.CrmProblemDiscount,
  noItem: strings.CrmProblemNoItem,
  heldBack: strings.CrmProblemHeldBack,
  noLines: strings.CrmProblemNoLines,
  invalid: strings.CrmProblemInvalid,
};

const describeProblem = (p: CrmOrderProblem): string =>
  format(strings.CrmProblem, p.list, p.itemId ?? '-', p.order ?? (p.orderId !== null ? `#${p.orderId}` : '-'), p.column, p.code === 'invalid' ? `${problemText.invalid} (${p.message})` : problemText[p.code]);

type Loaded = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; read: CrmRead };

/**
 * A CRM-source profile's orders: the CRM orders `Ready for Exact` read from SharePoint, each with
 * where it stands (ready, held back and why, or in Exact with its order number), and the items
 * that cannot be sent yet, each named by list, item, order and column.
 */
export function CrmOrders(props: { page: OrdersPage; profile: OrderProfile; plan?: OrderPlan; sent: number; onRead: (read: CrmRead | undefined) => void }): React.ReactElement {
  const { page, profile, plan, onRead } = props;
  const { locale } = useConnector();
  const theme = useTheme();
  const [loaded, setLoaded] = React.useState<Loaded>({ status: 'loading' });
  const [reads, setReads] = React.useState(0);
  const [orders, setOrders] = React.useState<CrmOrder[]>([]);
  const classes = mergeStyleSets({
    stack: { display: 'flex', flexDirection: 'column', gap: 8, alignItems: 'flex-start', minWidth: 0 },
    list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 6, alignSelf: 'stretch', maxHeight: 480, overflowY: 'auto' },
    order: { display: 'flex', flexWrap: 'wrap', columnGap: 12, rowGap: 2, padding: '6px 8px', borderLeft: `3px solid ${theme.palette.neutralTertiaryAlt}`, minWidth: 0, overflowWrap: 'anywhere' },
    inExact: { borderLeftColor: theme.semanticColors.successIcon },
    held: { borderLeftColor: theme.semanticColors.warningIcon },
    problems: { margin: '4px 0 0', paddingLeft: 20, maxHeight: 200, overflowY: 'auto', overflowWrap: 'anywhere' },
  });

  React.useEffect(() => {
    let live = true;
    setLoaded({ status: 'loading' });
    onRead(undefined);
    page.service.readCrmOrders(profile).then(
      (read) => {
        if (!live) return;
        setLoaded({ status: 'ready', read });
        setOrders(read.orders);
        onRead(read);
      },
      (error: unknown) => live && setLoaded({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
    // The profile's mapping changes ("map now") re-plan, they need no new read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page.service, profile.id, reads]);

  // After a send or an undo: what was written back onto the CRM orders, without reading them again.
  React.useEffect(() => {
    if (props.sent > 0) setOrders(page.service.lastCrmOrders(profile.id));
  }, [page.service, profile.id, props.sent]);

  const read = loaded.status === 'ready' ? loaded.read : undefined;
  const held = new Set(plan?.heldBack ?? []);
  const badOrders = new Set((read?.problems ?? []).map((p) => p.orderId));
  const statusOf = (order: CrmOrder): { text: string; tone: 'inExact' | 'held' | 'ready' } => {
    if (order.status === IN_EXACT && order.exactOrderNumber !== null) return { text: format(strings.CrmInExact, order.exactOrderNumber), tone: 'inExact' };
    if (badOrders.has(order.id)) return { text: strings.CrmHeldBadLines, tone: 'held' };
    if (held.has(sourceOrderReference(profile.referencePrefix, String(order.id)))) return { text: strings.HeldBack, tone: 'held' };
    return { text: strings.CrmReady, tone: 'ready' };
  };

  return (
    <Section id="order-crm" title={strings.CrmTitle} actions={<DefaultButton iconProps={{ iconName: 'Refresh' }} text={strings.CrmReadAgain} disabled={loaded.status === 'loading'} onClick={() => setReads((n) => n + 1)} />}>
      <div className={classes.stack}>
        <Text>{format(strings.CrmIntro, profile.source.kind === 'crmLists' ? profile.source.ordersList : '', `${profile.referencePrefix}-`)}</Text>
        {loaded.status === 'loading' && <Spinner size={SpinnerSize.medium} label={strings.CrmReading} />}
        {loaded.status === 'failed' && <ProblemMessage error={loaded.error} lead={strings.CrmReadFailed} onRetry={() => setReads((n) => n + 1)} />}
        {read && orders.length === 0 && read.problems.length === 0 && <Text role="status">{strings.CrmNone}</Text>}
        {read && (orders.length > 0 || read.problems.length > 0) && <Text role="status">{format(strings.CrmCount, orders.length, read.lines.length)}</Text>}
        {orders.length > 0 && (
          <ul className={classes.list} aria-label={strings.CrmTitle}>
            {orders.map((order) => {
              const status = statusOf(order);
              return (
                <li key={order.id} className={`${classes.order} ${status.tone === 'inExact' ? classes.inExact : status.tone === 'held' ? classes.held : ''}`}>
                  <Text styles={{ root: { fontWeight: 600 } }}>{order.title || `#${order.id}`}</Text>
                  <Text>{order.customerName}</Text>
                  <Text>{formatDate(order.orderDate, locale)}</Text>
                  <Text>{status.text}</Text>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {read && read.problems.length > 0 && (
        <MessageBar messageBarType={MessageBarType.warning} isMultiline>
          {format(strings.CrmProblems, read.problems.length)}
          <ul className={classes.problems}>
            {read.problems.slice(0, 200).map((p, i) => <li key={i}>{describeProblem(p)}</li>)}
          </ul>
        </MessageBar>
      )}
    </Section>
  );
}
