/**
 * What sync/SalesInvoice/SalesInvoices adds to an invoice header's fields: Exact serves headers
 * and lines in one stream (the SyncSalesInvoiceSalesInvoice model), and a row's `LineNumber`
 * says which it is: 0 the header, 1 and up a line, whose `SalesOrder` links the invoice to the
 * order it bills. Apart from invoicing.ts so that the endpoint table can import it without
 * importing the order book.
 */
import type { Fields } from './endpoint';

export const salesInvoiceSyncLineFields: Fields = {
  ID: 'guid',
  LineNumber: 'int',
  Item: 'guid',
  ItemCode: 'string',
  Quantity: 'double',
  UnitPrice: 'double',
  NetPrice: 'double',
  VATCode: 'string',
  VATPercentage: 'double',
  SalesOrder: 'guid',
  SalesOrderLine: 'guid',
  SalesOrderNumber: 'int',
};
