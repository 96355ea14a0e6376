import * as React from 'react';
import { Link } from '@fluentui/react/lib/Link';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme, type Theme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import { agingBucketNames, type AgingBucketName, type CustomerFinance, type FigureNote } from '../../../finance';
import { figureNoteText } from './figureNoteText';
import { formatMoney } from './money';

export const bucketLabel: Record<AgingBucketName, () => string> = {
  notDue: () => strings.AgingNotDue,
  days1to30: () => strings.Aging1to30,
  days31to60: () => strings.Aging31to60,
  days61to90: () => strings.Aging61to90,
  over90: () => strings.AgingOver90,
};

/** Later buckets darker, in the theme's colours: the chart and the bars across divisions read alike. */
export function agingColours(theme: Theme): Record<AgingBucketName, string> {
  return {
    notDue: theme.palette.themeLight,
    days1to30: theme.palette.themeTertiary,
    days31to60: theme.palette.themePrimary,
    days61to90: theme.palette.themeDarkAlt,
    over90: theme.palette.themeDarker,
  };
}

/**
 * Aging as bars in the theme's colours (later buckets darker, from "not due" to "over 90"),
 * hidden from screen readers, which get the same numbers as a table.
 */
export function AgingChart(props: { finance: CustomerFinance & { notes?: FigureNote[] }; locale: string }): React.ReactElement {
  const theme = useTheme();
  const { aging, currency } = props.finance;
  const largest = Math.max(...agingBucketNames.map((name) => Math.abs(aging[name])), 0.01);
  const colours = agingColours(theme);
  const classes = mergeStyleSets({
    chart: { display: 'grid', gridTemplateColumns: 'minmax(70px, auto) 1fr minmax(80px, auto)', gap: '6px 8px', alignItems: 'center' },
    track: { background: theme.palette.neutralLighter, height: 14, borderRadius: 2, minWidth: 0 },
    table: { borderCollapse: 'collapse', width: '100%', selectors: { 'th, td': { textAlign: 'left', padding: '4px 8px', borderBottom: `1px solid ${theme.palette.neutralLight}` }, 'td:last-child, th:last-child': { textAlign: 'right' } } },
    amount: { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
    visuallyHidden: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  });
  const [asTable, setAsTable] = React.useState(false);
  const notDue = props.finance.notes?.find((n) => n.figure === 'notDue');
  return (
    <div>
      <div aria-hidden="true" className={asTable ? classes.visuallyHidden : classes.chart}>
        {agingBucketNames.map((name) => (
          <React.Fragment key={name}>
            <Text variant="small">{bucketLabel[name]()}</Text>
            <div className={classes.track}>
              <div style={{ width: `${(Math.max(aging[name], 0) / largest) * 100}%`, background: colours[name], height: '100%', borderRadius: 2 }} />
            </div>
            <Text variant="small" className={classes.amount}>
              {formatMoney(aging[name], currency, props.locale)}
            </Text>
          </React.Fragment>
        ))}
      </div>
      <table className={asTable ? classes.table : classes.visuallyHidden} data-testid="aging-table">
        <caption className={classes.visuallyHidden}>{strings.AgingCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{strings.AgingBucket}</th>
            <th scope="col">{strings.AgingAmount}</th>
          </tr>
        </thead>
        <tbody>
          {agingBucketNames.map((name) => (
            <tr key={name} data-bucket={name}>
              <th scope="row">{bucketLabel[name]()}</th>
              <td data-amount={aging[name].toFixed(2)}>{formatMoney(aging[name], currency, props.locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {notDue ? (
        <Text as="p" variant="small" block data-testid="note-notDue" styles={{ root: { margin: '8px 0 0', paddingLeft: 6, borderLeft: `2px solid ${theme.palette.themePrimary}`, color: theme.semanticColors.bodySubtext } }}>
          {`${bucketLabel.notDue()}: ${figureNoteText(notDue, (amount) => formatMoney(amount, currency, props.locale))}`}
        </Text>
      ) : null}
      <Link onClick={() => setAsTable(!asTable)} styles={{ root: { marginTop: 8 } }}>
        {asTable ? strings.AgingShowChart : strings.AgingShowTable}
      </Link>
    </div>
  );
}
