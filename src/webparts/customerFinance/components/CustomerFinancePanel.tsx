import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { InvoiceRow } from '../../../finance';
import type { Company } from '../../../finance/company';
import type { FinanceConnection, FinancePanel, FinanceService } from '../../../finance/financeService';
import { useConnector } from '../../../ui/ConnectorContext';
import { downloadBlob } from '../../../ui/download';
import { lazyPart } from '../../../ui/components/LazyPart';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { Section } from '../../../ui/components/Section';
import { format, relativeTime } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { useNow } from '../../../ui/useNow';
import { FinanceSummary } from './FinanceSummary';
import { Suggestions } from './Suggestions';

// The invoice list (a DetailsList), the aging chart and the create form come on demand; the
// panel's own states (no company, reading, not connected, not linked) are the first screen.
const AgingChart = lazyPart(() => import(/* webpackChunkName: 'customer-finance-details' */ './AgingChart').then((m) => m.AgingChart), () => strings.LoadingFinance);
const InvoiceList = lazyPart(() => import(/* webpackChunkName: 'customer-finance-details' */ './InvoiceList').then((m) => m.InvoiceList), () => strings.LoadingFinance);
const CreateInExact = lazyPart(() => import(/* webpackChunkName: 'customer-finance-create' */ './CreateInExact').then((m) => m.CreateInExact), () => strings.LoadingCreateForm);

const classes = mergeStyleSets({
  page: { display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 1100, minWidth: 0, padding: '4px 0' },
  header: { display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline', justifyContent: 'space-between' },
  grid: { display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 340px), 1fr))' },
});

export interface CustomerFinancePanelProps {
  /** The CRM item ID in Companies; undefined until a page, the property pane or a list picks one. */
  companyId?: number;
  /** Opened from the list's "Create in Exact": go straight to the form for an unlinked company. */
  startWith?: 'finance' | 'create';
}

/** The customer panel for sales: balance, overdue, aging, revenue and invoices from Exact, or how to get there. */
export function CustomerFinancePanel(props: CustomerFinancePanelProps): React.ReactElement {
  const { services } = useConnector();
  const loaded = useAsync(async () => {
    if (props.companyId === undefined) return undefined;
    // Their chunk travels while Exact is asked.
    void AgingChart.preload();
    void InvoiceList.preload();
    const finance = await services.finance();
    const [company, status] = await Promise.all([finance.companies.get(props.companyId), finance.connection()]);
    return { finance, company, status };
  }, [services, props.companyId]);
  const [company, setCompany] = React.useState<Company | undefined>();
  const [note, setNote] = React.useState<string | undefined>();
  React.useEffect(() => setCompany(loaded.state.status === 'ready' ? loaded.state.value?.company : undefined), [loaded.state]);

  let body: React.ReactNode;
  if (props.companyId === undefined) {
    body = <MessageBar messageBarType={MessageBarType.info}>{strings.NoCompany}</MessageBar>;
  } else if (loaded.state.status === 'loading') {
    body = <Spinner size={SpinnerSize.large} label={strings.Loading} />;
  } else if (loaded.state.status === 'failed') {
    body = <ProblemMessage error={loaded.state.error} onRetry={loaded.reload} lead={strings.CompanyReadFailed} />;
  } else if (loaded.state.value && company) {
    const { finance, status } = loaded.state.value;
    body = !status.connected || !status.division ? (
      <NotConnected status={status} />
    ) : company.exactId ? (
      <LinkedCompany key={company.exactId} finance={finance} company={company} />
    ) : (
      <NotLinked finance={finance} company={company} startWith={props.startWith} onLinked={(next, message) => { setCompany(next); setNote(message); }} />
    );
  }
  return (
    <section className={classes.page} aria-labelledby="customer-finance-title" data-testid="customer-finance">
      <Text as="h1" id="customer-finance-title" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600, overflowWrap: 'anywhere' } }}>
        {company ? format(strings.PanelTitleFor, company.name) : strings.PanelTitle}
      </Text>
      {note ? (
        <MessageBar messageBarType={MessageBarType.success} onDismiss={() => setNote(undefined)} dismissButtonAriaLabel={strings.CloseButton}>
          {note}
        </MessageBar>
      ) : null}
      {body}
    </section>
  );
}

function NotConnected(props: { status: FinanceConnection }): React.ReactElement {
  const { services, adminPages } = useConnector();
  const admin = useAsync(() => services.permissions.isCrmAdmin(), [services]);
  const isAdmin = admin.state.status === 'ready' && admin.state.value;
  return (
    <MessageBar messageBarType={MessageBarType.warning} isMultiline data-testid="state-not-connected">
      <strong>{props.status.status === 'needs-consent' ? strings.NeedsConsentTitle : strings.NotConnectedTitle} </strong>
      {isAdmin ? strings.NotConnectedAdmin : strings.NotConnectedSales}
      {isAdmin && adminPages?.exactConnection ? (
        <>
          {' '}
          <Link href={adminPages.exactConnection}>{strings.OpenConnectionPage}</Link>
        </>
      ) : null}
    </MessageBar>
  );
}

function NotLinked(props: { finance: FinanceService; company: Company; startWith?: 'finance' | 'create'; onLinked: (company: Company, note: string) => void }): React.ReactElement {
  const [creating, setCreating] = React.useState(props.startWith === 'create');
  React.useEffect(() => void CreateInExact.preload(), []);
  const [linking, setLinking] = React.useState<string | undefined>();
  const [linkError, setLinkError] = React.useState<unknown>();
  const suggestions = useAsync(() => props.finance.suggestions(props.company), [props.finance, props.company]);
  if (creating) {
    return (
      <Section id="create" title={strings.CreateTitle}>
        <CreateInExact company={props.company} finance={props.finance} onDone={props.onLinked} onCancel={() => setCreating(false)} />
      </Section>
    );
  }
  return (
    <Section id="not-linked" title={strings.NotLinkedTitle}>
      <div data-testid="state-not-linked" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
        <Text as="p" block styles={{ root: { margin: 0 } }}>
          {strings.NotLinkedText}
        </Text>
        {suggestions.state.status === 'loading' ? <Spinner label={strings.LookingForMatches} /> : null}
        {suggestions.state.status === 'failed' ? <ProblemMessage error={suggestions.state.error} onRetry={suggestions.reload} lead={strings.MatchesFailed} /> : null}
        {suggestions.state.status === 'ready' ? (
          suggestions.state.value.length ? (
            <>
              <Text as="h3" variant="mediumPlus" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
                {strings.SuggestionsTitle}
              </Text>
              <Suggestions
                suggestions={suggestions.state.value}
                busy={linking}
                onLink={(s) => {
                  setLinking(s.id);
                  setLinkError(undefined);
                  props.finance.link(props.company, s).then((next) => props.onLinked(next, format(strings.Linked, s.name)), setLinkError).finally(() => setLinking(undefined));
                }}
              />
            </>
          ) : (
            <Text as="p" block styles={{ root: { margin: 0 } }}>
              {strings.NoMatches}
            </Text>
          )
        ) : null}
        {linkError ? <ProblemMessage error={linkError} lead={strings.LinkFailed} /> : null}
        <div>
          <PrimaryButton text={strings.CreateInExactButton} onClick={() => setCreating(true)} />
        </div>
      </div>
    </Section>
  );
}

function LinkedCompany(props: { finance: FinanceService; company: Company }): React.ReactElement {
  const { locale } = useConnector();
  const now = useNow(30_000);
  const panel = useAsync<FinancePanel>(() => props.finance.panel(props.company), [props.finance, props.company]);
  const download = React.useCallback(async (row: InvoiceRow) => {
    if (!row.entryId) return;
    downloadBlob(await props.finance.invoicePdf(row.entryId), `${strings.InvoiceFileName}-${row.invoiceNumber}.pdf`);
  }, [props.finance]);
  if (panel.state.status === 'loading') return <Spinner size={SpinnerSize.large} label={strings.LoadingFinance} />;
  if (panel.state.status === 'failed') return <ProblemMessage error={panel.state.error} onRetry={panel.reload} lead={strings.FinanceFailed} />;
  const { finance, account, loadedAt } = panel.state.value;
  const refresh = (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
      <Text variant="small" data-testid="updated">
        {format(strings.Updated, relativeTime(loadedAt, Math.max(now, Date.parse(loadedAt)), locale))}
      </Text>
      <DefaultButton iconProps={{ iconName: 'Refresh' }} text={strings.RefreshButton} disabled={panel.reloading} onClick={panel.reload} />
    </div>
  );
  return (
    <>
      <div className={classes.header}>
        <Text variant="medium">
          {format(strings.ExactAccount, account.name, account.code)}
          {account.blocked ? ` · ${strings.Blocked}` : ''}
        </Text>
        {refresh}
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
