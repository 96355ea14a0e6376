import { CRM_LISTS, columns, type CrmFieldSchema, type CrmListSchema } from './schema';

/**
 * The CRM's own orders: what sales people enter (customer, date, their reference, lines), and
 * what comes back from Exact (order number, invoice, payment). Provisioned on demand like the
 * master-data lists, when an order profile first reads them. The columns under "from Exact" are
 * written by the connector only; a person reads them to see what is unpaid without Exact.
 */

const { text, titleField, division } = columns;

export const ORDER_LISTS = {
  salesOrders: 'Sales Orders',
  salesOrderLines: 'Sales Order Lines',
} as const;

/** The CRM's own status of an order: only `Ready for Exact` is sent. */
export const CRM_ORDER_STATUSES = ['Draft', 'Ready for Exact', 'In Exact', 'Cancelled'] as const;
/** Exact's `Status` of a sales order (12, 20, 21, 45) in words. */
export const EXACT_ORDER_STATUSES = ['Open', 'Partly delivered', 'Complete', 'Cancelled'] as const;
/** Exact's `Status` of a sales invoice (10, 20, 50) in words. */
export const INVOICE_STATUSES = ['Draft', 'Open', 'Processed'] as const;
/** What a colleague without Exact needs to know: is it paid? */
export const PAYMENT_STATUSES = ['Not invoiced', 'Unpaid', 'Partly paid', 'Paid', 'Overdue'] as const;

const choice = (internalName: string, title: string, choices: readonly string[]): CrmFieldSchema => ({ internalName, title, type: 'choice', choices: [...choices] });
const date = (internalName: string, title: string): CrmFieldSchema => ({ internalName, title, type: 'datetime' });
const number = (internalName: string, title: string): CrmFieldSchema => ({ internalName, title, type: 'number' });
const money = (internalName: string, title: string): CrmFieldSchema => ({ internalName, title, type: 'currency' });

export const salesOrdersList: CrmListSchema = {
  title: ORDER_LISTS.salesOrders,
  kind: 'list',
  description: 'Sales orders entered in the CRM; sent to Exact Online by an order profile, with order, invoice and payment status back from Exact.',
  keyField: 'ExactReference',
  fields: [
    titleField('Order'),
    { internalName: 'Company', title: 'Customer', type: 'lookup', lookupList: CRM_LISTS.companies, required: true },
    date('OrderDate', 'Order date'),
    text('CustomerReference', 'Customer reference'),
    text('OrderDescription', 'Description'),
    choice('OrderStatus', 'Status', CRM_ORDER_STATUSES),
    // From Exact: written by the connector.
    text('ExactReference', 'Reference in Exact', { indexed: true }),
    text('ExactOrderId', 'Exact order ID', { indexed: true }),
    number('ExactOrderNumber', 'Exact order number'),
    choice('ExactOrderStatus', 'Order status in Exact', EXACT_ORDER_STATUSES),
    number('InvoiceNumber', 'Invoice number'),
    choice('InvoiceStatus', 'Invoice status', INVOICE_STATUSES),
    date('InvoiceDueDate', 'Due date'),
    money('InvoiceAmount', 'Invoice amount'),
    money('OpenAmount', 'Still to be paid'),
    choice('PaymentStatus', 'Payment status', PAYMENT_STATUSES),
    date('LastPaymentDate', 'Last payment'),
    date('StatusCheckedAt', 'Status from Exact at'),
    division(),
  ],
};

export const salesOrderLinesList: CrmListSchema = {
  title: ORDER_LISTS.salesOrderLines,
  kind: 'list',
  description: 'The lines of the CRM sales orders: an Exact item code or a CRM product, quantity, unit price, VAT code and discount.',
  fields: [
    titleField('Description'),
    { internalName: 'SalesOrder', title: 'Sales order', type: 'lookup', lookupList: ORDER_LISTS.salesOrders, required: true },
    text('ItemCode', 'Item code'),
    text('Product', 'CRM product'),
    { internalName: 'Quantity', title: 'Quantity', type: 'number' },
    money('UnitPrice', 'Unit price'),
    text('VatCode', 'VAT code'),
    { internalName: 'DiscountPercent', title: 'Discount %', type: 'number', min: 0, max: 100 },
  ],
};

/** In provisioning order: orders before the lines that look them up (Companies comes from the CRM schema). */
export const orderSchema: readonly CrmListSchema[] = [salesOrdersList, salesOrderLinesList];
