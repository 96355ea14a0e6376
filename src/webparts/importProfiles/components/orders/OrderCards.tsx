import * as React from 'react';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { List } from '@fluentui/react/lib/List';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import { useNarrow } from '../useNarrow';

/** One figure of a row: a column when there is room, a labelled line of the card when there is not. */
export interface OrderField<T> {
  key: string;
  name: string;
  render: (item: T) => React.ReactNode;
  minWidth: number;
  maxWidth?: number;
  /** Left out of the card (e.g. the card's title already says it). */
  tableOnly?: boolean;
}

/** Below this width a table's columns get a few characters each (Teams' tab is 320 px): cards instead. */
const cardsBelow = 640;

/**
 * Rows as a table on a wide part and as a card per row in a narrow one, both virtualised inside a
 * box of their own height (a run log or a preview can hold thousands of orders), so the page never
 * scrolls sideways.
 */
export function OrderCards<T>(props: {
  items: T[];
  fields: Array<OrderField<T>>;
  /** The card's heading line: who or what the row is about. */
  title: (item: T) => React.ReactNode;
  /** Controls of one card, under its figures (e.g. "Show"). */
  actions?: (item: T) => React.ReactNode;
  /** The actions column's header (a column without a name is unlabelled for a screen reader). */
  actionsName?: string;
  getKey: (item: T) => string;
  label: string;
  testId: string;
  /** What the cards show besides the items (e.g. which run is shown): Fluent's List draws its cells again only when this or the items change. */
  version?: unknown;
}): React.ReactElement {
  const theme = useTheme();
  // A new value whenever the caller's version or the theme changes: List compares it by reference.
  const listVersion = React.useMemo(() => ({ version: props.version, theme }), [props.version, theme]);
  const [container, narrow] = useNarrow<HTMLDivElement>(cardsBelow);
  const classes = mergeStyleSets({
    // The list scrolls inside its own box: Fluent renders only the rows in view.
    scroll: { maxHeight: 480, overflow: 'auto', position: 'relative', border: `1px solid ${theme.palette.neutralLight}`, borderRadius: 2 },
    card: { padding: '8px 12px', borderBottom: `1px solid ${theme.palette.neutralLight}`, overflowWrap: 'anywhere' },
    title: { margin: '0 0 4px', fontWeight: 600, fontSize: 14 },
    dl: { margin: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', gap: '2px 12px' },
    dt: { color: theme.palette.neutralSecondary },
    dd: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
    actions: { marginTop: 8, display: 'flex', flexWrap: 'wrap', gap: 8 },
    wrap: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  });
  const columns: IColumn[] = [
    ...props.fields.map((f) => ({ key: f.key, name: f.name, minWidth: f.minWidth, maxWidth: f.maxWidth, isMultiline: true, onRender: (item: T) => <span className={classes.wrap}>{f.render(item)}</span> })),
    ...(props.actions ? [{ key: 'actions', name: props.actionsName ?? '', minWidth: 80, maxWidth: 140, onRender: (item: T) => props.actions?.(item) }] : []),
  ];
  const card = (item: T | undefined): React.ReactNode =>
    item === undefined ? null : (
      <div className={classes.card} data-testid={`${props.testId}-card`}>
        <p className={classes.title}>{props.title(item)}</p>
        <dl className={classes.dl}>
          {props.fields.filter((f) => !f.tableOnly).map((f) => (
            <React.Fragment key={f.key}>
              <dt className={classes.dt}>{f.name}</dt>
              <dd className={classes.dd}>{f.render(item)}</dd>
            </React.Fragment>
          ))}
        </dl>
        {props.actions && <div className={classes.actions}>{props.actions(item)}</div>}
      </div>
    );
  return (
    <div ref={container}>
      {narrow ? (
        // Cards without a control of their own: the scrolling box itself takes the keyboard (a
        // labelled region then). Cards with buttons are reached through those, and the box stays
        // a plain box, so it never repeats its section's name as a second landmark.
        <div className={classes.scroll} data-is-scrollable="true" data-testid={props.testId} {...(props.actions ? {} : { tabIndex: 0, role: 'region', 'aria-label': props.label })}>
          <List items={props.items} onRenderCell={(item) => card(item)} aria-label={props.label} version={listVersion} />
        </div>
      ) : (
        <div className={classes.scroll} data-is-scrollable="true" data-testid={props.testId}>
          <DetailsList items={props.items} columns={columns} selectionMode={SelectionMode.none} layoutMode={DetailsListLayoutMode.justified} getKey={props.getKey} ariaLabelForGrid={props.label} />
        </div>
      )}
    </div>
  );
}
