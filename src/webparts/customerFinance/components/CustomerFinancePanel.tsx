import * as React from 'react';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner, SpinnerSize } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { Company } from '../../../finance/company';
import { divisionLabel } from '../../../finance/divisions';
import type { FinanceConnection } from '../../../finance/financeService';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format } from '../../../ui/format';
import { useAsync } from '../../../ui/useAsync';
import { LinkedCustomer, preloadDetails } from './LinkedCustomer';
import { NotLinked } from './NotLinked';

const classes = mergeStyleSets({
  page: { display: 'flex', flexDirection: 'column', gap: 16, maxWidth: 1100, minWidth: 0, padding: '4px 0' },
  titles: { display: 'flex', flexDirection: 'column', gap: 2, minWidth: 0 },
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
  // Another company opened from this panel (the one an Exact account is already linked to).
  const [opened, setOpened] = React.useState<number | undefined>();
  React.useEffect(() => setOpened(undefined), [props.companyId]);
  const companyId = opened ?? props.companyId;
  const startWith = opened === undefined ? props.startWith : 'finance';
  const loaded = useAsync(async () => {
    if (companyId === undefined) return undefined;
    // Their chunk travels while Exact is asked.
    preloadDetails();
    const finance = await services.finance();
    const [company, status] = await Promise.all([finance.companies.get(companyId), finance.connection()]);
    return { finance, company, status };
  }, [services, companyId]);
  const [company, setCompany] = React.useState<Company | undefined>();
  const [note, setNote] = React.useState<string | undefined>();
  React.useEffect(() => setCompany(loaded.state.status === 'ready' ? loaded.state.value?.company : undefined), [loaded.state]);
  const ready = loaded.state.status === 'ready' ? loaded.state.value : undefined;
  const connected = !!ready && ready.status.connected && !!ready.status.division;
  // Where the customer is in Exact, read again after a link or a create.
  const customer = useAsync(async () => (ready && company && connected ? ready.finance.customer(company) : undefined), [ready, company, connected]);
  // An answer for the company as it was before a link is not this company's.
  const known = customer.state.status === 'ready' && customer.state.value?.company === company ? customer.state.value : undefined;
  const home = company?.exactId ? known?.links[0] : undefined;

  let body: React.ReactNode;
  if (companyId === undefined) {
    body = <MessageBar messageBarType={MessageBarType.info}>{strings.NoCompany}</MessageBar>;
  } else if (loaded.state.status === 'loading') {
    body = <Spinner size={SpinnerSize.large} label={strings.Loading} />;
  } else if (loaded.state.status === 'failed') {
    body = <ProblemMessage error={loaded.state.error} onRetry={loaded.reload} lead={strings.CompanyReadFailed} />;
  } else if (ready && company) {
    if (!connected) body = <NotConnected status={ready.status} />;
    else if (customer.state.status === 'failed') body = <ProblemMessage error={customer.state.error} onRetry={customer.reload} lead={strings.CompanyReadFailed} />;
    else if (!known) body = <Spinner size={SpinnerSize.large} label={strings.Loading} />;
    else if (company.exactId) {
      body = (
        <>
          {/* Only for a company that was linked when it opened: one created or linked here has its own note. */}
          {startWith === 'create' && home && ready.company.exactId ? (
            <MessageBar messageBarType={MessageBarType.info} data-testid="state-already-linked">
              {format(strings.AlreadyInExact, company.name, divisionLabel(home.division))}
            </MessageBar>
          ) : null}
          <LinkedCustomer key={`${company.id}:${company.exactId}`} finance={ready.finance} customer={known} />
        </>
      );
    } else {
      body = (
        <NotLinked
          finance={ready.finance}
          customer={known}
          startWith={startWith}
          onLinked={(next, message) => {
            setCompany(next);
            setNote(message);
          }}
          onOpenCompany={(other) => {
            setNote(undefined);
            setOpened(other.id);
          }}
        />
      );
    }
  }
  return (
    <section className={classes.page} aria-labelledby="customer-finance-title" data-testid="customer-finance">
      <div className={classes.titles}>
        <Text as="h1" id="customer-finance-title" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600, overflowWrap: 'anywhere' } }}>
          {company ? format(strings.PanelTitleFor, company.name) : strings.PanelTitle}
        </Text>
        {home ? (
          <Text variant="medium" block data-testid="panel-division" styles={{ root: { overflowWrap: 'anywhere' } }}>
            {format(strings.PanelDivision, divisionLabel(home.division))}
          </Text>
        ) : null}
      </div>
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
