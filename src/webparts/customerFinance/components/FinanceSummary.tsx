import * as React from 'react';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { CustomerFinance, FigureNote } from '../../../finance';
import { figureNoteText } from './figureNoteText';
import { format, formatDate } from '../../../ui/format';
import { formatMoney, formatPercent } from './money';

interface Figure {
  id: string;
  label: string;
  value: string;
  note?: string;
  warn?: boolean;
  /** Why the figure looks wrong while it is right (open credit notes, unapplied payments). */
  explained?: string;
}

/** The numbers a sales person asks first: what is open, what is late, how close to the limit. */
export function FinanceSummary(props: { finance: CustomerFinance & { notes?: FigureNote[] }; locale: string }): React.ReactElement {
  const theme = useTheme();
  const { finance, locale } = props;
  const money = (amount: number) => formatMoney(amount, finance.currency, locale);
  const classes = mergeStyleSets({
    grid: { display: 'grid', gap: 12, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 150px), 1fr))', margin: 0, padding: 0 },
    figure: { border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4, padding: '10px 12px', minWidth: 0, margin: 0 },
    warn: { borderLeft: `4px solid ${theme.semanticColors.errorIcon}` },
    value: { fontWeight: 600, overflowWrap: 'anywhere' },
    explained: { margin: '4px 0 0', paddingLeft: 6, borderLeft: `2px solid ${theme.palette.themePrimary}`, color: theme.semanticColors.bodySubtext, overflowWrap: 'anywhere' },
  });
  const explain = (id: string): string | undefined => {
    const note = finance.notes?.find((n) => n.figure === id);
    return note ? figureNoteText(note, money) : undefined;
  };
  const figures: Figure[] = [
    { id: 'open-balance', label: strings.OpenBalance, value: money(finance.openBalance) },
    {
      id: 'overdue',
      label: strings.Overdue,
      value: money(finance.overdueAmount),
      note: format(finance.overdueCount === 1 ? strings.OverdueInvoice : strings.OverdueInvoices, finance.overdueCount),
      warn: finance.overdueCount > 0,
      explained: explain('overdue'),
    },
    {
      id: 'credit-limit',
      label: strings.CreditLimit,
      value: finance.creditLimit !== undefined ? money(finance.creditLimit) : strings.NoCreditLimit,
      note: finance.creditUsed !== undefined ? format(finance.creditUsed > 1 ? strings.CreditOver : strings.CreditUsed, formatPercent(finance.creditUsed, locale)) : undefined,
      warn: finance.creditUsed !== undefined && finance.creditUsed > 1,
    },
    { id: 'last-payment', label: strings.LastPayment, value: finance.lastPaymentDate ? formatDate(finance.lastPaymentDate, locale) : strings.NoPayment },
    { id: 'revenue-current', label: format(strings.RevenueYear, finance.revenue.current.label), value: money(finance.revenue.current.amount), note: strings.RevenueNote, explained: explain('revenue-current') },
    { id: 'revenue-previous', label: format(strings.RevenueYear, finance.revenue.previous.label), value: money(finance.revenue.previous.amount), note: strings.RevenueNote, explained: explain('revenue-previous') },
  ];
  return (
    <dl className={classes.grid} aria-label={strings.SummaryLabel}>
      {figures.map((figure) => (
        <div key={figure.id} className={figure.warn ? `${classes.figure} ${classes.warn}` : classes.figure} data-testid={`figure-${figure.id}`}>
          <Text as="dt" variant="small" block>
            {figure.label}
          </Text>
          <Text as="dd" variant="xLarge" block className={classes.value} styles={{ root: { margin: 0 } }} data-testid={`value-${figure.id}`}>
            {figure.value}
          </Text>
          {figure.note ? (
            <Text as="dd" variant="small" block styles={{ root: { margin: 0 } }}>
              {figure.note}
            </Text>
          ) : null}
          {figure.explained ? (
            <Text as="dd" variant="small" block className={classes.explained} data-testid={`note-${figure.id}`}>
              {figure.explained}
            </Text>
          ) : null}
        </div>
      ))}
    </dl>
  );
}
