import * as React from 'react';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';

/** Label/value pairs as a description list: two columns when there is room, one at 320 px. */
export function DetailList(props: { items: Array<[string, React.ReactNode]> }): React.ReactElement {
  const theme = useTheme();
  const classes = mergeStyleSets({
    list: {
      display: 'grid',
      gridTemplateColumns: 'minmax(120px, max-content) minmax(0, 1fr)',
      gap: '6px 16px',
      margin: 0,
      selectors: { '@media (max-width: 480px)': { gridTemplateColumns: 'minmax(0, 1fr)', gap: '2px' } },
    },
    term: { color: theme.palette.neutralSecondary, fontWeight: 600, selectors: { '@media (max-width: 480px)': { marginTop: 6 } } },
    value: { margin: 0, overflowWrap: 'anywhere' },
  });
  return (
    <dl className={classes.list}>
      {props.items.map(([term, value]) => (
        <React.Fragment key={term}>
          <dt className={classes.term}>{term}</dt>
          <dd className={classes.value}>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}
