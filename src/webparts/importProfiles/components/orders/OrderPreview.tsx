import * as React from 'react';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import * as strings from 'OrderProfilesStrings';
import type { OrderPlan, PlannedOrder, RateTotal } from '../../../../orders/plan';
import { globeSummary } from '../../../../orders/globe';
import { useConnector } from '../../../../ui/ConnectorContext';
import { Section } from '../../../../ui/components/Section';
import { format } from '../../../../ui/format';
import { money, rate } from './money';
import { OrderCards, type OrderField } from './OrderCards';

const classes = mergeStyleSets({
  totals: { margin: '4px 0 12px', paddingLeft: 20 },
  rates: { margin: 0, padding: 0, listStyle: 'none' },
});

/** Per rate on a line of its own: "21%: € 12,60 btw over € 60,00", so a long list never needs a wide cell. */
function RateLines(props: { totals: RateTotal[]; locale: string }): React.ReactElement {
  return (
    <ul className={classes.rates}>
      {props.totals.map((t) => (
        <li key={t.vatCode}>{format(strings.RateLine, rate(t.percentage, props.locale), money(t.vat, props.locale), money(t.net, props.locale))}</li>
      ))}
    </ul>
  );
}

/** Per customer: the Exact account, reference, lines, totals excluding and including VAT per rate; held-back orders marked. */
export function OrderPreview(props: { plan: OrderPlan }): React.ReactElement {
  const { locale } = useConnector();
  const { plan } = props;
  const held = React.useMemo(() => new Set(plan.heldBack), [plan]);
  const summary = globeSummary(plan);
  // A held-back order has no amounts yet: its unmapped lines have no item or VAT code to price.
  const amount = (o: PlannedOrder, value: () => React.ReactNode): React.ReactNode => (held.has(o.reference) ? strings.NoAmountYet : value());
  const fields: Array<OrderField<PlannedOrder>> = [
    { key: 'customer', name: strings.ColCustomer, minWidth: 140, maxWidth: 240, tableOnly: true, render: (o) => o.customerName },
    { key: 'status', name: strings.ColStatus, minWidth: 110, maxWidth: 160, render: (o) => (held.has(o.reference) ? strings.HeldBack : strings.Ready) },
    { key: 'account', name: strings.ColAccount, minWidth: 120, maxWidth: 220, render: (o) => (o.account.id ? `${o.account.name} (${o.account.code})` : strings.NoAccountYet) },
    { key: 'reference', name: strings.ColReference, minWidth: 150, maxWidth: 200, render: (o) => o.reference },
    { key: 'lines', name: strings.ColLines, minWidth: 50, maxWidth: 60, render: (o) => String(o.sourceLines) },
    { key: 'excl', name: strings.ColExcl, minWidth: 90, maxWidth: 110, render: (o) => amount(o, () => money(o.net, locale)) },
    { key: 'vat', name: strings.ColVat, minWidth: 150, maxWidth: 240, render: (o) => amount(o, () => <RateLines totals={o.totals} locale={locale} />) },
    { key: 'incl', name: strings.ColIncl, minWidth: 90, maxWidth: 110, render: (o) => amount(o, () => <strong>{money(o.gross, locale)}</strong>) },
  ];
  return (
    <Section id="order-preview" title={strings.PreviewTitle}>
      <Text block>{format(strings.PreviewSummary, summary.orders, summary.customers, summary.lines, money(summary.net, locale), money(summary.gross, locale), summary.heldBack)}</Text>
      <ul className={classes.totals} aria-label={strings.RateTotalsLabel}>
        {summary.rates.map((r) => (
          <li key={r.vatCode}><Text>{format(strings.RateTotal, rate(r.percentage, locale), money(r.net, locale), money(r.vat, locale), money(r.gross, locale))}</Text></li>
        ))}
      </ul>
      <OrderCards items={plan.orders} fields={fields} title={(o) => o.customerName} getKey={(o) => o.reference} label={strings.PreviewListLabel} testId="order-preview-rows" />
    </Section>
  );
}
