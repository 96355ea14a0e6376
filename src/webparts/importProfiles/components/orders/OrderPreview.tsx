import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderPlan, PlannedOrder, RateTotal } from '../../../../orders/plan';
import { globeSummary } from '../../../../orders/globe';
import { useConnector } from '../../../../ui/ConnectorContext';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { money, rate } from './money';

const classes = mergeStyleSets({
  totals: { margin: 0, paddingLeft: 20 },
  // The list scrolls inside its own box, so thousands of orders stay virtualised.
  list: { maxHeight: 480, overflow: 'auto', position: 'relative' },
});

const rateText = (totals: RateTotal[], locale: string): string => totals.map((t) => `${rate(t.percentage, locale)} ${money(t.vat, locale)}`).join(', ');

/** Per customer: the Exact account, reference, lines, totals excluding and including VAT per rate; held-back orders marked. */
export function OrderPreview(props: { plan: OrderPlan }): React.ReactElement {
  const { locale } = useConnector();
  const { plan } = props;
  const held = React.useMemo(() => new Set(plan.heldBack), [plan]);
  const summary = globeSummary(plan);
  const columns: IColumn[] = React.useMemo(() => [
    { key: 'customer', name: strings.ColCustomer, minWidth: 140, maxWidth: 260, isMultiline: true, onRender: (o: PlannedOrder) => o.customerName },
    { key: 'account', name: strings.ColAccount, minWidth: 120, maxWidth: 240, isMultiline: true, onRender: (o: PlannedOrder) => (o.account.id ? `${o.account.name} (${o.account.code})` : '—') },
    { key: 'reference', name: strings.ColReference, minWidth: 150, maxWidth: 200, onRender: (o: PlannedOrder) => o.reference },
    { key: 'lines', name: strings.ColLines, minWidth: 50, maxWidth: 60, onRender: (o: PlannedOrder) => String(o.sourceLines) },
    // A held-back order has no amounts yet: its unmapped lines have no item or VAT code to price.
    { key: 'excl', name: strings.ColExcl, minWidth: 90, maxWidth: 110, onRender: (o: PlannedOrder) => (held.has(o.reference) ? '—' : money(o.net, locale)) },
    { key: 'vat', name: strings.ColVat, minWidth: 120, maxWidth: 200, isMultiline: true, onRender: (o: PlannedOrder) => (held.has(o.reference) ? '—' : rateText(o.totals, locale)) },
    { key: 'incl', name: strings.ColIncl, minWidth: 90, maxWidth: 110, onRender: (o: PlannedOrder) => (held.has(o.reference) ? '—' : money(o.gross, locale)) },
    { key: 'status', name: strings.ColStatus, minWidth: 110, maxWidth: 180, isMultiline: true, onRender: (o: PlannedOrder) => (held.has(o.reference) ? strings.HeldBack : strings.Ready) },
  ], [held, locale]);
  return (
    <Section id="order-preview" title={strings.PreviewTitle}>
      <Text>{format(strings.PreviewSummary, summary.orders, summary.customers, summary.lines, money(summary.net, locale), money(summary.gross, locale), summary.heldBack)}</Text>
      <ul className={classes.totals}>
        {summary.rates.map((r) => (
          <li key={r.vatCode}><Text>{format(strings.RateTotal, rate(r.percentage, locale), money(r.net, locale), money(r.vat, locale), money(r.gross, locale))}</Text></li>
        ))}
      </ul>
      <div className={classes.list} data-is-scrollable="true">
        <DetailsList
          items={plan.orders}
          columns={columns}
          selectionMode={SelectionMode.none}
          layoutMode={DetailsListLayoutMode.justified}
          getKey={(o: PlannedOrder) => o.reference}
          ariaLabelForGrid={strings.PreviewTitle}
        />
      </div>
    </Section>
  );
}
