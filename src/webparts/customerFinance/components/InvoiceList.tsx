import * as React from 'react';
import { ChoiceGroup } from '@fluentui/react/lib/ChoiceGroup';
import { Dropdown } from '@fluentui/react/lib/Dropdown';
import { DetailsList, DetailsListLayoutMode, SelectionMode, type IColumn } from '@fluentui/react/lib/DetailsList';
import { Link } from '@fluentui/react/lib/Link';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import * as strings from 'CustomerFinanceWebPartStrings';
import type { InvoiceRow } from '../../../finance';
import { useConnector } from '../../../ui/ConnectorContext';
import { ProblemMessage } from '../../../ui/components/ProblemMessage';
import { format, formatDate, formatShortDate } from '../../../ui/format';
import { useNarrow } from '../../../ui/useNarrow';
import { formatMoney, statusText } from './money';

export type InvoiceFilter = 'open' | 'overdue' | 'all';
type SortKey = 'invoiceNumber' | 'invoiceDate' | 'dueDate' | 'amountDC' | 'openDC' | 'status';

const isOpen = (row: InvoiceRow): boolean => Math.round(row.openFC * 100) !== 0;

export function filterInvoices(rows: readonly InvoiceRow[], filter: InvoiceFilter): InvoiceRow[] {
  if (filter === 'open') return rows.filter(isOpen);
  if (filter === 'overdue') return rows.filter((row) => row.status.kind === 'overdue');
  return [...rows];
}

const statusRank = (row: InvoiceRow): number => (row.status.kind === 'overdue' ? 1000 + row.status.days : row.status.kind === 'partly-paid' ? 3 : row.status.kind === 'open' ? 2 : row.status.kind === 'credit-note' ? 1 : 0);

function sortValue(row: InvoiceRow, key: SortKey): number | string {
  return key === 'status' ? statusRank(row) : row[key];
}

/** Invoices of the last 18 months and every open one; sortable, filtered on open, overdue or all. */
export function InvoiceList(props: { rows: InvoiceRow[]; divisionCurrency: string; onDownload: (row: InvoiceRow) => Promise<void> }): React.ReactElement {
  const { locale } = useConnector();
  const theme = useTheme();
  const [filter, setFilter] = React.useState<InvoiceFilter>('all');
  const [sort, setSort] = React.useState<{ key: SortKey; descending: boolean }>({ key: 'invoiceDate', descending: true });
  const [downloading, setDownloading] = React.useState<number | undefined>();
  const [downloadError, setDownloadError] = React.useState<unknown>();
  const container = React.useRef<HTMLDivElement>(null);
  const narrow = useNarrow(container, 560);

  const rows = React.useMemo(() => {
    const shown = filterInvoices(props.rows, filter);
    return shown.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const order = x < y ? -1 : x > y ? 1 : b.invoiceNumber - a.invoiceNumber;
      return sort.descending ? -order : order;
    });
  }, [props.rows, filter, sort]);

  const money = (amount: number, currency: string) => formatMoney(amount, currency, locale);
  const amountCell = (amount: number, row: InvoiceRow, inDivision: number) => (
    <span style={{ fontVariantNumeric: 'tabular-nums' }}>
      {money(amount, row.currency)}
      {row.currency !== props.divisionCurrency ? <Text variant="small" block>{money(inDivision, props.divisionCurrency)}</Text> : null}
    </span>
  );

  const column = (key: SortKey, name: string, minWidth: number, render: (row: InvoiceRow) => React.ReactNode): IColumn => ({
    key,
    name,
    fieldName: key,
    minWidth,
    maxWidth: minWidth + 80,
    isResizable: true,
    isSorted: sort.key === key,
    isSortedDescending: sort.key === key && sort.descending,
    sortAscendingAriaLabel: strings.SortedAscending,
    sortDescendingAriaLabel: strings.SortedDescending,
    onColumnClick: () => setSort((s) => ({ key, descending: s.key === key ? !s.descending : key !== 'invoiceNumber' })),
    onRender: render,
  });

  const numberCell = (row: InvoiceRow): React.ReactNode =>
    row.entryId ? (
      <Link
        title={format(strings.DownloadPdf, row.invoiceNumber)}
        aria-label={format(strings.DownloadPdf, row.invoiceNumber)}
        disabled={downloading === row.invoiceNumber}
        onClick={() => {
          setDownloading(row.invoiceNumber);
          setDownloadError(undefined);
          props.onDownload(row).catch(setDownloadError).finally(() => setDownloading(undefined));
        }}
      >
        {row.invoiceNumber}
      </Link>
    ) : (
      <span>{row.invoiceNumber}</span>
    );
  const statusCell = (row: InvoiceRow): React.ReactNode => (
    <span style={{ color: row.status.kind === 'overdue' ? theme.semanticColors.errorText : undefined, whiteSpace: 'normal' }}>{statusText(row.status, locale)}</span>
  );

  const columns: IColumn[] = [
    column('invoiceNumber', strings.ColumnNumber, 70, (row) => numberCell(row)),
    column('invoiceDate', strings.ColumnDate, 96, (row) => formatShortDate(row.invoiceDate, locale)),
    column('dueDate', strings.ColumnDueDate, 96, (row) => formatShortDate(row.dueDate, locale)),
    column('amountDC', strings.ColumnAmount, 90, (row) => amountCell(row.amountFC, row, row.amountDC)),
    column('openDC', strings.ColumnOpen, 90, (row) => amountCell(row.openFC, row, row.openDC)),
    column('status', strings.ColumnStatus, 110, statusCell),
  ];

  return (
    <div ref={container}>
      <ChoiceGroup
        label={strings.FilterLabel}
        selectedKey={filter}
        onChange={(_, option) => option && setFilter(option.key as InvoiceFilter)}
        options={[
          { key: 'all', text: strings.FilterAll },
          { key: 'open', text: strings.FilterOpen },
          { key: 'overdue', text: strings.FilterOverdue },
        ]}
        styles={{ flexContainer: { display: 'flex', flexWrap: 'wrap', gap: 12 } }}
      />
      {downloadError ? <ProblemMessage error={downloadError} lead={strings.DownloadFailed} /> : null}
      {rows.length === 0 ? (
        <MessageBar messageBarType={MessageBarType.info}>{filter === 'all' ? strings.NoInvoices : strings.NoInvoicesInFilter}</MessageBar>
      ) : narrow ? (
        <>
          <Dropdown
            label={strings.SortLabel}
            selectedKey={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}
            options={columns.flatMap((c) => [
              { key: `${c.key}:desc`, text: format(strings.SortDescending, c.name) },
              { key: `${c.key}:asc`, text: format(strings.SortAscending, c.name) },
            ])}
            onChange={(_, option) => {
              const [key, direction] = String(option?.key ?? '').split(':');
              if (key) setSort({ key: key as SortKey, descending: direction === 'desc' });
            }}
            styles={{ root: { margin: '8px 0' } }}
          />
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={strings.InvoicesTitle}>
            {rows.map((row) => (
              <li key={row.invoiceNumber} data-testid="invoice-row" data-invoice={row.invoiceNumber} style={{ padding: '8px 0', borderBottom: `1px solid ${theme.palette.neutralLight}`, display: 'grid', gridTemplateColumns: '1fr auto', gap: '2px 8px' }}>
                <span>{numberCell(row)}</span>
                <span style={{ textAlign: 'right' }}>{statusCell(row)}</span>
                <Text variant="small">{`${strings.ColumnDate} ${formatDate(row.invoiceDate, locale)}`}</Text>
                <Text variant="small" style={{ textAlign: 'right' }}>{`${strings.ColumnDueDate} ${formatDate(row.dueDate, locale)}`}</Text>
                <Text variant="small">
                  {strings.ColumnAmount} {amountCell(row.amountFC, row, row.amountDC)}
                </Text>
                <Text variant="small" style={{ textAlign: 'right' }}>
                  {strings.ColumnOpen} {amountCell(row.openFC, row, row.openDC)}
                </Text>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <DetailsList
            items={rows}
            columns={columns}
            getKey={(row: InvoiceRow) => String(row.invoiceNumber)}
            setKey="invoices"
            selectionMode={SelectionMode.none}
            layoutMode={DetailsListLayoutMode.justified}
            ariaLabelForGrid={strings.InvoicesTitle}
            onShouldVirtualize={() => false}
            onRenderRow={(rowProps, render) => (rowProps && render ? <div data-testid="invoice-row" data-invoice={(rowProps.item as InvoiceRow).invoiceNumber}>{render(rowProps)}</div> : null)}
          />
        </div>
      )}
    </div>
  );
}
