import * as React from 'react';
import { MessageBar, MessageBarType } from '@fluentui/react/lib/MessageBar';
import { Spinner } from '@fluentui/react/lib/Spinner';
import { mergeStyleSets } from '@fluentui/react/lib/Styling';
import { Text } from '@fluentui/react/lib/Text';
import { useTheme } from '@fluentui/react/lib/Theme';
import type { SPFI } from '@pnp/sp';
import { z } from 'zod';
import { READ_PAGE_SIZE } from '../../../src/crm/pnp';
import { ORDER_LISTS } from '../../../src/crm/orderSchema';
import { isNotFound } from '../../../src/crm/spErrors';
import { useConnector } from '../../../src/ui/ConnectorContext';
import { ProblemMessage } from '../../../src/ui/components/ProblemMessage';
import { format, formatDate } from '../../../src/ui/format';
import { useAsync } from '../../../src/ui/useAsync';
import { money } from '../../../src/webparts/importProfiles/components/orders/money';
import type { WorkbenchStrings } from './strings';

const text = z.string().nullish().transform((v) => v ?? null);
const number = z.number().nullish().transform((v) => v ?? null);
const orderSchema = z.object({
  Id: z.number(), Title: text, Company: z.object({ Title: text }).nullish(), OrderDate: text, CustomerReference: text, OrderStatus: text,
  ExactReference: text, ExactOrderNumber: number, ExactOrderStatus: text, InvoiceNumber: number, PaymentStatus: text,
});
const lineSchema = z.object({ SalesOrderId: z.number().nullish(), Quantity: number, UnitPrice: number, DiscountPercent: number });
type SalesOrder = z.infer<typeof orderSchema> & { lines: number; net: number };

async function readAll<S extends z.ZodTypeAny>(sp: SPFI, list: string, select: string[], schema: S, expand?: string): Promise<Array<z.output<S>>> {
  let items = sp.web.lists.getByTitle(list).items.select(...select).top(READ_PAGE_SIZE);
  if (expand) items = items.expand(expand);
  const out: Array<z.output<S>> = [];
  // Paged by ID, as SharePoint allows over the list view threshold.
  for await (const page of items) out.push(...z.array(schema).parse(page));
  return out;
}

/** Every sales order with its line count and amount, newest first; undefined when the lists are not there yet. */
async function readSalesOrders(sp: SPFI): Promise<SalesOrder[] | undefined> {
  try {
    const [orders, lines] = await Promise.all([
      readAll(sp, ORDER_LISTS.salesOrders, ['Id', 'Title', 'Company/Title', 'OrderDate', 'CustomerReference', 'OrderStatus', 'ExactReference', 'ExactOrderNumber', 'ExactOrderStatus', 'InvoiceNumber', 'PaymentStatus'], orderSchema, 'Company'),
      readAll(sp, ORDER_LISTS.salesOrderLines, ['SalesOrderId', 'Quantity', 'UnitPrice', 'DiscountPercent'], lineSchema),
    ]);
    const totals = new Map<number, { lines: number; net: number }>();
    for (const line of lines) {
      if (!line.SalesOrderId) continue;
      const total = totals.get(line.SalesOrderId) ?? { lines: 0, net: 0 };
      total.lines += 1;
      total.net += (line.Quantity ?? 0) * (line.UnitPrice ?? 0) * (1 - (line.DiscountPercent ?? 0) / 100);
      totals.set(line.SalesOrderId, total);
    }
    return orders.map((o) => ({ ...o, ...(totals.get(o.Id) ?? { lines: 0, net: 0 }) })).sort((a, b) => b.Id - a.Id);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The CRM's Sales Orders as the list view shows them, with the columns Exact fills in. */
export function SalesOrdersPage(props: { strings: WorkbenchStrings; sp: SPFI }): React.ReactElement {
  const t = props.strings;
  const { locale } = useConnector();
  const theme = useTheme();
  // The site's PnPjs instance is made per render; read once per page.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const orders = useAsync(() => readSalesOrders(props.sp), []);
  const classes = mergeStyleSets({
    list: { listStyle: 'none', margin: '12px 0 0', padding: 0, display: 'flex', flexDirection: 'column', gap: 8 },
    order: { border: `1px solid ${theme.palette.neutralQuaternaryAlt}`, borderRadius: 4, padding: '8px 12px', background: theme.semanticColors.bodyBackground },
    fields: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(120px, 1fr))', gap: '4px 16px', margin: '6px 0 0' },
    term: { color: theme.semanticColors.bodySubtext, fontSize: 12 },
    value: { margin: 0, overflowWrap: 'anywhere' },
  });
  const field = (label: string, value: string | number | null): React.ReactElement => (
    <div>
      <dt className={classes.term}>{label}</dt>
      <dd className={classes.value}><Text>{value === null || value === '' ? '—' : value}</Text></dd>
    </div>
  );
  return (
    <section aria-labelledby="sales-orders-title">
      <Text as="h1" id="sales-orders-title" variant="xxLarge" block styles={{ root: { margin: '0 0 8px', fontWeight: 600 } }}>{t.salesOrdersTitle}</Text>
      <Text as="p" block>{t.salesOrdersIntro}</Text>
      {orders.state.status === 'loading' && <Spinner label={t.loading} />}
      {orders.state.status === 'failed' && <ProblemMessage error={orders.state.error} lead={t.salesOrdersFailed} onRetry={orders.reload} />}
      {orders.state.status === 'ready' && orders.state.value === undefined && <MessageBar messageBarType={MessageBarType.info}>{t.salesOrdersMissing}</MessageBar>}
      {orders.state.status === 'ready' && orders.state.value?.length === 0 && <Text as="p" block>{t.salesOrdersEmpty}</Text>}
      {orders.state.status === 'ready' && orders.state.value && orders.state.value.length > 0 && (
        <>
          <Text role="status">{format(t.salesOrdersCount, orders.state.value.length)}</Text>
          <ul className={classes.list} aria-label={t.salesOrdersTitle}>
            {orders.state.value.map((order) => (
              <li key={order.Id} className={classes.order} aria-label={order.Title ?? `#${order.Id}`}>
                <Text as="h2" variant="mediumPlus" styles={{ root: { margin: 0, fontWeight: 600 } }}>{`${order.Title ?? `#${order.Id}`} · ${order.Company?.Title ?? ''}`}</Text>
                <dl className={classes.fields}>
                  {field(t.salesOrdersDate, order.OrderDate ? formatDate(order.OrderDate, locale) : null)}
                  {field(t.salesOrdersReference, order.CustomerReference)}
                  {field(t.salesOrdersLines, order.lines)}
                  {field(t.salesOrdersAmount, money(Math.round(order.net * 100) / 100, locale))}
                  {field(t.salesOrdersStatus, order.OrderStatus)}
                  {field(t.salesOrdersExactNumber, order.ExactOrderNumber)}
                  {field(t.salesOrdersExactReference, order.ExactReference)}
                  {field(t.salesOrdersExactStatus, order.ExactOrderStatus)}
                  {field(t.salesOrdersInvoice, order.InvoiceNumber)}
                  {field(t.salesOrdersPayment, order.PaymentStatus)}
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
