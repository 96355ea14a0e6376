import * as React from 'react';
import { DefaultButton, PrimaryButton } from '@fluentui/react/lib/Button';
import { Dropdown, type IDropdownOption } from '@fluentui/react/lib/Dropdown';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { SearchBox } from '@fluentui/react/lib/SearchBox';
import { Text } from '@fluentui/react/lib/Text';
import type { SPFI } from '@pnp/sp';
import { readAllCompanies } from '../../../src/crm/companySearch';
import { useTheme } from '@fluentui/react/lib/Theme';
import type { Company } from '../../../src/finance/company';
import { useServices } from '../../../src/ui/ConnectorContext';
import { ProblemMessage } from '../../../src/ui/components/ProblemMessage';
import { format } from '../../../src/ui/format';
import { useAsync } from '../../../src/ui/useAsync';
import { companyFromQuery } from '../../../src/webparts/customerFinance/companyFromQuery';
import { CustomerFinancePanel } from '../../../src/webparts/customerFinance/components/CustomerFinancePanel';
import { companiesPage, type ListedCompany, type ListView, type SortKey } from './companyList';
import { NewCompanyPanel } from './NewCompanyPanel';
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

const PAGE_SIZE = 25;

/**
 * The Companies list as sales see it, with what a SharePoint list offers: New (the list's form,
 * so Create in Exact is reachable without REST), search, sort by column and pages of 25.
 * SharePoint's ListView Command Set (src/extensions/companyCommands) cannot run in the workbench,
 * so its two commands are buttons on each row here; both open the same panel component at
 * `/pages/customer`.
 */
export function CompaniesPage(props: { strings: WorkbenchStrings; sp: SPFI }): React.ReactElement {
  const t = props.strings;
  const services = useServices();
  const theme = useTheme();
  const companies = useAsync(async (): Promise<ListedCompany[]> => {
    const finance = await services.finance();
    // Every company, read in pages by ID (allowed over the list view threshold); searched, sorted and paged here.
    const [list, status] = await Promise.all([readAllCompanies(props.sp), finance.connection().catch(() => undefined)]);
    const several = (status?.divisions?.length ?? 0) > 1;
    const divisionOf = (company: Company): string | undefined => {
      const code = company.division ?? status?.division ?? undefined;
      return several && company.exactId ? status?.divisions?.find((d) => d.code === code)?.description ?? (code ? String(code) : undefined) : undefined;
    };
    return list.map((company) => ({ ...company, divisionName: divisionOf(company) }));
    // The site's PnPjs instance is made per render; the list is read again only with new services.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [services]);
  const [view, setView] = React.useState<ListView>({ search: '', sort: 'name', descending: false, page: 1, pageSize: PAGE_SIZE });
  const [adding, setAdding] = React.useState(false);
  const [added, setAdded] = React.useState<{ id: number; name: string } | undefined>();
  const exactText = (company: ListedCompany): string => {
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
  const all = companies.state.status === 'ready' ? companies.state.value : undefined;
  const shown = all ? companiesPage(all, view) : undefined;
  const sortOptions: IDropdownOption[] = [
    { key: 'name', text: t.companiesSortName },
    { key: 'city', text: t.companiesSortCity },
    { key: 'code', text: t.companiesSortCode },
    ...(all?.some((c) => c.divisionName) ? [{ key: 'division', text: t.companiesSortDivision }] : []),
  ];
  const order = view.descending ? t.companiesDescending : t.companiesAscending;
  return (
    <section aria-labelledby="companies-title" style={{ display: 'flex', flexDirection: 'column', gap: 12, maxWidth: 960 }}>
      <Text as="h1" id="companies-title" variant="xLarge" block styles={{ root: { margin: 0, fontWeight: 600 } }}>
        {t.companiesTitle}
      </Text>
      <Text as="p" block styles={{ root: { margin: 0 } }}>
        {t.companiesIntro}
      </Text>
      <div role="toolbar" aria-label={t.companiesTitle} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-end' }}>
        <PrimaryButton iconProps={{ iconName: 'Add' }} text={t.companiesNew} onClick={() => setAdding(true)} />
        <SearchBox
          styles={{ root: { flex: '1 1 220px', minWidth: 0 } }}
          ariaLabel={t.companiesSearch}
          placeholder={t.companiesSearchHint}
          value={view.search}
          onChange={(_, value) => setView((v) => ({ ...v, search: value ?? '', page: 1 }))}
        />
        <Dropdown
          label={t.companiesSortBy}
          options={sortOptions}
          selectedKey={view.sort}
          styles={{ root: { flex: '0 1 180px', minWidth: 140 } }}
          onChange={(_, option) => option && setView((v) => ({ ...v, sort: option.key as SortKey, page: 1 }))}
        />
        <DefaultButton
          iconProps={{ iconName: view.descending ? 'SortDown' : 'SortUp' }}
          text={order}
          ariaLabel={format(t.companiesOrderLabel, order)}
          onClick={() => setView((v) => ({ ...v, descending: !v.descending, page: 1 }))}
        />
      </div>
      {added ? (
        <MessageBar
          messageBarType={MessageBarType.success}
          isMultiline
          data-testid="company-added"
          onDismiss={() => setAdded(undefined)}
          dismissButtonAriaLabel={t.companiesCancel}
          actions={<PrimaryButton href={`/pages/customer?company=${added.id}&action=create`} text={format(t.companiesAddedCreate, added.name)} />}
        >
          {format(t.companiesAdded, added.name)}
        </MessageBar>
      ) : null}
      {companies.state.status === 'loading' ? <Spinner label={t.loading} /> : null}
      {companies.state.status === 'failed' ? <ProblemMessage error={companies.state.error} onRetry={companies.reload} /> : null}
      {all && all.length === 0 ? <MessageBar messageBarType={MessageBarType.info}>{t.companiesEmpty}</MessageBar> : null}
      {all && all.length > 0 && shown && shown.total === 0 ? <MessageBar messageBarType={MessageBarType.info}>{format(t.companiesNoMatch, view.search.trim())}</MessageBar> : null}
      {shown && shown.rows.length ? (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: 8 }} aria-labelledby="companies-title" aria-describedby="companies-range">
          {shown.rows.map((company) => {
            const division = companyDivision(company, known, t);
            return (
              <li key={company.id} data-testid="company-row" data-company={company.id} style={{ display: 'flex', flexWrap: 'wrap', gap: '8px 16px', alignItems: 'center', padding: '8px 12px', border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4, ...(added?.id === company.id ? { borderLeft: `4px solid ${theme.palette.themePrimary}` } : {}) }}>
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
      {shown && shown.total > 0 ? (
        <nav aria-label={t.companiesPaging} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
          <DefaultButton iconProps={{ iconName: 'ChevronLeft' }} text={t.companiesPrevious} disabled={shown.page <= 1} onClick={() => setView((v) => ({ ...v, page: shown.page - 1 }))} />
          <Text id="companies-range" data-testid="companies-range" aria-live="polite">
            {`${format(t.companiesShowing, (shown.page - 1) * view.pageSize + 1, (shown.page - 1) * view.pageSize + shown.rows.length, shown.total)} · ${format(t.companiesPageOf, shown.page, shown.pages)}`}
          </Text>
          <DefaultButton iconProps={{ iconName: 'ChevronRight' }} text={t.companiesNext} disabled={shown.page >= shown.pages} onClick={() => setView((v) => ({ ...v, page: shown.page + 1 }))} />
        </nav>
      ) : null}
      {adding ? (
        <NewCompanyPanel
          sp={props.sp}
          strings={t}
          onDismiss={() => setAdding(false)}
          onAdded={(company) => {
            setAdding(false);
            setAdded(company);
            // The new company shows on the list's first page: found by its name.
            setView((v) => ({ ...v, search: company.name, page: 1 }));
            companies.reload();
          }}
        />
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
