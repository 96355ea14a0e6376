import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import type { Company } from '../../../src/finance/company';
import { useServices } from '../../../src/ui/ConnectorContext';
import { ProblemMessage } from '../../../src/ui/components/ProblemMessage';
import { format } from '../../../src/ui/format';
import { useAsync } from '../../../src/ui/useAsync';
import { companyFromQuery } from '../../../src/webparts/customerFinance/companyFromQuery';
import { CustomerFinancePanel } from '../../../src/webparts/customerFinance/components/CustomerFinancePanel';
import type { WorkbenchStrings } from './strings';

interface Divisions {
  list: Array<{ code: number; description: string }>;
  default?: number;
}

/**
 * The division a company's Exact link is in, by name and code: account codes are per division, so
 * "Exact 20001" alone names two companies once two divisions are imported. A link without a
 * recorded division belongs to the connection's default division.
 */
export function companyDivision(company: Pick<Company, 'exactId' | 'division'>, divisions: Divisions, t: WorkbenchStrings): string | undefined {
  if (!company.exactId) return undefined;
  const named = (code: number): string => {
    const known = divisions.list.find((d) => d.code === code);
    return known && known.description ? format(t.companiesDivisionName, known.description, code) : String(code);
  };
  if (company.division !== undefined) return named(company.division);
  return divisions.default !== undefined ? format(t.companiesDivisionDefault, named(divisions.default)) : t.companiesDivisionUnknown;
}

/**
 * The Companies list as sales see it. SharePoint's ListView Command Set (src/extensions/
 * companyCommands) cannot run in the workbench, so its two commands are buttons on each row here;
 * both open the same panel component at `/pages/customer`.
 */
export function CompaniesPage(props: { strings: WorkbenchStrings }): React.ReactElement {
  const t = props.strings;
  const services = useServices();
  const theme = useTheme();
  const companies = useAsync(async () => {
    const finance = await services.finance();
    // Account codes are per division: with two divisions "Exact 20001" can be two customers.
    const [list, status] = await Promise.all([finance.companies.list(), finance.connection().catch(() => undefined)]);
    const several = (status?.divisions?.length ?? 0) > 1;
    const divisionOf = (company: Company): string | undefined => {
      const code = company.division ?? status?.division ?? undefined;
      return several ? status?.divisions?.find((d) => d.code === code)?.description ?? (code ? String(code) : undefined) : undefined;
    };
    return list.map((company) => ({ ...company, divisionName: divisionOf(company) }));
  }, [services]);
  const exactText = (company: Company & { divisionName?: string }): string => {
    if (!company.exactId) return t.companiesNotLinked;
    return company.divisionName ? format(t.companiesLinkedIn, company.exactCode ?? '', company.divisionName) : format(t.companiesLinked, company.exactCode ?? '');
  };
  // The division names come from the connection; without it the codes still tell companies apart.
  const divisions = useAsync(async (): Promise<Divisions> => {
    const status = await services.connection.status().catch(() => undefined);
    return { list: status?.divisions ?? [], default: status?.division ?? undefined };
  }, [services]);
  const known: Divisions = divisions.state.status === 'ready' ? divisions.state.value : { list: [] };
  const muted = { color: theme.palette.neutralSecondary };
  return (
    <section aria-labelledby="companies-title" style={{ display: 'flex', flexDirection: 'column', gap: 12, maxWidth: 960 }}>
      <Text as="h1" id="companies-title" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
        {t.companiesTitle}
      </Text>
      <Text as="p" block styles={{ root: { margin: 0 } }}>
        {t.companiesIntro}
      </Text>
      {companies.state.status === 'loading' ? <Spinner label={t.loading} /> : null}
      {companies.state.status === 'failed' ? <ProblemMessage error={companies.state.error} onRetry={companies.reload} /> : null}
      {companies.state.status === 'ready' && companies.state.value.length === 0 ? <MessageBar messageBarType={MessageBarType.info}>{t.companiesEmpty}</MessageBar> : null}
      {companies.state.status === 'ready' && companies.state.value.length ? (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }} aria-labelledby="companies-title">
          {companies.state.value.map((company) => {
            const division = companyDivision(company, known, t);
            return (
              <li key={company.id} data-testid="company-row" data-company={company.id} style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 16px', alignItems: 'center', padding: '8px 12px', border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4 }}>
                <div style={{ minWidth: 0, flex: '2 1 220px' }}>
                  <Text block styles={{ root: { fontWeight: 600, overflowWrap: 'anywhere' } }}>
                    {company.name}
                  </Text>
                  <Text variant="small" block>
                    {[company.city, exactText(company)].filter(Boolean).join(' · ')}
                  </Text>
                </div>
                {division ? (
                  <div style={{ minWidth: 0, flex: '1 1 180px' }} data-testid="company-division">
                    <Text variant="small" block styles={{ root: muted }}>
                      {t.companiesDivision}
                    </Text>
                    <Text variant="small" block styles={{ root: { overflowWrap: 'anywhere' } }}>
                      {division}
                    </Text>
                  </div>
                ) : null}
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginLeft: 'auto' }}>
                  <PrimaryButton href={`/pages/customer?company=${company.id}`} text={t.companiesFinance} ariaLabel={format(t.companiesFinanceFor, company.name)} />
                  {company.exactId ? null : <DefaultButton href={`/pages/customer?company=${company.id}&action=create`} text={t.companiesCreate} ariaLabel={format(t.companiesCreateFor, company.name)} />}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

/** A company's page: the customer panel for `?company=<CRM item id>`. */
export function CustomerPage(props: { strings: WorkbenchStrings }): React.ReactElement {
  const query = companyFromQuery(window.location.search);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Link href="/pages/companies">{props.strings.companiesBack}</Link>
      <CustomerFinancePanel companyId={query.companyId} startWith={query.startWith} />
    </div>
  );
}
