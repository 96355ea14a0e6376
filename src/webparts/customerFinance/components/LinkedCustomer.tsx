import * as React from 'react';
import { DefaultButton } from '@fluentui/react/lib/Button';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { InvoiceRow } from '../../../finance/types';
import { divisionLabel } from '../../../finance/divisions';
import type { CustomerInDivisions, FinancePanel, FinanceService } from '../../../finance/financeService';
import { useConnector } from '../../../ui/ConnectorContext';
import { downloadBlob } from '../../../ui/download';
import { lazyPart } from '../../../ui/components/LazyPart';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format, relativeTime } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { useNow } from '../../../ui/useNow';
import type { PanelResult } from './panelResult';
import { FinanceSummary } from './FinanceSummary';

// The invoice list (a DetailsList), the aging chart and the view across divisions come on demand;
// the panel's own states (no company, reading, not connected, not linked) are the first screen.
const AgingChart = lazyPart(() => import(/* webpackChunkName: 'customer-finance-details' */ './AgingChart').then((m) => m.AgingChart), () => strings.LoadingFinance);
const InvoiceList = lazyPart(() => import(/* webpackChunkName: 'customer-finance-details' */ './InvoiceList').then((m) => m.InvoiceList), () => strings.LoadingFinance);
const AcrossDivisions = lazyPart(() => import(/* webpackChunkName: 'customer-finance-details' */ './AcrossDivisions').then((m) => m.AcrossDivisions), () => strings.LoadingFinance);

/** Starts the details' chunk while the company and Exact are read. */
export function preloadDetails(): void {
  void AgingChart.preload();
  void InvoiceList.preload();
  void AcrossDivisions.preload();
}

const classes = mergeStyleSets({
  header: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline', justifyContent: 'space-between' },
  grid: { display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 340px), 1fr))' },
  refresh: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' },
});

/**
 * A linked customer's figures: one division's panel, or, when the same customer is linked in
 * other divisions too, every division's read at once (at most three Exact calls each) with
 * totals and a switch between them.
 */
export function LinkedCustomer(props: { finance: FinanceService; customer: CustomerInDivisions }): React.ReactElement {
  const { finance, customer } = props;
  const { locale } = useConnector();
  const now = useNow(30_000);
  // One division that cannot be read (a deleted account, a division no longer consented) leaves the others.
  const panels = useAsync<PanelResult[]>(
    () => Promise.all(customer.links.map((link) => finance.panel(link).then((panel): PanelResult => ({ ok: true, link, panel }), (error: unknown): PanelResult => ({ ok: false, link, error })))),
    [finance, customer],
  );
  const [chosen, setChosen] = React.useState(0);
  if (panels.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.LoadingFinance} />;
  if (panels.state.status === 'failed') return <ProblemMessage error={panels.state.error} onRetry={panels.reload} lead={strings.FinanceFailed} />;
  const results = panels.state.value;
  const loadedAt = results.map((r) => (r.ok ? r.panel.loadedAt : '')).filter(Boolean).sort()[0];
  const refresh = (
    <div className={classes.refresh}>
      {loadedAt ? (
        <Text variant="small" data-testid="updated">
          {format(strings.Updated, relativeTime(loadedAt, Math.max(now, Date.parse(loadedAt)), locale))}
        </Text>
      ) : null}
      <DefaultButton iconProps={{ iconName: 'Refresh' }} text={strings.RefreshButton} disabled={panels.reloading} onClick={panels.reload} />
    </div>
  );
  const view = (result: PanelResult): React.ReactElement =>
    result.ok ? <DivisionView finance={finance} panel={result.panel} refresh={refresh} namesDivision={results.length > 1} /> : <ProblemMessage error={result.error} onRetry={panels.reload} lead={format(strings.DivisionFailed, divisionLabel(result.link.division))} />;
  if (results.length === 1) return view(results[0]!);
  const shown = Math.min(chosen, results.length - 1);
  return (
    <AcrossDivisions results={results} chosen={shown} onChoose={setChosen} locale={locale}>
      {view(results[shown]!)}
    </AcrossDivisions>
  );
}

/** One division's figures for the customer: the account, the key figures, aging and invoices. */
function DivisionView(props: { finance: FinanceService; panel: FinancePanel; refresh: React.ReactNode; namesDivision: boolean }): React.ReactElement {
  const { locale } = useConnector();
  const { finance, account, division } = props.panel;
  const download = React.useCallback(
    async (row: InvoiceRow) => {
      if (!row.entryId) return;
      downloadBlob(await props.finance.invoicePdf({ entryId: row.entryId, division: division.code }), `${strings.InvoiceFileName}-${row.invoiceNumber}.pdf`);
    },
    [props.finance, division.code],
  );
  return (
    <>
      <div className={classes.header}>
        <Text variant="medium" data-testid="exact-account" styles={{ root: { overflowWrap: 'anywhere' } }}>
          {/* Alone, the division is named under the title; across divisions, here, as the switch changes it. */}
          {props.namesDivision ? format(strings.ExactAccountIn, account.name, account.code, divisionLabel(division)) : format(strings.ExactAccount, account.name, account.code)}
          {account.blocked ? ` · ${strings.Blocked}` : ''}
        </Text>
        {props.refresh}
      </div>
      {finance.unconverted.length ? <MessageBar messageBarType={MessageBarType.warning}>{format(strings.Unconverted, finance.unconverted.length)}</MessageBar> : null}
      <FinanceSummary finance={finance} locale={locale} />
      {finance.invoices.length === 0 ? (
        <MessageBar messageBarType={MessageBarType.info} data-testid="state-no-invoices">
          {strings.NoInvoicesYet}
        </MessageBar>
      ) : (
        <div className={classes.grid}>
          <Section id="aging" title={strings.AgingTitle}>
            <AgingChart finance={finance} locale={locale} />
          </Section>
          <div style={{ gridColumn: '1 / -1', minWidth: 0 }}>
            <Section id="invoices" title={strings.InvoicesTitle}>
              <InvoiceList rows={finance.invoices} divisionCurrency={finance.currency} onDownload={download} />
            </Section>
          </div>
        </div>
      )}
    </>
  );
}
