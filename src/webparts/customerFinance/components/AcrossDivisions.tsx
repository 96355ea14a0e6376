import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import { totalsByCurrency, type DivisionFigures } from '../../../finance/acrossDivisions';
import { divisionLabel } from '../../../finance/divisions';
import { agingBucketNames } from '../../../finance/types';
import { choiceStyles } from '../../../ui/choiceStyles';
import { Section } from '../../../ui/components/Section';
import { format } from '../../../ui/format';
import { useNarrow } from '../../../ui/useNarrow';
import { agingColours, bucketLabel } from './AgingChart';
import { formatMoney } from './money';
import type { PanelResult } from './panelResult';

/** Below this width the table's eight columns no longer fit its amounts: each division becomes a card. */
const TABLE_MIN_WIDTH = 760;

interface Row {
  key: string;
  testId: 'division-row' | 'total-row';
  data: Record<string, string>;
  title: string;
  detail?: string;
  figures?: DivisionFigures;
}

const figureColumns = (): Array<{ field: string; label: string; amount: (f: DivisionFigures) => number }> => [
  { field: 'openBalance', label: strings.OpenBalance, amount: (f) => f.openBalance },
  { field: 'overdueAmount', label: strings.Overdue, amount: (f) => f.overdueAmount },
  ...agingBucketNames.map((name) => ({ field: name, label: bucketLabel[name](), amount: (f: DivisionFigures) => f.aging[name] })),
];

/**
 * One customer linked in several divisions: what is open and overdue in each and in total (per
 * currency: two currencies are never added), and a switch to the division whose invoices show.
 */
export function AcrossDivisions(props: { results: PanelResult[]; chosen: number; onChoose: (index: number) => void; locale: string; children?: React.ReactNode }): React.ReactElement {
  const theme = useTheme();
  const { results, locale } = props;
  const container = React.useRef<HTMLDivElement>(null);
  const narrow = useNarrow(container, TABLE_MIN_WIDTH);
  const tabs = React.useRef<Array<HTMLButtonElement | null>>([]);
  const money = (amount: number, currency: string): string => formatMoney(amount, currency, locale);
  const colours = agingColours(theme);
  const choice = choiceStyles(theme);
  const classes = mergeStyleSets({
    intro: { margin: '0 0 12px' },
    table: {
      borderCollapse: 'collapse',
      width: '100%',
      fontVariantNumeric: 'tabular-nums',
      selectors: {
        'th, td': { padding: '8px', borderBottom: `1px solid ${theme.palette.neutralLight}`, textAlign: 'right', verticalAlign: 'top' },
        'th:first-child': { textAlign: 'left', fontWeight: 400, minWidth: 180 },
        'thead th': { fontWeight: 600, fontSize: 12, color: theme.semanticColors.bodySubtext },
        'tfoot th, tfoot td': { fontWeight: 600, borderBottom: 0 },
        'tfoot tr:first-child th, tfoot tr:first-child td': { borderTop: `2px solid ${theme.palette.neutralTertiary}` },
      },
    },
    name: { display: 'block', fontWeight: 600, overflowWrap: 'anywhere' },
    detail: { display: 'block', fontSize: 12, color: theme.semanticColors.bodySubtext, overflowWrap: 'anywhere' },
    bar: { display: 'flex', height: 6, borderRadius: 3, overflow: 'hidden', background: theme.palette.neutralLighter, marginTop: 6, maxWidth: 240 },
    cards: { display: 'flex', flexDirection: 'column', gap: 8 },
    card: { border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4, padding: '10px 12px', minWidth: 0 },
    totalCard: { borderLeft: `4px solid ${theme.palette.themePrimary}`, background: theme.palette.neutralLighterAlt },
    pairs: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', gap: '2px 12px', margin: '8px 0 0', fontVariantNumeric: 'tabular-nums', selectors: { dd: { margin: 0, textAlign: 'right' } } },
    lead: { fontWeight: 600 },
    note: { marginTop: 8 },
    tablist: { display: 'flex', flexWrap: 'wrap', gap: 8, margin: '4px 0 0' },
    tab: { ...choice.choice, flex: '1 1 220px', maxWidth: 360, minWidth: 0 },
    chosenTab: choice.chosen,
    panel: { display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 },
  });

  const read = results.filter((r): r is Extract<PanelResult, { ok: true }> => r.ok);
  const totals = totalsByCurrency(read.map((r) => ({ division: r.link.division.code, figures: r.panel.finance })));
  const missing = results.filter((r) => !r.ok).map((r) => divisionLabel(r.link.division));
  const home = results[0]!.link.company;
  const rows: Row[] = [
    ...results.map((r): Row => {
      const code = r.ok ? r.panel.account.code : r.link.company.exactCode;
      const account = code ? format(strings.AccountCode, code) : undefined;
      return {
        key: `division-${r.link.division.code}`,
        testId: 'division-row',
        data: { 'data-division': String(r.link.division.code) },
        title: divisionLabel(r.link.division),
        detail: r.link.company.id === home.id ? account : format(strings.LinkedAs, r.link.company.name, account ?? ''),
        figures: r.ok ? r.panel.finance : undefined,
      };
    }),
    ...totals.map((t): Row => ({ key: `total-${t.currency}`, testId: 'total-row', data: { 'data-currency': t.currency }, title: format(strings.TotalIn, t.currency), figures: t })),
  ];

  const bar = (figures: DivisionFigures): React.ReactNode => {
    const owed = agingBucketNames.reduce((sum, name) => sum + Math.max(figures.aging[name], 0), 0);
    return (
      <span className={classes.bar} aria-hidden="true">
        {owed > 0 ? agingBucketNames.map((name) => <span key={name} style={{ width: `${(Math.max(figures.aging[name], 0) / owed) * 100}%`, background: colours[name] }} />) : null}
      </span>
    );
  };
  type Column = ReturnType<typeof figureColumns>[number];
  /** Each figure as the page shows it and as tests read it (`data-amount`); balance and overdue lead. */
  const amounts = (figures: DivisionFigures, render: (column: Column, amount: string, text: string, lead: boolean) => React.ReactNode): React.ReactNode[] =>
    figureColumns().map((c, i) => render(c, c.amount(figures).toFixed(2), money(c.amount(figures), figures.currency), i < 2));

  const table = (
    <table className={classes.table}>
      <caption style={{ textAlign: 'left', paddingBottom: 4 }}>
        <Text variant="small">{strings.AcrossCaption}</Text>
      </caption>
      <thead>
        <tr>
          <th scope="col">{strings.ColumnAdministration}</th>
          {figureColumns().map((c) => (
            <th key={c.field} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      {[rows.filter((r) => r.testId === 'division-row'), rows.filter((r) => r.testId === 'total-row')].map((group, i) => {
        const Part = i === 0 ? 'tbody' : 'tfoot';
        return (
          <Part key={Part}>
            {group.map((row) => (
              <tr key={row.key} data-testid={row.testId} {...row.data}>
                <th scope="row">
                  <span className={classes.name}>{row.title}</span>
                  {row.detail ? <span className={classes.detail}>{row.detail}</span> : null}
                  {row.figures ? bar(row.figures) : null}
                </th>
                {row.figures ? (
                  amounts(row.figures, (c, amount, text) => (
                    <td key={c.field} data-field={c.field} data-amount={amount}>
                      {text}
                    </td>
                  ))
                ) : (
                  <td colSpan={figureColumns().length} style={{ textAlign: 'left' }}>
                    {strings.DivisionNotRead}
                  </td>
                )}
              </tr>
            ))}
          </Part>
        );
      })}
    </table>
  );

  const cards = (
    <div className={classes.cards}>
      {rows.map((row) => (
        <section key={row.key} className={row.testId === 'total-row' ? `${classes.card} ${classes.totalCard}` : classes.card} data-testid={row.testId} aria-label={row.title} {...row.data}>
          <Text as="h3" variant="medium" block className={classes.name} styles={{ root: { margin: 0 } }}>
            {row.title}
          </Text>
          {row.detail ? <span className={classes.detail}>{row.detail}</span> : null}
          {row.figures ? bar(row.figures) : null}
          {row.figures ? (
            <dl className={classes.pairs}>
              {amounts(row.figures, (c, amount, text, lead) => (
                <React.Fragment key={c.field}>
                  <dt className={lead ? classes.lead : undefined}>{c.label}</dt>
                  <dd className={lead ? classes.lead : undefined} data-field={c.field} data-amount={amount}>
                    {text}
                  </dd>
                </React.Fragment>
              ))}
            </dl>
          ) : (
            <Text variant="small" block>
              {strings.DivisionNotRead}
            </Text>
          )}
        </section>
      ))}
    </div>
  );

  const move = (event: React.KeyboardEvent, index: number): void => {
    const last = results.length - 1;
    const keys: Record<string, number> = { ArrowRight: index === last ? 0 : index + 1, ArrowDown: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, ArrowUp: index === 0 ? last : index - 1, Home: 0, End: last };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    props.onChoose(next);
    tabs.current[next]?.focus();
  };
  const chosen = results[props.chosen]!;

  return (
    <>
      <Section id="across" title={format(strings.AcrossTitle, results.length)}>
        <Text as="p" block className={classes.intro}>
          {strings.AcrossIntro}
        </Text>
        <div ref={container} data-testid="across-divisions">
          {narrow ? cards : table}
        </div>
        {totals.length > 1 ? (
          <MessageBar messageBarType={MessageBarType.info} isMultiline className={classes.note} data-testid="currencies-differ">
            {strings.CurrenciesDiffer}
          </MessageBar>
        ) : null}
        {missing.length ? (
          <MessageBar messageBarType={MessageBarType.warning} isMultiline className={classes.note}>
            {format(strings.TotalWithout, missing.join(', '))}
          </MessageBar>
        ) : null}
      </Section>
      <div role="tablist" aria-label={strings.SwitchLabel} className={classes.tablist}>
        {results.map((r, index) => {
          const selected = index === props.chosen;
          return (
            <button
              key={r.link.division.code}
              ref={(element) => {
                tabs.current[index] = element;
              }}
              type="button"
              role="tab"
              id={`division-tab-${r.link.division.code}`}
              aria-selected={selected}
              aria-controls="division-panel"
              tabIndex={selected ? 0 : -1}
              className={selected ? `${classes.tab} ${classes.chosenTab}` : classes.tab}
              data-testid="division-tab"
              data-division={r.link.division.code}
              onClick={() => props.onChoose(index)}
              onKeyDown={(event) => move(event, index)}
            >
              <span className={classes.name}>{divisionLabel(r.link.division)}</span>
              <span className={classes.detail}>{r.ok ? format(strings.SwitchOpen, money(r.panel.finance.openBalance, r.panel.finance.currency)) : strings.DivisionNotRead}</span>
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id="division-panel" aria-labelledby={`division-tab-${chosen.link.division.code}`} className={classes.panel} data-testid="division-panel" data-division={chosen.link.division.code}>
        {props.children}
      </div>
    </>
  );
}
